package io.steer.llm.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The wire format of {@link SseWriter}, byte for byte, and read back by the client's own
 * WHATWG decoder.
 */
class SseWriterTests {

	private static final String KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdef";

	@Test
	void formatShouldWriteTheFieldsInOrder() {
		assertThat(SseWriter.format("message", "data", "id-123", 1000L))
			.isEqualTo("event: message\ndata: data\nid: id-123\nretry: 1000\n\n");
	}

	@Test
	void formatShouldLeaveOutNullFields() {
		assertThat(SseWriter.format(null, "data", null, null)).isEqualTo("data: data\n\n");
		assertThat(SseWriter.format("ping", null, null, null)).isEqualTo("event: ping\n\n");
		assertThat(SseWriter.format(null, null, "7", null)).isEqualTo("id: 7\n\n");
		assertThat(SseWriter.format(null, null, null, 0L)).isEqualTo("retry: 0\n\n");
		assertThat(SseWriter.format(null, null, null, null)).isEqualTo("\n");
	}

	@Test
	void formatShouldWriteOneDataLinePerLineWhateverTheLineEnd() {
		assertThat(SseWriter.format(null, "a\nb\r\nc\rd", null, null))
			.isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
		assertThat(SseWriter.format(null, "\r\n\r\n", null, null)).isEqualTo("data: \ndata: \ndata: \n\n");
		assertThat(SseWriter.format(null, "end\n", null, null)).isEqualTo("data: end\ndata: \n\n");
		assertThat(SseWriter.format(null, "\r\r\n\n", null, null)).isEqualTo("data: \ndata: \ndata: \ndata: \n\n");
		assertThat(SseWriter.format(null, "", null, null)).isEqualTo("data: \n\n");
	}

	@Test
	void formattedDataShouldDecodeBackToTheSameTextWithLineFeeds() {
		String data = "line one\r\nline two\rline three\n\n  indented: yes\n";
		SseEvent decoded = decode(SseWriter.format("message", data, "s:1", 2500L)).get(0);
		assertThat(decoded)
			.isEqualTo(new SseEvent("message", data.replace("\r\n", "\n").replace('\r', '\n'), "s:1", 2500L));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\nb", "a\rb", "a\r\nb", "a\u0000b", "\n" })
	void formatShouldRejectAnIdWithCrLfOrNul(String id) {
		assertThatIllegalArgumentException().isThrownBy(() -> SseWriter.format("message", "data", id, null))
			.withMessageStartingWith("id must not contain CR, LF or NUL");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\nb", "a\rb", "a\u0000b" })
	void formatShouldRejectAnEventNameWithCrLfOrNul(String event) {
		assertThatIllegalArgumentException().isThrownBy(() -> SseWriter.format(event, "data", null, null))
			.withMessageStartingWith("event must not contain CR, LF or NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> SseWriter.of(new StringBuilder()).writeEvent(event, "x"))
			.withMessageStartingWith("event must not contain");
	}

	@Test
	void formatShouldRejectANegativeRetry() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseWriter.format(null, "data", null, -1L))
			.withMessageContaining("retry");
	}

	@Test
	void writerOperationsShouldWriteTheGuidesEvents() {
		StringBuilder out = new StringBuilder();
		SseWriter.of(out)
			.writeEvent("message", "hello")
			.writeData("two\nlines")
			.writeJson(Map.of("a", 1))
			.writeProgress(50, 100)
			.writeDone();
		assertThat(out)
			.hasToString("event: message\ndata: hello\n\n" + "data: two\ndata: lines\n\n" + "data: {\"a\":1}\n\n"
					+ "event: progress\ndata: {\"current\":50,\"total\":100,\"percentage\":50.0}\n\n"
					+ "event: done\ndata: {}\n\n");
	}

	@Test
	void writeProgressWithAnUnknownTotalShouldHaveANullPercentage() {
		StringBuilder out = new StringBuilder();
		SseWriter.of(out).writeProgress(7, 0).writeProgress(1, 3);
		assertThat(out).hasToString("event: progress\ndata: {\"current\":7,\"total\":0,\"percentage\":null}\n\n"
				+ "event: progress\ndata: {\"current\":1,\"total\":3,\"percentage\":33.333333333333336}\n\n");
		assertThatIllegalArgumentException().isThrownBy(() -> SseWriter.of(out).writeProgress(-1, 3));
	}

	@Test
	void writeErrorOfAStreamErrorEventShouldCarryItsTypeAndPartialText() {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		StreamErrorEvent event = new StreamErrorEvent("s", error, error.getErrorType(), true, response("Hel"),
				Instant.EPOCH);
		StringBuilder out = new StringBuilder();
		SseWriter.of(out).writeError(event);
		assertThat(out).hasToString("event: error\ndata: {\"type\":\"INTERRUPTED\",\"message\":\"connection closed\","
				+ "\"retryable\":true,\"partialText\":\"Hel\"}\n\n");
	}

	@Test
	void writeErrorOfAThrowableShouldMaskKeysAndTypeForeignFailuresAsProcessor() {
		StringBuilder out = new StringBuilder();
		SseWriter.of(out)
			.writeError(new ProviderStreamException("openai", "server_error", null, "key " + KEY + " throttled", true))
			.writeError(new IllegalStateException("lost Bearer " + KEY));
		assertThat(out.toString()).doesNotContain(KEY)
			.isEqualTo("event: error\ndata: {\"type\":\"PROVIDER\",\"message\":\"openai reported a stream error "
					+ "(server_error): key sk-****** throttled\",\"retryable\":true,\"partialText\":\"\"}\n\n"
					+ "event: error\ndata: {\"type\":\"PROCESSOR\",\"message\":\"IllegalStateException: lost "
					+ "Bearer ******\",\"retryable\":false,\"partialText\":\"\"}\n\n");
	}

	@Test
	void outputStreamWriterShouldWriteUtf8AndFlushEachEvent() {
		List<Integer> flushedSizes = new ArrayList<>();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
			@Override
			public void flush() {
				flushedSizes.add(size());
			}
		};
		SseWriter.of(bytes).writeEvent("delta", "héllo 👋").writeDone();
		String first = "event: delta\ndata: héllo 👋\n\n";
		assertThat(bytes.toByteArray())
			.isEqualTo((first + "event: done\ndata: {}\n\n").getBytes(StandardCharsets.UTF_8));
		assertThat(flushedSizes).containsExactly(first.getBytes(StandardCharsets.UTF_8).length, bytes.size());
	}

	private static List<SseEvent> decode(String text) {
		List<SseEvent> events = new ArrayList<>();
		SseDecoder decoder = new SseDecoder();
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		decoder.decode(bytes, 0, bytes.length, events::add);
		decoder.end();
		return events;
	}

	static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", text, null, "", "stop", FinishReason.STOP,
				List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

}
