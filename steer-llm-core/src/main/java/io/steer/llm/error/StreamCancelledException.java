package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * An operator cancelled the stream while it ran (through
 * {@link io.steer.llm.observation.LiveStreams#cancel(String)}, as the {@code steer}
 * actuator endpoint does): the provider connection was closed, and the partial response
 * holds the text and usage so far. Never retryable: an operator stopped it on purpose.
 */
public class StreamCancelledException extends SteerLLMException {

	/** The message of every operator cancel. */
	public static final String MESSAGE = "Stream cancelled by an operator";

	/**
	 * Creates the exception, never {@linkplain #isRetryable() retryable}, with the
	 * message {@value #MESSAGE}.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 */
	public StreamCancelledException(@Nullable String provider) {
		super(MESSAGE, StreamErrorType.CANCELLED, false, provider, null);
	}

}
