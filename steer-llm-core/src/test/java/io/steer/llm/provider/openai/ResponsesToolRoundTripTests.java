package io.steer.llm.provider.openai;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ResponsesReasoningItem;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ThinkingBlock;
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
 * A tool round trip over the Responses API (OpenAI, xAI): the assistant turn of a
 * recorded response ({@link Message#assistant(StreamingResponse)}) and the tool results,
 * as the next request's {@code input} carries them: the {@code reasoning} items (id,
 * summary, encrypted content), then the {@code function_call} items, then the
 * {@code function_call_output} items.
 *
 * @see <a href="https://platform.openai.com/docs/guides/function-calling">OpenAI,
 * Function calling</a>
 * @see <a href=
 * "https://platform.openai.com/docs/guides/reasoning#keeping-reasoning-items-in-context">OpenAI,
 * Keeping reasoning items in context</a>
 */
class ResponsesToolRoundTripTests {

	private static final String API_KEY = "sk-responses-round-trip-0123456789";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final SteerLLMClient openAi = SteerLLMClient.builder()
		.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
		.build();

	private final SteerLLMClient xai = SteerLLMClient.builder()
		.xai(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
		.build();

	private static StreamingResponse replay(SteerLLMClient client, String provider, String fixture,
			ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load(provider, fixture)));
		StreamingResponse response = client.streamWithUsage(request).block();
		server.server().takeRequest();
		return response;
	}

	/**
	 * Sends the request answered by {@code responses-text-after-function-output}; returns
	 * its body.
	 */
	private static JsonNode secondBody(SteerLLMClient client, ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text-after-function-output")));
		StreamingResponse response = client.streamWithUsage(request).block();
		assertThat(response.text()).isNotEmpty();
		RecordedRequest recorded = server.server().takeRequest();
		assertThat(recorded.bodyAsString()).doesNotContain(API_KEY);
		return MAPPER.readTree(recorded.bodyAsString());
	}

	/**
	 * The item of the fixture's {@code response.output_item.done} event for an item type.
	 */
	private static JsonNode doneItem(String provider, String fixture, String itemType) {
		for (byte[] event : SseFixture.load(provider, fixture).events()) {
			String text = new String(event, StandardCharsets.UTF_8);
			String data = text.substring(text.indexOf("data: ") + 6).strip();
			JsonNode node = MAPPER.readTree(data);
			if ("response.output_item.done".equals(node.get("type").stringValue())
					&& itemType.equals(node.get("item").get("type").stringValue())) {
				return node.get("item");
			}
		}
		throw new AssertionError("no done " + itemType + " item in " + fixture);
	}

	@Test
	void functionCallOutputShouldFollowTheReasoningItemAndTheFunctionCall() {
		JsonNode reasoning = doneItem("openai", "responses-function-call", "reasoning");
		ChatRequest first = ChatRequest.builder()
			.model("gpt-5")
			.prompt("What's the weather in New York City?")
			.providerOption("store", false)
			.providerOption("include", List.of("reasoning.encrypted_content"))
			.build();
		StreamingResponse response = replay(this.openAi, "openai", "responses-function-call", first);
		assertThat(response.reasoningItems()).containsExactly(new ResponsesReasoningItem(
				reasoning.get("id").stringValue(), List.of(), reasoning.get("encrypted_content").stringValue()));
		Message assistant = Message.assistant(response);
		assertThat(assistant.content()).isNull();

		JsonNode body = secondBody(this.openAi,
				first.toBuilder()
					.message(assistant)
					.message(Message.tool("call_5dp5Uj0Loqn1YcyIpqSq6sLX", "{\"temperature\":\"72°F\"}"))
					.build());

		assertThat(body.get("store").booleanValue()).isFalse();
		JsonNode input = body.get("input");
		assertThat(input).hasSize(4);
		assertThat(input.get(0)).isEqualTo(MAPPER.readTree("""
				{"role": "user", "content": "What's the weather in New York City?"}"""));
		JsonNode item = input.get(1);
		assertThat(item.propertyNames()).containsExactly("type", "id", "summary", "encrypted_content");
		assertThat(item.get("type").stringValue()).isEqualTo("reasoning");
		assertThat(item.get("id").stringValue()).isEqualTo("rs_68d9303e94ac819ead3d9e066f405eae03aa6e5a972b3b23");
		assertThat(item.get("summary")).isEmpty();
		assertThat(item.get("encrypted_content")).isEqualTo(reasoning.get("encrypted_content"));
		assertThat(input.get(2)).isEqualTo(MAPPER.readTree("""
				{"type": "function_call", "call_id": "call_5dp5Uj0Loqn1YcyIpqSq6sLX", "name": "get_weather",
				 "arguments": "{ \\"location\\": \\"New York City, USA\\" }"}"""));
		assertThat(input.get(3)).isEqualTo(MAPPER.readTree("""
				{"type": "function_call_output", "call_id": "call_5dp5Uj0Loqn1YcyIpqSq6sLX",
				 "output": "{\\"temperature\\":\\"72°F\\"}"}"""));
	}

	@Test
	void reasoningSummaryShouldBeSentBackAsSummaryTextParts() {
		JsonNode reasoning = doneItem("openai", "responses-reasoning-summary-function-call", "reasoning");
		String summary = reasoning.get("summary").get(0).get("text").stringValue();
		ChatRequest first = ChatRequest.of("Compute (12 + 7) * 3 * 10 with the calculator", "gpt-5.1-codex-max");
		StreamingResponse response = replay(this.openAi, "openai", "responses-reasoning-summary-function-call", first);
		assertThat(response.reasoningItems()).singleElement()
			.isInstanceOfSatisfying(ResponsesReasoningItem.class, (item) -> {
				assertThat(item.id()).isEqualTo("rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9");
				assertThat(item.summary()).containsExactly(summary);
				assertThat(item.encryptedContent()).isEqualTo(reasoning.get("encrypted_content").stringValue());
			});

		JsonNode body = secondBody(this.openAi,
				first.toBuilder()
					.message(Message.assistant(response))
					.message(Message.tool("call_AB6AaRZ1FYZB2RwS6A5vbdqn", "19"))
					.build());

		JsonNode input = body.get("input");
		assertThat(input.valueStream().map((node) -> node.has("type") ? node.get("type").stringValue() : "message"))
			.containsExactly("message", "reasoning", "function_call", "function_call_output");
		assertThat(input.get(1).get("summary")).isEqualTo(MAPPER.createArrayNode()
			.add(MAPPER.createObjectNode().put("type", "summary_text").put("text", summary)));
		assertThat(input.get(2).get("arguments").stringValue()).isEqualTo("{\"a\":12,\"b\":7,\"op\":\"add\"}");
		assertThat(input.get(3).get("call_id").stringValue()).isEqualTo("call_AB6AaRZ1FYZB2RwS6A5vbdqn");
		assertThat(input.get(3).get("output").stringValue()).isEqualTo("19");
	}

	@Test
	void xaiReasoningItemWithoutEncryptedContentShouldBeSentByIdAndSummary() {
		ChatRequest first = ChatRequest.of("What is notable about Sonoran food?", "grok-code-fast-1");
		StreamingResponse response = replay(this.xai, "xai", "responses-reasoning-summary-text", first);
		ResponsesReasoningItem item = (ResponsesReasoningItem) response.reasoningItems().get(0);
		assertThat(response.reasoningItems()).hasSize(1);
		assertThat(item.id()).isEqualTo("rs_bf3b2b34-79d4-a45c-7be8-d1e5f96386c2");
		assertThat(item.encryptedContent()).isNull();
		assertThat(String.join("", item.summary())).isEqualTo(response.reasoning());
		Message assistant = Message.assistant(response);
		assertThat(assistant.content()).isEqualTo(response.text());

		JsonNode body = secondBody(this.xai,
				first.toBuilder().message(assistant).message(Message.user("More")).build());

		JsonNode input = body.get("input");
		assertThat(input).hasSize(4);
		assertThat(input.get(1).propertyNames()).containsExactly("type", "id", "summary");
		assertThat(input.get(1).get("id").stringValue()).isEqualTo("rs_bf3b2b34-79d4-a45c-7be8-d1e5f96386c2");
		assertThat(input.get(2).get("role").stringValue()).isEqualTo("assistant");
		assertThat(input.get(2).get("content").stringValue()).isEqualTo(response.text());
	}

	@Test
	void reasoningItemWithoutEncryptedContentShouldBeLeftOutWhenNothingIsStored() {
		Message assistant = Message.assistant(null, List.of(io.steer.llm.model.ToolCall.of("call_1", "f", "{}")),
				List.of(new ResponsesReasoningItem("rs_1", List.of("s"), null),
						new ResponsesReasoningItem("rs_2", List.of(), "enc"), ThinkingBlock.redacted("anthropic")));
		JsonNode body = secondBody(this.openAi,
				ChatRequest.builder()
					.model("gpt-5")
					.message(Message.user("Go"))
					.message(assistant)
					.message(Message.tool("call_1", "ok"))
					.providerOption("store", false)
					.build());

		JsonNode input = body.get("input");
		assertThat(input.valueStream().map((node) -> node.path("id").asString(node.path("type").asString())))
			.containsExactly("", "rs_2", "function_call", "function_call_output");
	}

}
