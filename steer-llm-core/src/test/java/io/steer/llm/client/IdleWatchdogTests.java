package io.steer.llm.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-timeout watchdog, in virtual time: it fires once the limit passed since the
 * last activity, with one pending timer at a time however much activity there is.
 */
class IdleWatchdogTests {

	private static final Duration LIMIT = Duration.ofMillis(1000);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final CountingScheduler scheduler = new CountingScheduler(this.time);

	private final AtomicInteger fired = new AtomicInteger();

	private final IdleWatchdog watchdog = new IdleWatchdog(this.scheduler, LIMIT, this.fired::incrementAndGet);

	private void advance(long millis) {
		this.time.advanceTimeBy(Duration.ofMillis(millis));
	}

	@Test
	void firesOnceTheLimitPassedWithoutActivity() {
		this.watchdog.start();
		advance(999);
		assertThat(this.fired).hasValue(0);
		advance(1);
		assertThat(this.fired).hasValue(1);
		assertThat(this.watchdog.isStopped()).isTrue();
		advance(10_000);
		assertThat(this.fired).hasValue(1);
	}

	@Test
	void activityMovesTheDeadlineToTheLimitAfterIt() {
		this.watchdog.start();
		advance(600);
		this.watchdog.touch();
		// the first timer fires at 1000 and re-arms for the 600 ms left
		advance(999);
		assertThat(this.fired).hasValue(0);
		advance(1);
		assertThat(this.fired).hasValue(1);
	}

	@Test
	void keepsOneTimerForManyEvents() {
		this.watchdog.start();
		// an event every 10 ms for 10 s: 1000 touches, never idle for the limit
		for (int i = 0; i < 1000; i++) {
			advance(10);
			this.watchdog.touch();
		}
		assertThat(this.fired).hasValue(0);
		// one timer per limit of elapsed time, not one per event
		assertThat(this.scheduler.scheduled).hasValueLessThanOrEqualTo(11);
		advance(1000);
		assertThat(this.fired).hasValue(1);
	}

	@Test
	void doesNotFireAfterStop() {
		this.watchdog.start();
		advance(500);
		this.watchdog.stop();
		advance(10_000);
		assertThat(this.fired).hasValue(0);
		assertThat(this.watchdog.isStopped()).isTrue();
	}

	@Test
	void startTwiceArmsOneTimer() {
		this.watchdog.start();
		this.watchdog.start();
		assertThat(this.scheduler.scheduled).hasValue(1);
		advance(1000);
		assertThat(this.fired).hasValue(1);
	}

	/** A scheduler that counts the delayed tasks scheduled on it. */
	private static final class CountingScheduler implements Scheduler {

		private final Scheduler delegate;

		private final AtomicInteger scheduled = new AtomicInteger();

		CountingScheduler(Scheduler delegate) {
			this.delegate = delegate;
		}

		@Override
		public Disposable schedule(Runnable task) {
			return this.delegate.schedule(task);
		}

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			this.scheduled.incrementAndGet();
			return this.delegate.schedule(task, delay, unit);
		}

		@Override
		public long now(TimeUnit unit) {
			return this.delegate.now(unit);
		}

		@Override
		public Worker createWorker() {
			return this.delegate.createWorker();
		}

	}

}
