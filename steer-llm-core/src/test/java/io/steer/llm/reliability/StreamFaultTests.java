package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.Level;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CHAT_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.openAiClient;
import static io.steer.llm.reliability.Reliability.textOfFirstEvents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults in the bytes of a stream: a malformed SSE line, a chunk that is not JSON, a
 * provider error event, a character split across writes, an oversized event. None of them
 * is retried once a delta was delivered, and none loses or repeats a delta silently.
 */
class StreamFaultTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static List<byte[]> chatEvents() {
		return new ArrayList<>(SseFixture.load("openai", "chat-text-usage").events());
	}

	private static String chunk(String content) {
		return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":"
				+ "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
	}

	private static final String FINISH = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":"
			+ "\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

	@Test
	void streamEventsWhenALineIsMalformedShouldCompleteCountingAndWarningAboutTheIgnoredLine() {
		// a line with an unknown field name is ignored (WHATWG): here it would have held
		// " world"
		List<byte[]> events = Reliability.bytes(chunk("Hello"),
				"dta: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"}}]}\n\n", "this line has no colon\n",
				chunk("!"), FINISH);
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received;
		try (Reliability.CapturedLog log = new Reliability.CapturedLog("io.steer.llm.client.StreamSession")) {
			received = openAiClient(server).streamEvents(CHAT).collectList().block();
			assertThat(log.messages(Level.WARN)).singleElement()
				.satisfies((line) -> assertThat(line).contains("ignored 2 SSE line(s)").contains("sse.ignored_lines"));
		}
		StreamCompleteEvent complete = Reliability.complete(received);
		assertThat(complete.response().text()).isEqualTo("Hello!");
		assertThat(complete.response().metadata()).containsEntry("sse.ignored_lines", 2);
		assertThat(complete.attempts()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenWellFormedShouldNotReportIgnoredLines() {
		server.server().enqueue(MockResponse.chunks(chatEvents()));
		StreamCompleteEvent complete = Reliability
			.complete(openAiClient(server).streamEvents(CHAT).collectList().block());
		assertThat(complete.response().metadata()).doesNotContainKey("sse.ignored_lines");
	}

	@Test
	void streamEventsWhenUtf8IsMalformedShouldReplaceCountAndWarnOnce() {
		// Latin-1 bytes in one delta, an emoji cut short in another, a U+FFFD sent well
		// encoded
		byte[] latin1 = chunk("caf\u00e9 cr\u00e8me").getBytes(StandardCharsets.ISO_8859_1);
		byte[] cut = chunk("sun X!").getBytes(StandardCharsets.UTF_8);
		int x = new String(cut, StandardCharsets.UTF_8).indexOf('X');
		byte[] cutEmoji = new byte[cut.length + 2];
		System.arraycopy(cut, 0, cutEmoji, 0, x);
		cutEmoji[x] = (byte) 0xF0;
		cutEmoji[x + 1] = (byte) 0x9F;
		cutEmoji[x + 2] = (byte) 0x8C;
		System.arraycopy(cut, x + 1, cutEmoji, x + 3, cut.length - x - 1);
		List<byte[]> events = List.of(latin1, cutEmoji, chunk(" \uFFFD").getBytes(StandardCharsets.UTF_8),
				FINISH.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received;
		try (Reliability.CapturedLog log = new Reliability.CapturedLog("io.steer.llm.client.StreamSession")) {
			received = openAiClient(server).streamEvents(CHAT).collectList().block();
			assertThat(log.messages(Level.WARN)).singleElement()
				.satisfies((line) -> assertThat(line).contains("replaced 3 malformed UTF-8 sequence(s)")
					.contains("sse.invalid_utf8"));
		}
		StreamCompleteEvent complete = Reliability.complete(received);
		assertThat(complete.response().text()).isEqualTo("caf\uFFFD cr\uFFFDmesun \uFFFD! \uFFFD");
		assertThat(complete.response().metadata()).containsEntry("sse.invalid_utf8", 3);
	}

	@Test
	void streamEventsWhenUtf8IsValidShouldNotReportInvalidUtf8() {
		server.server().enqueue(MockResponse.chunks(Reliability.bytes(chunk("日本語 🌤️ \uFFFD"), FINISH)));
		StreamCompleteEvent complete = Reliability
			.complete(openAiClient(server).streamEvents(CHAT).collectList().block());
		assertThat(complete.response().metadata()).doesNotContainKey("sse.invalid_utf8");
	}

	@Test
	void streamEventsWhenAChunkIsInvalidJsonShouldFailWithParseErrorWithoutRetrying() {
		List<byte[]> events = new ArrayList<>(chatEvents().subList(0, 5));
		events.add("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\n\n".getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received = openAiClient(server).streamEvents(CHAT).collectList().block();
		StreamErrorEvent error = Reliability.error(received);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(Reliability.text(received)).isEqualTo(textOfFirstEvents(5));
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenTheFirstChunkIsInvalidJsonShouldFailWithParseErrorWithoutRetrying() {
		server.server().enqueue(MockResponse.chunks(Reliability.bytes("data: not json\n\n")));
		List<StreamEvent> received = openAiClient(server).streamEvents(CHAT).collectList().block();
		StreamErrorEvent error = Reliability.error(received);
		assertThat(received.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenTheProviderReportsAnErrorMidStreamShouldFailKeepingTheTextWithoutRetrying() {
		List<byte[]> events = new ArrayList<>(chatEvents().subList(0, 4));
		events.add(("data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
				+ "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")
			.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received = openAiClient(server).streamEvents(CHAT).collectList().block();
		StreamErrorEvent error = Reliability.error(received);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class,
				(ex) -> assertThat(ex.getProviderErrorType()).isEqualTo("server_error"));
		assertThat(Reliability.text(received)).isEqualTo(textOfFirstEvents(4));
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(4));
		// deltas were delivered and Chat Completions cannot be continued: not sent again
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenMultiByteCharactersAreSplitAcrossWritesShouldKeepThemWhole() {
		String text = "Température: 21 °C — ça va? 日本語 🌤️";
		byte[] body = (chunk("Température: 21 °C") + chunk(" — ça va? ") + chunk("日本語 🌤️") + FINISH)
			.getBytes(StandardCharsets.UTF_8);
		// one write per byte pair: every multi-byte character is split at least once
		List<byte[]> writes = new ArrayList<>();
		for (int i = 0; i < body.length; i += 2) {
			writes.add(Arrays.copyOfRange(body, i, Math.min(body.length, i + 2)));
		}
		server.server().enqueue(MockResponse.chunks(writes));
		List<StreamEvent> received = openAiClient(server).streamEvents(CHAT).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(received);
		assertThat(complete.response().text()).isEqualTo(text);
		assertThat(complete.totalChunks()).isEqualTo(3);
		assertThat(complete.response().text()).doesNotContain("\uFFFD");
	}

	@Test
	void streamEventsWhenAnEventExceedsTheConfiguredLimitShouldFailWithParseErrorKeepingTheText() {
		StreamingOptions options = FAST_RETRIES.toBuilder().maxEventSize(4 * 1024).build();
		List<byte[]> events = new ArrayList<>(chatEvents().subList(0, 3));
		events.add(chunk("x".repeat(5 * 1024)).getBytes(StandardCharsets.UTF_8));
		events.addAll(chatEvents().subList(3, chatEvents().size()));
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received = openAiClient(server).streamEvents(CHAT, options).collectList().block();
		StreamErrorEvent error = Reliability.error(received);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).hasMessageContaining("exceeds the limit of 4096 bytes");
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(3));
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenAnEventExceedsTheDefaultLimitOfOneMebibyteShouldFail() {
		List<byte[]> events = new ArrayList<>(chatEvents().subList(0, 3));
		events.add(chunk("y".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		StreamErrorEvent error = Reliability.error(openAiClient(server).streamEvents(CHAT).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.error()).hasMessageContaining("exceeds the limit of 1048576 bytes");
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(3));
	}

	@Test
	void streamEventsWhenAnEventIsJustBelowTheLimitShouldComplete() {
		StreamingOptions options = FAST_RETRIES.toBuilder().maxEventSize(8 * 1024).build();
		String big = "z".repeat(6 * 1024);
		server.server().enqueue(MockResponse.chunks(Reliability.bytes(chunk(big), FINISH)));
		StreamCompleteEvent complete = Reliability
			.complete(openAiClient(server).streamEvents(CHAT, options).collectList().block());
		assertThat(complete.response().text()).isEqualTo(big);
	}

	@Test
	void streamWithUsageWhenNoFaultShouldGiveTheRecordedText() {
		server.server().enqueue(MockResponse.chunks(chatEvents()));
		assertThat(openAiClient(server).streamWithUsage(CHAT).block().text()).isEqualTo(CHAT_TEXT);
	}

}
