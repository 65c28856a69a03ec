package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The connection ended, or broke, after the stream had begun and before the provider's
 * end-of-stream marker. The partial response holds everything that arrived.
 * <p>
 * Retryable, but sending the request again starts the answer over. The client itself never
 * does that once a delta was delivered: it continues the same answer where the provider
 * allows it (a background OpenAI Responses API response is resumed, an Anthropic message is
 * continued from its text), and otherwise ends the stream with this exception.
 */
public class StreamInterruptedException extends SteerLLMException {

	/**
	 * Creates the exception, always {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 * @param message how the stream ended, e.g. that the connection closed before the
	 * end-of-stream marker
	 * @param cause the underlying failure, or {@code null} when the body simply ended early
	 */
	public StreamInterruptedException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.INTERRUPTED, true, provider, cause);
	}

}
