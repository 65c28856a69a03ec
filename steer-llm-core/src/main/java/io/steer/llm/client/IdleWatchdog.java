package io.steer.llm.client;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * The {@code read-timeout} of one HTTP attempt: fires when no activity was seen for the
 * limit.
 * <p>
 * Activity is whatever the attempt reports with {@link #touch()}: for a stream, the
 * request being sent, the response headers, and each complete SSE event (not each network
 * read, so that a server trickling bytes without completing an event does not keep the
 * stream alive). A touch only records the time in a field; a single timer, armed by
 * {@link #start()}, checks the gap when it fires and, when activity came meanwhile,
 * re-arms itself for the remainder. So an attempt has at most one pending timer whatever
 * its number of events, and a timer fires at most once per limit of elapsed time.
 * <p>
 * Times come from the scheduler's {@link Scheduler#now(TimeUnit) now()}, so that the
 * watchdog follows virtual time under {@code StepVerifier.withVirtualTime} (when it is
 * given {@code Schedulers.parallel()} at the time of the attempt).
 * <p>
 * Thread-safe: {@link #touch()} may be called from the connection's thread while the
 * timer runs on a scheduler thread.
 */
final class IdleWatchdog implements Runnable {

	/** Marks a watchdog that fired or was stopped. */
	private static final Disposable STOPPED = Disposables.disposed();

	private final Scheduler scheduler;

	private final long limitNanos;

	private final Runnable onIdle;

	/**
	 * The pending timer; {@code null} before {@link #start()}, {@link #STOPPED} at the
	 * end.
	 */
	private final AtomicReference<@Nullable Disposable> timer = new AtomicReference<>();

	private volatile long lastActivity;

	/**
	 * Creates a watchdog; nothing is scheduled until {@link #start()}.
	 * @param scheduler the scheduler of the timer and the source of time
	 * @param limit the longest time without activity, positive
	 * @param onIdle called once, on a thread of the scheduler, when the limit passed
	 * without activity; not called once {@link #stop()} returned, unless it was already
	 * being called
	 */
	IdleWatchdog(Scheduler scheduler, Duration limit, Runnable onIdle) {
		this.scheduler = scheduler;
		this.limitNanos = nanos(limit);
		this.onIdle = onIdle;
	}

	/**
	 * Counts now as activity and arms the timer for the limit. Later calls only count as
	 * activity.
	 */
	void start() {
		touch();
		if (this.timer.get() == null) {
			arm(this.limitNanos);
		}
	}

	/**
	 * Records activity: the limit runs again from now. Cheap (a clock read and a volatile
	 * write), so that it can be called for every event.
	 */
	void touch() {
		this.lastActivity = now();
	}

	/**
	 * Cancels the timer: the watchdog does not fire after this returns (unless it already
	 * was firing). Idempotent.
	 */
	void stop() {
		Disposable previous = this.timer.getAndSet(STOPPED);
		if (previous != null && previous != STOPPED) {
			previous.dispose();
		}
	}

	/**
	 * Whether the watchdog fired or was stopped.
	 * @return {@code true} once it will not fire again
	 */
	boolean isStopped() {
		return this.timer.get() == STOPPED;
	}

	/**
	 * The timer fired: fires the watchdog, or re-arms it for what is left of the limit.
	 */
	@Override
	public void run() {
		Disposable current = this.timer.get();
		if (current == STOPPED) {
			return;
		}
		long idle = now() - this.lastActivity;
		if (idle < this.limitNanos) {
			arm(this.limitNanos - idle);
			return;
		}
		// not disposed: it is the task running now
		if (this.timer.compareAndSet(current, STOPPED)) {
			this.onIdle.run();
		}
	}

	private void arm(long delayNanos) {
		Disposable task;
		try {
			task = this.scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler is shut down: so is the application
			return;
		}
		for (;;) {
			Disposable current = this.timer.get();
			if (current == STOPPED) {
				task.dispose();
				return;
			}
			if (this.timer.compareAndSet(current, task)) {
				return;
			}
		}
	}

	/** The limit in nanoseconds; one beyond what a long holds (292 years) is no limit. */
	private static long nanos(Duration limit) {
		try {
			return limit.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private long now() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

}
