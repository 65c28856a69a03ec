package io.steer.llm.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AdaptivePacer} on virtual time, on short scripted texts: steady pace, the bound,
 * flushes and chunk indexes. The recorded streams are in
 * {@link AdaptivePacerFixtureTests}.
 */
class AdaptivePacerTests {

	private static final Duration INTERVAL = Duration.ofMillis(20);

	private static final Duration BOUND = Duration.ofMillis(400);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final AdaptivePacer pacer = AdaptivePacer.of(INTERVAL, BOUND).withScheduler(this.scheduler);

	@Test
	void slowBacklogShouldBeReleasedAWordPerInterval() {
		StepVerifier
			.withVirtualTime(() -> Flux.just("one two three").concatWith(Flux.never()).transform(this.pacer.paceText()),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectNext("one ")
			.expectNoEvent(Duration.ofMillis(19))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("two ")
			// "three" may go on in the next delta: held until it has waited the bound
			.expectNoEvent(Duration.ofMillis(379))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("three")
			.thenCancel()
			.verify();
	}

	@Test
	void partialWordsShouldBeJoined() {
		StepVerifier
			.withVirtualTime(
					() -> Flux.just("Hel", "lo ", "world!").concatWith(Flux.never()).transform(this.pacer.paceText()),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(19))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("Hello ")
			.expectNoEvent(Duration.ofMillis(379))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("world!")
			.thenCancel()
			.verify();
	}

	@Test
	void endShouldFlushAtOnce() {
		StepVerifier
			.withVirtualTime(() -> Flux.just("a b c d e f").transform(this.pacer.paceText()), () -> this.scheduler, 0)
			.thenRequest(10)
			.expectNext("a ", "b c d e f")
			.verifyComplete();
	}

	@Test
	void errorShouldFlushThenPassTheError() {
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier
			.withVirtualTime(() -> Flux.concat(Flux.just("a b c"), Flux.error(boom)).transform(this.pacer.paceText()),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectNext("a ", "b c")
			.verifyErrorSatisfies((ex) -> assertThat(ex).isSameAs(boom));
	}

	@Test
	void subscriberRequestingLessShouldGetTheTextWhenItAsks() {
		StepVerifier
			.withVirtualTime(() -> Flux.just("one two three ").transform(this.pacer.paceText()), () -> this.scheduler,
					0)
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(1))
			.thenRequest(1)
			.expectNext("one ")
			.thenRequest(5)
			.expectNext("two three ")
			.verifyComplete();
	}

	@Test
	void fastBacklogShouldBeSpreadOverTheBound() {
		String text = "word ".repeat(210);
		List<Long> at = new ArrayList<>();
		List<String> pieces = new ArrayList<>();
		StepVerifier.withVirtualTime(
				() -> Flux.just(text).concatWith(Flux.never()).transform(this.pacer.paceText()).doOnNext((piece) -> {
					at.add(this.scheduler.now(TimeUnit.MILLISECONDS));
					pieces.add(piece);
				}), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.expectNextCount(21)
			.thenCancel()
			.verify();
		// 1050 characters, 21 ticks from 0 to 400 ms: about 50 characters (10 words) a
		// tick
		assertThat(at).hasSize(21).startsWith(0L, 20L).endsWith(400L);
		assertThat(pieces.get(0)).isEqualTo("word ".repeat(10));
		assertThat(String.join("", pieces)).isEqualTo(text);
	}

	@Test
	void characterPiecesShouldNeverSplitASurrogatePair() {
		AdaptivePacer chars = this.pacer.withCharacters(1);
		StepVerifier
			.withVirtualTime(() -> Flux.just("a😀b").concatWith(Flux.never()).transform(chars.paceText()),
					() -> this.scheduler, Long.MAX_VALUE)
			.expectNext("a")
			.thenAwait(INTERVAL)
			.expectNext("😀")
			.thenAwait(INTERVAL)
			.expectNext("b")
			.thenCancel()
			.verify();
	}

	@Test
	void nonTextEventsShouldFlushAndPassInOrderWithGapFreeChunkIndexes() {
		List<StreamEvent> input = List.of(new StreamStartEvent("s", "openai", "m", null, Instant.EPOCH, Map.of()),
				delta(DeltaKind.REASONING, "think about it ", 0), delta(DeltaKind.TEXT, "The answer ", 1),
				delta(DeltaKind.TEXT, "is 42.", 2), delta(DeltaKind.TOOL_CALL, "{}", 3),
				new StreamUsageEvent("s", Usage.of(3, 4), false, 1.0, Instant.EPOCH));
		List<StreamEvent> out = new ArrayList<>();
		StepVerifier
			.withVirtualTime(() -> Flux.fromIterable(input).transform(this.pacer.paceEvents()), () -> this.scheduler,
					Long.MAX_VALUE)
			.recordWith(() -> out)
			.thenConsumeWhile((event) -> true)
			.verifyComplete();
		assertThat(out.get(0)).isSameAs(input.get(0));
		assertThat(out.get(out.size() - 1)).isSameAs(input.get(5));
		List<StreamDeltaEvent> deltas = out.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map(StreamDeltaEvent.class::cast)
			.toList();
		// the reasoning's first word at once; the text's arrival flushes the rest of it;
		// the
		// tool call flushes the text
		assertThat(deltas).extracting(StreamDeltaEvent::delta)
			.containsExactly("think ", "about it ", "The answer is 42.", "{}");
		assertThat(deltas).extracting(StreamDeltaEvent::chunkIndex).containsExactly(0, 1, 2, 3);
		assertThat(deltas).extracting(StreamDeltaEvent::kind)
			.containsExactly(DeltaKind.REASONING, DeltaKind.REASONING, DeltaKind.TEXT, DeltaKind.TOOL_CALL);
		assertThat(deltas.get(3).json()).isTrue();
	}

	private static StreamDeltaEvent delta(DeltaKind kind, String text, int index) {
		return new StreamDeltaEvent("s", kind, text, index, 0, kind == DeltaKind.TOOL_CALL, null, Instant.EPOCH,
				Map.of());
	}

	@Test
	void invalidArgumentsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> AdaptivePacer.of(Duration.ZERO, BOUND));
		assertThatIllegalArgumentException().isThrownBy(() -> AdaptivePacer.of(BOUND, INTERVAL));
		assertThatIllegalArgumentException().isThrownBy(() -> this.pacer.withCharacters(0));
	}

}
