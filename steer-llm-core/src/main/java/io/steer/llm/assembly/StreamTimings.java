package io.steer.llm.assembly;

import java.util.function.LongSupplier;

import io.steer.llm.model.StreamingMetrics;

/**
 * The timing figures of one stream, across its attempts, on the stream's monotonic
 * source: duration from the first attempt, time to the first delta, the gaps between
 * consecutive deltas (mean and longest: the inter-token latency), and throughput from the
 * first delta on. One per stream; not thread-safe.
 */
final class StreamTimings {

	private final LongSupplier nanoClock;

	private final long startNanos;

	private long firstDeltaNanos = -1;

	private long lastDeltaNanos = -1;

	/** Gaps measured between consecutive deltas: one fewer than the deltas. */
	private long gaps;

	private long maxGapNanos;

	private long totalChars;

	/**
	 * Starts the stream's clock now.
	 * @param nanoClock the monotonic source, in nanoseconds
	 */
	StreamTimings(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
		this.startNanos = nanoClock.getAsLong();
	}

	/**
	 * A delta was delivered: the first one marks the time to first token.
	 * @param text the delta's text, whose characters count towards the throughput
	 */
	void delta(String text) {
		long now = this.nanoClock.getAsLong();
		if (this.firstDeltaNanos < 0) {
			this.firstDeltaNanos = now;
		}
		else {
			this.gaps++;
			this.maxGapNanos = Math.max(this.maxGapNanos, now - this.lastDeltaNanos);
		}
		this.lastDeltaNanos = now;
		this.totalChars += text.length();
	}

	/**
	 * The figures as of now.
	 * @param chunks the deltas delivered
	 * @param attempts the HTTP attempts made
	 * @return the metrics
	 */
	StreamingMetrics metrics(int chunks, int attempts) {
		long now = this.nanoClock.getAsLong();
		double durationMs = (now - this.startNanos) / 1_000_000.0;
		Double ttft = (this.firstDeltaNanos >= 0) ? (this.firstDeltaNanos - this.startNanos) / 1_000_000.0 : null;
		double streamingSeconds = (this.firstDeltaNanos >= 0) ? (now - this.firstDeltaNanos) / 1_000_000_000.0 : 0;
		double charsPerSecond = (streamingSeconds > 0) ? this.totalChars / streamingSeconds : 0;
		// the gaps span the first delta to the last, so their mean needs no sum of its
		// own
		Double meanGap = (this.gaps > 0) ? (this.lastDeltaNanos - this.firstDeltaNanos) / 1_000_000.0 / this.gaps
				: null;
		Double maxGap = (this.gaps > 0) ? this.maxGapNanos / 1_000_000.0 : null;
		return new StreamingMetrics(chunks, this.totalChars, durationMs, ttft, charsPerSecond, Math.max(1, attempts),
				meanGap, maxGap);
	}

}
