package io.steer.llm.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ProgressTracker} and its operators on virtual time: counts, percentage, time
 * left, throttled reports and the final report.
 */
class ProgressTrackerTests {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	@Test
	void snapshotShouldComputePercentageAndTimeLeft() {
		ProgressTracker tracker = ProgressTracker.create(100L, this.scheduler, RateLimiter::estimateTokens);
		assertThat(tracker.snapshot()).isEqualTo(new Progress(0, 100L, Duration.ZERO, 0.0, null, false));
		this.scheduler.advanceTimeBy(Duration.ofSeconds(1));
		tracker.addTokens(25);
		// 25 tokens in 1 s: 75 left take 3 s
		assertThat(tracker.snapshot())
			.isEqualTo(new Progress(25, 100L, Duration.ofSeconds(1), 25.0, Duration.ofSeconds(3), false));
		tracker.addText("abcdefgh");
		assertThat(tracker.snapshot().tokensReceived()).isEqualTo(27);
	}

	@Test
	void unknownTotalShouldGiveNoPercentageNorTimeLeft() {
		ProgressTracker tracker = ProgressTracker.create(null, this.scheduler, RateLimiter::estimateTokens);
		this.scheduler.advanceTimeBy(Duration.ofMillis(300));
		tracker.addTokens(10);
		Progress progress = tracker.snapshot();
		assertThat(progress.percentage()).isNull();
		assertThat(progress.estimatedTimeLeft()).isNull();
		assertThat(progress.estimatedTotalTokens()).isNull();
		assertThat(progress.elapsed()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void pastTheTotalShouldCapAtOneHundredPercent() {
		ProgressTracker tracker = ProgressTracker.create(10L, this.scheduler, RateLimiter::estimateTokens);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(1));
		tracker.addTokens(15);
		assertThat(tracker.snapshot().percentage()).isEqualTo(100.0);
		assertThat(tracker.snapshot().estimatedTimeLeft()).isEqualTo(Duration.ZERO);
	}

	@Test
	void successfulEndShouldReportOneHundredPercentAndStopTheClock() {
		ProgressTracker tracker = ProgressTracker.create(1000L, this.scheduler, RateLimiter::estimateTokens);
		tracker.addTokens(40);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(2));
		tracker.end(true);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(tracker.snapshot())
			.isEqualTo(new Progress(40, 1000L, Duration.ofSeconds(2), 100.0, Duration.ZERO, true));
	}

