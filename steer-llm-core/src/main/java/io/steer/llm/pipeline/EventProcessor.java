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
 * callbacks: exchange → assembly → (observation tap) → callbacks → user processors →
 * subscriber. Whatever a processor filters, exactly one terminal event (complete or
 * error) reaches the subscriber: when the processed flux completes without one, the
 * stream's own terminal event is appended, and any terminal event after the first is
 * dropped. {@code SteerLLMClient.stream} and {@code streamWithUsage} take their result
 * from the events before the processors, so a processor can never make them complete
 * empty.
 */
@FunctionalInterface
public interface EventProcessor extends UnaryOperator<Flux<StreamEvent>> {

	/**
	 * Decorates one stream's events.
	 * @param events the events, ending with one terminal event
	 * @return the processed events
	 */
	@Override
	Flux<StreamEvent> apply(Flux<StreamEvent> events);

	/**
	 * This processor, then {@code next} on its output.
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
