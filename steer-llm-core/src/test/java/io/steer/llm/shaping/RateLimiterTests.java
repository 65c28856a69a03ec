package io.steer.llm.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.ToolCallDelta;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RateLimiter} on virtual time: burst then steady rate, a new rate mid-stream,
 * reset, a limiter shared by two streams, and the text and event operators.
 */
class RateLimiterTests {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	@Test
	void acquireShouldPassTheBurstAtOnceThenWaitForTheRate() {
		RateLimiter limiter = RateLimiter.burst(10, 20, this.scheduler);
		// a verifier disposes its virtual time scheduler at the end: one per test
		assertThat(limiter.tryAcquire(20)).isTrue();
		StepVerifier.withVirtualTime(() -> limiter.acquire(5), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(499))
			.thenAwait(Duration.ofMillis(1))
			.verifyComplete();
	}

	@Test
	void limitTextShouldReleaseBurstThenSteadyRate() {
		// 10 pieces of 1 token each (4 characters), 5 tokens per second, burst 3
		RateLimiter limiter = RateLimiter.burst(5, 3, this.scheduler);
		List<Long> releasedAtMs = new ArrayList<>();
		StepVerifier
			.withVirtualTime(
					() -> Flux.range(0, 10)
						.map((i) -> "abcd")
						.transform(limiter.limitText())
						.doOnNext((piece) -> releasedAtMs.add(this.scheduler.now(TimeUnit.MILLISECONDS))),
					() -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(10))
			.expectNextCount(10)
			.verifyComplete();
		assertThat(releasedAtMs).containsExactly(0L, 0L, 0L, 200L, 400L, 600L, 800L, 1000L, 1200L, 1400L);
	}

	@Test
	void ofShouldUseTheRateAsBurst() {
		RateLimiter limiter = RateLimiter.of(50, this.scheduler);
		assertThat(limiter.burst()).isEqualTo(50);
		assertThat(limiter.rate()).isEqualTo(50);
		assertThat(limiter.tryAcquire(50)).isTrue();
		assertThat(limiter.tryAcquire(1)).isFalse();
		this.scheduler.advanceTimeBy(Duration.ofMillis(20));
		assertThat(limiter.tryAcquire(1)).isTrue();
		assertThat(limiter.tryAcquire(1)).isFalse();
	}

