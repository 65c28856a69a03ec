package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The connection ended, or broke, after the stream had begun and before the provider's
 * end-of-stream marker. The partial response holds everything that arrived. Retryable, but a
 * retry starts the answer over.
 */
public class StreamInterruptedException extends SteerLLMException {

	public StreamInterruptedException(@Nullable String provider, String message, @Nullable Throwable cause) {
		super(message, StreamErrorType.INTERRUPTED, true, provider, cause);
	}

}
