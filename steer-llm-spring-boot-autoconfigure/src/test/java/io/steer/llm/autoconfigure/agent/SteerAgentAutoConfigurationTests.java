package io.steer.llm.autoconfigure.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.steer.llm.agent.AgentDefinition;
import io.steer.llm.agent.AgentEvent;
import io.steer.llm.agent.AgentRunner;
import io.steer.llm.agent.DefaultAgentRunner;
import io.steer.llm.agent.ToolCallback;
import io.steer.llm.agent.ToolContext;
import io.steer.llm.autoconfigure.SteerLLMAutoConfiguration;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link SteerAgentAutoConfiguration}.
 */
class SteerAgentAutoConfigurationTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension loopback = new LoopbackProviderServerExtension();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class, SteerAgentAutoConfiguration.class))
		.withPropertyValues("steer.providers.openai.api-key=sk-test-agent-0123456789abcdef");

	@Test
	void runWhenClientShouldProvideAgentRunnerAndToolRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AgentRunner.class).hasSingleBean(SteerToolRegistry.class);
			assertThat(context).getBean(SteerAgentAutoConfiguration.AGENT_RUNNER_BEAN_NAME)
				.isInstanceOf(DefaultAgentRunner.class);
			assertThat(context.getBean(SteerToolRegistry.class).tools()).isEmpty();
		});
	}

	@Test
	void runWhenUserRunnerShouldBackOff() {
		this.contextRunner.withUserConfiguration(MyRunner.class).run((context) -> {
			assertThat(context).hasSingleBean(AgentRunner.class)
				.hasBean("myRunner")
				.doesNotHaveBean(SteerAgentAutoConfiguration.AGENT_RUNNER_BEAN_NAME);
		});
	}

	@Test
	void runWhenSteerToolMethodShouldRegisterToolWithGeneratedSchema() {
		this.contextRunner.withUserConfiguration(MathTools.class).run((context) -> {
			SteerToolRegistry registry = context.getBean(SteerToolRegistry.class);
			assertThat(registry.names()).containsExactly("factorial", "greet", "slow_square");
			ToolCallback factorial = registry.tool("factorial");
			assertThat(factorial).isNotNull();
			assertThat(factorial.description()).isEqualTo("Calculates n! of a whole number n");
			assertThat(factorial.blocking()).isTrue();
			assertThat(factorial.inputSchema()).isEqualTo(MAPPER
				.readTree("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"],"
						+ "\"additionalProperties\":false}"));
			ToolContext toolContext = new ToolContext("call_1", 1, "math", Map.of());
			assertThat(factorial.call(MAPPER.readTree("{\"n\":10}"), toolContext).block(Duration.ofSeconds(5)))
				.isEqualTo("3628800");
		});
	}

	@Test
	void runWhenSteerToolMethodHasOptionalAndContextParametersShouldLeaveThemOutOfRequired() {
		this.contextRunner.withUserConfiguration(MathTools.class).run((context) -> {
			ToolCallback greet = context.getBean(SteerToolRegistry.class).tool("greet");
			assertThat(greet).isNotNull();
			assertThat(greet.inputSchema()).isEqualTo(MAPPER.readTree("{\"type\":\"object\",\"properties\":"
					+ "{\"name\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"}},\"required\":[\"name\"],"
					+ "\"additionalProperties\":false}"));
			ToolContext toolContext = new ToolContext("call_1", 2, "greeter", Map.of());
			String result = greet.call(MAPPER.readTree("{\"name\":\"Ada\"}"), toolContext).block(Duration.ofSeconds(5));
			assertThat(MAPPER.readTree(result))
				.isEqualTo(MAPPER.readTree("{\"greeting\":\"Hello Ada\",\"agent\":\"greeter\",\"step\":2}"));
		});
	}

	@Test
	void runWhenSteerToolMethodReturnsMonoShouldBeReactiveTool() {
		this.contextRunner.withUserConfiguration(MathTools.class).run((context) -> {
			ToolCallback square = context.getBean(SteerToolRegistry.class).tool("slow_square");
			assertThat(square).isNotNull();
			assertThat(square.blocking()).isFalse();
			ToolContext toolContext = new ToolContext("call_1", 1, "math", Map.of());
			assertThat(square.call(MAPPER.readTree("{\"x\":1.5}"), toolContext).block(Duration.ofSeconds(5)))
				.isEqualTo("2.25");
		});
	}

	@Test
	void runWhenToolCallbackBeanShouldBeATool() {
		this.contextRunner.withUserConfiguration(MathTools.class, ClockTool.class).run((context) -> {
			SteerToolRegistry registry = context.getBean(SteerToolRegistry.class);
			assertThat(registry.names()).containsExactly("current_time", "factorial", "greet", "slow_square");
			assertThat(registry.tool("current_time")).isSameAs(context.getBean("clockTool"));
		});
	}

	@Test
	void runWhenTwoToolsHaveOneNameShouldFailNamingBoth() {
		this.contextRunner.withUserConfiguration(MathTools.class, DuplicateTool.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("'factorial'")
				.hasMessageContaining("bean 'duplicateFactorial'")
				.hasMessageContaining("method factorial of bean");
		});
	}

	@Test
	void runWhenSchemaGeneratorIsMissingShouldStillProvideRunnerAndToolCallbackBeans() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.github.victools"))
			.withUserConfiguration(ClockTool.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(AgentRunner.class);
				assertThat(context.getBean(SteerToolRegistry.class).names()).containsExactly("current_time");
			});
	}

	@Test
	void runWhenSchemaGeneratorIsMissingAndSteerToolMethodShouldFailSayingSo() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.github.victools"))
			.withUserConfiguration(MathTools.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("'mathToolsBean'")
					.hasMessageContaining("com.github.victools:jsonschema-generator");
			});
	}

	@Test
	void runWhenAgentPropertiesShouldRegisterAgentDefinitionBean() {
		this.contextRunner.withUserConfiguration(MathTools.class)
			.withPropertyValues("steer.agents.math-tutor.model=gpt-4.1-mini", "steer.agents.math-tutor.api=responses",
					"steer.agents.math-tutor.system-prompt=You teach {topic}.",
					"steer.agents.math-tutor.user-prompt=Calculate factorial of {n}",
					"steer.agents.math-tutor.tools[0]=factorial", "steer.agents.math-tutor.tools[1]=slow_square",
					"steer.agents.math-tutor.max-steps=3", "steer.agents.math-tutor.max-parallel-tools=2",
					"steer.agents.math-tutor.tool-timeout=5s", "steer.agents.math-tutor.preset=lowLatencyOptions")
			.run((context) -> {
				assertThat(context).hasSingleBean(AgentDefinition.class);
				AgentDefinition agent = context.getBean("mathTutorAgent", AgentDefinition.class);
				assertThat(agent.name()).isEqualTo("math-tutor");
				assertThat(agent.model()).isEqualTo("gpt-4.1-mini");
				assertThat(agent.api()).isEqualTo(ProviderApi.RESPONSES);
				assertThat(agent.renderSystemPrompt(Map.of("topic", "maths", "n", 10))).isEqualTo("You teach maths.");
				assertThat(agent.renderUserPrompt(Map.of("topic", "maths", "n", 10)))
					.isEqualTo("Calculate factorial of 10");
				assertThat(agent.tools()).extracting(ToolCallback::name).containsExactly("factorial", "slow_square");
				assertThat(agent.maxSteps()).isEqualTo(3);
				assertThat(agent.maxParallelTools()).isEqualTo(2);
				assertThat(agent.toolTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(agent.options()).isSameAs(context.getBean("lowLatencyOptions", StreamingOptions.class));
			});
	}

	@Test
	void runWhenAgentPropertiesOmitLimitsShouldUseDefinitionDefaults() {
		this.contextRunner.withPropertyValues("steer.agents.helper.system-prompt=Help.").run((context) -> {
			AgentDefinition agent = context.getBean("helperAgent", AgentDefinition.class);
			assertThat(agent.maxSteps()).isEqualTo(AgentDefinition.DEFAULT_MAX_STEPS);
			assertThat(agent.maxParallelTools()).isEqualTo(AgentDefinition.DEFAULT_MAX_PARALLEL_TOOLS);
			assertThat(agent.toolTimeout()).isEqualTo(AgentDefinition.DEFAULT_TOOL_TIMEOUT);
			assertThat(agent.tools()).isEmpty();
			assertThat(agent.options()).isNull();
			assertThat(agent.api()).isNull();
		});
	}

	@Test
	void runWhenAgentNamesUnknownToolShouldFailNamingKeyAndTools() {
		this.contextRunner.withUserConfiguration(MathTools.class)
			.withPropertyValues("steer.agents.math-tutor.system-prompt=Help.",
					"steer.agents.math-tutor.tools[0]=factorial", "steer.agents.math-tutor.tools[1]=sqrt")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("steer.agents.math-tutor.tools[1]")
					.hasMessageContaining("There is no tool 'sqrt'; the tools are [factorial, greet, slow_square].");
			});
	}

	@Test
	void runWhenAgentNamesUnknownPresetShouldFailNamingKey() {
		this.contextRunner
			.withPropertyValues("steer.agents.helper.system-prompt=Help.", "steer.agents.helper.preset=nopeOptions")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("steer.agents.helper.preset")
					.hasMessageContaining("nopeOptions");
			});
	}

	@Test
	void runWhenAgentCallsSteerToolOverLoopbackShouldSendItsResultInTheSecondRequest() {
		loopback.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-tool-call-strict")));
		loopback.server().setDefaultResponse(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		this.contextRunner.withUserConfiguration(WeatherTools.class)
			.withPropertyValues("steer.providers.openai.base-url=" + loopback.baseUrl(),
					"steer.agents.weather.model=gpt-4o", "steer.agents.weather.system-prompt=You report the weather.",
					"steer.agents.weather.user-prompt=Weather in {city}?", "steer.agents.weather.tools=get_weather")
			.run((context) -> {
				AgentRunner runner = context.getBean(AgentRunner.class);
				AgentDefinition agent = context.getBean("weatherAgent", AgentDefinition.class);
				List<AgentEvent> events = runner.stream(agent, Map.of("city", "San Francisco"), null)
					.collectList()
					.block(Duration.ofSeconds(30));
				assertThat(events).isNotNull();
				assertThat(context.getBean(WeatherTools.class).calls).containsExactly("San Francisco, CA");
				assertThat(events).filteredOn(AgentEvent.ToolResult.class::isInstance)
					.singleElement()
					.satisfies((event) -> assertThat(((AgentEvent.ToolResult) event).result())
						.isEqualTo("{\"city\":\"San Francisco\",\"state\":\"CA\",\"celsius\":18}"));
				assertThat(events.get(events.size() - 1)).isInstanceOf(AgentEvent.AgentCompleted.class);
				List<RecordedRequest> requests = loopback.server().requests();
				assertThat(requests).hasSize(2);
				JsonNode first = MAPPER.readTree(requests.get(0).bodyAsString());
				JsonNode function = first.path("tools").get(0).path("function");
				assertThat(function.path("name").asString()).isEqualTo("get_weather");
				assertThat(function.path("parameters")).isEqualTo(MAPPER.readTree("{\"type\":\"object\","
						+ "\"properties\":{\"city\":{\"type\":\"string\"},\"state\":{\"type\":\"string\"}},"
						+ "\"required\":[\"city\",\"state\"],\"additionalProperties\":false}"));
				JsonNode messages = MAPPER.readTree(requests.get(1).bodyAsString()).path("messages");
				JsonNode toolMessage = messages.get(messages.size() - 1);
				assertThat(toolMessage.path("role").asString()).isEqualTo("tool");
				assertThat(toolMessage.path("tool_call_id").asString()).isEqualTo("call_CTf1nWJLqSeRgDqaCG27xZ74");
				assertThat(toolMessage.path("content").asString())
					.isEqualTo("{\"city\":\"San Francisco\",\"state\":\"CA\",\"celsius\":18}");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class MathTools {

		@Bean
		MathToolsBean mathToolsBean() {
			return new MathToolsBean();
		}

	}

	/**
	 * Tools of the tests, as a user writes them.
	 */
	public static class MathToolsBean {

		/**
		 * The factorial.
		 * @param n a whole number from 0 to 20
		 * @return n!
		 */
		@SteerTool(description = "Calculates n! of a whole number n")
		public long factorial(int n) {
			long result = 1;
			for (int i = 2; i <= n; i++) {
				result *= i;
			}
			return result;
		}

		/**
		 * A greeting, as JSON.
		 * @param name who is greeted
		 * @param title an optional title
		 * @param context the call's context
		 * @return the greeting
		 */
		@SteerTool
		public Map<String, Object> greet(String name, @Nullable String title, ToolContext context) {
			String who = (title != null) ? title + " " + name : name;
			return new java.util.LinkedHashMap<>(
					Map.of("greeting", "Hello " + who, "agent", context.agentName(), "step", context.step()));
		}

		/**
		 * A reactive square.
		 * @param x the number
		 * @return x squared
		 */
		@SteerTool(name = "slow_square", description = "Squares x")
		public Mono<Double> square(double x) {
			return Mono.fromSupplier(() -> x * x);
		}

		/**
		 * Not a tool.
		 * @return nothing useful
		 */
		public String notATool() {
			return "";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MyRunner {

		@Bean
		AgentRunner myRunner(io.steer.llm.SteerLLMClient client) {
			return DefaultAgentRunner.builder(client).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClockTool {

		@Bean
		ToolCallback clockTool() {
			return ToolCallback.of("current_time", "The current time", MAPPER.readTree("{\"type\":\"object\"}"),
					(arguments) -> "12:00");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateTool {

		@Bean
		ToolCallback duplicateFactorial() {
			return ToolCallback.of("factorial", "", MAPPER.readTree("{\"type\":\"object\"}"), (arguments) -> "1");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WeatherTools {

		final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

		/**
		 * The weather.
		 * @param city the city
		 * @param state the state
		 * @return the weather
		 */
		@SteerTool(name = "get_weather", description = "Current weather of a city")
		public Weather weather(String city, String state) {
			this.calls.add(city + ", " + state);
			return new Weather(city, state, 18);
		}

	}

	/**
	 * A tool result.
	 *
	 * @param city the city
	 * @param state the state
	 * @param celsius the temperature in °C
	 */
	public record Weather(String city, String state, int celsius) {

	}

}