	@Test
	void setRateMidStreamShouldChangeThePaceFromThen() {
		RateLimiter limiter = RateLimiter.burst(10, 1, this.scheduler);
		List<Long> releasedAtMs = new ArrayList<>();
		StepVerifier
			.withVirtualTime(
					() -> Flux.range(0, 6)
						.map((i) -> "abcd")
						.transform(limiter.limitText())
						.doOnNext((piece) -> releasedAtMs.add(this.scheduler.now(TimeUnit.MILLISECONDS))),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectNextCount(1)
			.thenAwait(Duration.ofMillis(200))
			.expectNextCount(2)
			.then(() -> limiter.setRate(2))
			.thenAwait(Duration.ofSeconds(5))
			.expectNextCount(3)
			.verifyComplete();
		// 0, 100, 200 at 10/s; the fourth piece's wait was handed out at 200 ms at 10/s
		// (300), leaving the bucket 1 token in debt; from 200 ms it refills at 2/s: -0.8
		// at 300, so the fifth waits 1.8 / 2 s (1200), the sixth 1 / 2 s (1700)
		assertThat(releasedAtMs).containsExactly(0L, 100L, 200L, 300L, 1200L, 1700L);
		assertThat(limiter.rate()).isEqualTo(2.0);
	}

	@Test
	void setRateOnALimiterMadeWithOfShouldMoveTheBurst() {
		RateLimiter limiter = RateLimiter.of(10, this.scheduler);
		limiter.setRate(100);
		assertThat(limiter.burst()).isEqualTo(100);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(limiter.tryAcquire(100)).isTrue();
		RateLimiter bursty = RateLimiter.burst(10, 30, this.scheduler);
		bursty.setRate(100);
		assertThat(bursty.burst()).isEqualTo(30);
	}

	@Test
	void resetShouldRefillTheBucketAndForgiveDebt() {
		RateLimiter limiter = RateLimiter.burst(1, 5, this.scheduler);
		assertThat(limiter.tryAcquire(5)).isTrue();
		// a reservation of 5 more puts the bucket 5 tokens in debt (a 5 s wait)
		StepVerifier.withVirtualTime(() -> limiter.acquire(5), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.then(() -> assertThat(limiter.availableTokens()).isEqualTo(-5))
			.expectNoEvent(Duration.ofMillis(4999))
			.thenAwait(Duration.ofMillis(1))
			.verifyComplete();
		assertThat(limiter.tryAcquire(1)).isFalse();
		limiter.reset();
		assertThat(limiter.availableTokens()).isEqualTo(5);
		assertThat(limiter.tryAcquire(5)).isTrue();
	}

	@Test
	void acquireMoreThanTheBurstShouldWaitForTheRateNotForever() {
		RateLimiter limiter = RateLimiter.burst(10, 10, this.scheduler);
		// 30 tokens: 10 from the bucket, 20 more at 10/s = 2 s
		StepVerifier.withVirtualTime(() -> limiter.acquire(30), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(1999))
			.thenAwait(Duration.ofMillis(1))
			.verifyComplete();
	}

	@Test
	void cancelledAcquireShouldGiveTheTokensBack() {
		RateLimiter limiter = RateLimiter.burst(10, 10, this.scheduler);
		assertThat(limiter.tryAcquire(10)).isTrue();
		StepVerifier.withVirtualTime(() -> limiter.acquire(10), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.thenAwait(Duration.ofMillis(500))
			.thenCancel()
			.verify();
		// 5 refilled; the cancelled reservation of 10 is given back
		assertThat(limiter.availableTokens()).isEqualTo(5);
	}

	@Test
	void sharedLimiterShouldCapTheSumOfTwoStreams() {
		// 20 tokens per second, burst 10, two streams of 30 one-token pieces each
		RateLimiter limiter = RateLimiter.burst(20, 10, this.scheduler);
		List<Long> releasedAtMs = new ArrayList<>();
		StepVerifier.withVirtualTime(() -> {
			Flux<String> a = Flux.range(0, 30).map((i) -> "a").transform(limiter.limitText());
			Flux<String> b = Flux.range(0, 30).map((i) -> "b").transform(limiter.limitText());
			return Flux.merge(a, b).doOnNext((piece) -> releasedAtMs.add(this.scheduler.now(TimeUnit.MILLISECONDS)));
		}, () -> this.scheduler, Long.MAX_VALUE).thenAwait(Duration.ofSeconds(10)).expectNextCount(60).verifyComplete();
		// 60 tokens = 10 of burst + 50 at 20/s: the last at 2.5 s, and at no time more
		// than burst + rate x elapsed
		assertThat(releasedAtMs.get(59)).isEqualTo(2500L);
		for (int i = 0; i < releasedAtMs.size(); i++) {
			long at = releasedAtMs.get(i);
			long releasedBy = releasedAtMs.stream().filter((t) -> t <= at).count();
			assertThat(releasedBy).as("released by %d ms", at).isLessThanOrEqualTo(10 + 20 * at / 1000);
		}
		// each stream alone would have finished at 1 s
		assertThat(releasedAtMs.stream().filter((t) -> t <= 1000).count()).isEqualTo(30);
	}

	@Test
	void limitEventsShouldChargeOnlyTextAndReasoning() {
		RateLimiter limiter = RateLimiter.burst(1, 1, this.scheduler);
		Instant now = Instant.EPOCH;
		List<StreamEvent> events = List.of(new StreamStartEvent("s", "openai", "m", null, now, Map.of()),
				delta(DeltaKind.TEXT, "abcd", 0), delta(DeltaKind.TOOL_CALL, "{\"a\":1, \"b\":2}", 1),
				delta(DeltaKind.REASONING, "abcd", 2), delta(DeltaKind.TEXT, "abcd", 3));
		List<Long> releasedAtMs = new ArrayList<>();
		StepVerifier
			.withVirtualTime(
					() -> Flux.fromIterable(events)
						.transform(limiter.limitEvents())
						.doOnNext((event) -> releasedAtMs.add(this.scheduler.now(TimeUnit.MILLISECONDS))),
					() -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(10))
			.expectNextSequence(events)
			.verifyComplete();
		// start free, text 1 (burst), tool call free, reasoning after 1 s, text after 2 s
		assertThat(releasedAtMs).containsExactly(0L, 0L, 0L, 1000L, 2000L);
	}

	@Test
	void customTokenCounterShouldSetTheCost() {
		RateLimiter limiter = RateLimiter.burst(1, 2, this.scheduler).withTokenCounter((text) -> 2);
		StepVerifier
			.withVirtualTime(() -> Flux.just("a", "b").transform(limiter.limitText()), () -> this.scheduler,
					Long.MAX_VALUE)
			.expectNext("a")
			.expectNoEvent(Duration.ofMillis(1999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("b")
			.verifyComplete();
	}

	@Test
	void limitTextShouldRespectBackpressure() {
		RateLimiter limiter = RateLimiter.of(1000, this.scheduler);
		StepVerifier
			.withVirtualTime(() -> Flux.just("a", "b", "c").transform(limiter.limitText()), () -> this.scheduler, 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.thenRequest(1)
			.expectNext("a")
			.thenRequest(2)
			.expectNext("b", "c")
			.verifyComplete();
	}

	@Test
	void estimateShouldBeAQuarterOfTheCodePointsRoundedUp() {
		assertThat(RateLimiter.estimateTokens("")).isZero();
		assertThat(RateLimiter.estimateTokens("a")).isEqualTo(1);
		assertThat(RateLimiter.estimateTokens("abcd")).isEqualTo(1);
		assertThat(RateLimiter.estimateTokens("abcde")).isEqualTo(2);
		assertThat(RateLimiter.estimateTokens("😀😀😀😀")).isEqualTo(1);
	}

	@Test
	void invalidArgumentsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.of(0));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.of(Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.of(Double.POSITIVE_INFINITY));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.burst(10, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.of(10).acquire(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.of(10).setRate(-1));
	}

	private static StreamDeltaEvent delta(DeltaKind kind, String text, int index) {
		ToolCallDelta toolCall = null;
		return new StreamDeltaEvent("s", kind, text, index, 0, kind == DeltaKind.TOOL_CALL, toolCall, Instant.EPOCH);
	}

}
