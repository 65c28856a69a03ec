package io.steer.llm.client;

import java.time.Clock;
import java.util.Objects;

import io.steer.llm.error.EventProcessorException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.pipeline.EventProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The user's {@link EventProcessor} stage, the last before the subscriber, and the
 * terminal-event contract around it. The stream's events (after the callbacks) are shared
 * once per subscription, so the processor's input is the one stream, never a second HTTP
 * request, however often the processor subscribes to it. A processor never ends the
 * stream: when it completes or cancels its input early, emits a terminal event of its
 * own, or fails, the rest of the stream is still read; only the subscriber's cancel stops
 * it.
 * <p>
 * {@link #events(Flux)} is what a subscriber of {@code streamEvents} receives: the
 * processed events with exactly one terminal event, the first the processor emits; the
 * processed events after it are dropped (and discarded). When the processed flux
 * completes without one, the stream's own terminal event is appended. The subscriber
 * completes when the processed flux completes, so a processor that flushes what it holds
 * back when its input completes (a batch) still does so.
 * <p>
 * {@link #result(Flux)} is what {@code stream} and {@code streamWithUsage} read: the
 * stream's own events, whatever the processor filters or rewrites, while the processed
 * flux is still subscribed and drained, so the processor's side effects happen. The
 * terminal event is held back until the processed flux completes, so that a processor
 * that delivers in the background (a batch flushed at the end) finishes before the result
 * does.
 * <p>
 * A processor fails when {@code apply} throws or returns {@code null}, or its flux
 * signals an error. The stream then ends, in both views, with a {@link StreamErrorEvent}
 * of type {@link StreamErrorType#PROCESSOR} carrying an {@link EventProcessorException}
 * (cause: the failure) whose partial response is the stream's own response, read to its
 * end. In {@link #events(Flux)}, a failure after the processor delivered its terminal
 * event cannot be delivered and is logged at WARN. An error signalled by the stream
 * itself (which reports failures as events) passes through as it is.
 * <p>
 * Backpressure: the processor's input is read at most one event ahead of what it
 * requests, and in {@link #result(Flux)} the stream is read at the pace of the slower of
 * the subscriber and the processor. Cancelling the subscription cancels the processed
 * flux and the stream.
 */
final class ProcessorStage {

	/**
	 * Events the shared stream is read ahead of its slowest reader by, so that a
	 * processor does not widen the read-ahead the stream's {@code buffer-size} bounds.
	 */
	private static final int PREFETCH = 1;

	private static final Log logger = LogFactory.getLog(ProcessorStage.class);

	private final EventProcessor processor;

	private final Clock clock;

	/**
	 * Creates the stage.
	 * @param processor the user's processor
	 * @param clock the clock a processor failure's error event is timestamped with
	 */
	ProcessorStage(EventProcessor processor, Clock clock) {
		this.processor = Objects.requireNonNull(processor, "processor must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * The processed events, with exactly one terminal event.
	 * @param events one stream's events, ending with one terminal event
	 * @return the events the subscriber of {@code streamEvents} receives
	 */
	Flux<StreamEvent> events(Flux<StreamEvent> events) {
		return Flux.defer(() -> {
			Outcome outcome = new Outcome();
			return events.doOnNext(outcome::seen)
				.publish((shared) -> process(shared, outcome).filter(outcome::beforeEnd)
					.concatWith(Mono.defer(() -> outcome.ended ? lateFailure(outcome) : ending(outcome, shared))),
						PREFETCH);
		});
	}

	/**
	 * The stream's own events, with the processed flux drained alongside.
	 * @param events one stream's events, ending with one terminal event
	 * @return the same events, the terminal one once the processed flux completed (a
	 * {@link StreamErrorType#PROCESSOR} error event instead when the processor failed)
	 */
	Flux<StreamEvent> result(Flux<StreamEvent> events) {
		return Flux.defer(() -> {
			Outcome outcome = new Outcome();
			return events.doOnNext(outcome::seen).publish((shared) -> {
				Mono<StreamEvent> processing = process(shared, outcome).ignoreElements();
				Flux<StreamEvent> beforeTerminal = shared.filter((event) -> !event.isTerminal());
				return Flux.merge(PREFETCH, processing, beforeTerminal)
					.concatWith(Mono.fromSupplier(() -> terminal(outcome, outcome.terminal)));
			}, PREFETCH);
		});
	}

	/**
	 * The processor applied to the shared events, its failure recorded rather than
	 * signalled.
	 */
	private Flux<StreamEvent> process(Flux<StreamEvent> shared, Outcome outcome) {
		Flux<StreamEvent> input = shared.doOnError(outcome::streamFailed);
		return Flux.defer(() -> this.processor.apply(input)).onErrorResume((ex) -> {
			if (ex == outcome.streamFailure) {
				return Flux.error(ex);
			}
			outcome.failure = ex;
			return Flux.empty();
		});
	}

	/**
	 * Nothing is appended after the processor's own terminal event; a failure that came
	 * after it cannot be delivered, so it is logged.
	 */
	private Mono<StreamEvent> lateFailure(Outcome outcome) {
		Throwable failure = outcome.failure;
		StreamEvent terminal = outcome.terminal;
		if (failure != null) {
			logger.warn("Event processor" + ((terminal != null) ? " of stream " + terminal.streamId() : "")
					+ " failed after its terminal event was delivered; the failure is not delivered", failure);
		}
		return Mono.empty();
	}

	/**
	 * The terminal event appended when the processed flux completed without one: the
	 * stream's own, once the rest of the stream is read when the processor stopped before
	 * its end. The terminal event is recorded as the stream emits it, so a subscriber
	 * joining the shared events late cannot miss it.
	 */
	private Mono<StreamEvent> ending(Outcome outcome, Flux<StreamEvent> shared) {
		Mono<Void> rest = (outcome.terminal != null) ? Mono.empty() : shared.then();
		return rest.then(Mono.fromSupplier(() -> terminal(outcome, outcome.terminal)));
	}

	/**
	 * The terminal event of the stream, or the error event of the processor's failure
	 * built from it.
	 */
	private @Nullable StreamEvent terminal(Outcome outcome, @Nullable StreamEvent own) {
		Throwable failure = outcome.failure;
		if (own == null || failure == null) {
			return own;
		}
		StreamingResponse response;
		EventProcessorException error;
		if (own instanceof StreamErrorEvent streamError) {
			response = streamError.partialResponse();
			error = new EventProcessorException(provider(response), own.streamId(), failure);
			if (failure != streamError.error()) {
				error.addSuppressed(streamError.error());
			}
		}
		else {
			response = ((StreamCompleteEvent) own).response();
			error = new EventProcessorException(provider(response), own.streamId(), failure);
		}
		error.attachPartialResponse(response);
		return new StreamErrorEvent(own.streamId(), error, error.getErrorType(), error.isRetryable(), response,
				this.clock.instant());
	}

	private static @Nullable String provider(StreamingResponse response) {
		return response.provider().isEmpty() ? null : response.provider();
	}

	/**
	 * What one subscription saw: the stream's terminal event (recorded as the stream
	 * emits it, before it is shared), the processor's failure, the stream's own error
	 * signal, whether the processed flux delivered a terminal event.
	 */
	private static final class Outcome {

		volatile @Nullable StreamEvent terminal;

		volatile @Nullable Throwable failure;

		volatile @Nullable Throwable streamFailure;

		/** Whether the processed flux delivered its terminal event. */
		volatile boolean ended;

		void seen(StreamEvent event) {
			if (event.isTerminal() && this.terminal == null) {
				this.terminal = event;
			}
		}

		/**
		 * Whether a processed event is delivered: those up to the first terminal one, not
		 * those after it.
		 */
		boolean beforeEnd(StreamEvent event) {
			if (this.ended) {
				return false;
			}
			this.ended = event.isTerminal();
			return true;
		}

		void streamFailed(Throwable ex) {
			this.streamFailure = ex;
		}

	}

}
