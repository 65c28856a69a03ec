package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * The stream ended normally.
 *
 * @param streamId id of the stream
 * @param totalChunks number of delta events delivered
 * @param durationMs time from sending the request to the end of the stream (ms)
 * @param usage final usage, {@code null} when none was sent or estimated
 * @param response everything the stream produced
 * @param timestamp when the stream ended
 * @param metadata extras added by processors, see {@link StreamEvent#metadata()}
 */
public record StreamCompleteEvent(String streamId, int totalChunks, double durationMs, @Nullable Usage usage,
		StreamingResponse response, Instant timestamp, Map<String, Object> metadata) implements StreamEvent {

	/**
	 * Creates the event; the metadata is copied (an empty {@code Map.of()} is kept as it
	 * is).
	 * @param streamId id of the stream
	 * @param totalChunks number of delta events delivered
	 * @param durationMs time from sending the request to the end of the stream (ms)
	 * @param usage final usage, {@code null} when none
	 * @param response everything the stream produced
	 * @param timestamp when the stream ended
	 * @param metadata extras added by processors
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamCompleteEvent {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Creates the event with no metadata.
	 * @param streamId id of the stream
	 * @param totalChunks number of delta events delivered
	 * @param durationMs time from sending the request to the end of the stream (ms)
	 * @param usage final usage, {@code null} when none
	 * @param response everything the stream produced
	 * @param timestamp when the stream ended
	 */
	public StreamCompleteEvent(String streamId, int totalChunks, double durationMs, @Nullable Usage usage,
			StreamingResponse response, Instant timestamp) {
		this(streamId, totalChunks, durationMs, usage, response, timestamp, Map.of());
	}

	/**
	 * The final usage, under the original SDK's name.
	 * @return {@link #usage()}
	 */
	public @Nullable Usage finalUsage() {
		return this.usage;
	}

	/**
	 * The cost of the stream.
	 * @return the cost in USD, {@code null} when unknown; see
	 * {@link StreamingResponse#costEstimated()}
	 */
	public java.math.@Nullable BigDecimal costUsd() {
		return this.response.costUsd();
	}

	/**
	 * The number of HTTP attempts the stream took: 1 when the first succeeded, more after
	 * retries or a resumed or continued stream.
	 * @return the attempts, at least 1
	 * @see StreamingResponse#attempts()
	 */
	public int attempts() {
		return this.response.metrics().attempts();
	}

	@Override
	public boolean isTerminal() {
		return true;
	}

	@Override
	public StreamCompleteEvent withMetadata(String key, Object value) {
		return new StreamCompleteEvent(this.streamId, this.totalChunks, this.durationMs, this.usage, this.response,
				this.timestamp, EventMetadata.with(this.metadata, key, value));
	}

	@Override
	public StreamCompleteEvent withMetadata(Map<String, ?> entries) {
		Map<String, Object> metadata = EventMetadata.with(this.metadata, entries);
		return (metadata == this.metadata) ? this : new StreamCompleteEvent(this.streamId, this.totalChunks,
				this.durationMs, this.usage, this.response, this.timestamp, metadata);
	}

}
