package io.steer.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link StreamingRetryManager} and {@link RetryState}.
 */
class StreamingRetryManagerTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private static final Duration TTL = Duration.ofSeconds(900);

	private final MutableClock clock = new MutableClock(START);

	private final StreamingRetryManager manager = new StreamingRetryManager(TTL, 100, this.clock);

	@Test
	void newWhenDefaultsShouldUse900SecondsAnd10000States() {
		StreamingRetryManager defaults = new StreamingRetryManager();
		assertThat(defaults.stateTtl()).isEqualTo(Duration.ofSeconds(900))
			.isEqualTo(StreamingRetryManager.DEFAULT_STATE_TTL);
		assertThat(defaults.maxStates()).isEqualTo(10_000).isEqualTo(StreamingRetryManager.DEFAULT_MAX_STATES);
		assertThat(defaults.size()).isZero();
		assertThat(defaults.begin("r", "openai", "gpt-4o-mini").firstActivity()).isCloseTo(Instant.now(),
				within(1, ChronoUnit.HOURS));
	}

	@Test
	void newWhenTtlNotPositiveOrMaxStatesBelowOneShouldThrow() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StreamingRetryManager(Duration.ZERO, 1, this.clock))
			.withMessageContaining("stateTtl");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StreamingRetryManager(Duration.ofSeconds(-1), 1, this.clock))
			.withMessageContaining("stateTtl");
		assertThatIllegalArgumentException().isThrownBy(() -> new StreamingRetryManager(TTL, 0, this.clock))
			.withMessageContaining("maxStates");
	}

	@Test
	void beginShouldRegisterStateWithNothingRecorded() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o-mini");
		assertThat(state.requestId()).isEqualTo("req-1");
		assertThat(state.provider()).isEqualTo("openai");
		assertThat(state.model()).isEqualTo("gpt-4o-mini");
		assertThat(state.attempts()).isZero();
		assertThat(state.lastSequenceNumber()).isEqualTo(-1);
		assertThat(state.lastEventId()).isNull();
		assertThat(state.responseId()).isNull();
		assertThat(state.partialText()).isEmpty();
		assertThat(state.firstActivity()).isEqualTo(START);
		assertThat(state.lastActivity()).isEqualTo(START);
		assertThat(state.completed()).isFalse();
		assertThat(state.lastError()).isNull();
		assertThat(this.manager.state("req-1")).containsSame(state);
		assertThat(this.manager.state("other")).isEmpty();
		assertThat(this.manager.size()).isOne();
	}

	@Test
	void beginWhenRequestIdKnownShouldReplaceState() {
		RetryState first = this.manager.begin("req-1", "openai", "gpt-4o-mini");
		first.recordAttempt();
		RetryState second = this.manager.begin("req-1", "anthropic", "claude-3-haiku-20240307");
		assertThat(second).isNotSameAs(first);
		assertThat(second.attempts()).isZero();
		assertThat(this.manager.state("req-1")).containsSame(second);
		assertThat(this.manager.size()).isOne();
	}

	@Test
	void recordShouldUpdateValuesAndLastActivity() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(1));
		state.recordAttempt();
		assertThat(state.attempts()).isOne();
		assertThat(state.lastActivity()).isEqualTo(START.plusSeconds(1));
		this.clock.advance(Duration.ofSeconds(1));
		state.recordProgress("resp_1", 7, "evt-7", "Hello");
		assertThat(state.responseId()).isEqualTo("resp_1");
		assertThat(state.lastSequenceNumber()).isEqualTo(7);
		assertThat(state.lastEventId()).isEqualTo("evt-7");
		assertThat(state.partialText()).isEqualTo("Hello");
		assertThat(state.lastActivity()).isEqualTo(START.plusSeconds(2));
		this.clock.advance(Duration.ofSeconds(1));
		state.recordError("openai returned HTTP 503");
		assertThat(state.lastError()).isEqualTo("openai returned HTTP 503");
		assertThat(state.lastActivity()).isEqualTo(START.plusSeconds(3));
		assertThat(state.firstActivity()).isEqualTo(START);
		assertThat(state.completed()).isFalse();
		assertThat(state.toString()).contains("req-1", "attempts=1", "partialText=5 chars").doesNotContain("Hello");
	}

	@Test
	void recordProgressWhenEventHasNoIdsShouldKeepKnownOnes() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		state.recordProgress("resp_1", 3, "evt-3", "Hel");
		state.recordProgress(null, -1, null, "Hello");
		assertThat(state.responseId()).isEqualTo("resp_1");
		assertThat(state.lastSequenceNumber()).isEqualTo(3);
		assertThat(state.lastEventId()).isEqualTo("evt-3");
		assertThat(state.partialText()).isEqualTo("Hello");
	}

	@Test
	void completeShouldMarkCompletedAndKeepStateUntilTtl() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(10));
		this.manager.complete("req-1");
		assertThat(state.completed()).isTrue();
		assertThat(state.lastActivity()).isEqualTo(START.plusSeconds(10));
		this.clock.advance(TTL);
		assertThat(this.manager.cleanupOldStates()).isZero();
		assertThat(this.manager.state("req-1")).containsSame(state);
		this.clock.advance(Duration.ofNanos(1));
		assertThat(this.manager.cleanupOldStates()).isOne();
		assertThat(this.manager.state("req-1")).isEmpty();
	}

	@Test
	void completeWhenRequestUnknownShouldDoNothing() {
		this.manager.complete("unknown");
		assertThat(this.manager.size()).isZero();
	}

	@Test
	void cleanupOldStatesShouldRemoveOnlyStatesInactiveLongerThanTtl() {
		this.manager.begin("old-1", "openai", "gpt-4o");
		this.manager.begin("old-2", "openai", "gpt-4o");
		RetryState active = this.manager.begin("active", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(600));
		active.recordProgress(null, 1, null, "a");
		RetryState young = this.manager.begin("young", "xai", "grok-3");
		this.clock.advance(Duration.ofSeconds(300));
		assertThat(this.manager.cleanupOldStates()).as("exactly the TTL old").isZero();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.manager.cleanupOldStates()).isEqualTo(2);
		assertThat(this.manager.states()).containsExactlyInAnyOrder(active, young);
		assertThat(this.manager.cleanupOldStates()).isZero();
		this.clock.advance(Duration.ofSeconds(600));
		assertThat(this.manager.cleanupOldStates()).isEqualTo(2);
		assertThat(this.manager.size()).isZero();
	}

	@Test
	void stateWhenExpiredButNotRemovedShouldBeEmpty() {
		this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.advance(TTL.plusSeconds(1));
		assertThat(this.manager.state("req-1")).isEmpty();
		assertThat(this.manager.size()).isOne();
		assertThat(this.manager.cleanupOldStates()).isOne();
	}

	@Test
	void statesShouldListMostRecentlyActiveFirst() {
		RetryState a = this.manager.begin("a", "openai", "gpt-4o");
		RetryState b = this.manager.begin("b", "openai", "gpt-4o");
		RetryState c = this.manager.begin("c", "openai", "gpt-4o");
		assertThat(this.manager.states()).containsExactly(c, b, a);
		a.recordAttempt();
		assertThat(this.manager.states()).containsExactly(a, c, b);
		this.manager.complete("b");
		assertThat(this.manager.states()).containsExactly(b, a, c);
	}

	@Test
	void beginWhenFullShouldDropExpiredStatesFirst() {
		StreamingRetryManager small = new StreamingRetryManager(TTL, 3, this.clock);
		small.begin("expired-1", "openai", "gpt-4o");
		small.begin("expired-2", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(500));
		RetryState kept = small.begin("kept", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(401));
		RetryState added = small.begin("added", "openai", "gpt-4o");
		assertThat(small.states()).containsExactly(added, kept);
	}

	@Test
	void beginWhenFullAndNoneExpiredShouldDropLeastRecentlyActive() {
		StreamingRetryManager small = new StreamingRetryManager(TTL, 3, this.clock);
		RetryState first = small.begin("first", "openai", "gpt-4o");
		RetryState second = small.begin("second", "openai", "gpt-4o");
		RetryState third = small.begin("third", "openai", "gpt-4o");
		first.recordAttempt();
		RetryState fourth = small.begin("fourth", "openai", "gpt-4o");
		assertThat(small.states()).containsExactly(fourth, first, third);
		assertThat(small.state("second")).isEmpty();
		assertThat(second.requestId()).isEqualTo("second");
		small.complete("third");
		RetryState fifth = small.begin("fifth", "openai", "gpt-4o");
		assertThat(small.states()).containsExactly(fifth, third, fourth);
		assertThat(small.size()).isEqualTo(3);
	}

	@Test
	void beginWhenFullAndRequestIdKnownShouldReplaceWithoutEvicting() {
		StreamingRetryManager small = new StreamingRetryManager(TTL, 2, this.clock);
		RetryState a = small.begin("a", "openai", "gpt-4o");
		small.begin("b", "openai", "gpt-4o");
		RetryState b = small.begin("b", "openai", "gpt-4o");
		assertThat(small.states()).containsExactly(b, a);
	}

	@Test
	void beginWhenManyRequestsShouldNeverHoldMoreThanMaxStatesAndKeepTheMostRecentlyActive() {
		StreamingRetryManager small = new StreamingRetryManager(TTL, 3, this.clock);
		RetryState streaming = small.begin("streaming", "openai", "gpt-4o");
		List<RetryState> begun = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			streaming.recordProgress(null, i, null, "text " + i);
			begun.add(small.begin("req-" + i, "openai", "gpt-4o"));
			assertThat(small.size()).isLessThanOrEqualTo(3);
		}
		assertThat(small.states()).containsExactly(begun.get(19), streaming, begun.get(18));
		assertThat(small.state("req-17")).isEmpty();
		assertThat(small.cleanupOldStates()).as("states removed to make room are not expired").isZero();
	}

	@Test
	void stateWhenLookedUpShouldNotCountAsActivity() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		for (int i = 0; i < 100; i++) {
			this.clock.advance(TTL.dividedBy(100));
			assertThat(this.manager.state("req-1")).containsSame(state);
		}
		this.clock.advance(Duration.ofNanos(1));
		assertThat(this.manager.state("req-1")).isEmpty();
		assertThat(this.manager.states()).isEmpty();
		this.manager.complete("req-1");
		assertThat(state.completed()).as("an expired state is not completed").isFalse();
		assertThat(this.manager.cleanupOldStates()).isOne();
	}

	@Test
	void recordWhenAnyUpdateShouldKeepStateATtlAfterIt() {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		List<Runnable> updates = List.of(state::recordAttempt, () -> state.recordProgress("resp_1", 1, "evt-1", "Hi"),
				() -> state.recordError("openai returned HTTP 503"), () -> this.manager.complete("req-1"));
		for (Runnable update : updates) {
			this.clock.advance(TTL);
			update.run();
		}
		this.clock.advance(TTL);
		assertThat(this.manager.cleanupOldStates()).isZero();
		assertThat(this.manager.state("req-1")).containsSame(state);
		assertThat(state.lastActivity()).isEqualTo(START.plus(TTL.multipliedBy(4)));
		this.clock.advance(Duration.ofNanos(1));
		assertThat(this.manager.state("req-1")).isEmpty();
		assertThat(this.manager.cleanupOldStates()).isOne();
	}

	@Test
	void cleanupOldStatesWhenUpkeepRemovedExpiredStatesShouldCountEachOnce() {
		this.manager.begin("expired-1", "openai", "gpt-4o");
		this.manager.begin("expired-2", "openai", "gpt-4o");
		this.clock.advance(TTL.plusSeconds(1));
		RetryState added = this.manager.begin("added", "openai", "gpt-4o");
		assertThat(this.manager.size()).as("removed by the upkeep after a write").isOne();
		assertThat(this.manager.cleanupOldStates()).isEqualTo(2);
		assertThat(this.manager.cleanupOldStates()).isZero();
		assertThat(this.manager.states()).containsExactly(added);
	}

	@Test
	void recordWhenStateReplacedShouldNotKeepTheNewStateAlive() {
		RetryState replaced = this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.advance(Duration.ofSeconds(100));
		RetryState current = this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.advance(TTL.minusSeconds(1));
		replaced.recordAttempt();
		assertThat(replaced.lastActivity()).isEqualTo(START.plus(TTL).plusSeconds(99));
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.manager.state("req-1")).isEmpty();
		assertThat(this.manager.cleanupOldStates()).isOne();
		assertThat(current.completed()).isFalse();
	}

	@Test
	void cleanupOldStatesShouldFollowTheManagersClockNotTheWallClock() {
		this.manager.begin("req-1", "openai", "gpt-4o");
		this.clock.set(START.plus(Duration.ofDays(365)));
		assertThat(this.manager.state("req-1")).isEmpty();
		assertThat(this.manager.cleanupOldStates()).isOne();
		RetryState state = this.manager.begin("req-2", "openai", "gpt-4o");
		assertThat(state.firstActivity()).isEqualTo(START.plus(Duration.ofDays(365)));
		this.clock.advance(TTL);
		assertThat(this.manager.cleanupOldStates()).isZero();
		assertThat(this.manager.state("req-2")).containsSame(state);
	}

	@Test
	void recordWhenManyThreadsUpdateOneStateShouldCountEveryUpdate() throws Exception {
		RetryState state = this.manager.begin("req-1", "openai", "gpt-4o");
		int threads = 8;
		int updatesPerThread = 5_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < updatesPerThread; i++) {
						state.recordAttempt();
						state.recordProgress("resp_" + thread, i, "evt-" + i, "text " + i);
						state.lastSequenceNumber();
						state.partialText();
						if (i % 1000 == 0) {
							state.recordError("error " + i);
							StreamingRetryManagerTests.this.manager.states();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(state.attempts()).isEqualTo(threads * updatesPerThread);
		assertThat(state.lastSequenceNumber()).isEqualTo(updatesPerThread - 1);
		assertThat(state.partialText()).isEqualTo("text " + (updatesPerThread - 1));
		assertThat(state.lastError()).isEqualTo("error " + 4000);
	}

	@Test
	void beginWhenManyThreadsRegisterShouldNeverHoldMoreThanMaxStates() throws Exception {
		StreamingRetryManager small = new StreamingRetryManager(TTL, 50, Clock.systemUTC());
		int threads = 8;
		int requestsPerThread = 2_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < requestsPerThread; i++) {
						RetryState state = small.begin(thread + "-" + i, "openai", "gpt-4o");
						state.recordAttempt();
						assertThat(small.size()).isLessThanOrEqualTo(50);
						small.complete(state.requestId());
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(small.size()).isEqualTo(50);
		assertThat(small.states()).hasSize(50).allSatisfy((state) -> assertThat(state.completed()).isTrue());
	}

}
