package io.steer.llm.provider.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The Responses API parser alone: exactly which listener calls each event produces. Streams
 * marked SYNTHETIC are hand-written variations of recorded ones, not recordings.
 */
class ResponsesStreamParserTests {

	private static final String FC_ITEM = "fc_68d9303fe7fc819ea999bda43617404203aa6e5a972b3b23";

	private static final String CALL_ID = "call_5dp5Uj0Loqn1YcyIpqSq6sLX";

	private static final String ARGUMENTS = "{ \"location\": \"New York City, USA\" }";

	private final Recorder listener = new Recorder();

	private final ResponsesStreamParser parser = new ResponsesStreamParser("openai",
			JsonMapper.builder().build().readerFor(ResponsesEvent.class), this.listener, null);

	private void feed(byte[] body) {
		SseDecoder decoder = new SseDecoder();
		decoder.decode(body, 0, body.length, this::onEvent);
		decoder.end();
	}

	private void feed(List<byte[]> events) {
		for (byte[] event : events) {
			feed(event);
		}
	}

	private void feed(String rawEvents) {
		feed(rawEvents.getBytes(StandardCharsets.UTF_8));
	}

	private void onEvent(SseEvent event) {
		if (!this.parser.isComplete()) {
			this.parser.onEvent(event);
		}
	}

	@Test
	void recordedFunctionCallShouldReportTheCallOnceDespiteItsDoneEvents() {
		feed(SseFixture.load("openai", "responses-function-call").bytes());
		assertThat(this.parser.isComplete()).isTrue();
		assertThatNoException().isThrownBy(this.parser::onEndOfBody);
		List<String> calls = this.listener.toolCalls;
		assertThat(calls).hasSize(13).first().isEqualTo("0|" + CALL_ID + "|get_weather|");
		assertThat(calls.subList(1, 13)).allMatch((call) -> call.startsWith("0|null|null|"));
		assertThat(String.join("", calls.subList(1, 13).stream().map((call) -> call.substring(12)).toList()))
			.isEqualTo(ARGUMENTS);
		assertThat(this.listener.text).isEmpty();
		assertThat(this.listener.finishReasons).containsExactly("completed");
		assertThat(this.listener.usages).hasSize(1);
		assertThat(this.listener.usages.get(0).reasoningTokens()).isEqualTo(128);
	}

