package io.steer.llm.provider.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ReasoningItem;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ThinkingBlock;
import io.steer.llm.model.ToolCall;
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
 * A tool round trip over the Anthropic Messages API: the assistant turn of a recorded
 * response ({@link Message#assistant(StreamingResponse)}) and the tool results, as the
 * next request's body carries them: the {@code thinking} blocks unchanged with their
 * signatures, then the text, then the {@code tool_use} blocks, and a user turn of
 * {@code tool_result} blocks.
 *
 * @see <a href=
 * "https://platform.claude.com/docs/en/build-with-claude/extended-thinking#extended-thinking-with-tool-use">Anthropic,
 * Extended thinking with tool use</a>
 */
class AnthropicToolRoundTripTests {

	private static final String API_KEY = "sk-ant-round-trip-0123456789";

	private static final String MODEL = "claude-haiku-4-5-20251001";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final SteerLLMClient client = SteerLLMClient.builder()
		.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY))
		.build();

	private StreamingResponse replay(String fixture, ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", fixture)));
		StreamingResponse response = this.client.streamWithUsage(request).block();
		server.server().takeRequest();
		return response;
	}

	/** Sends the request answered by {@code text-after-tool-result}; returns its body. */
	private JsonNode secondBody(ChatRequest request) {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text-after-tool-result")));
		StreamingResponse response = this.client.streamWithUsage(request).block();
		assertThat(response.text()).isNotEmpty();
		RecordedRequest recorded = server.server().takeRequest();
		assertThat(recorded.bodyAsString()).doesNotContain(API_KEY);
		return MAPPER.readTree(recorded.bodyAsString());
	}

	@Test
	void toolResultShouldFollowTheToolUseTurnAsAUserTurnOfToolResultBlocks() {
		ChatRequest first = ChatRequest.of("What's the weather in San Francisco?", MODEL);
		StreamingResponse response = replay("tool-use-input-json-delta", first);
		Message assistant = Message.assistant(response);
		assertThat(assistant.content()).isNull();
		assertThat(assistant.toolCalls()).extracting(ToolCall::id).containsExactly("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(assistant.reasoning()).isEmpty();

		JsonNode body = secondBody(first.toBuilder()
			.message(assistant)
			.message(Message.tool("toolu_018acGYLtfR52q9yDbWaEdQZ", "{\"temperature\": 68}"))
			.build());

		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(0).get("role").stringValue()).isEqualTo("user");
		JsonNode turn = messages.get(1);
		assertThat(turn.get("role").stringValue()).isEqualTo("assistant");
		assertThat(turn.get("content")).hasSize(1);
		JsonNode toolUse = turn.get("content").get(0);
		assertThat(toolUse.get("type").stringValue()).isEqualTo("tool_use");
		assertThat(toolUse.get("id").stringValue()).isEqualTo("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(toolUse.get("name").stringValue()).isEqualTo("get_weather");
		assertThat(toolUse.get("input"))
			.isEqualTo(MAPPER.readTree("{\"location\": \"San Francisco, CA\", \"units\": \"f\"}"));
		assertThat(toolUse.propertyNames()).containsExactly("type", "id", "name", "input");
		JsonNode results = messages.get(2);
		assertThat(results.get("role").stringValue()).isEqualTo("user");
		assertThat(results.get("content")).hasSize(1);
		JsonNode result = results.get("content").get(0);
		assertThat(result.get("type").stringValue()).isEqualTo("tool_result");
		assertThat(result.get("tool_use_id").stringValue()).isEqualTo("toolu_018acGYLtfR52q9yDbWaEdQZ");
		assertThat(result.get("content").stringValue()).isEqualTo("{\"temperature\": 68}");
		assertThat(result.propertyNames()).containsExactly("type", "tool_use_id", "content");
	}

	@Test
	void thinkingBlockShouldBeKeptWithItsSignatureAndSentBackBeforeTheText() {
		ChatRequest first = ChatRequest.of("Divide 925 by 5", MODEL);
		StreamingResponse response = replay("thinking-signature", first);
		String thinking = "The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185";
		@SuppressWarnings("unchecked")
		String signature = ((List<String>) response.metadata().get("thinking_signatures")).get(0);
		assertThat(response.reasoningItems()).containsExactly(ThinkingBlock.thinking(thinking, signature));
		Message assistant = Message.assistant(response);
		assertThat(assistant.content()).isEqualTo("925 ÷ 5 = 185");

		JsonNode body = secondBody(first.toBuilder().message(assistant).message(Message.user("Thanks")).build());

		JsonNode content = body.get("messages").get(1).get("content");
		assertThat(content).hasSize(2);
		assertThat(content.get(0).get("type").stringValue()).isEqualTo("thinking");
		assertThat(content.get(0).get("thinking").stringValue()).isEqualTo(thinking);
		assertThat(content.get(0).get("signature").stringValue()).isEqualTo(signature);
		assertThat(content.get(0).propertyNames()).containsExactly("type", "thinking", "signature");
		assertThat(content.get(1).get("type").stringValue()).isEqualTo("text");
		assertThat(content.get(1).get("text").stringValue()).isEqualTo("925 ÷ 5 = 185");
	}

	@Test
	void thinkingTextAndToolUseTurnShouldBeSentInBlockOrderFollowedByItsToolResults() {
		ChatRequest first = ChatRequest.of("What's the weather in San Francisco?", MODEL);
		List<ReasoningItem> thinking = replay("thinking-signature", first).reasoningItems();
		StreamingResponse toolUse = replay("docs-tool-use", first);
		List<ReasoningItem> reasoning = List.of(thinking.get(0), ThinkingBlock.redacted("EmwKAhgBEgy3va3p"));
		Message assistant = Message.assistant(toolUse.text(), toolUse.toolCalls(), reasoning);

		JsonNode body = secondBody(first.toBuilder()
			.message(assistant)
			.message(Message.tool("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "68°F, sunny"))
			.build());

		JsonNode content = body.get("messages").get(1).get("content");
		assertThat(content.valueStream().map((block) -> block.get("type").stringValue())).containsExactly("thinking",
				"redacted_thinking", "text", "tool_use");
		ThinkingBlock signed = (ThinkingBlock) thinking.get(0);
		assertThat(content.get(0).get("thinking").stringValue()).isEqualTo(signed.thinking());
		assertThat(content.get(0).get("signature").stringValue()).isEqualTo(signed.signature());
		assertThat(content.get(1).get("data").stringValue()).isEqualTo("EmwKAhgBEgy3va3p");
		assertThat(content.get(1).propertyNames()).containsExactly("type", "data");
		assertThat(content.get(2).get("text").stringValue())
			.isEqualTo("Okay, let's check the weather for San Francisco, CA:");
		assertThat(content.get(3).get("id").stringValue()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
		assertThat(content.get(3).get("input"))
			.isEqualTo(MAPPER.readTree("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}"));
		JsonNode result = body.get("messages").get(2);
		assertThat(result.get("role").stringValue()).isEqualTo("user");
		assertThat(result.get("content").get(0).get("tool_use_id").stringValue())
			.isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
		assertThat(result.get("content").get(0).get("content").stringValue()).isEqualTo("68°F, sunny");
	}

	@Test
	void parallelToolResultsShouldShareOneUserTurnInCallOrder() {
		Message assistant = Message.assistant(null,
				List.of(new ToolCall(0, "toolu_a", "get_weather", "{\"location\":\"Paris\"}"),
						new ToolCall(1, "toolu_b", "get_time", "")));
		JsonNode body = secondBody(ChatRequest.builder()
			.model(MODEL)
			.message(Message.user("Weather and time in Paris?"))
			.message(assistant)
			.message(Message.tool("toolu_a", "15°C"))
			.message(Message.tool("toolu_b", "10:00"))
			.build());

		JsonNode messages = body.get("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(1).get("content").get(1).get("input")).isEqualTo(MAPPER.readTree("{}"));
		JsonNode results = messages.get(2).get("content");
		assertThat(results.valueStream().map((block) -> block.get("tool_use_id").stringValue()))
			.containsExactly("toolu_a", "toolu_b");
	}

	@Test
	void redactedThinkingShouldBeKeptInBlockOrderWithTheSignedBlocks() {
		server.server().enqueue(MockResponse.chunks(List.of("""
				event: message_start
				data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5"}}

				event: content_block_start
				data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"R1"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":0}

				event: content_block_start
				data: {"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":""}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"Let me "}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"think."}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"S1"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":1}

				event: content_block_start
				data: {"type":"content_block_start","index":2,"content_block":{"type":"thinking","thinking":""}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":2,"delta":{"type":"thinking_delta","thinking":"unsigned"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":2}

				event: message_delta
				data: {"type":"message_delta","delta":{"stop_reason":"end_turn"}}

				event: message_stop
				data: {"type":"message_stop"}

				""".getBytes(StandardCharsets.UTF_8))));
		StreamingResponse response = this.client.streamWithUsage(ChatRequest.of("Hi", MODEL)).block();
		server.server().takeRequest();
		assertThat(response.reasoning()).isEqualTo("Let me think.unsigned");
		assertThat(response.reasoningItems()).containsExactly(ThinkingBlock.redacted("R1"),
				ThinkingBlock.thinking("Let me think.", "S1"));
	}

}
