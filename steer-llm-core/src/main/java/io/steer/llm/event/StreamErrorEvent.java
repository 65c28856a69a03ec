package io.steer.llm.event;

import java.time.Instant;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.model.StreamingResponse;

/**
 * The stream failed. What arrived before the failure is kept in
 * {@link #partialResponse()}.
 *
 * @param streamId id of the stream
 * @param error the failure
 * @param errorType kind of failure
 * @param retryable whether sending the same request again may succeed
 * @param partialResponse everything received before the failure (text, tool calls, usage
 * so far)
 * @param timestamp when the failure was seen
 */
public record StreamErrorEvent(String streamId, SteerLLMException error, StreamErrorType errorType, boolean retryable,
		StreamingResponse partialResponse, Instant timestamp) implements StreamEvent {

	/**
	 * Whether sending the same request again may succeed.
	 * @return {@link #retryable()}
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * The text received before the failure.
	 * @return the partial text of choice 0, possibly empty
	 */
	public String partialText() {
		return this.partialResponse.text();
	}

	@Override
	public boolean isTerminal() {
		return true;
	}

}
