package io.steer.llm.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded tool round trips of each wire format, served by the loopback server: the
 * second request carries the tool result in the provider's documented shape, and the
 * events come out in order.
 */
class AgentRoundTripTests {

	static final String API_KEY = "sk-test-agent-0123456789";

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static JsonNode schema(String json) {
		return MAPPER.readTree(json);
	}

	static final JsonNode WEATHER_SCHEMA = schema(
			"{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}");

	static List<String> types(List<AgentEvent> events) {
		List<String> types = new ArrayList<>();
		for (AgentEvent event : events) {
			String type = event.type();
			if (types.isEmpty() || !types.get(types.size() - 1).equals(type)) {
				types.add(type);
			}
		}
		return types;
	}

	static List<AgentEvent> run(AgentRunner runner, AgentDefinition definition, String prompt) {
		return runner.stream(definition, Map.of(), prompt, null).collectList().block(Duration.ofSeconds(20));
	}

	private static AgentDefinition weatherAgent(String model, String sunny) {
		return AgentDefinition.builder("weather")
			.model(model)
			.systemPrompt("You answer about the weather.")
			.tool(ToolCallback.of("get_weather", "Current weather", WEATHER_SCHEMA, (arguments) -> sunny))
			.build();
	}

	private static final List<String> ROUND_TRIP = List.of("step_start", "tool_call_start", "tool_call_delta",
			"tool_call", "step_complete", "tool_execution_start", "tool_result", "step_start", "delta", "step_complete",
			"complete");

