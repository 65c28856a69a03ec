package io.steer.llm.observation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.StreamErrorType;
import org.jspecify.annotations.Nullable;
import io.steer.llm.retry.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link StreamStatistics}: the window, the maximum age, the model cap, nearest-rank
 * percentiles and the classification of the passive provider signals.
 */
class StreamStatisticsTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(T0);

	private static EndedStream success(String model, @Nullable Double ttftMs) {
		return new EndedStream("openai", model, StreamOutcome.SUCCESS, null, null, null, ttftMs, 10, 5,
				new BigDecimal("0.001"), T0);
	}

	private static EndedStream failure(StreamErrorType type, @Nullable Integer status, String message) {
		return new EndedStream("openai", "gpt-4o-mini", StreamOutcome.ERROR, type, status, message, null, 0, 0, null,
				T0);
	}

	@Test
	void recordShouldKeepTheLastWindowStreamsPerModelAndPerProvider() {
		StreamStatistics statistics = new StreamStatistics(3, 10, Duration.ofMinutes(15), this.clock);
		for (int i = 1; i <= 5; i++) {
			statistics.record(success("gpt-4o-mini", (double) i));
		}
		assertThat(statistics.models()).singleElement().satisfies((model) -> {
			assertThat(model.streams()).isEqualTo(3);
			assertThat(model.completed()).isEqualTo(3);
			// the last three: 3, 4 and 5 ms
			assertThat(model.timeToFirstChunkP50Ms()).isEqualTo(4.0);
			assertThat(model.inputTokens()).isEqualTo(30);
			assertThat(model.outputTokens()).isEqualTo(15);
			assertThat(model.costUsd()).isEqualByComparingTo("0.003");
		});
		assertThat(statistics.signals("openai").streams()).isEqualTo(3);
	}

	@Test
	void streamsOlderThanTheMaximumAgeShouldNoLongerCount() {
		StreamStatistics statistics = new StreamStatistics(10, 10, Duration.ofMinutes(1), this.clock);
		statistics.record(success("gpt-4o-mini", 100.0));
		statistics.record(failure(StreamErrorType.HTTP, 429, "rate limited"));
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(statistics.models()).singleElement().satisfies((model) -> assertThat(model.streams()).isEqualTo(2));
		assertThat(statistics.signals("openai").rateLimited()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(statistics.models()).isEmpty();
		ProviderSignals signals = statistics.signals("openai");
		assertThat(signals.streams()).isZero();
		assertThat(signals.rateLimited()).isZero();
		assertThat(signals.lastErrorType()).isNull();
		assertThat(signals.failureRate()).isZero();
	}

	@Test
	void modelsPastTheCapShouldCountAsOther() {
		StreamStatistics statistics = new StreamStatistics(10, 2, Duration.ofMinutes(15), this.clock);
		for (String model : List.of("a", "b", "c", "d", "a")) {
			statistics.record(success(model, null));
		}
		assertThat(statistics.models()).extracting(ModelStatistics::model, ModelStatistics::streams)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", 2), org.assertj.core.groups.Tuple.tuple("b", 1),
					org.assertj.core.groups.Tuple.tuple("other", 2));
	}

	@Test
	void percentilesShouldBeNearestRankOverTheStreamsWithADelta() {
		StreamStatistics statistics = new StreamStatistics(100, 10, Duration.ofMinutes(15), this.clock);
		// recorded out of order: 20, 19 … 1 ms, and two streams without a delta
		for (int i = 20; i >= 1; i--) {
			statistics.record(success("gpt-4o-mini", (double) i));
		}
		statistics.record(success("gpt-4o-mini", null));
		statistics.record(failure(StreamErrorType.TIMEOUT, null, "read timeout"));
		ModelStatistics model = statistics.models().get(0);
		assertThat(model.streams()).isEqualTo(22);
		// nearest rank over 20 values: ceil(0.5 * 20) = 10th, ceil(0.95 * 20) = 19th
		assertThat(model.timeToFirstChunkP50Ms()).isEqualTo(10.0);
		assertThat(model.timeToFirstChunkP95Ms()).isEqualTo(19.0);
		assertThat(model.errors()).isEqualTo(Map.of("TIMEOUT", 1));
		assertThat(model.failed()).isEqualTo(1);
		assertThat(model.lastStreamAt()).isEqualTo(T0);
		StreamStatistics one = new StreamStatistics(100, 10, Duration.ofMinutes(15), this.clock);
		one.record(success("gpt-4o-mini", 42.0));
		assertThat(one.models().get(0).timeToFirstChunkP50Ms()).isEqualTo(42.0);
		assertThat(one.models().get(0).timeToFirstChunkP95Ms()).isEqualTo(42.0);
		StreamStatistics none = new StreamStatistics(100, 10, Duration.ofMinutes(15), this.clock);
		none.record(success("gpt-4o-mini", null));
		assertThat(none.models().get(0).timeToFirstChunkP50Ms()).isNull();
	}

	@Test
	void signalsShouldClassifyEachFailureOnce() {
		StreamStatistics statistics = new StreamStatistics(100, 10, Duration.ofMinutes(15), this.clock);
		statistics.record(success("gpt-4o-mini", 1.0));
		statistics.record(new EndedStream("openai", "gpt-4o-mini", StreamOutcome.CANCELLED, null, null, null, null, 0,
				0, null, T0));
		statistics.record(failure(StreamErrorType.HTTP, 429, "slow down"));
		statistics.record(failure(StreamErrorType.HTTP, 503, "unavailable"));
		statistics.record(failure(StreamErrorType.PROVIDER, null, "overloaded"));
		statistics.record(failure(StreamErrorType.TIMEOUT, null, "read timeout"));
		statistics.record(failure(StreamErrorType.CONNECTION, null, "refused"));
		statistics.record(failure(StreamErrorType.INTERRUPTED, null, "closed"));
		statistics.record(failure(StreamErrorType.HTTP, 401, "bad key"));
		statistics.record(new EndedStream("anthropic", "claude", StreamOutcome.ERROR, StreamErrorType.HTTP, 500,
				"other provider", null, 0, 0, null, T0));
		ProviderSignals signals = statistics.signals("openai");
		assertThat(signals.provider()).isEqualTo("openai");
		assertThat(signals.streams()).isEqualTo(9);
		assertThat(signals.rateLimited()).isEqualTo(1);
		assertThat(signals.serverErrors()).isEqualTo(2);
		assertThat(signals.timeouts()).isEqualTo(1);
		assertThat(signals.connectionErrors()).isEqualTo(2);
		assertThat(signals.failureRate()).isEqualTo(6.0 / 9);
		assertThat(signals.lastErrorType()).isEqualTo("HTTP");
		assertThat(signals.lastErrorMessage()).isEqualTo("bad key");
		assertThat(signals.lastErrorAt()).isEqualTo(T0);
		assertThat(statistics.signals("xai").streams()).isZero();
		ModelStatistics model = statistics.models()
			.stream()
			.filter((m) -> m.provider().equals("openai"))
			.findFirst()
			.orElseThrow();
		assertThat(model.completed()).isEqualTo(1);
		assertThat(model.cancelled()).isEqualTo(1);
		assertThat(model.errors()).containsExactly(Map.entry("CONNECTION", 1), Map.entry("HTTP", 3),
				Map.entry("INTERRUPTED", 1), Map.entry("PROVIDER", 1), Map.entry("TIMEOUT", 1));
		assertThat(statistics.models()).extracting(ModelStatistics::provider).containsExactly("anthropic", "openai");
	}

	@Test
	void boundsShouldBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StreamStatistics(0, 1, Duration.ofMinutes(1), this.clock));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StreamStatistics(1, 0, Duration.ofMinutes(1), this.clock));
		assertThatIllegalArgumentException().isThrownBy(() -> new StreamStatistics(1, 1, Duration.ZERO, this.clock));
	}

}