	@Test
	void failedEndShouldKeepThePercentageAndHaveNoTimeLeft() {
		ProgressTracker tracker = ProgressTracker.create(100L, this.scheduler, RateLimiter::estimateTokens);
		tracker.addTokens(40);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(1));
		tracker.end(false);
		Progress progress = tracker.snapshot();
		assertThat(progress.complete()).isTrue();
		assertThat(progress.percentage()).isEqualTo(40.0);
		assertThat(progress.estimatedTimeLeft()).isNull();
	}

	@Test
	void recordShouldCountTextAndReasoningAndTakeExactUsage() {
		ProgressTracker tracker = ProgressTracker.create(null, this.scheduler, (text) -> text.length());
		tracker.record(delta(DeltaKind.TEXT, "abc", 0));
		tracker.record(delta(DeltaKind.REASONING, "de", 1));
		tracker.record(delta(DeltaKind.TOOL_CALL, "{\"x\":1}", 2));
		assertThat(tracker.snapshot().tokensReceived()).isEqualTo(5);
		tracker.record(new StreamUsageEvent("s", Usage.of(10, 3), true, 0.5, Instant.EPOCH));
		assertThat(tracker.snapshot().tokensReceived()).isEqualTo(5);
		tracker.record(new StreamUsageEvent("s", Usage.of(10, 42), false, 1.0, Instant.EPOCH));
		assertThat(tracker.snapshot().tokensReceived()).isEqualTo(42);
	}

	@Test
	void forRequestShouldUseMaxTokens() {
		ChatRequest request = ChatRequest.builder().prompt("Hi").model("gpt-4o-mini").maxTokens(256).build();
		assertThat(ProgressTracker.forRequest(request).snapshot().estimatedTotalTokens()).isEqualTo(256L);
		assertThat(ProgressTracker.forRequest(ChatRequest.of("Hi", "gpt-4o-mini")).snapshot().estimatedTotalTokens())
			.isNull();
	}

	@Test
	void trackShouldReportAtMostOncePerIntervalAndAFinalReport() {
		List<Progress> reports = new ArrayList<>();
		List<StreamEvent> events = deltas(10);
		StepVerifier.withVirtualTime(() -> ProgressTracker.track(
				Flux.fromIterable(events).delayElements(Duration.ofMillis(30), this.scheduler), Duration.ofMillis(100),
				reports::add, () -> ProgressTracker.create(20L, this.scheduler, (text) -> 1)), () -> this.scheduler,
				Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextSequence(events)
			.verifyComplete();
		// deltas at 30, 60, …, 300 ms; reports at 30 (the first), at 130 and 230 (the
		// snapshot of the latest delta then, taken at 120 and 210), and the final one at
		// 300 (the completion)
		assertThat(reports).extracting(Progress::tokensReceived).containsExactly(1L, 4L, 7L, 10L);
		assertThat(reports).extracting(Progress::elapsed)
			.containsExactly(Duration.ofMillis(30), Duration.ofMillis(120), Duration.ofMillis(210),
					Duration.ofMillis(300));
		assertThat(reports.get(2).percentage()).isEqualTo(35.0);
		assertThat(reports.get(3).complete()).isTrue();
		assertThat(reports.get(3).percentage()).isEqualTo(100.0);
	}

	@Test
	void progressShouldEmitThrottledSnapshotsThenTheFinalOneAndComplete() {
		List<StreamEvent> events = deltas(5);
		StepVerifier
			.withVirtualTime(
					() -> ProgressTracker.progress(
							Flux.fromIterable(events).delayElements(Duration.ofMillis(50), this.scheduler),
							Duration.ofMillis(100), () -> ProgressTracker.create(null, this.scheduler, (text) -> 2)),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(50))
			// deltas of 2 tokens at 50, 100, …, 250 ms: the first at once, then the
			// latest
			// snapshot once per 100 ms (taken at 100 and 200), then the final one at 250
			.assertNext((p) -> assertThat(p.tokensReceived()).isEqualTo(2))
			.expectNoEvent(Duration.ofMillis(100))
			.assertNext((p) -> assertThat(p.tokensReceived()).isEqualTo(4))
			.expectNoEvent(Duration.ofMillis(100))
			.assertNext((p) -> assertThat(p.tokensReceived()).isEqualTo(8))
			.assertNext((p) -> {
				assertThat(p.tokensReceived()).isEqualTo(10);
				assertThat(p.complete()).isTrue();
				assertThat(p.elapsed()).isEqualTo(Duration.ofMillis(250));
			})
			.verifyComplete();
	}

	@Test
	void progressShouldPassTheStreamErrorAfterTheFinalSnapshot() {
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier
			.withVirtualTime(
					() -> ProgressTracker.progress(Flux.concat(Flux.fromIterable(deltas(2)), Flux.error(boom)),
							Duration.ofMillis(100), () -> ProgressTracker.create(null, this.scheduler, (text) -> 1)),
					() -> this.scheduler, Long.MAX_VALUE)
			.assertNext((p) -> assertThat(p.tokensReceived()).isEqualTo(1))
			.assertNext((p) -> {
				assertThat(p.tokensReceived()).isEqualTo(2);
				assertThat(p.complete()).isTrue();
			})
			.verifyErrorSatisfies((ex) -> assertThat(ex).isSameAs(boom));
	}

	@Test
	void cancelShouldMakeNoFinalReport() {
		List<Progress> reports = new ArrayList<>();
		StepVerifier.withVirtualTime(() -> ProgressTracker.track(Flux.fromIterable(deltas(3)).concatWith(Flux.never()),
				Duration.ofMillis(100), reports::add, () -> ProgressTracker.create(null, this.scheduler, (text) -> 1)),
				() -> this.scheduler, Long.MAX_VALUE)
			.expectNextCount(3)
			.thenCancel()
			.verify();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(reports).extracting(Progress::tokensReceived).containsExactly(1L);
	}

	@Test
	void invalidArgumentsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProgressTracker.create(0L));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProgressTracker.track(Flux.empty(), Duration.ofMillis(-1), (p) -> {
			}));
		assertThatIllegalArgumentException().isThrownBy(() -> new Progress(0, null, Duration.ZERO, 101.0, null, false));
	}

	private static List<StreamEvent> deltas(int count) {
		List<StreamEvent> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			events.add(delta(DeltaKind.TEXT, "word ", i));
		}
		return events;
	}

	private static StreamDeltaEvent delta(DeltaKind kind, String text, int index) {
		return new StreamDeltaEvent("s", kind, text, index, 0, false, null, Instant.EPOCH, Map.of());
	}

}
