package io.steer.llm.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The agent loop over the Chat Completions wire format: parallel calls, failing and
 * timed-out tools, approvals, the step limit, cancellation and a provider error.
 */
class AgentLoopTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNode OBJECT = MAPPER.readTree("{\"type\":\"object\"}");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private SteerLLMClient client;

	@BeforeEach
	void client() {
		this.client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), AgentRoundTripTests.API_KEY))
			.build();
	}

	private static void enqueue(String name) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", name)));
	}

	private static JsonNode secondRequestMessages() {
		server.server().takeRequest();
		return MAPPER.readTree(server.server().takeRequest().bodyAsString()).get("messages");
	}

	private static List<AgentEvent> run(AgentRunner runner, AgentDefinition definition) {
		return runner.stream(definition, Map.of(), "Go", null).collectList().block(Duration.ofSeconds(20));
	}

	private static <T extends AgentEvent> List<T> only(List<AgentEvent> events, Class<T> type) {
		return events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static AgentEvent last(List<AgentEvent> events) {
		return events.get(events.size() - 1);
	}

	private static AgentDefinition.Builder parallelAgent(ToolCallback weather, ToolCallback stock) {
		return AgentDefinition.builder("parallel").model("gpt-4o").tool(weather).tool(stock);
	}

	@Test
	void factorialAgentShouldSendTheToolResultToTheSecondRequest() {
		server.server()
			.enqueue(MockResponse
				.replay(SseFixture.of("factorial", ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
						+ "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
						+ "\"id\":\"call_f\",\"type\":\"function\",\"function\":{\"name\":\"factorial\",\"arguments\":\"\"}}]}}]}\n\n"
						+ "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
						+ "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"n\\\": 10}\"}}]}}]}\n\n"
						+ "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
						+ "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n")
					.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
		enqueue("chat-text-usage");
		ToolCallback factorial = ToolCallback.of("factorial", "n! of a non-negative integer n",
				MAPPER.readTree(
						"{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}"),
				(arguments) -> {
					long result = 1;
					for (int i = 2; i <= arguments.get("n").asInt(); i++) {
						result *= i;
					}
					return Long.toString(result);
				});
		AgentDefinition calculator = AgentDefinition.builder("calculator")
			.model("gpt-4o")
			.systemPrompt("You are a {role}. Use the tools.")
			.userPrompt("{task}")
			.tool(factorial)
			.build();
		List<AgentEvent> events = new DefaultAgentRunner(this.client)
			.stream(calculator, Map.of("role", "calculator", "task", "Calculate factorial of 10"), null)
			.collectList()
			.block(Duration.ofSeconds(20));
		List<AgentEvent> toolCalls = events.stream().filter((event) -> event.type().equals("tool_call")).toList();
		assertThat(toolCalls).singleElement()
			.satisfies((event) -> assertThat(event.metadata()).containsEntry("tool", "factorial"));
		assertThat(only(events, AgentEvent.ToolResult.class)).singleElement()
			.satisfies((result) -> assertThat(result.result()).isEqualTo("3628800"));
		JsonNode messages = secondRequestMessages();
		assertThat(messages.get(0).get("content").asString()).isEqualTo("You are a calculator. Use the tools.");
		assertThat(messages.get(1).get("content").asString()).isEqualTo("Calculate factorial of 10");
		assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("call_f");
		assertThat(messages.get(3).get("content").asString()).isEqualTo("3628800");
		assertThat(last(events)).isInstanceOf(AgentEvent.AgentCompleted.class);
	}

	@Test
	void parallelCallsShouldReportResultsAsTheyFinishButSendThemInCallOrder() {
		enqueue("chat-parallel-tool-calls");
		enqueue("chat-text-usage");
		Sinks.One<String> weatherResult = Sinks.one();
		ToolCallback weather = ToolCallback.ofMono("GetWeatherArgs", "weather", OBJECT,
				(arguments, context) -> weatherResult.asMono());
		ToolCallback stock = ToolCallback.ofMono("get_stock_price", "stock", OBJECT,
				(arguments, context) -> Mono.just("AAPL 230"));
		// the weather call, made first, finishes only once the stock call's result is out
		List<AgentEvent> events = new DefaultAgentRunner(this.client)
			.stream(parallelAgent(weather, stock).build(), Map.of(), "Go", null)
			.doOnNext((event) -> {
				if (event instanceof AgentEvent.ToolResult result && result.name().equals("get_stock_price")) {
					weatherResult.tryEmitValue("Edinburgh 12 C");
				}
			})
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(only(events, AgentEvent.ToolResult.class)).extracting(AgentEvent.ToolResult::name)
			.containsExactly("get_stock_price", "GetWeatherArgs");
		JsonNode messages = secondRequestMessages();
		assertThat(messages.get(1).get("tool_calls")).hasSize(2);
		assertThat(messages.get(1).get("tool_calls").get(0).get("id").asString())
			.isEqualTo("call_JMW1whyEaYG438VE1OIflxA2");
		assertThat(messages.get(2).get("tool_call_id").asString()).isEqualTo("call_JMW1whyEaYG438VE1OIflxA2");
		assertThat(messages.get(2).get("content").asString()).isEqualTo("Edinburgh 12 C");
		assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("call_DNYTawLBoN8fj3KN6qU9N1Ou");
		assertThat(messages.get(3).get("content").asString()).isEqualTo("AAPL 230");
	}

	@Test
	void parallelCallsShouldRunNoMoreAtOnceThanMaxParallelTools() {
		enqueue("chat-parallel-tool-calls");
		enqueue("chat-text-usage");
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		List<String> log = Collections.synchronizedList(new ArrayList<>());
		java.util.function.Function<String, ToolCallback> tool = (name) -> ToolCallback.ofMono(name, name, OBJECT,
				(arguments, context) -> Mono.fromCallable(() -> name)
					.subscribeOn(Schedulers.boundedElastic())
					.doOnSubscribe((subscription) -> {
						log.add("+" + name);
						most.accumulateAndGet(running.incrementAndGet(), Math::max);
					})
					.doOnTerminate(() -> {
						running.decrementAndGet();
						log.add("-" + name);
					}));
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client),
				parallelAgent(tool.apply("GetWeatherArgs"), tool.apply("get_stock_price")).maxParallelTools(1).build());
		assertThat(most.get()).isEqualTo(1);
		assertThat(log).containsExactly("+GetWeatherArgs", "-GetWeatherArgs", "+get_stock_price", "-get_stock_price");
		assertThat(last(events)).isInstanceOf(AgentEvent.AgentCompleted.class);
	}

	@Test
	void failingToolShouldBecomeAToolErrorTheModelSeesAndTheLoopGoesOn() {
		enqueue("chat-tool-call-strict");
		enqueue("chat-text-usage");
		ToolCallback broken = ToolCallback.of("get_weather", "weather", OBJECT, (arguments) -> {
			throw new IllegalStateException("weather service down");
		});
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client),
				AgentDefinition.builder("broken").model("gpt-4o").tool(broken).build());
		assertThat(only(events, AgentEvent.ToolError.class)).singleElement().satisfies((error) -> {
			assertThat(error.message()).isEqualTo("weather service down");
			assertThat(error.metadata()).containsEntry("tool", "get_weather");
		});
		assertThat(secondRequestMessages().get(2).get("content").asString()).isEqualTo("Error: weather service down");
		assertThat(last(events)).isInstanceOf(AgentEvent.AgentCompleted.class);
	}

	@Test
	void deniedApprovalShouldNotRunTheToolAndTellTheModel() {
		enqueue("chat-tool-call-strict");
		enqueue("chat-text-usage");
		AtomicBoolean ran = new AtomicBoolean();
		List<ToolCallRequest> reviewed = new ArrayList<>();
		AgentDefinition definition = AgentDefinition.builder("guarded")
			.model("gpt-4o")
			.tool(ToolCallback.of("get_weather", "weather", OBJECT, (arguments) -> {
				ran.set(true);
				return "sunny";
			}))
			.approval((request) -> {
				reviewed.add(request);
				return Mono.just(ApprovalDecision.deny("no weather on Sundays"));
			})
			.build();
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client), definition);
		assertThat(ran).isFalse();
		assertThat(reviewed).singleElement().satisfies((request) -> {
			assertThat(request.name()).isEqualTo("get_weather");
			assertThat(request.arguments().get("city").asString()).isEqualTo("San Francisco");
		});
		assertThat(AgentRoundTripTests.types(events)).containsSubsequence("tool_call", "step_complete",
				"approval_required", "tool_error", "step_start");
		assertThat(only(events, AgentEvent.ToolError.class)).singleElement()
			.satisfies((error) -> assertThat(error.metadata()).containsEntry("approval", "denied"));
		assertThat(secondRequestMessages().get(2).get("content").asString())
			.isEqualTo("Error: denied: no weather on Sundays");
	}

	@Test
	void editedApprovalShouldRunTheEditedArguments() {
		enqueue("chat-tool-call-strict");
		enqueue("chat-text-usage");
		List<String> cities = new ArrayList<>();
		AgentDefinition definition = AgentDefinition.builder("guarded")
			.model("gpt-4o")
			.tool(ToolCallback.of("get_weather", "weather", OBJECT, (arguments) -> {
				cities.add(arguments.get("city").asString());
				return "foggy";
			}))
			.approval((request) -> Mono.just(ApprovalDecision.edit(MAPPER.readTree("{\"city\":\"Oakland\"}"))))
			.build();
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client), definition);
		assertThat(cities).containsExactly("Oakland");
		assertThat(only(events, AgentEvent.ToolExecutionStarted.class)).singleElement().satisfies((started) -> {
			assertThat(started.arguments().get("city").asString()).isEqualTo("Oakland");
			assertThat(started.metadata()).containsEntry("approval", "edited");
		});
		assertThat(secondRequestMessages().get(2).get("content").asString()).isEqualTo("foggy");
	}

	@Test
	void stepLimitShouldFailWithMaxStepsAfterTheLastStepsEvents() {
		enqueue("chat-tool-call-strict");
		AtomicBoolean ran = new AtomicBoolean();
		AgentDefinition definition = AgentDefinition.builder("limited")
			.model("gpt-4o")
			.maxSteps(1)
			.tool(ToolCallback.of("get_weather", "weather", OBJECT, (arguments) -> {
				ran.set(true);
				return "sunny";
			}))
			.build();
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client), definition);
		assertThat(AgentRoundTripTests.types(events)).endsWith("tool_call", "step_complete", "error");
		AgentEvent.AgentFailed failed = (AgentEvent.AgentFailed) last(events);
		assertThat(failed.errorType()).isEqualTo(AgentErrorType.MAX_STEPS);
		assertThat(failed.error().getSteps()).hasSize(1);
		assertThat(failed.error()).hasMessageContaining("limit of 1 steps").hasMessageContaining("get_weather");
		assertThat(ran).isFalse();
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void providerErrorInStepTwoShouldFailWithProviderAndKeepStepOne() {
		enqueue("chat-tool-call-strict");
		server.server()
			.enqueue(MockResponse.status(400,
					"{\"error\":{\"message\":\"Invalid tool message\",\"type\":\"invalid_request_error\"}}"));
		List<AgentEvent> events = run(new DefaultAgentRunner(this.client),
				AgentDefinition.builder("failing")
					.model("gpt-4o")
					.tool(ToolCallback.of("get_weather", "weather", OBJECT, (arguments) -> "sunny"))
					.build());
		AgentEvent.AgentFailed failed = (AgentEvent.AgentFailed) last(events);
		assertThat(failed.step()).isEqualTo(2);
		assertThat(failed.errorType()).isEqualTo(AgentErrorType.PROVIDER);
		assertThat(failed.error().getCause()).isInstanceOf(ProviderHttpException.class);
		assertThat(failed.error().getSteps()).singleElement()
			.satisfies((step) -> assertThat(step.toolCalls()).hasSize(1));
		assertThat(failed.error().getPartialResponse()).isNotNull();
		assertThat(failed.error().getMessage()).doesNotContain(AgentRoundTripTests.API_KEY);
	}

	@Test
	void toolOutlivingItsTimeoutShouldBeCancelledAndReportedInVirtualTime() {
		enqueue("chat-tool-call-strict");
		enqueue("chat-text-usage");
		VirtualTimeScheduler timer = VirtualTimeScheduler.create();
		CountDownLatch subscribed = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		AgentDefinition definition = AgentDefinition.builder("slow")
			.model("gpt-4o")
			.toolTimeout(Duration.ofSeconds(5))
			.tool(ToolCallback.ofMono("get_weather", "weather", OBJECT,
					(arguments, context) -> Mono.<String>never()
						.doOnSubscribe((subscription) -> subscribed.countDown())
						.doOnCancel(cancelled::countDown)))
			.build();
		AgentRunner runner = DefaultAgentRunner.builder(this.client).timer(timer).build();
		Sinks.Many<AgentEvent> events = Sinks.many().replay().all();
		runner.stream(definition, Map.of(), "Go", null)
			.subscribe(events::tryEmitNext, events::tryEmitError, events::tryEmitComplete);
		// the timer is scheduled before the tool is subscribed to
		await(subscribed);
		timer.advanceTimeBy(Duration.ofMillis(4999));
		assertThat(cancelled.getCount()).isOne();
		timer.advanceTimeBy(Duration.ofMillis(1));
		await(cancelled);
		StepVerifier.create(events.asFlux().filter((event) -> event.type().startsWith("tool_")))
			.assertNext((event) -> assertThat(event).isInstanceOf(AgentEvent.ToolCallStarted.class))
			.thenConsumeWhile(AgentEvent.ToolCallDelta.class::isInstance)
			.assertNext((event) -> assertThat(event).isInstanceOf(AgentEvent.ToolCallCompleted.class))
			.assertNext((event) -> assertThat(event).isInstanceOf(AgentEvent.ToolExecutionStarted.class))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(AgentEvent.ToolError.class,
					(error) -> assertThat(error.message()).isEqualTo("timed out after 5000 ms")))
			.expectComplete()
			.verify(Duration.ofSeconds(20));
		assertThat(secondRequestMessages().get(2).get("content").asString())
			.isEqualTo("Error: timed out after 5000 ms");
	}

	@Test
	void cancellingMidToolShouldCancelTheToolsMono() {
		enqueue("chat-tool-call-strict");
		CountDownLatch subscribed = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		AgentDefinition definition = AgentDefinition.builder("cancelled")
			.model("gpt-4o")
			.tool(ToolCallback.ofMono("get_weather", "weather", OBJECT,
					(arguments, context) -> Mono.<String>never()
						.doOnSubscribe((subscription) -> subscribed.countDown())
						.doOnCancel(cancelled::countDown)))
			.build();
		List<AgentEvent> events = Collections.synchronizedList(new ArrayList<>());
		Disposable run = new DefaultAgentRunner(this.client).stream(definition, Map.of(), "Go", null)
			.subscribe(events::add);
		await(subscribed);
		assertThat(cancelled.getCount()).isOne();
		run.dispose();
		await(cancelled);
		assertThat(events).last().isInstanceOf(AgentEvent.ToolExecutionStarted.class);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void missingTemplateVariableShouldBeRejectedNamingItAndTheGivenOnes() {
		AgentDefinition definition = AgentDefinition.builder("templated")
			.systemPrompt("You help {user} with {topic}.")
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DefaultAgentRunner(this.client).stream(definition, Map.of("user", "Ada"), null))
			.withMessageContaining("'topic'")
			.withMessageContaining("[user]");
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
