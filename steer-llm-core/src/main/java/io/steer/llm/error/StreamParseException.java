package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The stream could not be read: a malformed SSE event, a chunk that is not valid JSON or
 * not of the provider's shape, an event larger than the configured limit, response
 * headers larger than the connector accepts, or a JSON answer that is not valid JSON
 * (then {@link #offset()} says where in the answer's text it broke). Not retryable: the
 * same request is likely to produce the same bytes.
 */
public class StreamParseException extends SteerLLMException {

	/** Char offset in a JSON answer's text where it broke, -1 when not about one. */
	private final long offset;

	/**
	 * Creates the exception, never {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when the failure is not tied to one
	 * (the SSE decoder)
	 * @param message what could not be read
	 * @param cause the underlying failure (e.g. a Jackson exception), or {@code null}
	 */
	public StreamParseException(@Nullable String provider, String message, @Nullable Throwable cause) {
		this(provider, message, cause, -1);
	}

	/**
	 * Creates the exception of an answer's text that is not valid JSON, never
	 * {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null}
	 * @param message what could not be read, naming the offset
	 * @param cause the underlying failure, or {@code null}
	 * @param offset the char offset in the answer's text (choice's text) where the JSON
	 * broke, from 0; -1 when the failure is not about a JSON answer
	 */
	public StreamParseException(@Nullable String provider, String message, @Nullable Throwable cause, long offset) {
		super(message, StreamErrorType.PARSE, false, provider, cause);
		this.offset = offset;
	}

	/**
	 * Where the JSON answer broke.
	 * @return the char offset in the answer's text, from 0; -1 when the failure is not
	 * about a JSON answer's text
	 */
	public long offset() {
		return this.offset;
	}

}
