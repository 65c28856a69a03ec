package io.steer.llm.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Ends one attempt's events at its terminal event or after the last event of a failed
 * attempt (the {@code lastOfFailedAttempt} predicate, see {@link AttemptResult}), without
 * closing a connection that can be used again.
 * <p>
 * After a terminal event the subscriber completes at once, as before, but the source (the
 * attempt's HTTP exchange) is not cancelled: it is read on to its end, what it still
 * emits dropped, for at most {@code drainLimit}, so that the response ends and its
 * connection goes back to the pool instead of being closed (cancelling a response before
 * its end closes the connection, and the next stream then pays a new TCP and TLS
 * handshake). A provider ends its body right after its end marker; one that keeps it open
 * longer than the limit has it cancelled then (the connection is closed, as before). A
 * cancel from the subscriber after the terminal event (as {@code next()} does) does not
 * shorten the drain. The last event of a failed attempt is passed on, then the source is
 * cancelled at once and the subscriber completes.
 * <p>
 * Before its terminal event the operator passes signals, requests and cancellation
 * through unchanged. An error of the source while it drains is dropped silently: the
 * stream already completed.
 */
final class EndOfAttempt extends FluxOperator<StreamEvent, StreamEvent> {

	private final Predicate<StreamEvent> lastOfFailedAttempt;

	private final Duration drainLimit;

	private final Scheduler scheduler;

	/**
	 * Ends the events of {@code source}.
	 * @param source the attempt's events
	 * @param lastOfFailedAttempt whether an event is the last one of a failed attempt
	 * @param drainLimit the longest time the source is read after the terminal event, not
	 * negative
	 * @param scheduler the scheduler of that limit's timer
	 */
	EndOfAttempt(Flux<StreamEvent> source, Predicate<StreamEvent> lastOfFailedAttempt, Duration drainLimit,
			Scheduler scheduler) {
		super(source);
		this.lastOfFailedAttempt = Objects.requireNonNull(lastOfFailedAttempt, "lastOfFailedAttempt must not be null");
		if (drainLimit.isNegative()) {
			throw new IllegalArgumentException("drainLimit must not be negative, was " + drainLimit);
		}
		this.drainLimit = drainLimit;
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
	}

	@Override
	public void subscribe(CoreSubscriber<? super StreamEvent> actual) {
		this.source
			.subscribe(new EndSubscriber(actual, this.lastOfFailedAttempt, this.drainLimit.toNanos(), this.scheduler));
	}

	private static final class EndSubscriber implements CoreSubscriber<StreamEvent>, Subscription {

		private static final int PASSING = 0;

		private static final int DRAINING = 1;

		private static final int DONE = 2;

		/** Marks a drain that ended: a timer armed later is disposed at once. */
		private static final Disposable ENDED = Disposables.disposed();

		private final CoreSubscriber<? super StreamEvent> actual;

		private final Predicate<StreamEvent> lastOfFailedAttempt;

		private final long drainLimitNanos;

		private final Scheduler scheduler;

		private final AtomicInteger state = new AtomicInteger(PASSING);

		private final AtomicReference<@Nullable Disposable> drainTimer = new AtomicReference<>();

		private @Nullable Subscription upstream;

		private volatile boolean cancelled;

		EndSubscriber(CoreSubscriber<? super StreamEvent> actual, Predicate<StreamEvent> lastOfFailedAttempt,
				long drainLimitNanos, Scheduler scheduler) {
			this.actual = actual;
			this.lastOfFailedAttempt = lastOfFailedAttempt;
			this.drainLimitNanos = drainLimitNanos;
			this.scheduler = scheduler;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(StreamEvent event) {
			if (this.state.get() != PASSING) {
				Operators.onDiscard(event, this.actual.currentContext());
				return;
			}
			if (!event.isTerminal()) {
				this.actual.onNext(event);
				if (this.lastOfFailedAttempt.test(event) && this.state.compareAndSet(PASSING, DONE)) {
					this.upstream.cancel();
					this.actual.onComplete();
				}
				return;
			}
			if (!this.state.compareAndSet(PASSING, DRAINING)) {
				return;
			}
			// draining from now: a cancel while the event is delivered no longer reaches
			// the source
			armDrainTimer();
			this.actual.onNext(event);
			if (!this.cancelled) {
				this.actual.onComplete();
			}
			this.upstream.request(Long.MAX_VALUE);
		}

		@Override
		public void onError(Throwable error) {
			if (this.state.compareAndSet(PASSING, DONE)) {
				this.actual.onError(error);
			}
			else {
				endDrain();
			}
		}

		@Override
		public void onComplete() {
			if (this.state.compareAndSet(PASSING, DONE)) {
				this.actual.onComplete();
			}
			else {
				endDrain();
			}
		}

		@Override
		public void request(long n) {
			if (this.state.get() == PASSING) {
				this.upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			if (this.state.compareAndSet(PASSING, DONE)) {
				this.upstream.cancel();
			}
		}

		private void armDrainTimer() {
			Disposable timer;
			try {
				timer = this.scheduler.schedule(this::drainTimedOut, this.drainLimitNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// the scheduler is shut down: so is the application
				drainTimedOut();
				return;
			}
			if (!this.drainTimer.compareAndSet(null, timer)) {
				// the source ended meanwhile
				timer.dispose();
			}
		}

		/** The source ended while it drained: the connection is released. */
		private void endDrain() {
			this.state.set(DONE);
			Disposable timer = this.drainTimer.getAndSet(ENDED);
			if (timer != null) {
				timer.dispose();
			}
		}

		/** The source did not end within the limit: it is cancelled. */
		private void drainTimedOut() {
			if (this.state.compareAndSet(DRAINING, DONE)) {
				this.upstream.cancel();
			}
		}

	}

}
