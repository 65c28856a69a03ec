package io.steer.llm.event;

import java.time.Instant;

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
 */
public record StreamUsageEvent(String streamId, Usage usage, boolean estimated, double confidence,
		Instant timestamp) implements StreamEvent {

	/**
	 * Whether the usage is an estimate.
	 * @return {@link #estimated()}
	 */
	public boolean isEstimated() {
		return this.estimated;
	}

}
