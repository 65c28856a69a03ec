package io.steer.llm.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.options.BufferType;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TextShapingTests {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static final Duration HOLD = Duration.ofMillis(100);

	@Test
	void textIsReleasedByWords() {
		Flux<String> source = Flux.just("Hel", "lo ", "world!");
		StepVerifier.create(source.transform(TextShaping.text(BufferType.WORD, null, HOLD)))
			.expectNext("Hello ", "world!")
			.verifyComplete();
	}

	@Test
	void noneIsTheIdentityFunction() {
		assertThat(TextShaping.text(BufferType.NONE, null, HOLD)).isSameAs(Function.identity());
		assertThat(TextShaping.events(BufferType.NONE, null, HOLD, true)).isSameAs(Function.identity());
	}

	@Test
	void negativeHoldIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TextShaping.text(BufferType.WORD, null, Duration.ofMillis(-1)));
	}

	@Test
	void maxHoldReleasesHeldTextMidWordUnderVirtualTime() {
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.withVirtualTime(() -> source.flux().transform(TextShaping.text(BufferType.WORD, null, HOLD)))
			.expectSubscription()
			.then(() -> source.next("Hel"))
			.thenAwait(Duration.ofMillis(60))
			.then(() -> source.next("lo wor"))
			.expectNext("Hello ")
			// "wor" arrived at 60 ms: released at 160 ms, not at 100 ms when "Hel" was
			// due
			.expectNoEvent(Duration.ofMillis(99))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("wor")
			.then(() -> source.next("ld"))
			.then(source::complete)
			.expectNext("ld")
			.verifyComplete();
	}

	@Test
	void maxHoldCountsFromTheOldestHeldText() {
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.withVirtualTime(() -> source.flux().transform(TextShaping.text(BufferType.SENTENCE, null, HOLD)))
			.expectSubscription()
			.then(() -> source.next("One"))
			.thenAwait(Duration.ofMillis(50))
			.then(() -> source.next(" two"))
			.expectNoEvent(Duration.ofMillis(49))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("One two")
			.then(() -> source.next(". Three"))
			.then(source::complete)
			.expectNext(".", " Three")
			.verifyComplete();
	}

	@Test
	void zeroHoldMeansNoLimit() {
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier
			.withVirtualTime(() -> source.flux().transform(TextShaping.text(BufferType.WORD, null, Duration.ZERO)))
			.expectSubscription()
			.then(() -> source.next("held"))
			.expectNoEvent(Duration.ofHours(1))
			.then(source::complete)
			.expectNext("held")
			.verifyComplete();
	}

	@Test
	void errorReleasesWhatIsHeldFirst() {
		Flux<String> source = Flux.just("Hel", "lo wo").concatWith(Flux.error(new IllegalStateException("boom")));
		StepVerifier.create(source.transform(TextShaping.text(BufferType.WORD, null, HOLD)))
			.expectNext("Hello ", "wo")
			.verifyErrorMessage("boom");
	}

	@Test
	void demandIsRespected() {
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.withVirtualTime(() -> source.flux().transform(TextShaping.text(BufferType.WORD, null, HOLD)), 0)
			.expectSubscription()
			.then(() -> source.assertMinRequested(0).assertMaxRequested(0))
			.thenRequest(1)
			.then(() -> source.assertMaxRequested(1).next("one two "))
			.expectNext("one two ")
			.then(() -> source.assertMaxRequested(0))
			.thenRequest(5)
			.then(() -> source.next("three"))
			.thenAwait(HOLD)
			.expectNext("three")
			.then(source::complete)
			.verifyComplete();
	}

	@Test
	void timerReleaseWaitsForDemand() {
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.withVirtualTime(() -> source.flux().transform(TextShaping.text(BufferType.WORD, null, HOLD)), 1)
			.expectSubscription()
			.then(() -> source.next("a b"))
			.expectNext("a ")
			.thenAwait(HOLD)
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> source.assertMaxRequested(0))
			.thenRequest(1)
			.expectNext("b")
			.thenCancel()
			.verify();
		source.assertCancelled();
	}

	@Test
	void eventsAreRechunkedWithGapFreeIndexes() {
		List<StreamEvent> events = List.of(start(), text(0, "Hel"), text(1, "lo "), text(2, "wor"), toolCall(3),
				text(4, "ld, again "), usage(), complete());
		List<StreamEvent> out = shape(events, BufferType.WORD, false);
		assertThat(out).hasSize(7);
		assertThat(out.get(0)).isInstanceOf(StreamStartEvent.class);
		assertDelta(out.get(1), DeltaKind.TEXT, "Hello ", 0);
		assertDelta(out.get(2), DeltaKind.TEXT, "wor", 1);
		assertDelta(out.get(3), DeltaKind.TOOL_CALL, "{\"a\":", 2);
		assertThat(((StreamDeltaEvent) out.get(3)).toolCall()).isNotNull();
		assertDelta(out.get(4), DeltaKind.TEXT, "ld, again ", 3);
		assertThat(out.get(5)).isInstanceOf(StreamUsageEvent.class);
		assertThat(out.get(6)).isInstanceOf(StreamCompleteEvent.class);
	}

	@Test
	void terminalEventFlushesEveryBuffer() {
		List<StreamEvent> events = List.of(text(0, "Hello"), reasoning(1, "think"), text(2, " wor"), complete());
		List<StreamEvent> out = shape(events, BufferType.SENTENCE, true);
		assertThat(out).hasSize(3);
		assertDelta(out.get(0), DeltaKind.TEXT, "Hello wor", 0);
		assertDelta(out.get(1), DeltaKind.REASONING, "think", 1);
		assertThat(out.get(2)).isInstanceOf(StreamCompleteEvent.class);
	}

	@Test
	void errorEventFlushesFirst() {
		StreamErrorEvent error = error();
		List<StreamEvent> out = shape(List.of(text(0, "partial wo"), error), BufferType.WORD, false);
		assertThat(out).hasSize(3);
		assertDelta(out.get(0), DeltaKind.TEXT, "partial ", 0);
		assertDelta(out.get(1), DeltaKind.TEXT, "wo", 1);
		assertThat(out.get(2)).isSameAs(error);
	}

	@Test
	void reasoningPassesThroughAndFlushesWhenNotAsked() {
		List<StreamEvent> out = shape(List.of(text(0, "one two"), reasoning(1, "hm"), text(2, "!")), BufferType.WORD,
				false);
		assertThat(out).hasSize(4);
		assertDelta(out.get(0), DeltaKind.TEXT, "one ", 0);
		assertDelta(out.get(1), DeltaKind.TEXT, "two", 1);
		assertDelta(out.get(2), DeltaKind.REASONING, "hm", 2);
		assertDelta(out.get(3), DeltaKind.TEXT, "!", 3);
	}

	@Test
	void eachChoiceHasItsOwnBuffer() {
		List<StreamEvent> out = shape(List.of(text(0, "a", 0), text(1, "b", 1), text(2, "c d", 0)), BufferType.WORD,
				false);
		assertThat(out).hasSize(3);
		assertThat(((StreamDeltaEvent) out.get(0)).delta()).isEqualTo("ac ");
		assertThat(((StreamDeltaEvent) out.get(0)).choiceIndex()).isZero();
		assertThat(((StreamDeltaEvent) out.get(1)).delta()).isEqualTo("d");
		assertThat(((StreamDeltaEvent) out.get(2)).delta()).isEqualTo("b");
		assertThat(((StreamDeltaEvent) out.get(2)).choiceIndex()).isEqualTo(1);
	}

	@Test
	void pieceHasFirstMetadataAndLastTimestamp() {
		StreamDeltaEvent first = new StreamDeltaEvent("s", DeltaKind.TEXT, "Hel", 0, 0, true, null, T0,
				Map.of("k", "first"));
		StreamDeltaEvent second = new StreamDeltaEvent("s", DeltaKind.TEXT, "lo ", 1, 0, true, null, T0.plusSeconds(1),
				Map.of("k", "second"));
		StreamDeltaEvent piece = (StreamDeltaEvent) shape(List.of(first, second), BufferType.WORD, false).get(0);
		assertThat(piece.delta()).isEqualTo("Hello ");
		assertThat(piece.metadata()).containsEntry("k", "first");
		assertThat(piece.timestamp()).isEqualTo(T0.plusSeconds(1));
		assertThat(piece.json()).isTrue();
		assertThat(piece.streamId()).isEqualTo("s");
	}

	@Test
	void maxHoldReleasesEventsUnderVirtualTime() {
		TestPublisher<StreamEvent> source = TestPublisher.create();
		StepVerifier
			.withVirtualTime(() -> source.flux().transform(TextShaping.events(BufferType.SENTENCE, null, HOLD, false)))
			.expectSubscription()
			.then(() -> source.next(start(), text(0, "Thinking")))
			.assertNext((event) -> assertThat(event).isInstanceOf(StreamStartEvent.class))
			.expectNoEvent(Duration.ofMillis(99))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((event) -> assertDelta(event, DeltaKind.TEXT, "Thinking", 0))
			.then(() -> source.next(text(1, " hard."), complete()))
			.assertNext((event) -> assertDelta(event, DeltaKind.TEXT, " hard.", 1))
			.assertNext((event) -> assertThat(event).isInstanceOf(StreamCompleteEvent.class))
			.then(source::complete)
			.verifyComplete();
	}

	@Test
	void shapedEventsKeepTheText() {
		String text = TextBufferTests.TRICKY.get(0) + TextBufferTests.TRICKY.get(3);
		List<StreamEvent> events = new java.util.ArrayList<>();
		for (int i = 0; i < text.length(); i += 3) {
			events.add(text(i / 3, text.substring(i, Math.min(text.length(), i + 3))));
		}
		events.add(complete());
		for (BufferType type : BufferType.values()) {
			List<StreamEvent> out = shape(events, type, false);
			StringBuilder joined = new StringBuilder();
			int index = 0;
			for (StreamEvent event : out) {
				if (event instanceof StreamDeltaEvent delta) {
					assertThat(delta.delta()).isNotEmpty();
					assertThat(delta.chunkIndex()).isEqualTo(index++);
					joined.append(delta.delta());
				}
			}
			assertThat(joined.toString()).as("%s", type).isEqualTo(text);
		}
	}

	private static List<StreamEvent> shape(List<StreamEvent> events, BufferType type, boolean reasoningToo) {
		List<StreamEvent> out = Flux.fromIterable(events)
			.transform(TextShaping.events(type, null, HOLD, reasoningToo))
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(out).isNotNull();
		return out;
	}

	private static void assertDelta(StreamEvent event, DeltaKind kind, String text, int index) {
		assertThat(event).isInstanceOf(StreamDeltaEvent.class);
		StreamDeltaEvent delta = (StreamDeltaEvent) event;
		assertThat(delta.kind()).isEqualTo(kind);
		assertThat(delta.delta()).isEqualTo(text);
		assertThat(delta.chunkIndex()).isEqualTo(index);
	}

	private static StreamStartEvent start() {
		return new StreamStartEvent("s", "openai", "model-1", null, T0, Map.of());
	}

	private static StreamDeltaEvent text(int index, String text) {
		return text(index, text, 0);
	}

	private static StreamDeltaEvent text(int index, String text, int choice) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, text, index, choice, false, null, T0);
	}

	private static StreamDeltaEvent reasoning(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.REASONING, text, index, 0, false, null, T0);
	}

	private static StreamDeltaEvent toolCall(int index) {
		return new StreamDeltaEvent("s", DeltaKind.TOOL_CALL, "{\"a\":", index, 0, true,
				new ToolCallDelta(0, "call_1", "lookup"), T0);
	}

	private static StreamUsageEvent usage() {
		return new StreamUsageEvent("s", Usage.of(3, 2), false, 1.0, T0);
	}

	private static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "model-1", text, null, "", "stop", FinishReason.STOP,
				List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

	private static StreamCompleteEvent complete() {
		return new StreamCompleteEvent("s", 2, 10, Usage.of(3, 2), response("Hello"), T0);
	}

	private static StreamErrorEvent error() {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		StreamingResponse partial = response("partial wo");
		error.attachPartialResponse(partial);
		return new StreamErrorEvent("s", error, error.getErrorType(), true, partial, T0);
	}

}
