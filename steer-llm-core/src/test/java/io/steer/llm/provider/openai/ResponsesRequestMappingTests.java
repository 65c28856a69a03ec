package io.steer.llm.provider.openai;

import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderRequest;
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
 * What the Responses API adapter sends, as the loopback server receives it from the real
 * client: {@code POST /responses}, headers, and the body mapped from a
 * {@link ChatRequest}.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/responses/create">OpenAI,
 * Create a model response</a>
 */
class ResponsesRequestMappingTests {

	private static final String API_KEY = "sk-test-0123456789abcdef";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final Map<String, Object> WEATHER_PARAMETERS = Map.of("type", "object", "properties",
			Map.of("location", Map.of("type", "string")), "required", List.of("location"), "additionalProperties",
			false);

	private RecordedRequest send(SteerLLMClient client, ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")));
		client.streamWithUsage(request).block();
		return server.server().takeRequest();
	}

	private RecordedRequest send(ChatRequest request) {
		return send(SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
			.build(), request);
	}

	private static JsonNode json(String text) {
		return MAPPER.readTree(text);
	}

	@Test
	void requestShouldPostToResponsesWithBearerKeyAndStreamingHeaders() {
		ProviderSettings settings = new ProviderSettings(server.baseUrl() + "/v1/", API_KEY, null,
				Map.of("OpenAI-Organization", "org-123", "OpenAI-Project", "proj-456"));
		RecordedRequest request = send(SteerLLMClient.builder().openAi(settings, ProviderApi.RESPONSES).build(),
				ChatRequest.of("Hello", "gpt-5.2"));
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v1/responses");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
		assertThat(request.header("Content-Type")).startsWith("application/json");
		assertThat(request.header("Accept")).isEqualTo("text/event-stream");
		assertThat(request.header("OpenAI-Organization")).isEqualTo("org-123");
		assertThat(request.header("OpenAI-Project")).isEqualTo("proj-456");
		assertThat(json(request.bodyAsString())).isEqualTo(json("""
				{"model": "gpt-5.2", "input": [{"role": "user", "content": "Hello"}], "stream": true}"""));
	}

