package io.steer.llm.pipeline;

import java.util.Objects;
import java.util.function.UnaryOperator;

import io.steer.llm.event.StreamEvent;
import reactor.core.publisher.Flux;

/**
 * A user stage that filters, transforms, batches or delivers a stream's events before
 * they reach the subscriber: a decorator of one stream's whole event flux, applied once
 * per subscription (in the style of resilience4j's {@code RetryOperator}).
 * <p>
 * Processors compose with {@link #andThen(EventProcessor)}. They run last, after the
 * callbacks: exchange → assembly → observation tap → callbacks → event processor →
 * subscriber. Whatever a processor does, exactly one terminal event (complete or error)
 * reaches the subscriber of {@code SteerLLMClient.streamEvents}: the first one the
 * processor emits, else, when the processed flux completes without one, the stream's own,
 * appended; a processor cannot end the stream early, and its failure becomes a
 * {@link io.steer.llm.event.StreamErrorEvent} of type
 * {@link io.steer.llm.error.StreamErrorType#PROCESSOR}. {@code SteerLLMClient.stream} and
 * {@code streamWithUsage} take their result from the events before the processors, which
 * still see every event for their side effects, so a processor can never make them
 * complete empty. See the {@linkplain io.steer.llm.pipeline package} for the whole
 * contract.
 * <p>
 * Example, a processor that hands deltas in batches of 20 or every 200 ms to a store
 * ({@code save} returning a {@code Mono<Void>}) and passes every event on; its input is
 * the shared stream, so subscribing to it twice is fine: <pre>{@code
 * EventProcessor batching = (events) -> events.mergeWith(events.ofType(StreamDeltaEvent.class)
 *     .bufferTimeout(20, Duration.ofMillis(200))
 *     .concatMap(store::save)
 *     .then(Mono.empty()));
 * }</pre>
 */
@FunctionalInterface
public interface EventProcessor extends UnaryOperator<Flux<StreamEvent>> {

	/**
	 * Decorates one stream's events.
	 * @param events the events, after the callbacks, ending with one terminal event; a
	 * shared flux, so subscribing to it more than once sends no second request
	 * @return the processed events, not {@code null}; their flux must complete (it may
	 * after the stream's terminal event, to flush what it holds back)
	 */
	@Override
	Flux<StreamEvent> apply(Flux<StreamEvent> events);

	/**
	 * This processor, then {@code next} on its output: {@code next} sees the events this
	 * one emits.
	 * @param next the processor applied after this one, not {@code null}
	 * @return the composed processor
	 */
	default EventProcessor andThen(EventProcessor next) {
		Objects.requireNonNull(next, "next must not be null");
		return (events) -> next.apply(apply(events));
	}

	/**
	 * The processor that passes every event through unchanged.
	 * @return the identity processor
	 */
	static EventProcessor identity() {
		return (events) -> events;
	}

}
