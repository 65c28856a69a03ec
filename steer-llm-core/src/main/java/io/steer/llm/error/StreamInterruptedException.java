package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The connection ended, or broke, before the provider's end-of-stream marker: once the
 * stream had begun, or after the request was sent and before the response headers were
 * complete (whether no byte or part of the headers had arrived). The partial response
 * holds everything that arrived. Once the end marker was read the stream is complete,
 * whatever the connection does next.
 * <p>
 * Retryable, but sending the request again starts the answer over. The client itself
 * never does that once a delta was delivered: it continues the same answer where the
 * provider allows it (a background OpenAI Responses API response is resumed, an Anthropic
 * message is continued from its text), and otherwise ends the stream with this exception.
 */
public class StreamInterruptedException extends SteerLLMException {

	/**
	 * Creates the exception, always {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 * @param message how the stream ended, e.g. that the connection closed before the
	 * end-of-stream marker
	 * @param cause the underlying failure, or {@code null} when the body simply ended
	 * early
	 */
	public StreamInterruptedException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.INTERRUPTED, true, provider, cause);
	}

}
