package io.steer.llm.assembly;

import java.util.concurrent.atomic.AtomicLong;

import io.steer.llm.model.StreamingMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamTimings} on a nanosecond source the test moves: exact time to first token,
 * duration and throughput.
 */
class StreamTimingsTests {

	private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

	@Test
	void metricsShouldMeasureFromTheStartAndTheFirstDelta() {
		StreamTimings timings = new StreamTimings(this.nanos::get);
		this.nanos.addAndGet(120_000_000L);
		timings.delta("Hello");
		this.nanos.addAndGet(30_000_000L);
		timings.delta(", world");
		this.nanos.addAndGet(450_000_000L);
		StreamingMetrics metrics = timings.metrics(2, 1);
		assertThat(metrics.chunks()).isEqualTo(2);
		assertThat(metrics.totalChars()).isEqualTo(12);
		assertThat(metrics.timeToFirstTokenMs()).isEqualTo(120.0);
		assertThat(metrics.durationMs()).isEqualTo(600.0);
		// 12 characters in the 0.48 s from the first delta to now
		assertThat(metrics.charsPerSecond()).isEqualTo(25.0);
		assertThat(metrics.attempts()).isEqualTo(1);
	}

	@Test
	void metricsShouldGiveTheMeanAndLongestGapBetweenDeltas() {
		StreamTimings timings = new StreamTimings(this.nanos::get);
		this.nanos.addAndGet(100_000_000L);
		timings.delta("a");
		this.nanos.addAndGet(10_000_000L);
		timings.delta("b");
		this.nanos.addAndGet(50_000_000L);
		timings.delta("c");
		timings.delta("d");
		this.nanos.addAndGet(900_000_000L);
		StreamingMetrics metrics = timings.metrics(4, 1);
		// gaps of 10, 50 and 0 ms; the time after the last delta is no gap
		assertThat(metrics.meanInterChunkMs()).isEqualTo(20.0);
		assertThat(metrics.maxInterChunkMs()).isEqualTo(50.0);
	}

	@Test
	void metricsWithOneDeltaShouldHaveNoGaps() {
		StreamTimings timings = new StreamTimings(this.nanos::get);
		timings.delta("only");
		this.nanos.addAndGet(5_000_000L);
		StreamingMetrics metrics = timings.metrics(1, 1);
		assertThat(metrics.meanInterChunkMs()).isNull();
		assertThat(metrics.maxInterChunkMs()).isNull();
	}

	@Test
	void metricsWithoutDeltasShouldHaveNoTimeToFirstTokenNorThroughput() {
		StreamTimings timings = new StreamTimings(this.nanos::get);
		this.nanos.addAndGet(2_000_000L);
		StreamingMetrics metrics = timings.metrics(0, 3);
		assertThat(metrics.timeToFirstTokenMs()).isNull();
		assertThat(metrics.charsPerSecond()).isZero();
		assertThat(metrics.durationMs()).isEqualTo(2.0);
		assertThat(metrics.attempts()).isEqualTo(3);
	}

	@Test
	void metricsWhenNoTimePassedSinceTheFirstDeltaShouldHaveNoThroughput() {
		StreamTimings timings = new StreamTimings(this.nanos::get);
		this.nanos.addAndGet(7_000_000L);
		timings.delta("Hi");
		StreamingMetrics metrics = timings.metrics(1, 0);
		assertThat(metrics.timeToFirstTokenMs()).isEqualTo(7.0);
		assertThat(metrics.charsPerSecond()).isZero();
		assertThat(metrics.attempts()).isEqualTo(1);
	}

}
