package io.steer.llm.options.adaptive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link NetworkQualityEstimator}: a sliding window per provider, failure rate and median
 * time to first chunk against thresholds, and hysteresis.
 */
class NetworkQualityEstimatorTests {

	private static final String OPENAI = "openai";

	private static NetworkObservation fast() {
		return NetworkObservation.completed(OPENAI, 300);
	}

	private static NetworkObservation slow() {
		return NetworkObservation.completed(OPENAI, 9_000);
	}

	private static List<NetworkQuality> record(NetworkQualityEstimator estimator, NetworkObservation observation,
			int times) {
		List<NetworkQuality> qualities = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			qualities.add(estimator.record(observation));
		}
		return qualities;
	}

	@Test
	void qualityWhenNoObservationShouldBeGood() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		assertThat(estimator.quality(OPENAI)).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.qualities()).isEmpty();
	}

	@Test
	void recordWhenFirstChunksAreSlowShouldDegradeToPoorAfterHysteresis() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		// median above 8 s from the first slow stream on: three agreeing evaluations
		assertThat(record(estimator, slow(), 3)).containsExactly(NetworkQuality.GOOD, NetworkQuality.GOOD,
				NetworkQuality.POOR);
		assertThat(estimator.qualities()).isEqualTo(Map.of(OPENAI, NetworkQuality.POOR));
	}

	@Test
	void recordWhenFirstChunksAreSomewhatSlowShouldDegradeToFair() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		assertThat(record(estimator, NetworkObservation.completed(OPENAI, 3_000), 3)).endsWith(NetworkQuality.FAIR);
	}

	@Test
	void recordWhenStreamsTimeOutShouldDegradeToPoor() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		record(estimator, fast(), 10);
		// 1 of 20 (5%) is not above the fair rate; 2 of 20 (10%) is fair; 3 of 20 (15%)
		// poor
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.connectionFailure(OPENAI))).isEqualTo(NetworkQuality.POOR);
	}

	@Test
	void recordWhenGoodStreamsFollowShouldRecoverOnceTheFailuresLeaveTheWindow() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.builder().window(5).build();
		assertThat(record(estimator, NetworkObservation.timeout(OPENAI), 3)).endsWith(NetworkQuality.POOR);
		// the window [T T T] -> [T T T G G] -> [G G G G G]: the last timeout leaves it at
		// the 5th good stream, one evaluation that says good; two more make three
		List<NetworkQuality> qualities = record(estimator, fast(), 7);
		assertThat(qualities).containsExactly(NetworkQuality.POOR, NetworkQuality.POOR, NetworkQuality.POOR,
				NetworkQuality.POOR, NetworkQuality.POOR, NetworkQuality.POOR, NetworkQuality.GOOD);
	}

	@Test
	void recordWhenOneOutlierShouldNotFlipTheLevel() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		record(estimator, fast(), 20);
		assertThat(estimator.record(slow())).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(record(estimator, fast(), 40)).containsOnly(NetworkQuality.GOOD);
	}

	@Test
	void recordWhenTheFirstStreamIsAnOutlierShouldNotFlipTheLevel() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.ofDefaults();
		assertThat(estimator.record(slow())).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(record(estimator, fast(), 20)).containsOnly(NetworkQuality.GOOD);
	}

	@Test
	void recordWhenEvaluationsAlternateShouldNeverReachTheHysteresis() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.builder().window(1).hysteresis(2).build();
		// window 1: each observation alone decides the evaluation; fair, good, fair, ...
		for (int i = 0; i < 10; i++) {
			assertThat(estimator.record(NetworkObservation.completed(OPENAI, 3_000))).isEqualTo(NetworkQuality.GOOD);
			assertThat(estimator.record(fast())).isEqualTo(NetworkQuality.GOOD);
		}
		// poor then fair: two evaluations away from good, but not the same level
		assertThat(estimator.record(slow())).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.completed(OPENAI, 3_000))).isEqualTo(NetworkQuality.GOOD);
		assertThat(estimator.record(NetworkObservation.completed(OPENAI, 3_000))).isEqualTo(NetworkQuality.FAIR);
	}

	@Test
	void recordWithHysteresisShouldChangeAfterExactlyThatManyAgreeingEvaluations() {
		for (int hysteresis = 1; hysteresis <= 5; hysteresis++) {
			NetworkQualityEstimator estimator = NetworkQualityEstimator.builder().hysteresis(hysteresis).build();
			List<NetworkQuality> qualities = record(estimator, slow(), hysteresis);
			assertThat(qualities.subList(0, hysteresis - 1)).as("hysteresis %d", hysteresis)
				.doesNotContain(NetworkQuality.FAIR, NetworkQuality.POOR);
			assertThat(qualities.get(hysteresis - 1)).as("hysteresis %d", hysteresis).isEqualTo(NetworkQuality.POOR);
		}
	}

	@Test
	void recordShouldKeepProvidersApart() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.builder().hysteresis(1).build();
		estimator.record(NetworkObservation.completed("anthropic", 9_000));
		estimator.record(NetworkObservation.completed(OPENAI, 100));
		assertThat(estimator.qualities()).containsExactly(Map.entry("anthropic", NetworkQuality.POOR),
				Map.entry(OPENAI, NetworkQuality.GOOD));
	}

	@Test
	void recordWithCustomThresholdsShouldUseThem() {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.builder()
			.hysteresis(1)
			.window(4)
			.fairFailureRate(0.25)
			.poorFailureRate(0.5)
			.fairFirstChunk(Duration.ofMillis(100))
			.poorFirstChunk(Duration.ofMillis(200))
			.build();
		assertThat(estimator.record(NetworkObservation.completed(OPENAI, 150))).isEqualTo(NetworkQuality.FAIR);
		assertThat(estimator.record(NetworkObservation.completed(OPENAI, 250))).isEqualTo(NetworkQuality.FAIR);
		assertThat(estimator.record(NetworkObservation.completed(OPENAI, 250))).isEqualTo(NetworkQuality.POOR);
		NetworkQualityEstimator failures = NetworkQualityEstimator.builder()
			.hysteresis(1)
			.window(4)
			.fairFailureRate(0.25)
			.poorFailureRate(0.5)
			.build();
		// 1 of 4 is not above 0.25; 2 of 4 is; 3 of 4 is above 0.5
		assertThat(failures.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.GOOD);
		assertThat(failures.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.FAIR);
		assertThat(failures.record(NetworkObservation.connectionFailure(OPENAI))).isEqualTo(NetworkQuality.POOR);
	}

	@Test
	void recordFromManyThreadsShouldKeepEveryObservation() throws InterruptedException {
		NetworkQualityEstimator estimator = NetworkQualityEstimator.builder().window(1000).hysteresis(1).build();
		ExecutorService executor = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < 4; t++) {
			executor.execute(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < 25; i++) {
					estimator.record(NetworkObservation.timeout(OPENAI));
				}
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		// 100 timeouts of a window of 1000: 10%, fair; one more is above 10%, poor
		assertThat(estimator.quality(OPENAI)).isEqualTo(NetworkQuality.FAIR);
		assertThat(estimator.record(NetworkObservation.timeout(OPENAI))).isEqualTo(NetworkQuality.POOR);
	}

	@Test
	void buildWhenASettingIsInvalidShouldFailNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkQualityEstimator.builder().window(0).build())
			.withMessageContaining("window");
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkQualityEstimator.builder().hysteresis(0).build())
			.withMessageContaining("hysteresis");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkQualityEstimator.builder().poorFailureRate(1.5).build())
			.withMessageContaining("poorFailureRate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkQualityEstimator.builder().fairFailureRate(0.5).build())
			.withMessageContaining("fairFailureRate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkQualityEstimator.builder().fairFirstChunk(Duration.ofSeconds(10)).build())
			.withMessageContaining("fairFirstChunk");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkQualityEstimator.builder().poorFirstChunk(Duration.ZERO).build())
			.withMessageContaining("poorFirstChunk");
	}

	@Test
	void networkQualityShouldHaveLowerCaseValues() {
		assertThat(NetworkQuality.GOOD.value()).isEqualTo("good");
		assertThat(NetworkQuality.FAIR.value()).isEqualTo("fair");
		assertThat(NetworkQuality.POOR.value()).isEqualTo("poor");
		assertThat(NetworkQuality.of(" Poor")).isEqualTo(NetworkQuality.POOR);
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkQuality.of("bad")).withMessageContaining("bad");
	}

}
