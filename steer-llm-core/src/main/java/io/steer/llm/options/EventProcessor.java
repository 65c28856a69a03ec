package io.steer.llm.options;

import io.steer.llm.event.StreamEvent;
import reactor.core.publisher.Flux;

/**
 * A stage that filters, transforms or batches a stream's events before they reach the
 * subscriber. It is applied to the whole event flux of each stream, after callbacks ran.
 */
@FunctionalInterface
public interface EventProcessor {

	/**
	 * Decorates one stream's events.
	 * @param events the events, ending with a terminal event
	 * @return the processed events
	 */
	Flux<StreamEvent> process(Flux<StreamEvent> events);

}
