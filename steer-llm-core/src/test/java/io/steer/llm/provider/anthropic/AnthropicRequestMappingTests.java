package io.steer.llm.provider.anthropic;

import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The HTTP request the Anthropic adapter sends, as the loopback server receives it.
 */
class AnthropicRequestMappingTests {

	private static final String API_KEY = "sk-ant-test";

	private static final String MODEL = "claude-sonnet-4-5-20250929";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static SteerLLMClient client() {
		return SteerLLMClient.builder().anthropic(ProviderSettings.of(server.baseUrl(), API_KEY)).build();
	}

	private static RecordedRequest send(SteerLLMClient client, ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")));
		client.streamWithUsage(request).block();
		return server.server().takeRequest();
	}

	private static JsonNode body(RecordedRequest request) {
		return MAPPER.readTree(request.bodyAsString());
	}

	@Test
	void streamWhenPromptOnlyShouldPostAStreamingMessagesRequest() {
		RecordedRequest request = send(client(), ChatRequest.of("Hello", MODEL));
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v1/messages");
		assertThat(request.header("x-api-key")).isEqualTo(API_KEY);
		assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
		assertThat(request.header("content-type")).startsWith("application/json");
		assertThat(request.header("accept")).isEqualTo("text/event-stream");
		assertThat(request.header("Authorization")).isNull();
		assertThat(body(request)).isEqualTo(MAPPER.readTree("""
				{"model": "claude-sonnet-4-5-20250929", "max_tokens": 4096,
				 "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello"}]}],
				 "stream": true}"""));
	}

