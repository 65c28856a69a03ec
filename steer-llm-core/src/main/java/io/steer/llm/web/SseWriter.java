package io.steer.llm.web;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.steer.llm.event.StreamErrorEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes server-sent events (WHATWG {@code text/event-stream}) to an {@link Appendable}
 * or an {@link OutputStream}, for code that writes a response itself (a servlet, a
 * {@code StreamingResponseBody}, a test); {@link #format(String, String, String, Long)}
 * gives the same text as a {@code String}. {@link ServerSentEvents} is the WebFlux form.
 * <p>
 * Each event is written as its fields in the order {@code event}, {@code data},
 * {@code id}, {@code retry}, each as {@code name: value\n}, then an empty line; a field
 * that is {@code null} is left out. Data with line breaks ({@code \r\n}, {@code \r} or
 * {@code \n}) becomes one {@code data:} line per line, which a browser joins back with
 * {@code \n}. An event name or id with CR, LF or NUL is rejected: it would end the field
 * early, and a browser ignores an id with NUL.
 * <p>
 * The payloads of {@link #writeProgress(long, long)}, {@link #writeError(Throwable)},
 * {@link #writeError(StreamErrorEvent)} and {@link #writeDone()} are those of the events
 * of the same names of {@link ServerSentEvents}. After each event an {@link OutputStream}
 * and a {@link Flushable} {@link Appendable} are flushed, so that the event leaves at
 * once. Not thread-safe: one writer per response.
 */
public final class SseWriter {

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

	private final @Nullable Appendable appendable;

	private final @Nullable OutputStream stream;

	private final SsePayloads payloads;

	private SseWriter(@Nullable Appendable appendable, @Nullable OutputStream stream, JsonMapper mapper) {
		this.appendable = appendable;
		this.stream = stream;
		this.payloads = new SsePayloads(Objects.requireNonNull(mapper, "mapper must not be null"));
	}

	/**
	 * A writer that appends to {@code out} (a {@link StringBuilder}, a
	 * {@link java.io.Writer}, …), with JSON written by a default {@link JsonMapper}.
	 * @param out where the events go, not {@code null}
	 * @return the writer
	 */
	public static SseWriter of(Appendable out) {
		return of(out, DEFAULT_MAPPER);
	}

	/**
	 * A writer that appends to {@code out}, with JSON written by {@code mapper}.
	 * @param out where the events go, not {@code null}
	 * @param mapper writes the JSON payloads, not {@code null}
	 * @return the writer
	 */
	public static SseWriter of(Appendable out, JsonMapper mapper) {
		return new SseWriter(Objects.requireNonNull(out, "out must not be null"), null, mapper);
	}

	/**
	 * A writer that writes UTF-8 bytes to {@code out}, with JSON written by a default
	 * {@link JsonMapper}.
	 * @param out where the events go, not {@code null}; flushed after each event, never
	 * closed
	 * @return the writer
	 */
	public static SseWriter of(OutputStream out) {
		return of(out, DEFAULT_MAPPER);
	}

	/**
	 * A writer that writes UTF-8 bytes to {@code out}, with JSON written by
	 * {@code mapper}.
	 * @param out where the events go, not {@code null}; flushed after each event, never
	 * closed
	 * @param mapper writes the JSON payloads, not {@code null}
	 * @return the writer
	 */
	public static SseWriter of(OutputStream out, JsonMapper mapper) {
		return new SseWriter(null, Objects.requireNonNull(out, "out must not be null"), mapper);
	}

	/**
	 * Formats one event: {@code format("message", "data", "id-123", 1000L)} is
	 * {@code "event: message\ndata: data\nid: id-123\nretry: 1000\n\n"}.
	 * @param event the event name, or {@code null} for none (a browser then dispatches a
	 * {@code message} event)
	 * @param data the data, or {@code null} for none (a browser dispatches no event
	 * without data); one {@code data:} line per line of it
	 * @param id the event id, or {@code null} for none
	 * @param retryMs the reconnection time in milliseconds, or {@code null} for none
	 * @return the event's text, ending with an empty line
	 * @throws IllegalArgumentException if {@code event} or {@code id} contains CR, LF or
	 * NUL (the message names the field), or {@code retryMs} is negative
	 */
	public static String format(@Nullable String event, @Nullable String data, @Nullable String id,
			@Nullable Long retryMs) {
		StringBuilder text = new StringBuilder(((data != null) ? data.length() : 0) + 32);
		if (event != null) {
			text.append("event: ").append(checkField("event", event)).append('\n');
		}
		if (data != null) {
			appendData(text, data);
		}
		if (id != null) {
			text.append("id: ").append(checkField("id", id)).append('\n');
		}
		if (retryMs != null) {
			if (retryMs < 0) {
				throw new IllegalArgumentException("retry must not be negative, was " + retryMs);
			}
			text.append("retry: ").append(retryMs).append('\n');
		}
		return text.append('\n').toString();
	}

	/**
	 * Writes an event with a name and data: {@code event: name\ndata: data\n\n}.
	 * @param name the event name, not {@code null}
	 * @param data the data, not {@code null}
	 * @return this writer
	 * @throws IllegalArgumentException if {@code name} contains CR, LF or NUL
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeEvent(String name, String data) {
		return write(format(Objects.requireNonNull(name, "name must not be null"),
				Objects.requireNonNull(data, "data must not be null"), null, null));
	}

	/**
	 * Writes an event with data only ({@code data: data\n\n}), which a browser dispatches
	 * as a {@code message} event.
	 * @param data the data, not {@code null}
	 * @return this writer
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeData(String data) {
		return write(format(null, Objects.requireNonNull(data, "data must not be null"), null, null));
	}

	/**
	 * Writes a value as JSON data ({@code data: {"a":1}\n\n}), dispatched as a
	 * {@code message} event.
	 * @param value the value, written with this writer's {@link JsonMapper}; {@code null}
	 * is written as {@code null}
	 * @return this writer
	 * @throws tools.jackson.core.JacksonException if the value cannot be written as JSON
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeJson(@Nullable Object value) {
		return write(format(null, this.payloads.json(value), null, null));
	}

	/**
	 * Writes a {@code progress} event: {@code writeProgress(50, 100)} writes
	 * {@code event: progress\ndata: {"current":50,"total":100,"percentage":50.0}\n\n}.
	 * @param current how far the work is (in any unit: tokens, items, bytes)
	 * @param total the whole work in the same unit; 0 or less when unknown, and then the
	 * percentage is {@code null}
	 * @return this writer
	 * @throws IllegalArgumentException if {@code current} is negative
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeProgress(long current, long total) {
		if (current < 0) {
			throw new IllegalArgumentException("current must not be negative, was " + current);
		}
		return write(format(ServerSentEvents.PROGRESS, this.payloads.progress(current, total), null, null));
	}

	/**
	 * Writes the {@code done} event that ends a stream: {@code event: done\ndata:
	 * {}\n\n}.
	 * @return this writer
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeDone() {
		return write(format(ServerSentEvents.DONE, SsePayloads.DONE, null, null));
	}

	/**
	 * Writes an {@code error} event for a failure: {@code event: error\ndata:
	 * {"type":…,"message":…,"retryable":…,"partialText":…}\n\n}. A
	 * {@link io.steer.llm.error.SteerLLMException} keeps its type, retryability and
	 * partial text; any other failure has type {@code PROCESSOR}, is not retryable and
	 * has an empty partial text. The message has anything shaped like an API key masked.
	 * @param failure the failure, not {@code null}
	 * @return this writer
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeError(Throwable failure) {
		Objects.requireNonNull(failure, "failure must not be null");
		return write(format(ServerSentEvents.ERROR, this.payloads.error(failure, ""), null, null));
	}

	/**
	 * Writes the {@code error} event of a stream's error event, with its type,
	 * retryability and partial text.
	 * @param error the error event, not {@code null}
	 * @return this writer
	 * @throws UncheckedIOException if writing fails
	 */
	public SseWriter writeError(StreamErrorEvent error) {
		Objects.requireNonNull(error, "error must not be null");
		return write(format(ServerSentEvents.ERROR, this.payloads.error(error), null, null));
	}

	private SseWriter write(String event) {
		try {
			if (this.stream != null) {
				this.stream.write(event.getBytes(StandardCharsets.UTF_8));
				this.stream.flush();
			}
			else if (this.appendable != null) {
				this.appendable.append(event);
				if (this.appendable instanceof Flushable flushable) {
					flushable.flush();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write a server-sent event", ex);
		}
		return this;
	}

	/**
	 * Appends one {@code data:} line per line of {@code data}, lines ending at
	 * {@code \r\n}, {@code \r} or {@code \n}.
	 */
	private static void appendData(StringBuilder text, String data) {
		int start = 0;
		int length = data.length();
		for (int i = 0; i < length; i++) {
			char c = data.charAt(i);
			if (c == '\r' || c == '\n') {
				text.append("data: ").append(data, start, i).append('\n');
				if (c == '\r' && i + 1 < length && data.charAt(i + 1) == '\n') {
					i++;
				}
				start = i + 1;
			}
		}
		text.append("data: ").append(data, start, length).append('\n');
	}

	/**
	 * Checks that a one-line field has no CR, LF or NUL.
	 * @throws IllegalArgumentException naming the field if it has one
	 */
	static String checkField(String field, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n' || c == '\0') {
				throw new IllegalArgumentException(field + " must not contain CR, LF or NUL, found "
						+ ((c == '\0') ? "NUL" : (c == '\r') ? "CR" : "LF") + " at index " + i);
			}
		}
		return value;
	}

}
