package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The stream could not be read: a malformed SSE event, a chunk that is not valid JSON or
 * not of the provider's shape, an event larger than the configured limit, or response
 * headers larger than the connector accepts. Not retryable: the same request is likely to
 * produce the same bytes.
 */
public class StreamParseException extends SteerLLMException {

	/**
	 * Creates the exception, never {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when the failure is not tied to one
	 * (the SSE decoder)
	 * @param message what could not be read
	 * @param cause the underlying failure (e.g. a Jackson exception), or {@code null}
	 */
	public StreamParseException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.PARSE, false, provider, cause);
	}

}
