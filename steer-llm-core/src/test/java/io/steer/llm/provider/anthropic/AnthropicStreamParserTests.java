package io.steer.llm.provider.anthropic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.sse.SseEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AnthropicStreamParser} alone, on hand-written events for the cases the recordings do
 * not hold: several {@code message_delta} events, usage only in {@code message_start},
 * {@code null} counts, events after {@code message_stop}.
 */
class AnthropicStreamParserTests {

	private final Recorder listener = new Recorder();

	private final AnthropicStreamParser parser = new AnthropicStreamParser("anthropic", JsonMapper.builder().build(),
			this.listener, "sk-ant-key-123456");

	private void send(String event, String data) {
		this.parser.onEvent(new SseEvent(event, data, null, null));
	}

	private void messageStart(String usage) {
		send("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\""
				+ ((usage != null) ? ",\"usage\":" + usage : "") + "}}");
	}

	@Test
	void messageDeltaUsageShouldOverwriteCumulativeCountsNotAddThem() {
		messageStart("{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"output_tokens\":1}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":5}}");
		send("message_delta",
				"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"},"
						+ "\"usage\":{\"output_tokens\":9,\"cache_read_input_tokens\":null}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.parser.isComplete()).isTrue();
		assertThat(this.listener.usages).hasSize(2);
		Usage last = this.listener.usages.get(1);
		assertThat(last.raw()).containsExactly(Map.entry("input_tokens", 10), Map.entry("cache_read_input_tokens", 100),
				Map.entry("output_tokens", 9));
		assertThat(last.promptTokens()).isEqualTo(110);
		assertThat(last.completionTokens()).isEqualTo(9);
		assertThat(last.totalTokens()).isEqualTo(119);
		assertThat(last.cachedPromptTokens()).isEqualTo(100);
		assertThat(this.listener.usages.get(0).completionTokens()).isEqualTo(5);
		assertThat(this.listener.finishReasons).containsExactly("stop_sequence");
		assertThat(this.listener.metadata).containsEntry("stop_sequence", "END");
	}

	@Test
	void usageOnlyInMessageStartShouldBeReportedOnceAtMessageStop() {
		messageStart("{\"input_tokens\":7,\"cache_creation_input_tokens\":3,\"output_tokens\":1}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
		assertThat(this.listener.usages).isEmpty();
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).singleElement().satisfies((usage) -> {
			assertThat(usage.promptTokens()).isEqualTo(10);
			assertThat(usage.cacheCreationTokens()).isEqualTo(3);
			assertThat(usage.completionTokens()).isEqualTo(1);
			assertThat(usage.reasoningTokens()).isZero();
		});
	}

	@Test
	void noUsageAnywhereShouldReportNone() {
		messageStart(null);
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).isEmpty();
		assertThat(this.listener.metadata).isEmpty();
	}

	@Test
	void eventsAfterMessageStopShouldBeIgnored() {
		messageStart(null);
		send("message_stop", "{\"type\":\"message_stop\"}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}");
		send("error", "not even json");
		assertThat(this.listener.text).isEmpty();
		this.parser.onEndOfBody();
	}

	@Test
	void eventTypeShouldFallBackToTheSseEventName() {
		messageStart(null);
		send("content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}");
		assertThat(this.listener.text).hasToString("Hi");
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> send("error", "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}"))
			.satisfies((ex) -> {
				assertThat(ex.getProviderErrorType()).isEqualTo("rate_limit_error");
				assertThat(ex.isRetryable()).isFalse();
			});
	}

	@Test
	void signaturesShouldBeKeptInOrderAcrossThinkingBlocks() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"a\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"S1\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"b\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"S2\"}}");
		assertThat(this.listener.reasoning).hasToString("ab");
		assertThat(this.listener.metadata.get("thinking_signatures")).isEqualTo(List.of("S1", "S2"));
	}

	@Test
	void serverToolUseBlocksShouldBecomeToolCallsAndOtherBlocksShouldNot() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"weather\\\"}\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}");
		assertThat(this.listener.toolCalls).containsExactly("0|srvtoolu_1|web_search|", "0|null|null|{\"query\": \"weather\"}");
	}

	@Test
	void thinkingTokensOfTheFinalMessageDeltaShouldBeTheReasoningTokens() {
		messageStart("{\"input_tokens\":50,\"output_tokens\":1}");
		// the extended thinking page: the breakdown comes on the final message_delta only
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
				+ "\"stop_sequence\":null},\"usage\":{\"output_tokens\":120,"
				+ "\"output_tokens_details\":{\"thinking_tokens\":80}}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).singleElement().satisfies((usage) -> {
			assertThat(usage.completionTokens()).isEqualTo(120);
			assertThat(usage.reasoningTokens()).isEqualTo(80);
			assertThat(usage.totalTokens()).isEqualTo(170);
			assertThat(usage.raw()).containsEntry("output_tokens_details", Map.of("thinking_tokens", 80));
		});
	}

	@Test
	void deltaWithoutIndexShouldFailToParse() {
		messageStart(null);
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));
	}

	@Test
	void nonObjectOrNullDataShouldFailToParse() {
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("ping", "null"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("ping", "[1]"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send(null, "{\"type\":"));
	}

	@Test
	void endOfBodyBeforeMessageStopShouldFailAsInterrupted() {
		messageStart(null);
		assertThat(this.parser.isComplete()).isFalse();
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(this.parser::onEndOfBody);
	}

	@Test
	void errorMessageShouldNotShowTheApiKey() {
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> send("error",
					"{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"key sk-ant-key-123456\"}}"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).doesNotContain("sk-ant-key-123456");
				assertThat(ex.getProviderMessage()).isEqualTo("key ******");
				assertThat(ex.isRetryable()).isTrue();
			});
	}

	private static final class Recorder implements StreamDeltaListener {

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder reasoning = new StringBuilder();

		private final List<String> toolCalls = new ArrayList<>();

		private final List<String> finishReasons = new ArrayList<>();

		private final List<FinishReason> normalizedFinishReasons = new ArrayList<>();

		private final List<String> serverToolCalls = new ArrayList<>();

		private final List<String> serverToolResults = new ArrayList<>();

		private final List<Citation> citations = new ArrayList<>();

		private final List<String> unrecognized = new ArrayList<>();

		private final List<Usage> usages = new ArrayList<>();

		private final Map<String, Object> metadata = new LinkedHashMap<>();

		@Override
		public void responseInfo(@Nullable String id, @Nullable String model) {
		}

		@Override
		public void text(int choice, String text) {
			this.text.append(text);
		}

		@Override
		public void reasoning(int choice, String text) {
			this.reasoning.append(text);
		}

		@Override
		public void refusal(int choice, String text) {
		}

		@Override
		public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
			this.toolCalls.add(index + "|" + id + "|" + name + "|" + arguments);
		}

		@Override
		public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
			this.serverToolCalls.add(index + "|" + id + "|" + name + "|" + input);
		}

		@Override
		public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
				@Nullable JsonNode content) {
			this.serverToolResults.add(index + "|" + toolUseId + "|" + type + "|" + content);
		}

		@Override
		public void citation(int choice, Citation citation) {
			this.citations.add(citation);
		}

		@Override
		public void finishReason(int choice, String reason, FinishReason normalized) {
			this.finishReasons.add(reason);
			this.normalizedFinishReasons.add(normalized);
		}

		@Override
		public void unrecognized(String what) {
			this.unrecognized.add(what);
		}

		@Override
		public void usage(Usage usage) {
			this.usages.add(usage);
		}

		@Override
		public void metadata(String key, Object value) {
			this.metadata.put(key, value);
		}

	}

}
