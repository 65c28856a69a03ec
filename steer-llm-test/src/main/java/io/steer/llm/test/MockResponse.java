package io.steer.llm.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A scripted HTTP response for {@link LoopbackProviderServer}: a status, headers and a
 * body made of writes, plus optional timing and faults.
 * <p>
 * Streamed responses ({@link #replay(SseFixture)}, {@link #chunks(List)}) are sent with
 * {@code Transfer-Encoding: chunked}, each write as its own flushed HTTP/1.1 chunk, so a
 * client sees the same boundaries the script gives. A {@link #status(int, String)}
 * response is sent in one piece with a {@code Content-Length}, unless a fault is
 * injected.
 * <p>
 * Instances are immutable: every {@code with}-style method returns a new instance.
 *
 * @see LoopbackProviderServer#enqueue(MockResponse)
 */
public final class MockResponse {

	private static final String CONTENT_TYPE = "Content-Type";

	private static final String EVENT_STREAM = "text/event-stream";

	private static final String APPLICATION_JSON = "application/json";

	private final int status;

	private final Map<String, String> headers;

	private final List<byte[]> writes;

	private final boolean stream;

	private final Duration delayBetweenEvents;

	private final Duration delayBeforeFirstByte;

	private final Fault fault;

	private final int faultAfter;

	private final boolean gzip;

	private MockResponse(int status, Map<String, String> headers, List<byte[]> writes, boolean stream,
			Duration delayBetweenEvents, Duration delayBeforeFirstByte, Fault fault, int faultAfter, boolean gzip) {
		this.status = status;
		this.headers = headers;
		this.writes = writes;
		this.stream = stream;
		this.delayBetweenEvents = delayBetweenEvents;
		this.delayBeforeFirstByte = delayBeforeFirstByte;
		this.fault = fault;
		this.faultAfter = faultAfter;
		this.gzip = gzip;
	}

	/**
	 * Replay a recorded stream: status 200, {@code Content-Type: text/event-stream}, and
	 * one write per {@linkplain SseFixture#events() event block}, each flushed on its
	 * own.
	 * @param fixture the stream to replay
	 * @return the response
	 */
	public static MockResponse replay(SseFixture fixture) {
		Objects.requireNonNull(fixture, "'fixture' must not be null");
		return new MockResponse(200, headers(EVENT_STREAM), List.copyOf(fixture.events()), true, Duration.ZERO,
				Duration.ZERO, Fault.NONE, 0, false);
	}

	/**
	 * Stream raw chunks exactly as given: status 200,
	 * {@code Content-Type: text/event-stream}, and one flushed write per chunk. Use it to
	 * split a stream at any byte position, for example inside a multi-byte UTF-8
	 * character or between a CR and its LF.
	 * @param chunks the writes, in order; each is copied, empty ones are allowed
	 * @return the response
	 */
	public static MockResponse chunks(List<byte[]> chunks) {
		Objects.requireNonNull(chunks, "'chunks' must not be null");
		return new MockResponse(200, headers(EVENT_STREAM), chunks.stream().map(byte[]::clone).toList(), true,
				Duration.ZERO, Duration.ZERO, Fault.NONE, 0, false);
	}

	/**
	 * Answer with a status and a body sent in one write, by default with
	 * {@code Content-Type: application/json}. Typical use is a provider error such as
	 * {@code status(429, "{\"error\":{...}}").header("Retry-After", "1")}.
	 * @param status the HTTP status code, 100 to 599
	 * @param body the body, encoded as UTF-8; may be empty
	 * @return the response
	 * @throws IllegalArgumentException if the status is out of range
	 */
	public static MockResponse status(int status, String body) {
		Objects.requireNonNull(body, "'body' must not be null");
		List<byte[]> writes = body.isEmpty() ? List.of() : List.of(body.getBytes(StandardCharsets.UTF_8));
		return new MockResponse(checkStatus(status), headers(APPLICATION_JSON), writes, false, Duration.ZERO,
				Duration.ZERO, Fault.NONE, 0, false);
	}

	/**
	 * Return a copy with the given status code, keeping the body and headers.
	 * @param status the HTTP status code, 100 to 599
	 * @return a new response
	 * @throws IllegalArgumentException if the status is out of range
	 */
	public MockResponse withStatus(int status) {
		return new MockResponse(checkStatus(status), this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, this.fault, this.faultAfter, this.gzip);
	}

	/**
	 * Return a copy with a response header set, replacing any header of the same name
	 * (names are case-insensitive).
	 * @param name the header name
	 * @param value the header value
	 * @return a new response
	 */
	public MockResponse header(String name, String value) {
		Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(value, "'value' must not be null");
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(this.headers);
		headers.remove(name);
		headers.put(name, value);
		return new MockResponse(this.status, Collections.unmodifiableMap(headers), this.writes, this.stream,
				this.delayBetweenEvents, this.delayBeforeFirstByte, this.fault, this.faultAfter, this.gzip);
	}

	/**
	 * Return a copy without a response header (names are case-insensitive), for example
	 * {@code withoutHeader("Content-Type")} to send a stream without a content type.
	 * @param name the header name
	 * @return a new response
	 */
	public MockResponse withoutHeader(String name) {
		Objects.requireNonNull(name, "'name' must not be null");
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(this.headers);
		headers.remove(name);
		return new MockResponse(this.status, Collections.unmodifiableMap(headers), this.writes, this.stream,
				this.delayBetweenEvents, this.delayBeforeFirstByte, this.fault, this.faultAfter, this.gzip);
	}

	/**
	 * Return a copy with the {@code Content-Type} header set.
	 * @param contentType the media type, for example
	 * {@code text/event-stream; charset=utf-8}
	 * @return a new response
	 */
	public MockResponse contentType(String contentType) {
		return header(CONTENT_TYPE, contentType);
	}

	/**
	 * Return a copy that waits between two consecutive writes; nothing is added before
	 * the first write.
	 * @param delay the pause between writes, zero or more
	 * @return a new response
	 * @throws IllegalArgumentException if the delay is negative
	 */
	public MockResponse delayBetweenEvents(Duration delay) {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, checkDelay(delay),
				this.delayBeforeFirstByte, this.fault, this.faultAfter, this.gzip);
	}

	/**
	 * Return a copy that sends nothing at all, not even the status line and headers,
	 * until the delay has passed after the request was received in full. Use it to
	 * exercise connect/read timeouts and time to first token.
	 * @param delay the pause before the first byte, zero or more
	 * @return a new response
	 * @throws IllegalArgumentException if the delay is negative
	 */
	public MockResponse delayBeforeFirstByte(Duration delay) {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				checkDelay(delay), this.fault, this.faultAfter, this.gzip);
	}

	/**
	 * Return a copy that closes the TCP connection abruptly after the status, headers and
	 * the first {@code events} writes: no terminating chunk is sent, so a client sees a
	 * premature close rather than a clean end of the response. When {@code events} is at
	 * least the number of writes, all writes are sent before the close. Replaces any
	 * {@link #stallAfterEvents(int)}.
	 * @param events the number of writes to send first, 0 or more
	 * @return a new response
	 * @throws IllegalArgumentException if {@code events} is negative
	 */
	public MockResponse dropAfterEvents(int events) {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, Fault.DROP, checkEvents(events), this.gzip);
	}

	/**
	 * Return a copy that, after the status, headers and the first {@code events} writes,
	 * sends nothing more and keeps the connection open until the client goes away or the
	 * server is closed. Use it to exercise read timeouts and cancellation. When
	 * {@code events} is at least the number of writes, every write is sent and the body
	 * is then kept open: the end of the response (the terminating chunk) is never sent,
	 * as by a provider or proxy that does not close the body after the stream's end
	 * marker. Replaces any {@link #dropAfterEvents(int)}.
	 * @param events the number of writes to send first, 0 or more
	 * @return a new response
	 * @throws IllegalArgumentException if {@code events} is negative
	 */
	public MockResponse stallAfterEvents(int events) {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, Fault.STALL, checkEvents(events), this.gzip);
	}

	/**
	 * Return a copy that closes the TCP connection as soon as the request has been
	 * received, without sending a byte of the response: a client sees the connection
	 * close before the status line. Replaces any other fault.
	 * @return a new response
	 */
	public MockResponse closeBeforeHeaders() {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, Fault.CLOSE_BEFORE_HEADERS, 0, this.gzip);
	}

	/**
	 * Return a copy that sends the status line and the first header line of the response,
	 * unterminated (no blank line ends the headers), then closes the TCP connection: a
	 * client sees the connection close in the middle of the response headers. Replaces
	 * any other fault.
	 * @return a new response
	 */
	public MockResponse closeDuringHeaders() {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, Fault.CLOSE_DURING_HEADERS, 0, this.gzip);
	}

	/**
	 * Return a copy whose body the server compresses with gzip when the request accepts
	 * it (its {@code Accept-Encoding} lists {@code gzip}, without {@code q=0}), as a
	 * provider behind a compressing proxy does: the response then carries
	 * {@code Content-Encoding: gzip}, and each write is compressed and flushed on its own
	 * (a deflate sync flush), so a client that decodes as it reads still sees every event
	 * when it is sent. A request that does not accept gzip gets the body as is. The gzip
	 * trailer is sent only when the response ends normally, not after a drop or stall.
	 * @return a new response
	 */
	public MockResponse gzipWhenAccepted() {
		return new MockResponse(this.status, this.headers, this.writes, this.stream, this.delayBetweenEvents,
				this.delayBeforeFirstByte, this.fault, this.faultAfter, true);
	}

	int status() {
		return this.status;
	}

	Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * Return the writes the server sends, honouring a drop or stall limit.
	 * @return the writes; the arrays are shared and must not be modified
	 */
	List<byte[]> writesToSend() {
		return ((this.fault == Fault.DROP || this.fault == Fault.STALL) && this.faultAfter < this.writes.size())
				? this.writes.subList(0, this.faultAfter) : this.writes;
	}

	Duration delayBetweenEvents() {
		return this.delayBetweenEvents;
	}

	Duration delayBeforeFirstByte() {
		return this.delayBeforeFirstByte;
	}

	Fault fault() {
		return this.fault;
	}

	/**
	 * Whether the body is gzip-compressed for a request that accepts it.
	 * @return {@code true} after {@link #gzipWhenAccepted()}
	 */
	boolean isGzipWhenAccepted() {
		return this.gzip;
	}

	/**
	 * Whether the body is sent in one piece with a {@code Content-Length} rather than
	 * chunk by chunk.
	 * @return {@code true} for a {@link #status(int, String)} response without fault
	 */
	boolean isFixedLength() {
		return !this.stream && this.fault == Fault.NONE;
	}

	@Override
	public String toString() {
		return "MockResponse[status=" + this.status + ", headers=" + this.headers + ", writes=" + this.writes.size()
				+ ", delayBetweenEvents=" + this.delayBetweenEvents + ", delayBeforeFirstByte="
				+ this.delayBeforeFirstByte + (this.gzip ? ", gzipWhenAccepted" : "") + ", fault=" + this.fault
				+ ((this.fault == Fault.DROP || this.fault == Fault.STALL) ? " after " + this.faultAfter + " writes"
						: "")
				+ "]";
	}

	private static Map<String, String> headers(String contentType) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.put(CONTENT_TYPE, contentType);
		return Collections.unmodifiableMap(headers);
	}

	private static int checkStatus(int status) {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("'status' must be between 100 and 599, got " + status);
		}
		return status;
	}

	private static Duration checkDelay(Duration delay) {
		Objects.requireNonNull(delay, "'delay' must not be null");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("'delay' must not be negative, got " + delay);
		}
		return delay;
	}

	private static int checkEvents(int events) {
		if (events < 0) {
			throw new IllegalArgumentException("'events' must not be negative, got " + events);
		}
		return events;
	}

	/**
	 * Fault injected into a response.
	 */
	enum Fault {

		/** Send every write and end the response normally. */
		NONE,

		/** Close the connection abruptly after the given number of writes. */
		DROP,

		/**
		 * Send nothing more after the given number of writes, keeping the connection
		 * open.
		 */
		STALL,

		/** Close the connection without sending any of the response. */
		CLOSE_BEFORE_HEADERS,

		/** Send part of the status line and headers, then close the connection. */
		CLOSE_DURING_HEADERS

	}

}
