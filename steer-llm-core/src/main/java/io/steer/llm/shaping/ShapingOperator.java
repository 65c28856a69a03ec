package io.steer.llm.shaping;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Re-chunks a flux through a fresh {@link Shaper} per subscription, releasing held text
 * when its deadline passes on {@link Schedulers#parallel()} (virtual time in tests).
 * <p>
 * Backpressure: the source is read one element at a time, and only when what was released
 * has been delivered and the subscriber has demand, so nothing beyond the held text and
 * the pieces of one element is buffered. Cancellation cancels the source and the timer
 * and discards what was released but not delivered. A source error or completion first
 * releases everything held, then is passed on.
 *
 * @param <T> the element type
 */
final class ShapingOperator<T> extends FluxOperator<T, T> {

	private final Supplier<Shaper<T>> shapers;

	ShapingOperator(Flux<? extends T> source, Supplier<Shaper<T>> shapers) {
		super(source);
		this.shapers = shapers;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new ShapingSubscriber<>(actual, this.shapers.get(), Schedulers.parallel()));
	}

	static final class ShapingSubscriber<T> implements CoreSubscriber<T>, Subscription, Runnable {

		private final CoreSubscriber<? super T> actual;

		private final Shaper<T> shaper;

		private final Scheduler scheduler;

		/** Released, not yet delivered; guarded by {@code this}. */
		private final ArrayDeque<T> queue = new ArrayDeque<>();

		private final AtomicLong requested = new AtomicLong();

		private final AtomicInteger wip = new AtomicInteger();

		private @Nullable Subscription upstream;

		/** Guarded by {@code this}. */
		private boolean awaitingElement;

		/** Guarded by {@code this}. */
		private @Nullable Disposable timer;

		/** Guarded by {@code this}. */
		private long timerDeadline = Long.MAX_VALUE;

		private volatile boolean done;

		private @Nullable Throwable error;

		private volatile boolean cancelled;

		ShapingSubscriber(CoreSubscriber<? super T> actual, Shaper<T> shaper, Scheduler scheduler) {
			this.actual = actual;
			this.shaper = shaper;
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
		public void onNext(T item) {
			if (this.done) {
				Operators.onNextDropped(item, currentContext());
				return;
			}
			synchronized (this) {
				this.awaitingElement = false;
				this.shaper.accept(item, now(), this.queue::addLast);
				rearm();
			}
			drain();
		}

		@Override
		public void onError(Throwable throwable) {
			if (this.done) {
				Operators.onErrorDropped(throwable, currentContext());
				return;
			}
			end(throwable);
		}

		@Override
		public void onComplete() {
			if (!this.done) {
				end(null);
			}
		}

		private void end(@Nullable Throwable throwable) {
			synchronized (this) {
				this.shaper.finish(this.queue::addLast);
				disarm();
				this.error = throwable;
				this.done = true;
			}
			drain();
		}

		/** The timer: releases what is due. */
		@Override
		public void run() {
			synchronized (this) {
				this.timer = null;
				this.timerDeadline = Long.MAX_VALUE;
				if (this.done || this.cancelled) {
					return;
				}
				this.shaper.expire(now(), this.queue::addLast);
				rearm();
			}
			drain();
		}

		@Override
		public void request(long n) {
			if (Operators.validate(n)) {
				this.requested.accumulateAndGet(n, Operators::addCap);
				drain();
			}
		}

		@Override
		public void cancel() {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			synchronized (this) {
				disarm();
			}
			if (this.wip.getAndIncrement() == 0) {
				discardQueue();
			}
		}

		private long now() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

		/** Schedules the timer at the shaper's deadline; under the lock. */
		private void rearm() {
			long deadline = this.shaper.deadline();
			if (deadline == this.timerDeadline) {
				return;
			}
			disarm();
			if (deadline != Long.MAX_VALUE) {
				this.timerDeadline = deadline;
				this.timer = this.scheduler.schedule(this, Math.max(0, deadline - now()), TimeUnit.NANOSECONDS);
			}
		}

		/** Cancels the timer; under the lock. */
		private void disarm() {
			Disposable timer = this.timer;
			if (timer != null) {
				timer.dispose();
				this.timer = null;
			}
			this.timerDeadline = Long.MAX_VALUE;
		}

		private void discardQueue() {
			synchronized (this) {
				Operators.onDiscardMultiple(this.queue, currentContext());
				this.queue.clear();
			}
		}

		private void drain() {
			if (this.wip.getAndIncrement() != 0) {
				return;
			}
			int missed = 1;
			for (;;) {
				long demand = this.requested.get();
				long emitted = 0;
				while (emitted != demand) {
					if (this.cancelled) {
						discardQueue();
						return;
					}
					T item;
					synchronized (this) {
						item = this.queue.pollFirst();
					}
					if (item == null) {
						break;
					}
					this.actual.onNext(item);
					emitted++;
				}
				if (this.cancelled) {
					discardQueue();
					return;
				}
				if (emitted != 0) {
					long delivered = emitted;
					this.requested.accumulateAndGet(delivered,
							(current, n) -> (current == Long.MAX_VALUE) ? current : current - n);
				}
				boolean empty;
				boolean askUpstream = false;
				synchronized (this) {
					empty = this.queue.isEmpty();
					if (empty && !this.done && !this.awaitingElement && this.requested.get() > 0) {
						this.awaitingElement = true;
						askUpstream = true;
					}
				}
				if (empty && this.done) {
					Throwable throwable = this.error;
					if (throwable != null) {
						this.actual.onError(throwable);
					}
					else {
						this.actual.onComplete();
					}
					return;
				}
				Subscription upstream = this.upstream;
				if (askUpstream && upstream != null) {
					upstream.request(1);
				}
				missed = this.wip.addAndGet(-missed);
				if (missed == 0) {
					return;
				}
			}
		}

	}

}
