package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The connection to the provider could not be opened or failed before a response arrived.
 * Retryable.
 */
public class StreamConnectionException extends SteerLLMException {

	public StreamConnectionException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.CONNECTION, true, provider, cause);
	}

}