	@Test
	void streamWhenVersionAndDefaultMaxTokensConfiguredShouldSendThem() {
		SteerLLMClient client = SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY), "2024-01-01", 1024)
			.build();
		RecordedRequest request = send(client, ChatRequest.of("Hello", MODEL));
		assertThat(request.header("anthropic-version")).isEqualTo("2024-01-01");
		assertThat(body(request).get("max_tokens").asInt()).isEqualTo(1024);
	}

	@Test
	void streamWhenMaxTokensGivenShouldSendThemInsteadOfTheDefault() {
		RecordedRequest request = send(client(),
				ChatRequest.builder().prompt("Hello").model(MODEL).maxTokens(77).build());
		assertThat(body(request).get("max_tokens").asInt()).isEqualTo(77);
	}

	@Test
	void streamWhenNoApiKeyShouldSendNoKeyHeader() {
		SteerLLMClient client = SteerLLMClient.builder().anthropic(ProviderSettings.of(server.baseUrl(), null)).build();
		RecordedRequest request = send(client, ChatRequest.of("Hello", MODEL));
		assertThat(request.headers()).doesNotContainKey("x-api-key");
		assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
	}

	@Test
	void streamWhenSettingsHaveHeadersShouldSendThem() {
		ProviderSettings settings = new ProviderSettings(server.baseUrl(), API_KEY, null,
				Map.of("anthropic-beta", "prompt-caching-2024-07-31", "Content-Type", "text/plain"));
		SteerLLMClient client = SteerLLMClient.builder().anthropic(settings).build();
		RecordedRequest request = send(client, ChatRequest.of("Hello", MODEL));
		assertThat(request.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
		assertThat(request.headers().get("content-type")).containsExactly("application/json");
	}

	@Test
	void streamWhenSystemMessagesShouldSendThemAsTopLevelSystemWithCacheControl() {
		ChatRequest chat = ChatRequest.builder()
			.messages(List.of(Message.system("You are helpful").cacheControl(), Message.system("Be brief"),
					Message.user("Long shared context").cacheControl(), Message.assistant("Noted."),
					Message.user("Hello")))
			.model(MODEL)
			.temperature(0.2)
			.stop(List.of("END", "STOP"))
			.build();
		JsonNode body = body(send(client(), chat));
		assertThat(body.get("system")).isEqualTo(MAPPER.readTree("""
				[{"type": "text", "text": "You are helpful", "cache_control": {"type": "ephemeral"}},
				 {"type": "text", "text": "Be brief"}]"""));
		assertThat(body.get("messages")).isEqualTo(MAPPER.readTree("""
				[{"role": "user", "content": [{"type": "text", "text": "Long shared context",
				   "cache_control": {"type": "ephemeral"}}]},
				 {"role": "assistant", "content": [{"type": "text", "text": "Noted."}]},
				 {"role": "user", "content": [{"type": "text", "text": "Hello"}]}]"""));
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(body.get("stop_sequences")).isEqualTo(MAPPER.readTree("[\"END\", \"STOP\"]"));
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.has("stop")).isFalse();
	}

	@Test
	void streamWhenToolsAndToolResultsShouldMapThemToAnthropicBlocks() {
		Map<String, Object> schema = Map.of("type", "object", "properties",
				Map.of("location", Map.of("type", "string")), "required", List.of("location"));
		ChatRequest chat = ChatRequest.builder()
			.messages(List.of(Message.user("Weather in SF and Paris?"),
					Message.assistant("Let me check.",
							List.of(ToolCall.of("toolu_1", "get_weather", "{\"location\": \"San Francisco, CA\"}"),
									ToolCall.of("toolu_2", "get_weather", "{\"location\":\"Paris\"}"),
									ToolCall.of("toolu_3", "get_time", ""))),
					Message.tool("toolu_1", "68°F, sunny"), Message.toolError("toolu_2", "Error: timed out"),
					Message.tool("toolu_3", "12:00").cacheControl(), Message.user("Thanks!")))
			.model(MODEL)
			.tool(ToolDefinition.function("get_weather", "Current weather", schema))
			.tool(ToolDefinition.function("get_time", null, Map.of()))
			.build();
		JsonNode body = body(send(client(), chat));
		assertThat(body.get("tools")).isEqualTo(MAPPER.readTree("""
				[{"name": "get_weather", "description": "Current weather", "input_schema": {"type": "object",
				   "properties": {"location": {"type": "string"}}, "required": ["location"]}},
				 {"name": "get_time", "input_schema": {"type": "object"}}]"""));
		assertThat(body.get("messages")).isEqualTo(MAPPER.readTree(
				"""
						[{"role": "user", "content": [{"type": "text", "text": "Weather in SF and Paris?"}]},
						 {"role": "assistant", "content": [
						   {"type": "text", "text": "Let me check."},
						   {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"location": "San Francisco, CA"}},
						   {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"location": "Paris"}},
						   {"type": "tool_use", "id": "toolu_3", "name": "get_time", "input": {}}]},
						 {"role": "user", "content": [
						   {"type": "tool_result", "tool_use_id": "toolu_1", "content": "68°F, sunny"},
						   {"type": "tool_result", "tool_use_id": "toolu_2", "content": "Error: timed out", "is_error": true},
						   {"type": "tool_result", "tool_use_id": "toolu_3", "content": "12:00",
						    "cache_control": {"type": "ephemeral"}}]},
						 {"role": "user", "content": [{"type": "text", "text": "Thanks!"}]}]"""));
		assertThat(body.has("system")).isFalse();
	}

	@Test
	void streamWhenAssistantHasOnlyToolCallsShouldSendNoTextBlockAndCacheTheLastBlock() {
		ChatRequest chat = ChatRequest.builder()
			.messages(
					List.of(Message.user("Weather?"),
							Message.assistant(null, List.of(ToolCall.of("toolu_1", "get_weather", "{}")))
								.cacheControl(),
							Message.tool("toolu_1", "sunny")))
			.model(MODEL)
			.build();
		JsonNode messages = body(send(client(), chat)).get("messages");
		assertThat(messages.get(1)).isEqualTo(MAPPER.readTree("""
				{"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather",
				  "input": {}, "cache_control": {"type": "ephemeral"}}]}"""));
	}

	@Test
	void streamWhenProviderOptionsGivenShouldMergeThemLast() {
		ChatRequest chat = ChatRequest.builder()
			.prompt("Hello")
			.model(MODEL)
			.maxTokens(100)
			.providerOption("max_tokens", 200)
			.providerOption("thinking", Map.of("type", "enabled", "budget_tokens", 1024))
			.providerOption("metadata", Map.of("user_id", "u-1"))
			.build();
		JsonNode body = body(send(client(), chat));
		assertThat(body.get("max_tokens").asInt()).isEqualTo(200);
		assertThat(body.get("thinking")).isEqualTo(MAPPER.readTree("{\"type\": \"enabled\", \"budget_tokens\": 1024}"));
		assertThat(body.get("metadata").get("user_id").asString()).isEqualTo("u-1");
		assertThat(body.get("stream").asBoolean()).isTrue();
	}

	@Test
	void streamWhenModelHasProviderPrefixShouldSendTheBareModel() {
		RecordedRequest request = send(client(), ChatRequest.of("Hello", "anthropic:" + MODEL));
		assertThat(body(request).get("model").asString()).isEqualTo(MODEL);
	}

	@Test
	void createRequestWhenToolCallArgumentsAreNotAJsonObjectShouldFail() {
		AnthropicMessagesAdapter adapter = AnthropicMessagesAdapter.create(
				ProviderSettings.of(server.baseUrl(), API_KEY), AnthropicMessagesAdapter.DEFAULT_VERSION,
				AnthropicMessagesAdapter.DEFAULT_MAX_TOKENS, MAPPER);
		ChatRequest chat = ChatRequest.builder()
			.messages(List.of(Message.user("Hi"),
					Message.assistant(null, List.of(ToolCall.of("toolu_1", "f", "{\"a\":")))))
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> adapter.createRequest(chat, MODEL, StreamingOptions.DEFAULTS))
			.withMessageContaining("toolu_1");
		ChatRequest array = ChatRequest.builder()
			.messages(List.of(Message.user("Hi"), Message.assistant(null, List.of(ToolCall.of("toolu_2", "f", "[1]")))))
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> adapter.createRequest(array, MODEL, StreamingOptions.DEFAULTS))
			.withMessageContaining("not a JSON object");
	}

	@Test
	void createWhenSettingsInvalidShouldFail() {
		ProviderSettings settings = ProviderSettings.of(AnthropicMessagesAdapter.BASE_URL, API_KEY);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnthropicMessagesAdapter.create(settings, "2023-06-01", 0, MAPPER));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnthropicMessagesAdapter.create(settings, " ", 1, MAPPER));
	}

	@Test
	void createRequestShouldUseTheDefaultBaseUrlAndNeverShowTheKey() {
		AnthropicMessagesAdapter adapter = AnthropicMessagesAdapter.create(
				ProviderSettings.of(AnthropicMessagesAdapter.BASE_URL, API_KEY),
				AnthropicMessagesAdapter.DEFAULT_VERSION, AnthropicMessagesAdapter.DEFAULT_MAX_TOKENS, MAPPER);
		ProviderRequest request = adapter.createRequest(ChatRequest.of("Hello", MODEL), MODEL,
				StreamingOptions.DEFAULTS);
		assertThat(request.uri()).isEqualTo(AnthropicMessagesAdapter.BASE_URL + "/v1/messages");
		assertThat(request.toString()).doesNotContain(API_KEY);
		assertThat(adapter.name()).isEqualTo("anthropic");
	}

}
