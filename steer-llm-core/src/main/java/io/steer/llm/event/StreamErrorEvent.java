package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

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
 * @param metadata extras added by processors, see {@link StreamEvent#metadata()}
 */
public record StreamErrorEvent(String streamId, SteerLLMException error, StreamErrorType errorType, boolean retryable,
		StreamingResponse partialResponse, Instant timestamp, Map<String, Object> metadata) implements StreamEvent {

	/**
	 * Creates the event; the metadata is copied (an empty {@code Map.of()} is kept as it
	 * is).
	 * @param streamId id of the stream
	 * @param error the failure
	 * @param errorType kind of failure
	 * @param retryable whether sending the same request again may succeed
	 * @param partialResponse everything received before the failure
	 * @param timestamp when the failure was seen
	 * @param metadata extras added by processors
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamErrorEvent {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Creates the event with no metadata.
	 * @param streamId id of the stream
	 * @param error the failure
	 * @param errorType kind of failure
	 * @param retryable whether sending the same request again may succeed
	 * @param partialResponse everything received before the failure
	 * @param timestamp when the failure was seen
	 */
	public StreamErrorEvent(String streamId, SteerLLMException error, StreamErrorType errorType, boolean retryable,
			StreamingResponse partialResponse, Instant timestamp) {
		this(streamId, error, errorType, retryable, partialResponse, timestamp, Map.of());
	}

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

	@Override
	public StreamErrorEvent withMetadata(String key, Object value) {
		return new StreamErrorEvent(this.streamId, this.error, this.errorType, this.retryable, this.partialResponse,
				this.timestamp, EventMetadata.with(this.metadata, key, value));
	}

	@Override
	public StreamErrorEvent withMetadata(Map<String, ?> entries) {
		Map<String, Object> metadata = EventMetadata.with(this.metadata, entries);
		return (metadata == this.metadata) ? this : new StreamErrorEvent(this.streamId, this.error, this.errorType,
				this.retryable, this.partialResponse, this.timestamp, metadata);
	}

}