	@Test
	void chatCompletionsRoundTripShouldSendAssistantToolCallsAndToolMessage() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-tool-call-strict")));
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		AgentRunner runner = new DefaultAgentRunner(
				SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), API_KEY)).build());
		List<AgentEvent> events = run(runner, weatherAgent("gpt-4o", "Sunny, 68 F"), "Weather in San Francisco?");
		assertThat(types(events)).isEqualTo(ROUND_TRIP);
		server.server().takeRequest();
		JsonNode body = MAPPER.readTree(server.server().takeRequest().bodyAsString());
		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(4);
		assertThat(messages.get(0).get("role").asString()).isEqualTo("system");
		assertThat(messages.get(1).get("role").asString()).isEqualTo("user");
		JsonNode assistant = messages.get(2);
		assertThat(assistant.get("role").asString()).isEqualTo("assistant");
		JsonNode call = assistant.get("tool_calls").get(0);
		assertThat(call.get("id").asString()).isEqualTo("call_CTf1nWJLqSeRgDqaCG27xZ74");
		assertThat(call.get("type").asString()).isEqualTo("function");
		assertThat(call.get("function").get("name").asString()).isEqualTo("get_weather");
		assertThat(MAPPER.readTree(call.get("function").get("arguments").asString()))
			.isEqualTo(MAPPER.readTree("{\"city\":\"San Francisco\",\"state\":\"CA\"}"));
		JsonNode tool = messages.get(3);
		assertThat(tool.get("role").asString()).isEqualTo("tool");
		assertThat(tool.get("tool_call_id").asString()).isEqualTo("call_CTf1nWJLqSeRgDqaCG27xZ74");
		assertThat(tool.get("content").asString()).isEqualTo("Sunny, 68 F");
		assertThat(body.get("tools").get(0).get("function").get("name").asString()).isEqualTo("get_weather");
		AgentEvent.AgentCompleted completed = (AgentEvent.AgentCompleted) events.get(events.size() - 1);
		assertThat(completed.step()).isEqualTo(2);
		assertThat(completed.text()).startsWith("I'm unable to provide real-time weather updates.");
		assertThat(completed.totalUsage().promptTokens()).isEqualTo(48 + 14);
		assertThat(completed.totalUsage().completionTokens()).isEqualTo(19 + 30);
		assertThat(completed.steps()).hasSize(2);
	}

	@Test
	void responsesRoundTripShouldSendFunctionCallAndFunctionCallOutput() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-function-call")));
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text-after-function-output")));
		AgentRunner runner = new DefaultAgentRunner(SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
			.build());
		List<AgentEvent> events = run(runner, weatherAgent("gpt-5", "Sunny"), "Weather in New York City?");
		assertThat(types(events)).isEqualTo(ROUND_TRIP);
		server.server().takeRequest();
		RecordedRequest second = server.server().takeRequest();
		assertThat(second.path()).isEqualTo("/responses");
		JsonNode input = MAPPER.readTree(second.bodyAsString()).get("input");
		JsonNode functionCall = null;
		JsonNode output = null;
		for (JsonNode item : input) {
			String type = item.path("type").asString("");
			if (type.equals("function_call")) {
				functionCall = item;
			}
			if (type.equals("function_call_output")) {
				output = item;
			}
		}
		assertThat(functionCall).isNotNull();
		assertThat(functionCall.get("call_id").asString()).isEqualTo("call_5dp5Uj0Loqn1YcyIpqSq6sLX");
		assertThat(functionCall.get("name").asString()).isEqualTo("get_weather");
		assertThat(MAPPER.readTree(functionCall.get("arguments").asString()))
			.isEqualTo(MAPPER.readTree("{\"location\":\"New York City, USA\"}"));
		assertThat(output).isNotNull();
		assertThat(output.get("call_id").asString()).isEqualTo("call_5dp5Uj0Loqn1YcyIpqSq6sLX");
		assertThat(output.get("output").asString()).isEqualTo("Sunny");
		AgentEvent.AgentCompleted completed = (AgentEvent.AgentCompleted) events.get(events.size() - 1);
		assertThat(completed.text()).isEqualTo("Current weather in New York City, USA: Sunny.");
	}

	@Test
	void anthropicRoundTripShouldSendToolUseAndToolResultBlocks() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "tool-use-input-json-delta")));
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text-after-tool-result")));
		AgentRunner runner = new DefaultAgentRunner(SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY), "2023-06-01", 1024)
			.build());
		List<AgentEvent> events = run(runner, weatherAgent("claude-haiku-4-5", "68 F, sunny"),
				"Weather in San Francisco?");
		assertThat(types(events)).isEqualTo(ROUND_TRIP);
		server.server().takeRequest();
		JsonNode body = MAPPER.readTree(server.server().takeRequest().bodyAsString());
		assertThat(body.get("system").toString()).contains("You answer about the weather.");
		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(3);
		JsonNode assistant = messages.get(1);
		assertThat(assistant.get("role").asString()).isEqualTo("assistant");
		JsonNode toolUse = null;
		for (JsonNode block : assistant.get("content")) {
			if (block.get("type").asString().equals("tool_use")) {
				toolUse = block;
			}
		}
		assertThat(toolUse).isNotNull();
		assertThat(toolUse.get("id").asString()).isEqualTo("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(toolUse.get("name").asString()).isEqualTo("get_weather");
		assertThat(toolUse.get("input"))
			.isEqualTo(MAPPER.readTree("{\"location\":\"San Francisco, CA\",\"units\":\"f\"}"));
		JsonNode user = messages.get(2);
		assertThat(user.get("role").asString()).isEqualTo("user");
		JsonNode result = user.get("content").get(0);
		assertThat(result.get("type").asString()).isEqualTo("tool_result");
		assertThat(result.get("tool_use_id").asString()).isEqualTo("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(result.get("content").toString()).contains("68 F, sunny");
		assertThat(result.has("is_error")).isFalse();
		AgentEvent.ToolCallCompleted call = events.stream()
			.filter(AgentEvent.ToolCallCompleted.class::isInstance)
			.map(AgentEvent.ToolCallCompleted.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(call.metadata()).containsEntry("tool", "get_weather");
		assertThat(call.arguments().get("units").asString()).isEqualTo("f");
	}

	@Test
	void anthropicRoundTripShouldMarkAFailedToolsResultAsAnError() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "tool-use-input-json-delta")));
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text-after-tool-result")));
		AgentRunner runner = new DefaultAgentRunner(SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY), "2023-06-01", 1024)
			.build());
		AgentDefinition agent = AgentDefinition.builder("weather")
			.model("claude-haiku-4-5")
			.tool(ToolCallback.of("get_weather", "Current weather", WEATHER_SCHEMA, (arguments) -> {
				throw new IllegalStateException("station offline");
			}))
			.build();
		List<AgentEvent> events = run(runner, agent, "Weather in San Francisco?");
		assertThat(types(events)).contains("tool_error").doesNotContain("tool_result");
		server.server().takeRequest();
		JsonNode result = MAPPER.readTree(server.server().takeRequest().bodyAsString())
			.get("messages")
			.get(2)
			.get("content")
			.get(0);
		assertThat(result.get("type").asString()).isEqualTo("tool_result");
		assertThat(result.get("tool_use_id").asString()).isEqualTo("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(result.get("content").asString()).startsWith("Error: ").contains("station offline");
		assertThat(result.get("is_error").asBoolean()).isTrue();
	}

}
