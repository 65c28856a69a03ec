package io.steer.llm.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.retry.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static io.steer.llm.pipeline.ProcessorTestEvents.T0;
import static io.steer.llm.pipeline.ProcessorTestEvents.complete;
import static io.steer.llm.pipeline.ProcessorTestEvents.delta;
import static io.steer.llm.pipeline.ProcessorTestEvents.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link EventProcessors#builder()}: the pieces chained in a fixed order.
 */
class EventProcessorsBuilderTests {

	@Test
	void emptyBuilderShouldBuildTheIdentity() {
		List<StreamEvent> in = hello();
		StepVerifier.create(EventProcessors.builder().build().apply(Flux.fromIterable(in)))
			.expectNextSequence(in)
			.verifyComplete();
	}

	@Test
	void filtersShouldAllApplyAndRunBeforeTheTransformers() {
		List<StreamEvent> transformed = new CopyOnWriteArrayList<>();
		EventProcessor processor = EventProcessors.builder().transformer((event) -> {
			transformed.add(event);
			return event;
		})
			.eventTypes("delta")
			.providers("openai")
			.filter((event) -> ((StreamDeltaEvent) event).chunkIndex() > 0)
			.build();
		StepVerifier.create(processor.apply(Flux.fromIterable(hello())))
			.expectNext(delta(1, "lo"), complete("Hello"))
			.verifyComplete();
		assertThat(transformed).containsExactly(delta(1, "lo"), complete("Hello"));
	}

	@Test
	void eventTypesShouldAddUp() {
		EventProcessor processor = EventProcessors.builder()
			.eventTypes(StreamCompleteEvent.class)
			.eventTypes("delta")
			.build();
		StepVerifier.create(processor.apply(Flux.fromIterable(hello())))
			.expectNext(delta(0, "Hel"), delta(1, "lo"), complete("Hello"))
			.verifyComplete();
	}

	@Test
	void eventTypesShouldRejectAnUnknownName() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventProcessors.builder().eventTypes("deltas"))
			.withMessageContaining("'deltas'");
	}

	@Test
	void transformersShouldSeeTheCorrelationIdAndRunInTheOrderAdded() {
		EventProcessor processor = EventProcessors.builder()
			.asyncTransformer((event) -> Mono.just(event.withMetadata("order", "a")))
			.transformer((event) -> event.withMetadata("order", event.metadata().get("order") + "b"))
			.transformer((event) -> event.withMetadata("had_correlation",
					event.metadata().containsKey(EventProcessors.CORRELATION_ID)))
			.addCorrelation(true)
			.build();
		List<StreamEvent> out = processor.apply(Flux.fromIterable(hello())).collectList().block();
		assertThat(out).hasSize(5)
			.allSatisfy((event) -> assertThat(event.metadata()).containsEntry("order", "ab")
				.containsEntry("had_correlation", true));
	}

	@Test
	void timestampAndMetricsShouldComeAfterTheTransformersAndTheAppendedProcessorsLast() {
		MutableClock clock = new MutableClock(T0);
		List<Map<String, Object>> seenByThen = new CopyOnWriteArrayList<>();
		EventProcessor processor = EventProcessors.builder()
			.clock(clock)
			.then((events) -> events.doOnNext((event) -> seenByThen.add(event.metadata())))
			.addMetrics(true)
			.addTimestamp(true)
			.transformer((event) -> {
				clock.advance(Duration.ofMillis(2));
				return event;
			})
			.build();
		List<StreamEvent> out = processor.apply(Flux.fromIterable(hello())).collectList().block();
		assertThat(out.get(0).metadata()).containsEntry(EventProcessors.PROCESSED_AT, T0.plusMillis(2))
			.containsEntry(EventProcessors.PROCESSING_TIME_MS, 2.0)
			.containsEntry(EventProcessors.EVENT_COUNT, 1);
		assertThat(out.get(4).metadata()).containsEntry(EventProcessors.PROCESSED_AT, T0.plusMillis(10))
			.containsKey(EventProcessors.EVENTS_BY_TYPE);
		assertThat(seenByThen).hasSize(5)
			.allSatisfy((metadata) -> assertThat(metadata).containsKeys(EventProcessors.PROCESSED_AT,
					EventProcessors.EVENT_COUNT));
	}

	@Test
	void thenShouldAppendProcessorsInTheOrderAdded() {
		List<String> order = new CopyOnWriteArrayList<>();
		EventProcessor processor = EventProcessors.builder()
			.then((events) -> events.doOnNext((event) -> order.add("first")))
			.then((events) -> events.doOnNext((event) -> order.add("second")))
			.eventTypes("complete")
			.build();
		processor.apply(Flux.fromIterable(hello())).blockLast();
		assertThat(order).containsExactly("first", "second");
	}

	@Test
	void switchesSetToFalseShouldAddNothing() {
		EventProcessor processor = EventProcessors.builder()
			.addCorrelation(true)
			.addCorrelation(false)
			.addTimestamp(false)
			.addMetrics(false)
			.clock(new MutableClock(Instant.EPOCH))
			.build();
		assertThat(processor.apply(Flux.fromIterable(hello())).collectList().block())
			.allSatisfy((event) -> assertThat(event.metadata()).doesNotContainKeys(EventProcessors.CORRELATION_ID,
					EventProcessors.PROCESSED_AT, EventProcessors.EVENT_COUNT));
	}

}
