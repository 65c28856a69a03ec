package io.steer.llm.error;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The user's {@link io.steer.llm.pipeline.EventProcessor} failed: it threw while it was
 * applied, signalled an error, or returned {@code null}. The failure is the
 * {@linkplain #getCause() cause}.
 * <p>
 * A processor's failure does not end the stream: the rest of it is still read (cancel the
 * subscription to stop it), so the {@linkplain #getPartialResponse() partial response} is
 * everything the stream produced, complete when the stream itself completed. When the
 * stream failed as well, its own exception is {@linkplain #getSuppressed() suppressed}
 * here. Never retryable: the same processor is likely to fail the same way. The message
 * names the stream and the failure's class, never its message, which the processor wrote.
 * <p>
 * Also the failure of a {@link io.steer.llm.json.JsonProcessor} (the options'
 * {@code jsonProcessor}) that threw or returned {@code null} on an answer's JSON value:
 * that one ends the stream, with the partial response, at the end of the answer.
 */
public class EventProcessorException extends SteerLLMException {

	/**
	 * Creates the exception, never {@linkplain #isRetryable() retryable}.
	 * @param provider provider of the stream, or {@code null} when none was chosen
	 * @param streamId id of the stream whose events the processor was processing
	 * @param cause the processor's failure, not {@code null}
	 */
	public EventProcessorException(@Nullable String provider, String streamId, Throwable cause) {
		super("Event processor of stream " + streamId + " failed with "
				+ Objects.requireNonNull(cause, "cause must not be null").getClass().getName(),
				StreamErrorType.PROCESSOR, false, provider, cause);
	}

}
