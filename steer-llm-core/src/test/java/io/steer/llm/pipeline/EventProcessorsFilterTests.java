package io.steer.llm.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static io.steer.llm.pipeline.ProcessorTestEvents.complete;
import static io.steer.llm.pipeline.ProcessorTestEvents.delta;
import static io.steer.llm.pipeline.ProcessorTestEvents.failing;
import static io.steer.llm.pipeline.ProcessorTestEvents.hello;
import static io.steer.llm.pipeline.ProcessorTestEvents.interrupted;
import static io.steer.llm.pipeline.ProcessorTestEvents.start;
import static io.steer.llm.pipeline.ProcessorTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The filters of {@link EventProcessors}: by type, by provider, by predicate; the
 * terminal event is never filtered out.
 */
class EventProcessorsFilterTests {

	@Test
	void typesByClassShouldPassOnlyThoseTypesAndTheTerminalEvent() {
		StepVerifier.create(EventProcessors.types(StreamDeltaEvent.class).apply(Flux.fromIterable(hello())))
			.expectNext(delta(0, "Hel"), delta(1, "lo"))
			.expectNext(complete("Hello"))
			.verifyComplete();
	}

	@Test
	void typesByNameShouldPassOnlyThoseTypesAndTheTerminalEvent() {
		StepVerifier.create(EventProcessors.types("delta").apply(Flux.fromIterable(failing())))
			.expectNext(delta(0, "Hel"))
			.expectNext(interrupted("Hel"))
			.verifyComplete();
	}

	@Test
	void typesByNameShouldAcceptEverySeedNameWithoutCase() {
		StepVerifier.create(EventProcessors.types("Start", "USAGE").apply(Flux.fromIterable(hello())))
			.expectNext(start("openai"), usage(), complete("Hello"))
			.verifyComplete();
		StepVerifier.create(EventProcessors.types("complete").apply(Flux.fromIterable(hello())))
			.expectNext(complete("Hello"))
			.verifyComplete();
		StepVerifier.create(EventProcessors.types("error").apply(Flux.fromIterable(failing())))
			.expectNext(interrupted("Hel"))
			.verifyComplete();
	}

	@Test
	void typesOfTheInterfaceShouldPassEverything() {
		StepVerifier.create(EventProcessors.types(StreamEvent.class).apply(Flux.fromIterable(hello())))
			.expectNextSequence(hello())
			.verifyComplete();
	}

	@Test
	void typesShouldRejectAnUnknownNameNamingItAndTheAcceptedOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventProcessors.types("delta", "chunk"))
			.withMessage("Unknown event type 'chunk'; accepted: start, delta, usage, complete, error");
	}

	@Test
	void typesShouldRejectNoTypeAndNull() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventProcessors.types(new String[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> EventProcessors.types(new Class[0]));
		assertThatNullPointerException().isThrownBy(() -> EventProcessors.types("delta", null));
		assertThatNullPointerException().isThrownBy(() -> EventProcessors.types(StreamDeltaEvent.class, null));
	}

	@Test
	void providersShouldPassTheEventsOfTheirStreamsOnly() {
		StepVerifier.create(EventProcessors.providers("OpenAI", "xai").apply(Flux.fromIterable(hello())))
			.expectNextSequence(hello())
			.verifyComplete();
		StepVerifier.create(EventProcessors.providers("anthropic").apply(Flux.fromIterable(hello())))
			.expectNext(complete("Hello"))
			.verifyComplete();
	}

	@Test
	void providersShouldPassTheErrorOfAStreamThatFailedBeforeItStarted() {
		StepVerifier.create(EventProcessors.providers("anthropic").apply(Flux.just(interrupted(""))))
			.expectNext(interrupted(""))
			.verifyComplete();
	}

	@Test
	void providersShouldKeepStatePerStream() {
		EventProcessor anthropic = EventProcessors.providers("anthropic");
		List<StreamEvent> anthropicStream = List.of(start("anthropic"), delta(0, "a"), complete("a"));
		StepVerifier.create(anthropic.apply(Flux.fromIterable(anthropicStream)))
			.expectNextSequence(anthropicStream)
			.verifyComplete();
		StepVerifier.create(anthropic.apply(Flux.just(delta(0, "x"), complete("x"))))
			.expectNext(complete("x"))
			.verifyComplete();
	}

	@Test
	void providersShouldRejectNoProviderAndNull() {
		assertThatIllegalArgumentException().isThrownBy(EventProcessors::providers);
		assertThatNullPointerException().isThrownBy(() -> EventProcessors.providers("openai", null));
	}

	@Test
	void filterShouldPassWhatThePredicateAcceptsAndNeverAskItAboutTheTerminalEvent() {
		List<StreamEvent> asked = new ArrayList<>();
		EventProcessor longDeltas = EventProcessors.filter((event) -> {
			asked.add(event);
			return event instanceof StreamDeltaEvent delta && delta.delta().length() > 2;
		});
		StepVerifier.create(longDeltas.apply(Flux.fromIterable(hello())))
			.expectNext(delta(0, "Hel"), complete("Hello"))
			.verifyComplete();
		assertThat(asked).noneMatch(StreamEvent::isTerminal).hasSize(4);
	}

	@Test
	void filterRejectingEverythingShouldStillPassTheCompleteAndTheErrorEvent() {
		EventProcessor nothing = EventProcessors.filter((event) -> false);
		StepVerifier.create(nothing.apply(Flux.fromIterable(hello()))).expectNext(complete("Hello")).verifyComplete();
		StepVerifier.create(nothing.apply(Flux.fromIterable(failing())))
			.expectNext(interrupted("Hel"))
			.verifyComplete();
	}

	@Test
	void filterWhosePredicateThrowsShouldFailTheProcessor() {
		EventProcessor failing = EventProcessors.filter((event) -> {
			throw new IllegalStateException("boom");
		});
		StepVerifier.create(failing.apply(Flux.fromIterable(hello()))).verifyErrorMessage("boom");
	}

	@Test
	void filterShouldKeepBackpressure() {
		StepVerifier.create(EventProcessors.types("delta").apply(Flux.fromIterable(hello())), 0)
			.expectSubscription()
			.thenRequest(1)
			.expectNext(delta(0, "Hel"))
			.thenRequest(2)
			.expectNext(delta(1, "lo"), complete("Hello"))
			.verifyComplete();
	}

	@Test
	void filteredEventsShouldBeTheSameInstances() {
		List<StreamEvent> in = hello();
		List<StreamEvent> out = EventProcessors.types(StreamStartEvent.class, StreamUsageEvent.class)
			.apply(Flux.fromIterable(in))
			.collectList()
			.block();
		assertThat(out).hasSize(3);
		assertThat(out.get(0)).isSameAs(in.get(0));
		assertThat(out.get(1)).isSameAs(in.get(3));
		assertThat(out.get(2)).isInstanceOf(StreamCompleteEvent.class);
		assertThat(out).noneMatch(StreamErrorEvent.class::isInstance);
	}

}
