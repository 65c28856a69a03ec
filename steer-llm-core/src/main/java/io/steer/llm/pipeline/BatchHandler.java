package io.steer.llm.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.steer.llm.event.StreamEvent;
import reactor.core.publisher.Mono;

/**
 * Where a {@link BatchingProcessor} hands a stream's events, a batch at a time: a store,
 * an analytics service, a log. A batch holds the events of one stream, in the order the
 * stream emitted them; batches of a stream reach the handler in order, one at a time.
 * <p>
 * An async handler returns a {@link Mono} that completes when the batch is handled; a
 * sync one is made with {@link #of(Consumer)}. A handler that throws, returns
 * {@code null} or signals an error fails that batch only: the failure is counted and
 * logged (see {@link EventDelivery#failed()}), and neither the stream nor the next
 * batches are affected.
 */
@FunctionalInterface
public interface BatchHandler {

	/**
	 * Handles one batch.
	 * @param batch the events, at least one, in stream order; unmodifiable
	 * @return completes when the batch is handled, signals an error when it failed; not
	 * {@code null}
	 */
	Mono<Void> handle(List<StreamEvent> batch);

	/**
	 * A handler that runs {@code consumer} for each batch, on the thread that delivers it
	 * (the {@link EventDelivery}'s own thread when the processor delivers in the
	 * background); what it throws fails the batch.
	 * @param consumer what to do with a batch, not {@code null}
	 * @return the handler
	 */
	static BatchHandler of(Consumer<List<StreamEvent>> consumer) {
		Objects.requireNonNull(consumer, "consumer must not be null");
		return (batch) -> Mono.fromRunnable(() -> consumer.accept(batch));
	}

}