	@Test
	void everyEventShouldReportItsSequenceNumberWithTheResponseId() {
		SseFixture fixture = SseFixture.load("openai", "responses-text");
		feed(fixture.bytes());
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < fixture.events().size(); i++) {
			expected.add("resp_0b0392bd3bb81302006994e83ac0ac819396f3f5aa5f239e03#" + i);
		}
		assertThat(this.listener.positions).containsExactlyElementsOf(expected);
		assertThat(this.listener.text).hasToString("`arm64` (Apple Silicon).");
		assertThat(this.listener.metadata).containsExactly("service_tier=default", "status=completed");
	}

	@Test
	void functionCallWithoutArgumentDeltasShouldTakeTheArgumentsFromTheFirstDoneEventOnly() {
		// SYNTHETIC: the recorded function-call stream without its 12 argument deltas
		List<byte[]> events = SseFixture.load("openai", "responses-function-call").events();
		List<byte[]> withoutDeltas = new ArrayList<>(events.subList(0, 5));
		withoutDeltas.addAll(events.subList(17, events.size()));
		feed(withoutDeltas);
		assertThat(this.listener.toolCalls).containsExactly("0|" + CALL_ID + "|get_weather|", "0|null|null|" + ARGUMENTS);
	}

	@Test
	void functionCallKnownOnlyFromItsDoneItemShouldBeReportedWhole() {
		// SYNTHETIC: only the recorded output_item.done of the call, then response.completed
		List<byte[]> events = SseFixture.load("openai", "responses-function-call").events();
		feed(List.of(events.get(0), events.get(18), events.get(19)));
		assertThat(this.listener.toolCalls).containsExactly("0|" + CALL_ID + "|get_weather|" + ARGUMENTS);
	}

	@Test
	void parallelCallsShouldBeNumberedInOrderOfFirstAppearanceAndMatchedByItemOrOutputIndex() {
		// SYNTHETIC: two calls at output indexes 3 and 1, argument deltas interleaved, the last
		// ones without item_id
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":3,"item":{"id":"fc_a","type":"function_call","arguments":"","call_id":"call_a","name":"f"}}

				data: {"type":"response.output_item.added","sequence_number":1,"output_index":1,"item":{"id":"fc_b","type":"function_call","arguments":"","call_id":"call_b","name":"g"}}

				data: {"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"fc_b","output_index":1,"delta":"{\\"b\\""}

				data: {"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"fc_a","output_index":3,"delta":"{\\"a\\""}

				data: {"type":"response.function_call_arguments.delta","sequence_number":4,"output_index":3,"delta":":1}"}

				data: {"type":"response.function_call_arguments.delta","sequence_number":5,"output_index":1,"delta":":2}"}

				data: {"type":"response.function_call_arguments.done","sequence_number":6,"item_id":"fc_a","output_index":3,"arguments":"{\\"a\\":1}"}

				data: {"type":"response.function_call_arguments.done","sequence_number":7,"item_id":"fc_b","output_index":1,"arguments":"{\\"b\\":2}"}

				""");
		assertThat(this.listener.toolCalls).containsExactly("0|call_a|f|", "1|call_b|g|", "1|null|null|{\"b\"",
				"0|null|null|{\"a\"", "0|null|null|:1}", "1|null|null|:2}");
		assertThat(this.parser.isComplete()).isFalse();
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(this.parser::onEndOfBody);
	}

	@Test
	void reasoningSummaryAndRefusalDeltasShouldBeReported() {
		// SYNTHETIC: one event of each kind
		feed("""
				event: response.reasoning_summary_text.delta
				data: {"type":"response.reasoning_summary_text.delta","sequence_number":0,"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Thinking"}

				event: response.reasoning_summary_text.done
				data: {"type":"response.reasoning_summary_text.done","sequence_number":1,"item_id":"rs_1","output_index":0,"summary_index":0,"text":"Thinking"}

				event: response.refusal.delta
				data: {"type":"response.refusal.delta","sequence_number":2,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"I can't"}

				event: response.refusal.done
				data: {"type":"response.refusal.done","sequence_number":3,"item_id":"msg_1","output_index":1,"content_index":0,"refusal":"I can't"}

				""");
		assertThat(this.listener.reasoning).hasToString("Thinking");
		assertThat(this.listener.refusal).hasToString("I can't");
		assertThat(this.listener.positions).containsExactly("null#0", "null#1", "null#2", "null#3");
	}

	@Test
	void errorEventShouldEndTheStreamBeforeTheResponseFailedThatFollows() {
		List<byte[]> events = SseFixture.load("openai", "responses-error-insufficient-quota").events();
		feed(events.subList(0, 2));
		assertThatExceptionOfType(ProviderStreamException.class).isThrownBy(() -> feed(events.get(2)))
			.satisfies((ex) -> assertThat(ex.getProviderErrorType()).isEqualTo("insufficient_quota"));
		assertThat(this.parser.isComplete()).isTrue();
		assertThatNoException().isThrownBy(() -> this.parser.onEvent(new SseEvent("response.failed", "{}", null, null)));
		assertThat(this.listener.positions).last().isEqualTo("resp_0265b28bea036ff60068df845920648196938b4f36acdcee37#2");
	}

	@Test
	void usageShouldBeNormalisedFromTheResponsesApiFields() {
		Usage usage = ResponsesStreamParser.usage(new LinkedHashMap<>(Map.of("input_tokens", 216,
				"input_tokens_details", Map.of("cached_tokens", 192), "output_tokens", 923,
				"output_tokens_details", Map.of("reasoning_tokens", 323), "total_tokens", 1139)));
		assertThat(usage).extracting(Usage::promptTokens, Usage::completionTokens, Usage::totalTokens,
				Usage::cachedPromptTokens, Usage::cacheCreationTokens, Usage::reasoningTokens)
			.containsExactly(216, 923, 1139, 192, 0, 323);
		assertThat(ResponsesStreamParser.usage(Map.of("input_tokens", 3, "output_tokens", 4)).totalTokens())
			.isEqualTo(7);
	}

	/** Records the listener calls as strings. */
	private static final class Recorder implements StreamDeltaListener {

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder reasoning = new StringBuilder();

		private final StringBuilder refusal = new StringBuilder();

		private final List<String> toolCalls = new ArrayList<>();

		private final List<String> finishReasons = new ArrayList<>();

		private final List<FinishReason> normalizedFinishReasons = new ArrayList<>();

		private final List<String> serverToolCalls = new ArrayList<>();

		private final List<String> serverToolResults = new ArrayList<>();

		private final List<Citation> citations = new ArrayList<>();

		private final List<String> unrecognized = new ArrayList<>();

		private final List<Usage> usages = new ArrayList<>();

		private final List<String> positions = new ArrayList<>();

		private final List<String> metadata = new ArrayList<>();

		@Override
		public void responseInfo(@Nullable String id, @Nullable String model) {
		}

		@Override
		public void text(int choice, String text) {
			assertThat(choice).isZero();
			this.text.append(text);
		}

		@Override
		public void reasoning(int choice, String text) {
			this.reasoning.append(text);
		}

		@Override
		public void refusal(int choice, String text) {
			this.refusal.append(text);
		}

		@Override
		public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
			assertThat(choice).isZero();
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
		public void resumePosition(@Nullable String responseId, long sequenceNumber) {
			this.positions.add(responseId + "#" + sequenceNumber);
		}

		@Override
		public void metadata(String key, Object value) {
			this.metadata.add(key + "=" + value);
		}

	}

}
