package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.List;

import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static io.steer.llm.pipeline.ProcessorTestEvents.complete;
import static io.steer.llm.pipeline.ProcessorTestEvents.delta;
import static io.steer.llm.pipeline.ProcessorTestEvents.failing;
import static io.steer.llm.pipeline.ProcessorTestEvents.hello;
import static io.steer.llm.pipeline.ProcessorTestEvents.interrupted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transformers of {@link EventProcessors}, plain and asynchronous.
 */
class EventProcessorsTransformTests {

	private static StreamEvent upperCase(StreamEvent event) {
		return (event instanceof StreamDeltaEvent delta)
				? new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta().toUpperCase(), delta.chunkIndex(),
						delta.choiceIndex(), delta.json(), delta.toolCall(), delta.timestamp(), delta.metadata())
				: event;
	}

	@Test
	void transformShouldReplaceEveryEventInOrder() {
		StepVerifier
			.create(EventProcessors.transform(EventProcessorsTransformTests::upperCase)
				.apply(Flux.fromIterable(hello()))
				.collectList())
			.assertNext((events) -> {
				assertThat(ProcessorTestEvents.text(events)).isEqualTo("HELLO");
				assertThat(events).hasSize(5).last().isEqualTo(complete("Hello"));
			})
			.verifyComplete();
	}

	@Test
	void transformShouldSeeTheTerminalEventToo() {
		StepVerifier
			.create(EventProcessors.transform((event) -> event.withMetadata("seen", true))
				.apply(Flux.fromIterable(failing())))
			.expectNextCount(2)
			.assertNext((event) -> assertThat(event).isEqualTo(interrupted("Hel").withMetadata("seen", true)))
			.verifyComplete();
	}

	@Test
	void transformReturningNullShouldFailTheProcessor() {
		StepVerifier.create(EventProcessors.transform((event) -> null).apply(Flux.fromIterable(hello())))
			.verifyError(NullPointerException.class);
	}

	@Test
	void transformAsyncShouldKeepTheOrderWhenLaterEventsAreFaster() {
		List<StreamEvent> events = List.of(delta(0, "a"), delta(1, "b"), delta(2, "c"), complete("abc"));
		EventProcessor slowFirst = EventProcessors.transformAsync((event) -> {
			int index = (event instanceof StreamDeltaEvent delta) ? delta.chunkIndex() : 3;
			return Mono.just(event.withMetadata("i", index)).delayElement(Duration.ofSeconds(10 - 3L * index));
		});
		StepVerifier.withVirtualTime(() -> slowFirst.apply(Flux.fromIterable(events)))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(10))
			.expectNext(delta(0, "a").withMetadata("i", 0))
			.expectNoEvent(Duration.ofSeconds(7))
			.expectNext(delta(1, "b").withMetadata("i", 1))
			.thenAwait(Duration.ofSeconds(4))
			.expectNext(delta(2, "c").withMetadata("i", 2))
			.thenAwait(Duration.ofSeconds(1))
			.expectNext(complete("abc").withMetadata("i", 3))
			.verifyComplete();
	}

	@Test
	void transformAsyncShouldDropAnEventItsMonoLeavesEmptyButNotTheTerminalEvent() {
		EventProcessor empty = EventProcessors.transformAsync((event) -> Mono.empty());
		StepVerifier.create(empty.apply(Flux.fromIterable(hello()))).expectNext(complete("Hello")).verifyComplete();
	}

	@Test
	void transformAsyncShouldFailWhenAMonoFails() {
		EventProcessor failing = EventProcessors.transformAsync((event) -> (event instanceof StreamDeltaEvent)
				? Mono.error(new IllegalStateException("x")) : Mono.just(event));
		StepVerifier.create(failing.apply(Flux.fromIterable(hello()))).expectNextCount(1).verifyErrorMessage("x");
	}

	@Test
	void transformAsyncShouldRequestOneEventAtATime() {
		List<Long> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
		Flux<StreamEvent> source = Flux.fromIterable(hello()).doOnRequest(requests::add);
		StepVerifier.create(EventProcessors.transformAsync(Mono::just).apply(source), 0)
			.thenRequest(1)
			.expectNextCount(1)
			.thenRequest(10)
			.expectNextCount(4)
			.verifyComplete();
		assertThat(requests).containsOnly(1L);
	}

	@Test
	void transformAsyncShouldCancelTheMonoInFlightWhenTheStreamIsCancelled() {
		java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
		EventProcessor never = EventProcessors
			.transformAsync((event) -> Mono.<StreamEvent>never().doOnCancel(() -> cancelled.set(true)));
		StepVerifier.withVirtualTime(() -> never.apply(Flux.fromIterable(hello())))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.thenCancel()
			.verify();
		assertThat(cancelled).isTrue();
	}

}
