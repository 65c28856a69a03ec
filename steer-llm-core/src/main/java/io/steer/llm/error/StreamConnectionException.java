package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The connection to the provider could not be opened or failed before a response arrived.
 * Retryable.
 */
public class StreamConnectionException extends SteerLLMException {

	/**
	 * Creates the exception, always {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 * @param message what failed, e.g. naming the provider's base URL that could not be reached
	 * @param cause the underlying failure (e.g. a {@code ConnectException}), or {@code null}
	 */
	public StreamConnectionException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.CONNECTION, true, provider, cause);
	}

}