	@Test
	void requestWithoutApiKeyShouldSendNoAuthorization() {
		RecordedRequest request = send(SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), null), ProviderApi.RESPONSES)
			.build(), ChatRequest.of("Hello", "gpt-5.2"));
		assertThat(request.path()).isEqualTo("/responses");
		assertThat(request.header("Authorization")).isNull();
	}

	@Test
	void requestShouldMapConversationToolsFormatAndOptions() {
		ChatRequest chat = ChatRequest.builder()
			.model("gpt-5-mini")
			.message(Message.system("You are a weather assistant."))
			.message(Message.system("Answer briefly."))
			.message(Message.user("Weather in Paris and Rome?"))
			.message(Message.assistant(null,
					List.of(ToolCall.of("call_1", "get_weather", "{\"location\":\"Paris\"}"),
							new ToolCall(1, "call_2", "get_weather", "{\"location\":\"Rome\"}"))))
			.message(Message.tool("call_1", "Sunny, 24 C"))
			.message(Message.toolError("call_2", "Error: timed out after 30000 ms"))
			.message(Message.assistant("Paris is sunny, Rome is cloudy."))
			.message(Message.system("From now on, answer in French."))
			.message(Message.user("Et demain ?").withName("alice"))
			.temperature(0.2)
			.maxTokens(300)
			.n(3)
			.stop(List.of("END"))
			.responseFormat(ResponseFormat.jsonSchema("weather", WEATHER_PARAMETERS, true))
			.tool(new ToolDefinition("get_weather", "Current weather of a city", WEATHER_PARAMETERS, true))
			.tool(ToolDefinition.function("get_time", null, Map.of("type", "object")))
			.metadata("tenant", "acme")
			.build();
		RecordedRequest request = send(chat);
		assertThat(request.path()).isEqualTo("/responses");
		JsonNode expected = json(
				"""
						{
						  "model": "gpt-5-mini",
						  "instructions": "You are a weather assistant.\\n\\nAnswer briefly.",
						  "input": [
						    {"role": "user", "content": "Weather in Paris and Rome?"},
						    {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\\"location\\":\\"Paris\\"}"},
						    {"type": "function_call", "call_id": "call_2", "name": "get_weather", "arguments": "{\\"location\\":\\"Rome\\"}"},
						    {"type": "function_call_output", "call_id": "call_1", "output": "Sunny, 24 C"},
						    {"type": "function_call_output", "call_id": "call_2", "output": "Error: timed out after 30000 ms"},
						    {"role": "assistant", "content": "Paris is sunny, Rome is cloudy."},
						    {"role": "system", "content": "From now on, answer in French."},
						    {"role": "user", "content": "Et demain ?"}
						  ],
						  "stream": true,
						  "temperature": 0.2,
						  "max_output_tokens": 300,
						  "text": {"format": {"type": "json_schema", "name": "weather", "strict": true, "schema": {
						    "type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"],
						    "additionalProperties": false}}},
						  "tools": [
						    {"type": "function", "name": "get_weather", "description": "Current weather of a city", "strict": true,
						     "parameters": {"type": "object", "properties": {"location": {"type": "string"}},
						       "required": ["location"], "additionalProperties": false}},
						    {"type": "function", "name": "get_time", "strict": false, "parameters": {"type": "object"}}
						  ]
						}""");
		// n and stop have no Responses API counterpart; metadata is never sent
		assertThat(json(request.bodyAsString())).isEqualTo(expected);
	}

	@Test
	void requestShouldSendAssistantTextBeforeItsToolCalls() {
		ChatRequest chat = ChatRequest.builder()
			.model("gpt-5.2")
			.message(Message.user("Weather?"))
			.message(Message.assistant("Let me check.", List.of(ToolCall.of("call_9", "get_weather", "{}"))))
			.message(Message.tool("call_9", "Rain"))
			.build();
		JsonNode input = json(send(chat).bodyAsString()).get("input");
		assertThat(input).isEqualTo(json("""
				[{"role": "user", "content": "Weather?"},
				 {"role": "assistant", "content": "Let me check."},
				 {"type": "function_call", "call_id": "call_9", "name": "get_weather", "arguments": "{}"},
				 {"type": "function_call_output", "call_id": "call_9", "output": "Rain"}]"""));
	}

	@Test
	void requestWithOnlySystemMessageShouldSendItAsInstructionsAndEmptyInput() {
		JsonNode body = json(
				send(ChatRequest.builder().model("gpt-5.2").message(Message.system("Say hi.")).build()).bodyAsString());
		assertThat(body.get("instructions").asString()).isEqualTo("Say hi.");
		assertThat(body.get("input")).isEqualTo(json("[]"));
	}

	@Test
	void requestWithJsonObjectFormatShouldSendTextFormat() {
		JsonNode body = json(send(ChatRequest.builder()
			.prompt("List three colours as JSON")
			.model("gpt-5.2")
			.responseFormat(ResponseFormat.jsonObject())
			.build()).bodyAsString());
		assertThat(body.get("text")).isEqualTo(json("{\"format\": {\"type\": \"json_object\"}}"));
		assertThat(body.has("response_format")).isFalse();
	}

	@Test
	void requestShouldMergeProviderOptionsLastSoTheyWin() {
		JsonNode body = json(send(ChatRequest.builder()
			.prompt("Hi")
			.model("gpt-5.2")
			.temperature(0.2)
			.providerOption("temperature", 0.9)
			.providerOption("reasoning", Map.of("effort", "low", "summary", "auto"))
			.providerOption("store", false)
			.build()).bodyAsString());
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.9);
		assertThat(body.get("reasoning")).isEqualTo(json("{\"effort\": \"low\", \"summary\": \"auto\"}"));
		assertThat(body.get("store").asBoolean()).isFalse();
	}

	@Test
	void perRequestApiShouldOverrideTheConfiguredDefaultBothWays() {
		SteerLLMClient chatByDefault = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.build();
		RecordedRequest responses = send(chatByDefault,
				ChatRequest.builder().prompt("Hi").model("gpt-5.2").api(ProviderApi.RESPONSES).build());
		assertThat(responses.path()).isEqualTo("/responses");
		assertThat(json(responses.bodyAsString()).has("input")).isTrue();

		SteerLLMClient responsesByDefault = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
			.build();
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		responsesByDefault
			.streamWithUsage(
					ChatRequest.builder().prompt("Hi").model("gpt-4o").api(ProviderApi.CHAT_COMPLETIONS).build())
			.block();
		assertThat(server.server().takeRequest().path()).isEqualTo("/chat/completions");
	}

	@Test
	void xaiRequestShouldGoToTheXaiBaseUrlWithItsKey() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("xai", "responses-reasoning-summary-text")));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of("http://127.0.0.1:9/unused", API_KEY), ProviderApi.RESPONSES)
			.xai(ProviderSettings.of(server.baseUrl() + "/v1", "xai-key-0123456789"), ProviderApi.RESPONSES)
			.build();
		assertThat(client.streamWithUsage(ChatRequest.of("Sonoran food?", "grok-code-fast-1")).block().provider())
			.isEqualTo("xai");
		RecordedRequest request = server.server().takeRequest();
		assertThat(request.path()).isEqualTo("/v1/responses");
		assertThat(request.header("Authorization")).isEqualTo("Bearer xai-key-0123456789");
		assertThat(json(request.bodyAsString())).isEqualTo(
				json("""
						{"model": "grok-code-fast-1", "input": [{"role": "user", "content": "Sonoran food?"}], "stream": true}"""));
	}

	@Test
	void providerRequestToStringShouldNotShowTheApiKey() {
		ProviderRequest request = OpenAiResponsesAdapter.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), MAPPER)
			.createRequest(ChatRequest.of("Hello", "gpt-5.2"), "gpt-5.2", StreamingOptions.DEFAULTS);
		assertThat(request.uri()).isEqualTo(server.baseUrl() + "/responses");
		assertThat(request.toString()).doesNotContain(API_KEY);
	}

}
