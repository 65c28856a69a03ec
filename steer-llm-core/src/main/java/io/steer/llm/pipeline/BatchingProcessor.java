package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.steer.llm.event.StreamEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An {@link EventProcessor} that passes every event through to the subscriber unchanged
 * (the same instances, in the same order, none held back unless a
 * {@link OverflowPolicy#BACKPRESSURE} delivery is full) while it hands the stream's
 * events, in batches, to a {@link BatchHandler}: a batch is handed over when it holds
 * {@link Builder#size(int) size} events, when {@link Builder#timeout(Duration) timeout}
 * passed since its first event, and at the stream's terminal event, which ends the last
 * batch. Every event of the stream is in exactly one batch, batches are in stream order,
 * and the last, partial batch is never lost.
 * <p>
 * Batches are formed by Reactor's {@code bufferTimeout(size, timeout, true)}, the variant
 * with fair backpressure: it never emits more batches than requested, so a batch that
 * times out while the delivery has no room waits instead of failing the stream with an
 * {@code OverflowException} (reactor-core#3012); it reads the stream at most four batches
 * of events ahead. reactor-core#4377 reports that variant handing a partial batch over
 * before its timeout when demand resumes; with the Reactor this build uses, it waits for
 * its timeout (tested), and either way no event is lost, repeated or reordered. With
 * {@link OverflowPolicy#DROP_OLDEST} the batches are requested without bound, so demand
 * never pauses. The timeout runs on Reactor's parallel scheduler (virtual time in tests).
 * <p>
 * With {@link Builder#background(EventDelivery) background}, batches go to that
 * {@link EventDelivery}'s queue and the handler runs on its thread: with
 * {@link OverflowPolicy#DROP_OLDEST} handing a batch over never waits, so a slow or
 * failing handler never slows, breaks or reorders the subscriber's stream; with
 * {@link OverflowPolicy#BACKPRESSURE} a full queue slows the stream instead of dropping.
 * Without it, the handler runs in the stream, on the thread that formed the batch
 * (possibly the connection's event loop: keep such a handler non-blocking), and the
 * stream waits for each batch to be handled; a failure is still only logged.
 * <p>
 * Cancellation: when the subscriber cancels, or the stream signals an error, the events
 * of the open batch (already delivered to the subscriber) are handed over as a last
 * batch, without waiting for room. A handler's failure never reaches the subscriber.
 * Thread-safe and reusable: each subscription has its own batches.
 */
public final class BatchingProcessor implements EventProcessor {

	/** Events in a batch by default. */
	public static final int DEFAULT_SIZE = 20;

	/**
	 * The largest batch: the fair {@code bufferTimeout} reads four batches ahead, which
	 * must stay well within an {@code int} (reactor-core#4185).
	 */
	public static final int MAX_SIZE = 1 << 16;

	/** Time after a batch's first event that the batch is handed over by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

	/**
	 * Events the two readers of the stream (the subscriber's and the batches') may be
	 * apart, so that the processor does not widen the stream's read-ahead.
	 */
	private static final int PREFETCH = 1;

	private static final Log logger = LogFactory.getLog(BatchingProcessor.class);

	private final BatchHandler handler;

	private final int size;

	private final Duration timeout;

	private final @Nullable EventDelivery delivery;

	private BatchingProcessor(Builder builder) {
		this.handler = builder.handler;
		this.size = builder.size;
		this.timeout = builder.timeout;
		this.delivery = builder.delivery;
	}

	/**
	 * A builder of a processor that hands batches to {@code handler}.
	 * @param handler the handler, not {@code null}
	 * @return the builder, with {@value #DEFAULT_SIZE} events, 200 ms and no background
	 * delivery
	 */
	public static Builder builder(BatchHandler handler) {
		return new Builder(handler);
	}

	/**
	 * Events in a full batch.
	 * @return the size, 1 to {@value #MAX_SIZE}
	 */
	public int size() {
		return this.size;
	}

	/**
	 * Time after a batch's first event that the batch is handed over.
	 * @return the timeout, positive
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Where batches are handed in the background.
	 * @return the delivery, or {@code null} when the handler runs in the stream
	 */
	public @Nullable EventDelivery background() {
		return this.delivery;
	}

	/**
	 * Passes the events through and batches them.
	 * @param events one stream's events, ending with one terminal event; subscribed once
	 * @return the same events; completes once the last batch was handed over (with a
	 * background delivery: queued or dropped, not handled)
	 */
	@Override
	public Flux<StreamEvent> apply(Flux<StreamEvent> events) {
		Objects.requireNonNull(events, "events must not be null");
		// the batch reader subscribes first, so each event reaches it before the
		// subscriber,
		// who may cancel on seeing it
		return events.publish((shared) -> Flux.merge(PREFETCH, handOver(shared).then(Mono.empty()), shared), PREFETCH);
	}

	/** The batch reader of the shared events; never signals an error. */
	private Mono<Void> handOver(Flux<StreamEvent> shared) {
		return Mono.defer(() -> {
			List<StreamEvent> open = new ArrayList<>();
			Flux<List<StreamEvent>> batches = batches(shared.takeUntil(StreamEvent::isTerminal), this.size,
					this.timeout)
				.doOnDiscard(StreamEvent.class, (event) -> {
					synchronized (open) {
						open.add(event);
					}
				});
			EventDelivery background = this.delivery;
			Mono<Void> handing;
			if (background == null) {
				handing = batches.concatMap(this::handleHere, 0).then();
			}
			else if (background.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
				// unbounded demand: bufferTimeout never waits for a request
				// (reactor-core#4377)
				handing = batches.doOnNext((batch) -> background.submit(this.handler, batch)).then();
			}
			else {
				handing = batches.concatMap((batch) -> background.offer(this.handler, batch), 0).then();
			}
			return handing.onErrorResume((ex) -> Mono.empty()).doFinally((signal) -> handLeftOver(open));
		});
	}

	/**
	 * Hands over the events of the open batch that a cancel or an error discarded, as one
	 * last batch, without waiting.
	 */
	private void handLeftOver(List<StreamEvent> open) {
		List<StreamEvent> rest;
		synchronized (open) {
			if (open.isEmpty()) {
				return;
			}
			rest = List.copyOf(open);
			open.clear();
		}
		EventDelivery background = this.delivery;
		if (background != null) {
			background.submit(this.handler, rest);
		}
		else {
			handleHere(rest).subscribe();
		}
	}

	/** Runs the handler in the stream; its failure is logged, never signalled. */
	private Mono<Void> handleHere(List<StreamEvent> batch) {
		return Mono.defer(() -> this.handler.handle(batch)).onErrorResume((ex) -> {
			logger.warn("Batch handler failed on a batch of " + batch.size() + " event(s) of stream "
					+ batch.get(0).streamId(), ex);
			return Mono.empty();
		});
	}

	/**
	 * The batches of a stream's events: {@code bufferTimeout} with fair backpressure,
	 * each batch unmodifiable.
	 * @param events the events
	 * @param size events in a full batch
	 * @param timeout time after a batch's first event that it is emitted
	 * @return the batches, never more than requested
	 */
	static Flux<List<StreamEvent>> batches(Flux<StreamEvent> events, int size, Duration timeout) {
		return events.bufferTimeout(size, timeout, true).map(List::copyOf);
	}

	/**
	 * Builds a {@link BatchingProcessor}.
	 */
	public static final class Builder {

		private final BatchHandler handler;

		private int size = DEFAULT_SIZE;

		private Duration timeout = DEFAULT_TIMEOUT;

		private @Nullable EventDelivery delivery;

		private Builder(BatchHandler handler) {
			this.handler = Objects.requireNonNull(handler, "handler must not be null");
		}

		/**
		 * Events in a full batch.
		 * @param size 1 to {@value BatchingProcessor#MAX_SIZE};
		 * {@value BatchingProcessor#DEFAULT_SIZE} by default
		 * @return this builder
		 * @throws IllegalArgumentException when out of range
		 */
		public Builder size(int size) {
			if (size < 1 || size > MAX_SIZE) {
				throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE + ", was " + size);
			}
			this.size = size;
			return this;
		}

		/**
		 * Time after a batch's first event that the batch is handed over, full or not.
		 * @param timeout positive; 200 ms by default
		 * @return this builder
		 * @throws IllegalArgumentException when zero or negative
		 */
		public Builder timeout(Duration timeout) {
			Objects.requireNonNull(timeout, "timeout must not be null");
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive, was " + timeout);
			}
			this.timeout = timeout;
			return this;
		}

		/**
		 * Hands the batches to {@code delivery}, whose thread runs the handler.
		 * @param delivery the delivery, or {@code null} to run the handler in the stream
		 * (the default)
		 * @return this builder
		 */
		public Builder background(@Nullable EventDelivery delivery) {
			this.delivery = delivery;
			return this;
		}

		/**
		 * The processor.
		 * @return the processor
		 */
		public BatchingProcessor build() {
			return new BatchingProcessor(this);
		}

	}

}
