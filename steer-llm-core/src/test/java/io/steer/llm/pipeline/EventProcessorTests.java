package io.steer.llm.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EventProcessorTests {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static final StreamEvent START = new StreamStartEvent("s", "openai", "gpt-4o-mini", null, T0, Map.of());

	private static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	private static EventProcessor rewrite(String suffix) {
		return (events) -> events.map((event) -> (event instanceof StreamDeltaEvent delta)
				? delta(delta.chunkIndex(), delta.delta() + suffix) : event);
	}

	@Test
	void andThenShouldApplyThisProcessorFirstThenTheNextOnItsOutput() {
		List<String> applied = new CopyOnWriteArrayList<>();
		EventProcessor first = (events) -> {
			applied.add("first");
			return rewrite("-a").apply(events);
		};
		EventProcessor second = (events) -> {
			applied.add("second");
			return rewrite("-b").apply(events);
		};
		StepVerifier.create(first.andThen(second).apply(Flux.just(START, delta(0, "x"))))
			.expectNext(START)
			.assertNext((event) -> assertThat(((StreamDeltaEvent) event).delta()).isEqualTo("x-a-b"))
			.verifyComplete();
		assertThat(applied).containsExactly("first", "second");
	}

	@Test
	void andThenShouldSeeWhatThisProcessorEmits() {
		EventProcessor dropDeltas = (events) -> events.filter((event) -> !(event instanceof StreamDeltaEvent));
		List<StreamEvent> seenByNext = new CopyOnWriteArrayList<>();
		EventProcessor record = (events) -> events.doOnNext(seenByNext::add);
		StepVerifier.create(dropDeltas.andThen(record).apply(Flux.just(START, delta(0, "x"), delta(1, "y"))))
			.expectNext(START)
			.verifyComplete();
		assertThat(seenByNext).containsExactly(START);
	}

	@Test
	void andThenShouldRejectNull() {
		assertThatNullPointerException().isThrownBy(() -> EventProcessor.identity().andThen(null))
			.withMessage("next must not be null");
	}

	@Test
	void identityShouldReturnItsInput() {
		Flux<StreamEvent> events = Flux.just(START, delta(0, "x"));
		assertThat(EventProcessor.identity().apply(events)).isSameAs(events);
	}

	@Test
	void identityShouldBeNeutralInAComposition() {
		EventProcessor rewrite = rewrite("!");
		Flux<StreamEvent> events = Flux.just(START, delta(0, "x"));
		StepVerifier.create(EventProcessor.identity().andThen(rewrite).andThen(EventProcessor.identity()).apply(events))
			.expectNext(START)
			.assertNext((event) -> assertThat(((StreamDeltaEvent) event).delta()).isEqualTo("x!"))
			.verifyComplete();
	}

}
