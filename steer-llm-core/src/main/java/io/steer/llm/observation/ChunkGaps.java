package io.steer.llm.observation;

import java.util.function.LongConsumer;

/**
 * The gaps between consecutive deltas of one stream, kept in fixed space whatever the
 * stream's length: per bucket of {@code gen_ai.client.operation.time_per_output_chunk}
 * (the 14 boundaries 10 ms to 81.92 s, and above), the count, the sum and the largest
 * gap, in primitive fields allocated once per stream. {@link #replay(LongConsumer)} gives
 * the meter values that rebuild exactly the same bucket counts, count, sum and maximum as
 * recording every gap would, so nothing grows or allocates per chunk.
 * <p>
 * Not thread-safe: written by the stream's delivering thread, replayed once at its end.
 */
final class ChunkGaps {

	/** The bucket boundaries in nanoseconds: 10 ms doubling up to 81.92 s. */
	private static final long[] BOUNDARIES = boundaries();

	private final long[] counts = new long[BOUNDARIES.length + 1];

	private final long[] sums = new long[BOUNDARIES.length + 1];

	private final long[] maxima = new long[BOUNDARIES.length + 1];

	private long total;

	/**
	 * Records one gap.
	 * @param nanos the gap (ns), 0 or more
	 */
	void record(long nanos) {
		int bucket = 0;
		while (bucket < BOUNDARIES.length && nanos > BOUNDARIES[bucket]) {
			bucket++;
		}
		this.counts[bucket]++;
		this.sums[bucket] += nanos;
		if (nanos > this.maxima[bucket]) {
			this.maxima[bucket] = nanos;
		}
		this.total++;
	}

	/**
	 * How many gaps were recorded.
	 * @return the count
	 */
	long count() {
		return this.total;
	}

	/**
	 * Gives the values to record, in nanoseconds: per bucket its largest gap once, then
	 * its other gaps at their mean (which stays within the bucket, as every gap in it is
	 * above its lower boundary and at most its largest; a remainder is spread one
	 * nanosecond at a time). The same count, bucket counts, sum and maximum as the gaps
	 * themselves.
	 * @param values told each value (ns)
	 */
	void replay(LongConsumer values) {
		for (int bucket = 0; bucket < this.counts.length; bucket++) {
			long count = this.counts[bucket];
			if (count == 0) {
				continue;
			}
			long max = this.maxima[bucket];
			values.accept(max);
			if (count > 1) {
				long rest = this.sums[bucket] - max;
				long mean = rest / (count - 1);
				long remainder = rest - mean * (count - 1);
				for (long i = 0; i < count - 1; i++) {
					values.accept((i < remainder) ? mean + 1 : mean);
				}
			}
		}
	}

	private static long[] boundaries() {
		long[] boundaries = new long[14];
		for (int i = 0; i < boundaries.length; i++) {
			boundaries[i] = (10L << i) * 1_000_000L;
		}
		return boundaries;
	}

}
