package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Calls a consumer at most once per interval (the {@code progress-interval}), always with
 * the latest value offered: the first value goes out at once, values offered within the
 * interval after a call replace each other and the last one goes out when the interval
 * has passed (on the scheduler), and {@link #complete(Object)} delivers a final value at
 * once whatever the interval, after which nothing more is delivered.
 * <p>
 * Calls never overlap and come in the order the values were offered. Time is the
 * scheduler's ({@link Scheduler#now(TimeUnit)}), so it runs on virtual time under
 * {@code StepVerifier.withVirtualTime}. Thread-safe.
 * <p>
 * A {@link RuntimeException} of the consumer reaches the caller of {@link #offer(Object)}
 * or {@link #complete(Object)} that made the call; one thrown from a delayed call (on the
 * scheduler's thread) is logged at WARN and the callback goes on.
 *
 * @param <T> the type of the values
 */
public final class ThrottledCallback<T> {

	private static final Log logger = LogFactory.getLog(ThrottledCallback.class);

	private final long intervalNanos;

	private final Consumer<? super T> consumer;

	private final Scheduler scheduler;

	private final Object lock = new Object();

	private @Nullable T pending;

	private @Nullable Disposable timer;

	private long lastCallNanos;

	private boolean called;

	private boolean completed;

	private ThrottledCallback(Duration interval, Consumer<? super T> consumer, Scheduler scheduler) {
		Objects.requireNonNull(interval, "interval");
		if (interval.isNegative()) {
			throw new IllegalArgumentException("interval must not be negative, was " + interval);
		}
		this.intervalNanos = interval.toNanos();
		this.consumer = Objects.requireNonNull(consumer, "consumer");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
	}

	/**
	 * A callback that calls {@code consumer} at most once per {@code interval}, timed on
	 * {@link Schedulers#parallel()}.
	 * @param <T> the type of the values
	 * @param interval the least time between two calls, not negative ({@code 0} calls for
	 * every value)
	 * @param consumer the consumer
	 * @return the callback
	 * @throws IllegalArgumentException if the interval is negative
	 */
	public static <T> ThrottledCallback<T> of(Duration interval, Consumer<? super T> consumer) {
		return of(interval, consumer, Schedulers.parallel());
	}

	/**
	 * A callback that calls {@code consumer} at most once per {@code interval}, timed on
	 * the given scheduler (its clock and its delayed calls).
	 * @param <T> the type of the values
	 * @param interval the least time between two calls, not negative
	 * @param consumer the consumer
	 * @param scheduler the scheduler
	 * @return the callback
	 * @throws IllegalArgumentException if the interval is negative
	 */
	public static <T> ThrottledCallback<T> of(Duration interval, Consumer<? super T> consumer, Scheduler scheduler) {
		return new ThrottledCallback<>(interval, consumer, scheduler);
	}

	/**
	 * Offers the latest value: delivered at once when no call happened within the
	 * interval, else kept (replacing a value kept before) and delivered when the interval
	 * since the last call has passed. Ignored after {@link #complete(Object)} or
	 * {@link #cancel()}.
	 * @param value the value, not {@code null}
	 */
	public void offer(T value) {
		Objects.requireNonNull(value, "value");
		synchronized (this.lock) {
			if (this.completed) {
				return;
			}
			long now = this.scheduler.now(TimeUnit.NANOSECONDS);
			if (!this.called || now - this.lastCallNanos >= this.intervalNanos) {
				cancelTimer();
				this.pending = null;
				call(value, now);
				return;
			}
			this.pending = value;
			if (this.timer == null) {
				long delay = this.lastCallNanos + this.intervalNanos - now;
				this.timer = this.scheduler.schedule(this::deliverPending, delay, TimeUnit.NANOSECONDS);
			}
		}
	}

	/**
	 * Delivers {@code finalValue} at once (a value still kept is dropped: the final one
	 * is newer) and stops: later offers are ignored. Only the first call has an effect.
	 * @param finalValue the last value, not {@code null}
	 */
	public void complete(T finalValue) {
		Objects.requireNonNull(finalValue, "finalValue");
		synchronized (this.lock) {
			if (this.completed) {
				return;
			}
			this.completed = true;
			cancelTimer();
			this.pending = null;
			call(finalValue, this.scheduler.now(TimeUnit.NANOSECONDS));
		}
	}

	/**
	 * Stops without a final call: a value still kept is dropped, later offers are
	 * ignored.
	 */
	public void cancel() {
		synchronized (this.lock) {
			this.completed = true;
			cancelTimer();
			this.pending = null;
		}
	}

	private void deliverPending() {
		synchronized (this.lock) {
			this.timer = null;
			T value = this.pending;
			if (this.completed || value == null) {
				return;
			}
			this.pending = null;
			try {
				call(value, this.scheduler.now(TimeUnit.NANOSECONDS));
			}
			catch (RuntimeException ex) {
				logger.warn("Throttled callback failed; later values are still delivered", ex);
			}
		}
	}

	private void call(T value, long now) {
		this.called = true;
		this.lastCallNanos = now;
		this.consumer.accept(value);
	}

	private void cancelTimer() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
			this.timer = null;
		}
	}

}
