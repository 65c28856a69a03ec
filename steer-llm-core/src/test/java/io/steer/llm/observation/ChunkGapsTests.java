package io.steer.llm.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ChunkGaps}: what it replays rebuilds the same timer as every gap would.
 */
class ChunkGapsTests {

	@Test
	void replayWhenGapsSpreadOverBucketsShouldGiveTheSameCountSumMaxAndBuckets() {
		SplittableRandom random = new SplittableRandom(42);
		List<Long> gaps = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			// from 0 to about 100 s, most of them small, as real gaps are
			double scale = Math.pow(10, random.nextInt(0, 12)) / 10;
			gaps.add((long) (random.nextDouble() * scale));
		}
		gaps.add(10_000_000L); // exactly on the 10 ms boundary: le="0.01"
		gaps.add(81_920_000_000L); // exactly on the last boundary
		gaps.add(0L);
		ChunkGaps chunkGaps = new ChunkGaps();
		gaps.forEach(chunkGaps::record);
		Timer every = timer("every");
		gaps.forEach((gap) -> every.record(gap, TimeUnit.NANOSECONDS));
		Timer replayed = timer("replayed");
		chunkGaps.replay((nanos) -> replayed.record(nanos, TimeUnit.NANOSECONDS));
		assertThat(chunkGaps.count()).isEqualTo(gaps.size());
		HistogramSnapshot expected = every.takeSnapshot();
		HistogramSnapshot actual = replayed.takeSnapshot();
		assertThat(actual.count()).isEqualTo(expected.count());
		assertThat(actual.total(TimeUnit.NANOSECONDS)).isEqualTo(expected.total(TimeUnit.NANOSECONDS));
		assertThat(actual.max(TimeUnit.NANOSECONDS)).isEqualTo(expected.max(TimeUnit.NANOSECONDS));
		assertThat(counts(actual)).containsExactly(counts(expected));
		assertThat(counts(expected)[0]).isPositive();
	}

	@Test
	void replayWhenNoGapShouldGiveNothing() {
		ChunkGaps chunkGaps = new ChunkGaps();
		List<Long> values = new ArrayList<>();
		chunkGaps.replay(values::add);
		assertThat(chunkGaps.count()).isZero();
		assertThat(values).isEmpty();
	}

	@Test
	void replayWhenOneBucketShouldKeepItsLargestAndSpreadTheRest() {
		ChunkGaps chunkGaps = new ChunkGaps();
		chunkGaps.record(1);
		chunkGaps.record(2);
		chunkGaps.record(4);
		chunkGaps.record(9);
		List<Long> values = new ArrayList<>();
		chunkGaps.replay(values::add);
		// 9 once, then 7 spread over three values: 3, 2, 2
		assertThat(values).containsExactly(9L, 3L, 2L, 2L);
	}

	private static Timer timer(String name) {
		Duration[] buckets = new Duration[14];
		for (int i = 0; i < buckets.length; i++) {
			buckets[i] = Duration.ofMillis(10L << i);
		}
		return Timer.builder(name).serviceLevelObjectives(buckets).register(new SimpleMeterRegistry());
	}

	private static double[] counts(HistogramSnapshot snapshot) {
		CountAtBucket[] buckets = snapshot.histogramCounts();
		double[] counts = new double[buckets.length];
		for (int i = 0; i < buckets.length; i++) {
			counts[i] = buckets[i].count();
		}
		return counts;
	}

}
