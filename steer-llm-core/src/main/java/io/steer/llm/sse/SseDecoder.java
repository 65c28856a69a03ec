package io.steer.llm.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import io.steer.llm.error.StreamParseException;
import org.jspecify.annotations.Nullable;

/**
 * Incremental decoder of a {@code text/event-stream} body, following the WHATWG rules:
 * lines end with CRLF, LF or CR; a leading byte-order mark is dropped; lines starting
 * with {@code :} are comments; {@code event}, {@code data}, {@code id} and {@code retry}
 * fields are read, one space after the colon removed, and other fields ignored (and
 * counted, see {@link #ignoredLines()}); a blank line dispatches the event when it has
 * data; an event left incomplete at the end of the body is discarded.
 * <p>
 * Bytes may be fed split at any point, including inside a CRLF pair or a multi-byte UTF-8
 * character: lines are decoded as UTF-8 only once complete. Malformed UTF-8 is replaced
 * by U+FFFD, and counted (see {@link #invalidUtf8()}). Not thread-safe: one decoder per
 * stream.
 *
 * @see <a href=
 * "https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation">WHATWG
 * HTML, 9.2.6 Interpreting an event stream</a>
 */
public final class SseDecoder {

	/** Default limit on the size of one event: 1 MiB. */
	public static final int DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] RETRY = "retry".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private static final char REPLACEMENT = '\uFFFD';

	private final int maxEventSize;

	/** Bytes of the current, not yet terminated line. */
	private byte[] carry = new byte[256];

	private int carryLength;

	/**
	 * Scratch array a {@link ByteBuffer} input is copied into; grown to the largest
	 * input, so that a stream whose reads are small does not hold 8 KiB for them.
	 */
	private byte[] scratch = new byte[0];

	private boolean skipLeadingLf;

	private boolean bomChecked;

	private int bomBytesSeen;

	private @Nullable String eventType;

	private @Nullable String singleData;

	private @Nullable StringBuilder multiData;

	private boolean hasData;

	private @Nullable String lastEventId;

	private @Nullable Long retry;

	private int eventSize;

	private int ignoredLines;

	private int commentLines;

	private int invalidUtf8;

	/**
	 * Creates a decoder that accepts events of up to {@link #DEFAULT_MAX_EVENT_SIZE}
	 * bytes (1 MiB).
	 */
	public SseDecoder() {
		this(DEFAULT_MAX_EVENT_SIZE);
	}

	/**
	 * Creates a decoder.
	 * @param maxEventSize most bytes one event (all its lines) may take
	 */
	public SseDecoder(int maxEventSize) {
		if (maxEventSize < 1) {
			throw new IllegalArgumentException("maxEventSize must be positive, was " + maxEventSize);
		}
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Feeds the next bytes of the body; the buffer's position is moved to its limit.
	 * @param buffer the bytes
	 * @param sink receives each event completed by these bytes
	 * @throws StreamParseException when an event exceeds the size limit
	 */
	public void decode(ByteBuffer buffer, Consumer<? super SseEvent> sink) {
		int length = buffer.remaining();
		if (this.scratch.length < length) {
			this.scratch = new byte[Math.max(length, Math.min(this.scratch.length * 2, 8192))];
		}
		buffer.get(this.scratch, 0, length);
		decode(this.scratch, 0, length, sink);
	}

	/**
	 * Feeds the next bytes of the body.
	 * @param bytes array holding the bytes
	 * @param offset first byte
	 * @param length number of bytes
	 * @param sink receives each event completed by these bytes
	 * @throws StreamParseException when an event exceeds the size limit
	 */
	public void decode(byte[] bytes, int offset, int length, Consumer<? super SseEvent> sink) {
		int i = offset;
		int end = offset + length;
		if (!this.bomChecked) {
			i = skipBom(bytes, i, end);
			if (!this.bomChecked) {
				return;
			}
		}
		if (this.skipLeadingLf && i < end) {
			this.skipLeadingLf = false;
			if (bytes[i] == LF) {
				i++;
			}
		}
		int lineStart = i;
		while (i < end) {
			byte b = bytes[i];
			if (b == LF || b == CR) {
				if (this.carryLength > 0) {
					append(bytes, lineStart, i - lineStart);
					line(this.carry, 0, this.carryLength, sink);
					this.carryLength = 0;
				}
				else {
					line(bytes, lineStart, i - lineStart, sink);
				}
				i++;
				if (b == CR) {
					if (i < end) {
						if (bytes[i] == LF) {
							i++;
						}
					}
					else {
						this.skipLeadingLf = true;
					}
				}
				lineStart = i;
			}
			else {
				i++;
			}
		}
		if (lineStart < end) {
			append(bytes, lineStart, end - lineStart);
		}
	}

	/**
	 * Ends the body. An event without its terminating blank line is discarded, as the
	 * WHATWG rules require.
	 * @return whether an incomplete event or line was discarded
	 */
	public boolean end() {
		boolean discarded = this.carryLength > 0 || this.hasData;
		this.carryLength = 0;
		resetEvent();
		return discarded;
	}

	private int skipBom(byte[] bytes, int i, int end) {
		while (i < end && this.bomBytesSeen < 3) {
			if (bytes[i] != BOM[this.bomBytesSeen]) {
				// not a BOM: replay the bytes taken for one
				this.bomChecked = true;
				if (this.bomBytesSeen > 0) {
					append(BOM, 0, this.bomBytesSeen);
				}
				return i;
			}
			this.bomBytesSeen++;
			i++;
		}
		if (this.bomBytesSeen == 3) {
			this.bomChecked = true;
		}
		return i;
	}

	private void append(byte[] bytes, int offset, int length) {
		int needed = this.carryLength + length;
		checkSize(needed);
		if (needed > this.carry.length) {
			this.carry = Arrays.copyOf(this.carry, Math.max(needed, this.carry.length * 2));
		}
		System.arraycopy(bytes, offset, this.carry, this.carryLength, length);
		this.carryLength = needed;
	}

	private void checkSize(int lineLength) {
		if (this.eventSize + lineLength > this.maxEventSize) {
			int size = this.eventSize + lineLength;
			this.carryLength = 0;
			resetEvent();
			throw new StreamParseException(null,
					"SSE event exceeds the limit of " + this.maxEventSize + " bytes (at least " + size + " bytes)",
					null);
		}
	}

	private void line(byte[] bytes, int offset, int length, Consumer<? super SseEvent> sink) {
		if (length == 0) {
			dispatch(sink);
			return;
		}
		checkSize(length);
		this.eventSize += length + 1;
		if (bytes[offset] == ':') {
			this.commentLines++;
			return;
		}
		int colon = -1;
		for (int j = offset; j < offset + length; j++) {
			if (bytes[j] == ':') {
				colon = j;
				break;
			}
		}
		int nameEnd = (colon >= 0) ? colon : offset + length;
		int valueStart = (colon >= 0) ? colon + 1 : offset + length;
		if (valueStart < offset + length && bytes[valueStart] == ' ') {
			valueStart++;
		}
		int valueLength = offset + length - valueStart;
		int nameLength = nameEnd - offset;
		if (is(bytes, offset, nameLength, DATA)) {
			String value = utf8(bytes, valueStart, valueLength);
			if (!this.hasData) {
				this.singleData = value;
				this.hasData = true;
			}
			else {
				if (this.multiData == null) {
					this.multiData = new StringBuilder();
				}
				if (this.singleData != null) {
					this.multiData.setLength(0);
					this.multiData.append(this.singleData);
					this.singleData = null;
				}
				this.multiData.append('\n').append(value);
			}
		}
		else if (is(bytes, offset, nameLength, EVENT)) {
			this.eventType = utf8(bytes, valueStart, valueLength);
		}
		else if (is(bytes, offset, nameLength, ID)) {
			String id = utf8(bytes, valueStart, valueLength);
			if (id.indexOf('\0') < 0) {
				this.lastEventId = id;
			}
		}
		else if (is(bytes, offset, nameLength, RETRY)) {
			this.retry = parseRetry(bytes, valueStart, valueLength);
		}
		else {
			this.ignoredLines++;
		}
	}

	/**
	 * How many lines were ignored because their field name is none of {@code data},
	 * {@code event}, {@code id} and {@code retry} (for example a malformed line such as
	 * {@code dta: …} or one without a colon). Comments are not counted.
	 * @return the number of ignored lines so far
	 */
	public int ignoredLines() {
		return this.ignoredLines;
	}

	/**
	 * How many complete comment lines (starting with {@code :}, such as a proxy's
	 * {@code : keep-alive}) were read so far. They carry nothing, but show that the
	 * server is alive.
	 * @return the number of comment lines so far
	 */
	public int commentLines() {
		return this.commentLines;
	}

	/**
	 * How many malformed UTF-8 sequences were replaced by U+FFFD so far, in the values of
	 * the {@code data}, {@code event} and {@code id} fields read: a byte that cannot
	 * start a character, a sequence cut short, an overlong or surrogate encoding. A
	 * U+FFFD the provider sent itself, well encoded, is not counted. Comments and ignored
	 * lines are not decoded, so not counted either.
	 * @return the number of replacements so far
	 */
	public int invalidUtf8() {
		return this.invalidUtf8;
	}

	/**
	 * Decodes a field value as UTF-8, replacing malformed sequences with U+FFFD and
	 * counting them. The count costs nothing unless the decoded text holds a U+FFFD.
	 */
	private String utf8(byte[] bytes, int offset, int length) {
		String value = new String(bytes, offset, length, StandardCharsets.UTF_8);
		if (value.indexOf(REPLACEMENT) >= 0) {
			this.invalidUtf8 += count(value) - encodedReplacements(bytes, offset, length);
		}
		return value;
	}

	private static int count(String value) {
		int count = 0;
		for (int i = value.indexOf(REPLACEMENT); i >= 0; i = value.indexOf(REPLACEMENT, i + 1)) {
			count++;
		}
		return count;
	}

	/**
	 * The well-formed U+FFFD in the bytes: {@code EF BF BD}. {@code EF} is never a
	 * continuation byte, so each occurrence decodes to a U+FFFD of its own.
	 */
	private static int encodedReplacements(byte[] bytes, int offset, int length) {
		int count = 0;
		for (int i = offset; i + 2 < offset + length; i++) {
			if (bytes[i] == (byte) 0xEF && bytes[i + 1] == (byte) 0xBF && bytes[i + 2] == (byte) 0xBD) {
				count++;
				i += 2;
			}
		}
		return count;
	}

	private @Nullable Long parseRetry(byte[] bytes, int offset, int length) {
		if (length == 0 || length > 18) {
			return this.retry;
		}
		long value = 0;
		for (int j = offset; j < offset + length; j++) {
			byte b = bytes[j];
			if (b < '0' || b > '9') {
				return this.retry;
			}
			value = value * 10 + (b - '0');
		}
		return value;
	}

	private static boolean is(byte[] bytes, int offset, int length, byte[] name) {
		if (length != name.length) {
			return false;
		}
		for (int j = 0; j < length; j++) {
			if (bytes[offset + j] != name[j]) {
				return false;
			}
		}
		return true;
	}

	private void dispatch(Consumer<? super SseEvent> sink) {
		if (!this.hasData) {
			resetEvent();
			return;
		}
		String data = (this.singleData != null) ? this.singleData : this.multiData.toString();
		SseEvent event = new SseEvent(this.eventType, data, this.lastEventId, this.retry);
		resetEvent();
		sink.accept(event);
	}

	private void resetEvent() {
		this.eventType = null;
		this.singleData = null;
		this.hasData = false;
		this.retry = null;
		this.eventSize = 0;
	}

}
