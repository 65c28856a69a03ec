package io.steer.llm.observation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The recent streams of one provider and model, as {@link StreamStatistics} sees them:
 * over its window (the last streams, no older than its maximum age).
 *
 * @param provider the provider's name
 * @param model the model, or {@code other} past the distinct models kept
 * @param streams streams in the window
 * @param completed of which completed
 * @param cancelled of which the subscriber or an operator cancelled
 * @param errors of which failed, by {@link io.steer.llm.error.StreamErrorType} name,
 * sorted by name (empty when none failed)
 * @param timeToFirstChunkP50Ms median time to the first delta (ms, nearest rank), or
 * {@code null} when no stream had a delta
 * @param timeToFirstChunkP95Ms 95th percentile time to the first delta (ms, nearest
 * rank), or {@code null}
 * @param inputTokens prompt tokens over the window
 * @param outputTokens completion tokens over the window
 * @param costUsd cost over the window in USD (streams without a price count 0)
 * @param lastStreamAt when the latest stream in the window ended, or {@code null} when
 * the window is empty
 */
public record ModelStatistics(String provider, String model, int streams, int completed, int cancelled,
		Map<String, Integer> errors, @Nullable Double timeToFirstChunkP50Ms, @Nullable Double timeToFirstChunkP95Ms,
		long inputTokens, long outputTokens, BigDecimal costUsd, @Nullable Instant lastStreamAt) {

	/**
	 * Failed streams over the window.
	 * @return the sum of {@link #errors()}
	 */
	public int failed() {
		int failed = 0;
		for (int count : this.errors.values()) {
			failed += count;
		}
		return failed;
	}

}
