package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.steer.llm.event.StreamEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The background worker of {@link BatchingProcessor}s: a bounded queue of batches and one
 * thread of its own that hands them to their {@link BatchHandler}s, so that a handler
 * never runs on the connection's event loop and never slows the stream (with the default
 * {@link OverflowPolicy#DROP_OLDEST}). One delivery can serve the processors of many
 * streams; create it once, share it, and close it on shutdown (as a Spring bean, its
 * {@link #close()} is the inferred destroy method).
 * <p>
 * Batches are handed over one at a time, in the order they were queued: a handler sees a
 * stream's batches in order, and the next batch waits until the handler's {@link Mono}
 * completed. The handler runs on the delivery's thread (named after
 * {@link Builder#name(String)}, {@value #DEFAULT_NAME} by default); an async handler may
 * complete elsewhere, the next batch is still started on the delivery's thread.
 * <p>
 * Each batch ends counted exactly once, in {@link #delivered()} (the handler completed),
 * {@link #failed()} (it threw, returned {@code null} or signalled an error) or
 * {@link #dropped()} (the queue overflowed, the delivery was closed, or the batch was
 * still pending when {@link #close(Duration)} ran out of time); {@link #pending()} are
 * those not yet counted. With a {@link MeterRegistry} the same counts are the counter
 * {@code steer.events.batches} with the tag {@code result} = {@code delivered},
 * {@code dropped} or {@code failed} (shared by the deliveries on one registry). The first
 * failure is logged at WARN with its exception, the next ones at DEBUG only, so a failing
 * handler does not flood the log; the count tells how many.
 * <p>
 * Thread-safe.
 */
public final class EventDelivery implements AutoCloseable {

	/** Batches the queue holds by default. */
	public static final int DEFAULT_QUEUE_CAPACITY = 256;

	/** Time {@link #close()} gives the pending batches: 10 seconds. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	/** Name of the delivery's thread by default, with a number appended. */
	public static final String DEFAULT_NAME = "steer-events";

	private static final Log logger = LogFactory.getLog(EventDelivery.class);

	private final Object lock = new Object();

	/** Batches waiting for the handler, oldest first; guarded by {@link #lock}. */
	private final ArrayDeque<Batch> queue = new ArrayDeque<>();

	/**
	 * Batches waiting for room in the queue ({@link OverflowPolicy#BACKPRESSURE});
	 * guarded by {@link #lock}.
	 */
	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	/** The batch the handler is working on; guarded by {@link #lock}. */
	private @Nullable Batch inFlight;

	/** Whether {@link #close(Duration)} was called; guarded by {@link #lock}. */
	private boolean closed;

	/** Counted down when closed and nothing is pending; guarded by {@link #lock}. */
	private @Nullable CountDownLatch drained;

	private final int queueCapacity;

	private final OverflowPolicy overflowPolicy;

	private final Scheduler scheduler;

	private final BatchCounts counts;

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	private EventDelivery(Builder builder) {
		this.queueCapacity = builder.queueCapacity;
		this.overflowPolicy = builder.overflowPolicy;
		this.scheduler = Schedulers.newSingle(builder.name, true);
		MeterRegistry registry = builder.meterRegistry;
		this.counts = (registry != null) ? new BatchMeters(registry) : BatchCounts.NONE;
	}

	/**
	 * A delivery with the defaults: {@value #DEFAULT_QUEUE_CAPACITY} batches,
	 * {@link OverflowPolicy#DROP_OLDEST}, no meters.
	 * @return the delivery, started
	 */
	public static EventDelivery create() {
		return builder().build();
	}

	/**
	 * A builder of a delivery, with the defaults of {@link #create()}.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * What a full queue does to the next batch.
	 * @return the policy, never {@code null}
	 */
	public OverflowPolicy overflowPolicy() {
		return this.overflowPolicy;
	}

	/**
	 * Batches the queue holds, besides the one being handled.
	 * @return the capacity, at least 1
	 */
	public int queueCapacity() {
		return this.queueCapacity;
	}

	/**
	 * Batches whose handler completed.
	 * @return the count since the delivery was built
	 */
	public long delivered() {
		return this.delivered.get();
	}

	/**
	 * Batches dropped: by the overflow policy, because the delivery was closed, or
	 * pending when {@link #close(Duration)} ran out of time.
	 * @return the count since the delivery was built
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * Batches whose handler threw, returned {@code null} or signalled an error.
	 * @return the count since the delivery was built
	 */
	public long failed() {
		return this.failed.get();
	}

	/**
	 * Batches not counted yet: queued, waiting for room, or being handled.
	 * @return the count, 0 when idle
	 */
	public int pending() {
		synchronized (this.lock) {
			return this.queue.size() + this.waiters.size() + ((this.inFlight != null) ? 1 : 0);
		}
	}

	/**
	 * Whether {@link #close(Duration)} was called.
	 * @return {@code true} once closing started
	 */
	public boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	/**
	 * Closes the delivery within {@link #DEFAULT_CLOSE_TIMEOUT}, as
	 * {@link #close(Duration)} does.
	 */
	@Override
	public void close() {
		close(DEFAULT_CLOSE_TIMEOUT);
	}

	/**
	 * Stops taking batches, hands the pending ones to their handlers for at most
	 * {@code timeout}, counts those still pending then as dropped, and stops the
	 * delivery's thread. Batches handed over after the call are dropped and counted.
	 * Streams waiting for room ({@link OverflowPolicy#BACKPRESSURE}) go on once their
	 * batch is queued or dropped. Blocks the calling thread for at most about
	 * {@code timeout}; idempotent: a second call returns at once.
	 * @param timeout how long the pending batches may take, not negative
	 */
	public void close(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout must not be null");
		if (timeout.isNegative()) {
			throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
		}
		CountDownLatch latch;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			latch = new CountDownLatch(1);
			this.drained = latch;
			if (idle()) {
				latch.countDown();
			}
		}
		try {
			latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<Batch> rest = new ArrayList<>();
		List<Waiter> released;
		synchronized (this.lock) {
			rest.addAll(this.queue);
			this.queue.clear();
			released = new ArrayList<>(this.waiters);
			this.waiters.clear();
			released.forEach((waiter) -> rest.add(waiter.batch));
			Batch current = this.inFlight;
			if (current != null) {
				rest.add(current);
				this.inFlight = null;
			}
		}
		rest.forEach(this::drop);
		released.forEach((waiter) -> waiter.sink.success());
		if (!rest.isEmpty()) {
			logger.warn("Event delivery closed with " + rest.size() + " batch(es) still pending; counted as dropped");
		}
		this.scheduler.dispose();
	}

	/**
	 * Queues a batch without waiting: when the queue is full, the oldest queued batch is
	 * dropped, whatever the policy; when closed, this batch is.
	 * @param handler the batch's handler
	 * @param events the batch
	 */
	void submit(BatchHandler handler, List<StreamEvent> events) {
		Batch batch = new Batch(handler, events);
		Batch oldest = null;
		boolean rejected;
		synchronized (this.lock) {
			rejected = this.closed;
			if (!rejected) {
				if (this.queue.size() >= this.queueCapacity) {
					oldest = this.queue.poll();
				}
				this.queue.add(batch);
			}
		}
		if (rejected) {
			drop(batch);
			return;
		}
		if (oldest != null) {
			drop(oldest);
		}
		drain();
	}

	/**
	 * Queues a batch under the delivery's policy.
	 * @param handler the batch's handler
	 * @param events the batch
	 * @return completes once the batch is queued or dropped: at once with
	 * {@link OverflowPolicy#DROP_OLDEST}, once there is room with
	 * {@link OverflowPolicy#BACKPRESSURE}; a cancelled wait drops the batch
	 */
	Mono<Void> offer(BatchHandler handler, List<StreamEvent> events) {
		if (this.overflowPolicy == OverflowPolicy.DROP_OLDEST) {
			return Mono.fromRunnable(() -> submit(handler, events));
		}
		return Mono.create((sink) -> {
			Batch batch = new Batch(handler, events);
			Waiter waiter = null;
			boolean rejected;
			synchronized (this.lock) {
				rejected = this.closed;
				if (!rejected) {
					if (this.queue.size() < this.queueCapacity && this.waiters.isEmpty()) {
						this.queue.add(batch);
					}
					else {
						waiter = new Waiter(batch, sink);
						this.waiters.add(waiter);
					}
				}
			}
			if (rejected) {
				drop(batch);
				sink.success();
				return;
			}
			if (waiter == null) {
				sink.success();
			}
			else {
				Waiter waiting = waiter;
				sink.onCancel(() -> {
					boolean removed;
					synchronized (this.lock) {
						removed = this.waiters.remove(waiting);
					}
					if (removed) {
						drop(waiting.batch);
					}
				});
			}
			drain();
		});
	}

	/** Starts the next batch when none is in flight. */
	private void drain() {
		Batch next;
		Waiter promoted = null;
		synchronized (this.lock) {
			if (this.inFlight != null) {
				return;
			}
			next = this.queue.poll();
			if (next == null) {
				CountDownLatch latch = this.drained;
				if (latch != null && this.waiters.isEmpty()) {
					latch.countDown();
				}
				return;
			}
			this.inFlight = next;
			if (this.queue.size() < this.queueCapacity) {
				promoted = this.waiters.poll();
				if (promoted != null) {
					this.queue.add(promoted.batch);
				}
			}
		}
		if (promoted != null) {
			promoted.sink.success();
		}
		try {
			this.scheduler.schedule(() -> deliver(next));
		}
		catch (RejectedExecutionException ex) {
			finish(next, null, false);
		}
	}

	/** Runs a batch's handler, on the delivery's thread. */
	private void deliver(Batch batch) {
		Mono<Void> handling;
		try {
			handling = batch.handler.handle(batch.events);
			if (handling == null) {
				throw new NullPointerException("BatchHandler returned null");
			}
		}
		catch (Throwable ex) {
			finish(batch, ex, true);
			return;
		}
		handling.subscribe(null, (ex) -> finish(batch, ex, true), () -> finish(batch, null, true));
	}

	/**
	 * Counts a batch's outcome (unless {@link #close(Duration)} counted it already) and
	 * starts the next one.
	 */
	private void finish(Batch batch, @Nullable Throwable failure, boolean handled) {
		if (batch.settle()) {
			if (!handled) {
				countDropped();
			}
			else if (failure == null) {
				this.delivered.incrementAndGet();
				this.counts.delivered();
			}
			else {
				this.failed.incrementAndGet();
				this.counts.failed();
				logFailure(batch, failure);
			}
		}
		synchronized (this.lock) {
			if (this.inFlight == batch) {
				this.inFlight = null;
			}
		}
		drain();
	}

	private void logFailure(Batch batch, Throwable failure) {
		String message = "Batch handler failed on a batch of " + batch.events.size() + " event(s) of stream "
				+ batch.events.get(0).streamId() + "; the batch is counted as failed";
		if (this.failureLogged.compareAndSet(false, true)) {
			logger.warn(message + " (later failures are logged at DEBUG)", failure);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, failure);
		}
	}

	private void drop(Batch batch) {
		if (batch.settle()) {
			countDropped();
		}
	}

	private void countDropped() {
		this.dropped.incrementAndGet();
		this.counts.dropped();
	}

	/** Whether nothing is pending; called holding {@link #lock}. */
	private boolean idle() {
		return this.inFlight == null && this.queue.isEmpty() && this.waiters.isEmpty();
	}

	/** A batch and its handler, counted once. */
	private static final class Batch {

		final BatchHandler handler;

		final List<StreamEvent> events;

		private final AtomicBoolean settled = new AtomicBoolean();

		Batch(BatchHandler handler, List<StreamEvent> events) {
			this.handler = handler;
			this.events = events;
		}

		/** Whether this call is the one that counts the batch. */
		boolean settle() {
			return this.settled.compareAndSet(false, true);
		}

	}

	/** A batch waiting for room, and the stream waiting with it. */
	private record Waiter(Batch batch, MonoSink<Void> sink) {

	}

	/**
	 * Builds an {@link EventDelivery}.
	 */
	public static final class Builder {

		private int queueCapacity = DEFAULT_QUEUE_CAPACITY;

		private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

		private String name = DEFAULT_NAME;

		private @Nullable MeterRegistry meterRegistry;

		private Builder() {
		}

		/**
		 * Batches the queue holds, besides the one being handled.
		 * @param queueCapacity at least 1; {@value EventDelivery#DEFAULT_QUEUE_CAPACITY}
		 * by default
		 * @return this builder
		 * @throws IllegalArgumentException when below 1
		 */
		public Builder queueCapacity(int queueCapacity) {
			if (queueCapacity < 1) {
				throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
			}
			this.queueCapacity = queueCapacity;
			return this;
		}

		/**
		 * What a full queue does to the next batch.
		 * @param overflowPolicy the policy, not {@code null};
		 * {@link OverflowPolicy#DROP_OLDEST} by default
		 * @return this builder
		 */
		public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy must not be null");
			return this;
		}

		/**
		 * Name of the delivery's thread, a number appended.
		 * @param name not empty; {@value EventDelivery#DEFAULT_NAME} by default
		 * @return this builder
		 */
		public Builder name(String name) {
			Objects.requireNonNull(name, "name must not be null");
			if (name.isBlank()) {
				throw new IllegalArgumentException("name must not be blank");
			}
			this.name = name;
			return this;
		}

		/**
		 * Where the counter {@code steer.events.batches} goes.
		 * @param meterRegistry the registry, or {@code null} for none (the default; then
		 * {@code micrometer-core} need not be on the class path)
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * A delivery, its thread started on the first batch.
		 * @return the delivery
		 */
		public EventDelivery build() {
			return new EventDelivery(this);
		}

	}

}
