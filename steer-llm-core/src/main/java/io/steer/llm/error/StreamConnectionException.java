package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The connection to the provider could not be opened (refused, unresolvable, TLS failure)
 * or failed with an I/O error (such as a reset) before a response arrived. Retryable. A
 * connection the provider closed before the response headers were complete is a
 * {@link StreamInterruptedException}.
 */
public class StreamConnectionException extends SteerLLMException {

	/**
	 * Creates the exception, always {@linkplain #isRetryable() retryable}.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 * @param message what failed, e.g. naming the provider's base URL that could not be
	 * reached
	 * @param cause the underlying failure (e.g. a {@code ConnectException}), or
	 * {@code null}
	 */
	public StreamConnectionException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.CONNECTION, true, provider, cause);
	}

}
