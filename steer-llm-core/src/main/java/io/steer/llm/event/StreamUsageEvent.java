package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

import io.steer.llm.model.Usage;

/**
 * Token usage of the stream, from the provider or estimated.
 *
 * @param streamId id of the stream
 * @param usage the usage
 * @param estimated whether the usage is an estimate rather than the provider's count
 * @param confidence how far the counts can be trusted, from 0 to 1; 1.0 for the
 * provider's own count
 * @param timestamp when the usage was known
 * @param metadata extras added by processors, see {@link StreamEvent#metadata()}
 */
public record StreamUsageEvent(String streamId, Usage usage, boolean estimated, double confidence, Instant timestamp,
		Map<String, Object> metadata) implements StreamEvent {

	/**
	 * Creates the event; the metadata is copied (an empty {@code Map.of()} is kept as it
	 * is).
	 * @param streamId id of the stream
	 * @param usage the usage
	 * @param estimated whether the usage is an estimate
	 * @param confidence how far the counts can be trusted, from 0 to 1
	 * @param timestamp when the usage was known
	 * @param metadata extras added by processors
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamUsageEvent {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Creates the event with no metadata.
	 * @param streamId id of the stream
	 * @param usage the usage
	 * @param estimated whether the usage is an estimate
	 * @param confidence how far the counts can be trusted, from 0 to 1
	 * @param timestamp when the usage was known
	 */
	public StreamUsageEvent(String streamId, Usage usage, boolean estimated, double confidence, Instant timestamp) {
		this(streamId, usage, estimated, confidence, timestamp, Map.of());
	}

	/**
	 * Whether the usage is an estimate.
	 * @return {@link #estimated()}
	 */
	public boolean isEstimated() {
		return this.estimated;
	}

	@Override
	public StreamUsageEvent withMetadata(String key, Object value) {
		return new StreamUsageEvent(this.streamId, this.usage, this.estimated, this.confidence, this.timestamp,
				EventMetadata.with(this.metadata, key, value));
	}

	@Override
	public StreamUsageEvent withMetadata(Map<String, ?> entries) {
		Map<String, Object> metadata = EventMetadata.with(this.metadata, entries);
		return (metadata == this.metadata) ? this : new StreamUsageEvent(this.streamId, this.usage, this.estimated,
				this.confidence, this.timestamp, metadata);
	}

}
