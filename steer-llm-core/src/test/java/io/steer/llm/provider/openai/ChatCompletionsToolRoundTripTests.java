package io.steer.llm.provider.openai;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.StreamingResponse;
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
 * A tool round trip over Chat Completions (OpenAI, xAI): the assistant turn of a recorded
 * response ({@link Message#assistant(StreamingResponse)}) with its {@code tool_calls} and
 * {@code content: null}, then a {@code tool} message with its {@code tool_call_id}; no
 * reasoning is sent back, as the API takes none.
 *
 * @see <a href="https://platform.openai.com/docs/guides/function-calling">OpenAI,
 * Function calling</a>
 */
class ChatCompletionsToolRoundTripTests {

	private static final String API_KEY = "sk-chat-round-trip-0123456789";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static JsonNode roundTrip(SteerLLMClient client, String provider, String fixture, ChatRequest first,
			String toolCallId, String result) {
		server.server().enqueue(MockResponse.replay(SseFixture.load(provider, fixture)));
		StreamingResponse response = client.streamWithUsage(first).block();
		server.server().takeRequest();
		Message assistant = Message.assistant(response);
		assertThat(assistant.content()).isNull();
		assertThat(assistant.reasoning()).isEmpty();
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		client.streamWithUsage(first.toBuilder().message(assistant).message(Message.tool(toolCallId, result)).build())
			.block();
		RecordedRequest recorded = server.server().takeRequest();
		assertThat(recorded.bodyAsString()).doesNotContain(API_KEY);
		return MAPPER.readTree(recorded.bodyAsString());
	}

	@Test
	void openAiToolResultShouldBeAToolMessageAfterTheAssistantToolCalls() {
		SteerLLMClient client = SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), API_KEY)).build();
		JsonNode body = roundTrip(client, "openai", "chat-tool-call-strict",
				ChatRequest.of("What's the weather like in SF?", "gpt-4o-2024-08-06"), "call_CTf1nWJLqSeRgDqaCG27xZ74",
				"{\"temperature\": 65}");

		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(1)).isEqualTo(MAPPER.readTree("""
				{"role": "assistant", "content": null, "tool_calls": [{"id": "call_CTf1nWJLqSeRgDqaCG27xZ74",
				 "type": "function", "function": {"name": "get_weather",
				 "arguments": "{\\"city\\":\\"San Francisco\\",\\"state\\":\\"CA\\"}"}}]}"""));
		assertThat(messages.get(2)).isEqualTo(MAPPER.readTree("""
				{"role": "tool", "content": "{\\"temperature\\": 65}",
				 "tool_call_id": "call_CTf1nWJLqSeRgDqaCG27xZ74"}"""));
	}

	@Test
	void xaiReasoningShouldNotBeSentBackWithTheToolCalls() {
		SteerLLMClient client = SteerLLMClient.builder().xai(ProviderSettings.of(server.baseUrl(), API_KEY)).build();
		JsonNode body = roundTrip(client, "xai", "chat-reasoning-tool-call",
				ChatRequest.of("What's the weather in San Francisco?", "grok-3-mini"), "call_79382389",
				"{\"temperature\": 18}");

		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(1).propertyNames()).containsExactly("role", "content", "tool_calls");
		assertThat(messages.get(1).get("tool_calls").get(0)).isEqualTo(MAPPER.readTree("""
				{"id": "call_79382389", "type": "function",
				 "function": {"name": "weather", "arguments": "{\\"location\\":\\"San Francisco\\"}"}}"""));
		assertThat(messages.get(2).get("role").stringValue()).isEqualTo("tool");
		assertThat(messages.get(2).get("tool_call_id").stringValue()).isEqualTo("call_79382389");
		assertThat(messages.get(2).get("content").stringValue()).isEqualTo("{\"temperature\": 18}");
	}

}
