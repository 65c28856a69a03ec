package io.steer.llm.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.agent.AgentDefinition;
import io.steer.llm.agent.AgentErrorType;
import io.steer.llm.agent.AgentEvent;
import io.steer.llm.agent.AgentException;
import io.steer.llm.agent.DefaultAgentRunner;
import io.steer.llm.agent.ToolCallback;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AgentServerSentEvents}: a real agent run (the recorded parallel tool calls, then
 * the recorded answer, over the loopback server) as SSE events, the payload of every
 * event type, the ids, and what happens on an error signal, after the terminal event and
 * on cancel.
 */
class AgentServerSentEventsTests {

	private static final String KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdef";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNode OBJECT = MAPPER.readTree("{\"type\":\"object\"}");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static List<ServerSentEvent<String>> run(AgentServerSentEvents writer) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-parallel-tool-calls")));
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		SteerLLMClient client = SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), KEY)).build();
		ToolCallback weather = ToolCallback.of("GetWeatherArgs", "weather", OBJECT, (arguments) -> "12 C, rain");
		ToolCallback stock = ToolCallback.of("get_stock_price", "stock", OBJECT, (arguments) -> {
			throw new IllegalStateException("market closed for " + KEY);
		});
		AgentDefinition agent = AgentDefinition.builder("helper").model("gpt-4o").tool(weather).tool(stock).build();
		return writer.apply(new DefaultAgentRunner(client).stream(agent, Map.of(), "Weather and AAPL?", null))
			.collectList()
			.block(Duration.ofSeconds(20));
	}

	private static List<JsonNode> payloads(List<ServerSentEvent<String>> events, String name) {
		List<JsonNode> payloads = new ArrayList<>();
		for (ServerSentEvent<String> event : events) {
			if (name.equals(event.event())) {
				payloads.add(MAPPER.readTree(event.data()));
			}
		}
		return payloads;
	}

	@Test
	void aRunShouldBeWrittenEventByEventWithItsPayloads() {
		List<ServerSentEvent<String>> events = run(
				AgentServerSentEvents.builder().retry(Duration.ofSeconds(3)).build());
		List<String> names = events.stream().map(ServerSentEvent::event).toList();
		assertThat(names.get(0)).isEqualTo("step_start");
		assertThat(names).endsWith("step_complete", "complete", "done");
		assertThat(names).containsSubsequence("step_start", "tool_call_start", "tool_call_delta", "tool_call",
				"tool_execution_start", "step_start", "delta", "step_complete", "complete", "done");
		// ids: one run id, a gap-free sequence; retry only on the first event
		String runId = events.get(0).id().substring(0, events.get(0).id().indexOf(':'));
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).id()).isEqualTo(runId + ":" + i);
			assertThat(events.get(i).retry()).isEqualTo((i == 0) ? Duration.ofSeconds(3) : null);
		}
		JsonNode start = payloads(events, "step_start").get(0);
		assertThat(start.get("agent").asString()).isEqualTo("helper");
		assertThat(start.get("step").asInt()).isEqualTo(1);
		assertThat(start.get("model").asString()).isEqualTo("gpt-4o");
		assertThat(start.get("messages").asInt()).isEqualTo(1);
		assertThat(payloads(events, "step_start").get(1).get("messages").asInt()).isEqualTo(4);
		assertThat(payloads(events, "tool_call_start")).extracting((call) -> call.get("name").asString())
			.containsExactly("GetWeatherArgs", "get_stock_price");
		JsonNode weatherCall = payloads(events, "tool_call").get(0);
		assertThat(weatherCall.get("id").asString()).isEqualTo("call_JMW1whyEaYG438VE1OIflxA2");
		assertThat(weatherCall.get("arguments").get("city").asString()).isEqualTo("Edinburgh");
		assertThat(MAPPER.readTree(weatherCall.get("rawArguments").asString())).isEqualTo(weatherCall.get("arguments"));
		StringBuilder fragments = new StringBuilder();
		for (JsonNode delta : payloads(events, "tool_call_delta")) {
			if (delta.get("id").asString().equals("call_JMW1whyEaYG438VE1OIflxA2")) {
				fragments.append(delta.get("fragment").asString());
			}
		}
		assertThat(fragments).hasToString(weatherCall.get("rawArguments").asString());
		assertThat(payloads(events, "tool_execution_start")).extracting((call) -> call.get("arguments"))
			.contains(weatherCall.get("arguments"));
		JsonNode result = payloads(events, "tool_result").get(0);
		assertThat(result.get("name").asString()).isEqualTo("GetWeatherArgs");
		assertThat(result.get("result").asString()).isEqualTo("12 C, rain");
		assertThat(result.get("durationMs").isIntegralNumber()).isTrue();
		JsonNode error = payloads(events, "tool_error").get(0);
		assertThat(error.get("name").asString()).isEqualTo("get_stock_price");
		assertThat(error.get("message").asString()).contains("market closed for").doesNotContain(KEY);
		List<JsonNode> steps = payloads(events, "step_complete");
		assertThat(steps).extracting((step) -> step.get("finishReason").asString())
			.containsExactly("tool_call", "stop");
		JsonNode answerStep = steps.get(1);
		assertThat(answerStep.get("usage").get("estimated").asBoolean()).isFalse();
		assertThat(answerStep.get("usage").get("totalTokens").asInt()).isPositive();
		assertThat(answerStep.get("durationMs").isNumber()).isTrue();
		StringBuilder text = new StringBuilder();
		payloads(events, "delta").forEach((delta) -> {
			assertThat(delta.get("step").asInt()).isEqualTo(2);
			assertThat(delta.get("kind").asString()).isEqualTo("text");
			text.append(delta.get("text").asString());
		});
		assertThat(answerStep.get("text").asString()).hasToString(text.toString());
		JsonNode complete = payloads(events, "complete").get(0);
		assertThat(complete.get("text").asString()).isEqualTo(text.toString());
		assertThat(complete.get("steps").asInt()).isEqualTo(2);
		assertThat(complete.get("usage").get("totalTokens").asInt())
			.isEqualTo(steps.get(0).get("usage").get("totalTokens").asInt()
					+ steps.get(1).get("usage").get("totalTokens").asInt());
		assertThat(events.get(events.size() - 1).data()).isEqualTo("{}");
	}

	@Test
	void aFailedRunShouldBeAnErrorEventWithTheTypeAndTheKeyMasked() {
		AgentException failure = new AgentException("Agent 'helper' failed in step 2: 401 for key " + KEY,
				AgentErrorType.PROVIDER, List.of(), null, null);
		AgentEvent failed = new AgentEvent.AgentFailed("helper", 2, failure, Instant.EPOCH, Map.of());
		AgentEvent late = new AgentEvent.ToolError("helper", 2, "call_1", "late", "after the end", Instant.EPOCH,
				Map.of());
		StepVerifier.create(AgentServerSentEvents.builder().build().apply(Flux.just(failed, late)))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				JsonNode data = MAPPER.readTree(event.data());
				assertThat(data.get("type").asString()).isEqualTo("PROVIDER");
				assertThat(data.get("step").asInt()).isEqualTo(2);
				assertThat(data.get("message").asString()).startsWith("Agent 'helper' failed in step 2: 401 for key")
					.doesNotContain(KEY);
				assertThat(data.get("partialText").asString()).isEmpty();
			})
			.assertNext((event) -> assertThat(event.event()).isEqualTo("done"))
			.verifyComplete();
	}

	@Test
	void anErrorSignalShouldBecomeAProcessorErrorThenDone() {
		AgentEvent error = new AgentEvent.ToolError("helper", 1, "call_1", "factorial", "boom", Instant.EPOCH,
				Map.of());
		Flux<AgentEvent> events = Flux.concat(Mono.just(error),
				Mono.error(new IllegalStateException("broken for " + KEY)));
		StepVerifier.create(AgentServerSentEvents.builder().build().apply(events))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("tool_error"))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				JsonNode data = MAPPER.readTree(event.data());
				assertThat(data.get("type").asString()).isEqualTo("PROCESSOR");
				assertThat(data.get("agent").asString()).isEqualTo("helper");
				assertThat(data.get("message").asString()).startsWith("IllegalStateException: broken for")
					.doesNotContain(KEY);
				assertThat(event.id()).endsWith(":1");
			})
			.assertNext((event) -> assertThat(event.event()).isEqualTo("done"))
			.verifyComplete();
	}

	@Test
	void cancellingShouldCancelTheRun() {
		TestPublisher<AgentEvent> run = TestPublisher.create();
		StepVerifier.create(AgentServerSentEvents.builder().build().apply(run.flux()))
			.then(() -> run.next(new AgentEvent.ToolError("helper", 1, "c", "t", "m", Instant.EPOCH, Map.of())))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("tool_error"))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		run.assertCancelled();
	}

	@Test
	void aNegativeRetryShouldBeRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AgentServerSentEvents.builder().retry(Duration.ofMillis(-1)))
			.withMessageContaining("retry must not be negative");
	}

}
