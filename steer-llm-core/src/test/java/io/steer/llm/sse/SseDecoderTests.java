package io.steer.llm.sse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.error.StreamParseException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SseDecoderTests {

	private static List<SseEvent> decode(String body) {
		return decode(body.getBytes(StandardCharsets.UTF_8), body.length() + 1);
	}

	/** Decodes bytes fed in pieces of {@code step} bytes. */
	private static List<SseEvent> decode(byte[] bytes, int step) {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		for (int i = 0; i < bytes.length; i += step) {
			decoder.decode(bytes, i, Math.min(step, bytes.length - i), events::add);
		}
		decoder.end();
		return events;
	}

	@Test
	void decodeWhenDataLinesShouldDispatchOnBlankLine() {
		assertThat(decode("data: a\n\ndata: b\n\n")).extracting(SseEvent::data).containsExactly("a", "b");
	}

	@Test
	void decodeWhenMultipleDataLinesShouldJoinWithLineFeed() {
		assertThat(decode("data: one\ndata:two\ndata\n\n")).extracting(SseEvent::data).containsExactly("one\ntwo\n");
	}

	@Test
	void decodeWhenEventIdRetryShouldKeepThem() {
		List<SseEvent> events = decode("event: ping\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\n");
		assertThat(events.get(0)).isEqualTo(new SseEvent("ping", "{}", "7", 1500L));
		// the last event id carries over, the type and retry do not
		assertThat(events.get(1)).isEqualTo(new SseEvent(null, "next", "7", null));
	}

	@Test
	void decodeWhenCommentsAndUnknownFieldsShouldIgnoreThem() {
		assertThat(decode(": keep-alive\nfoo: bar\ndata: x\n\n")).extracting(SseEvent::data).containsExactly("x");
	}

	@Test
	void decodeWhenOnlyOneSpaceAfterColonShouldBeRemoved() {
		assertThat(decode("data:  two spaces\n\n")).extracting(SseEvent::data).containsExactly(" two spaces");
	}

	@Test
	void decodeWhenEventHasNoDataShouldNotDispatch() {
		assertThat(decode("event: empty\n\ndata: y\n\n")).containsExactly(new SseEvent(null, "y", null, null));
	}

	@Test
	void decodeWhenCrLfOrCrLineEndsShouldDecodeTheSame() {
		String lf = "event: a\ndata: 1\n\ndata: 2\n\n";
		assertThat(decode(lf.replace("\n", "\r\n"))).isEqualTo(decode(lf));
		assertThat(decode(lf.replace("\n", "\r"))).isEqualTo(decode(lf));
	}

	@Test
	void decodeWhenSplitAtEveryByteShouldDecodeTheSame() {
		String body = "event: delta\r\ndata: {\"t\":\"héllo wörld 🎉 你好\"}\r\n\r\ndata: [DONE]\r\n\r\n";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		List<SseEvent> whole = decode(bytes, bytes.length);
		assertThat(whole).extracting(SseEvent::data).containsExactly("{\"t\":\"héllo wörld 🎉 你好\"}", "[DONE]");
		for (int step = 1; step < 8; step++) {
			assertThat(decode(bytes, step)).as("step %d", step).isEqualTo(whole);
		}
	}

	@Test
	void decodeWhenCrAtEndOfOneBufferAndLfAtStartOfNextShouldSeeOneLineEnd() {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		byte[] first = "data: a\r".getBytes(StandardCharsets.UTF_8);
		byte[] second = "\n\r\n".getBytes(StandardCharsets.UTF_8);
		decoder.decode(first, 0, first.length, events::add);
		decoder.decode(second, 0, second.length, events::add);
		assertThat(events).extracting(SseEvent::data).containsExactly("a");
	}

	@Test
	void decodeWhenByteOrderMarkShouldDropIt() {
		byte[] body = "\uFEFFdata: x\n\n".getBytes(StandardCharsets.UTF_8);
		assertThat(decode(body, 1)).extracting(SseEvent::data).containsExactly("x");
		assertThat(decode(body, body.length)).extracting(SseEvent::data).containsExactly("x");
	}

	@Test
	void decodeWhenByteBufferShouldConsumeIt() {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		ByteBuffer buffer = ByteBuffer.wrap("data: z\n\n".getBytes(StandardCharsets.UTF_8));
		decoder.decode(buffer, events::add);
		assertThat(buffer.hasRemaining()).isFalse();
		assertThat(events).extracting(SseEvent::data).containsExactly("z");
	}

	@Test
	void endWhenEventIncompleteShouldDiscardItAndSaySo() {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		byte[] body = "data: complete\n\ndata: cut".getBytes(StandardCharsets.UTF_8);
		decoder.decode(body, 0, body.length, events::add);
		assertThat(decoder.end()).isTrue();
		assertThat(events).extracting(SseEvent::data).containsExactly("complete");
	}

	@Test
	void decodeWhenEventExceedsLimitShouldFailWithParseException() {
		SseDecoder decoder = new SseDecoder(64);
		byte[] body = ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(StreamParseException.class)
			.isThrownBy(() -> decoder.decode(body, 0, body.length, (event) -> {
			}))
			.withMessageContaining("64 bytes");
	}

	@Test
	void decodeWhenManyDataLinesExceedLimitTogetherShouldFail() {
		SseDecoder decoder = new SseDecoder(64);
		byte[] body = "data: 0123456789\n".repeat(10).getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(StreamParseException.class)
			.isThrownBy(() -> decoder.decode(body, 0, body.length, (event) -> {
			}));
	}

	@Test
	void decodeWhenUtf8IsMalformedShouldReplaceAndCountEachSequence() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes("event: t".getBytes(StandardCharsets.UTF_8));
		body.write(0xFF);
		body.writeBytes("\ndata: caf".getBytes(StandardCharsets.UTF_8));
		// Latin-1 é, a lone continuation byte, an emoji cut after 3 of its 4 bytes
		body.writeBytes(new byte[] { (byte) 0xE9, ' ', (byte) 0x80, ' ', (byte) 0xF0, (byte) 0x9F, (byte) 0x98 });
		body.writeBytes("!\ndata: ok \uFFFD\n\n".getBytes(StandardCharsets.UTF_8));
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		byte[] bytes = body.toByteArray();
		// split at every byte: a sequence split across buffers is still one sequence
		for (int i = 0; i < bytes.length; i++) {
			decoder.decode(bytes, i, 1, events::add);
		}
		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("t\uFFFD");
			assertThat(event.data()).isEqualTo("caf\uFFFD \uFFFD \uFFFD!\nok \uFFFD");
		});
		// the U+FFFD sent well encoded is not counted
		assertThat(decoder.invalidUtf8()).isEqualTo(4);
	}

	@Test
	void decodeWhenUtf8IsValidShouldCountNothing() {
		SseDecoder decoder = new SseDecoder();
		decoder.decode("data: Température 🌤️ \uFFFD\n\n".getBytes(StandardCharsets.UTF_8), 0,
				"data: Température 🌤️ \uFFFD\n\n".getBytes(StandardCharsets.UTF_8).length, (event) -> {
				});
		assertThat(decoder.invalidUtf8()).isZero();
	}

}
