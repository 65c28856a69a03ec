package io.steer.llm.shaping;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.function.Tuple2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link OutputShaping}: what each option turns on, in which order, and that the defaults
 * add nothing. Timed behaviour on virtual time.
 */
class OutputShapingTests {

	private static final Instant T0 = Instant.EPOCH;

	@BeforeAll
	static void failInsteadOfHanging() {
		StepVerifier.setDefaultTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void resetTimeout() {
		StepVerifier.resetDefaultTimeout();
	}

	@Test
	void defaultsShouldShapeNothingAndGiveTheIdentity() {
		assertThat(OutputShaping.shapes(StreamingOptions.DEFAULTS)).isFalse();
		assertThat(OutputShaping.text(StreamingOptions.DEFAULTS, "gpt-4o-mini")).isSameAs(Function.identity());
		assertThat(OutputShaping.events(StreamingOptions.DEFAULTS, null)).isSameAs(Function.identity());
		for (StreamingOptions preset : List.of(StreamingOptions.DEBUG, StreamingOptions.JSON_MODE,
				StreamingOptions.HIGH_PERFORMANCE, StreamingOptions.HIGH_THROUGHPUT, StreamingOptions.LOW_LATENCY)) {
			assertThat(OutputShaping.shapes(preset)).as(preset.toString()).isFalse();
		}
	}

	@Test
	void optionsThatOnlyTuneAStageShouldNotTurnShapingOn() {
		StreamingOptions tuned = StreamingOptions.builder()
			.chunkSize(7)
			.bufferTimeout(Duration.ofSeconds(1))
			.progressInterval(Duration.ofSeconds(1))
			.build();
		assertThat(OutputShaping.shapes(tuned)).isFalse();
		assertThat(OutputShaping.text(tuned, null)).isSameAs(Function.identity());
	}

	@Test
	void eachShapingOptionAloneShouldTurnShapingOn() {
		assertThat(OutputShaping.shapes(StreamingOptions.builder().bufferType(BufferType.WORD).build())).isTrue();
		assertThat(OutputShaping.shapes(StreamingOptions.builder().rateLimit(0.5).build())).isTrue();
		assertThat(OutputShaping.shapes(StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(1)).build()))
			.isTrue();
	}

	@Test
	void maxAddedLatencyShouldDefaultToZeroAndRejectANegativeValue() {
		assertThat(StreamingOptions.DEFAULTS.maxAddedLatency()).isZero();
		assertThat(StreamingOptions.DEFAULTS.shaping().maxAddedLatency()).isZero();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(-1)).build())
			.withMessageContaining("maxAddedLatency");
		StreamingOptions paced = StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(400)).build();
		assertThat(paced.toBuilder().build()).isEqualTo(paced).isNotEqualTo(StreamingOptions.DEFAULTS);
		assertThat(paced.maxAddedLatency()).isEqualTo(Duration.ofMillis(400));
	}

	@Test
	void pacerShouldTickEvery20MillisOrAtTheBoundWhenShorterAndReleaseChunkSizeCharacters() {
		assertThat(OutputShaping.pacer(StreamingOptions.DEFAULTS)).isNull();
		AdaptivePacer pacer = OutputShaping
			.pacer(StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(400)).build());
		assertThat(pacer.interval()).isEqualTo(Duration.ofMillis(20));
		assertThat(pacer.maxAddedLatency()).isEqualTo(Duration.ofMillis(400));
		AdaptivePacer fast = OutputShaping
			.pacer(StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(5)).chunkSize(3).build());
		assertThat(fast.interval()).isEqualTo(Duration.ofMillis(5));
		assertThat(fast.toString()).contains("characters=3");
	}

	@Test
	void sentenceBufferShouldReleaseSentencesWhoseConcatenationIsTheText() {
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.SENTENCE)
			.bufferTimeout(Duration.ZERO)
			.build();
		StepVerifier.create(Flux.just("Hello wor", "ld. How", " are you? Fi", "ne.").transform(text(options)))
			.expectNext("Hello world.", " How are you?", " Fine.")
			.verifyComplete();
	}

	@Test
	void tokenBufferShouldUseChunkSizeAsTheNumberOfTokens() {
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.TOKEN)
			.chunkSize(2)
			.bufferTimeout(Duration.ZERO)
			.build();
		List<String> pieces = Flux.just("one", " two", " three", " four", " five")
			.transform(text(options))
			.collectList()
			.block();
		assertThat(pieces).containsExactly("one two", " three four", " five");
	}

	@Test
	void bufferShouldReleaseHeldTextAfterTheBufferTimeout() {
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.WORD)
			.bufferTimeout(Duration.ofMillis(100))
			.build();
		StepVerifier
			.withVirtualTime(
					() -> Flux.concat(Mono.just("Hel"), Mono.delay(Duration.ofSeconds(1)).thenReturn("lo world"))
						.transform(text(options))
						.elapsed(),
					0)
			.thenRequest(10)
			.expectNoEvent(Duration.ofMillis(100))
			.assertNext((piece) -> assertThat(piece.getT2()).isEqualTo("Hel"))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext((piece) -> {
				assertThat(piece.getT1()).isEqualTo(900L);
				assertThat(piece.getT2()).isEqualTo("lo ");
			})
			.assertNext((piece) -> assertThat(piece.getT2()).isEqualTo("world"))
			.verifyComplete();
	}

	@Test
	void pacingShouldSpreadABurstWithinTheBound() {
		StreamingOptions options = StreamingOptions.builder().maxAddedLatency(Duration.ofMillis(100)).build();
		String burst = "one two three four five six seven eight nine ten ";
		StepVerifier
			.withVirtualTime(() -> Flux.concat(Mono.just(burst), Mono.delay(Duration.ofSeconds(1)).then(Mono.empty()))
				.cast(String.class)
				.transform(text(options))
				.elapsed()
				.collectList())
			.thenAwait(Duration.ofSeconds(2))
			.assertNext((pieces) -> {
				assertThat(pieces).hasSizeGreaterThan(1);
				assertThat(pieces.stream().map(Tuple2::getT2).reduce("", String::concat)).isEqualTo(burst);
				long releasedAt = pieces.stream().mapToLong(Tuple2::getT1).sum();
				assertThat(releasedAt).isPositive().isLessThanOrEqualTo(100);
			})
			.verifyComplete();
	}

	@Test
	void rateLimitShouldReleaseAtTheRateAfterABurstOfOneSecond() {
		StreamingOptions options = StreamingOptions.builder().rateLimit(4).build();
		// each piece is 1 estimated token; the bucket holds 4
		StepVerifier
			.withVirtualTime(() -> Flux.just("abcd", "efgh", "ijkl", "mnop", "qrst", "uvwx")
				.transform(text(options))
				.elapsed()
				.map(Tuple2::getT1)
				.collectList())
			.thenAwait(Duration.ofSeconds(2))
			.assertNext((gaps) -> assertThat(gaps).containsExactly(0L, 0L, 0L, 0L, 250L, 250L))
			.verifyComplete();
	}

	@Test
	void rateLimitShouldDeliverThePiecesBeforeAnErrorThenTheError() {
		StreamingOptions options = StreamingOptions.builder().rateLimit(1).build();
		StepVerifier
			.withVirtualTime(() -> Flux.just("abcd", "efgh", "ijkl")
				.concatWith(Flux.error(new IllegalStateException("broken stream")))
				.transform(text(options)))
			.expectNext("abcd")
			.thenAwait(Duration.ofSeconds(1))
			.expectNext("efgh")
			.thenAwait(Duration.ofSeconds(1))
			.expectNext("ijkl")
			.verifyErrorMessage("broken stream");
	}

	@Test
	void rateLimitShouldBeOneLimiterPerSubscription() {
		StreamingOptions options = StreamingOptions.builder().rateLimit(2).build();
		Function<Flux<String>, Flux<String>> op = OutputShaping.text(options, null);
		Flux<String> shaped = Flux.just("ab", "cd").transform(op);
		// two streams in a row each start with a full bucket: no wait for either
		StepVerifier.withVirtualTime(() -> shaped.concatWith(shaped).elapsed().map(Tuple2::getT1).collectList())
			.assertNext((gaps) -> assertThat(gaps).containsExactly(0L, 0L, 0L, 0L))
			.verifyComplete();
	}

	@Test
	void bufferThenRateLimitShouldLimitTheBufferedPieces() {
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.SENTENCE)
			.bufferTimeout(Duration.ZERO)
			.rateLimit(1)
			.build();
		// "Hi there." is 3 tokens estimated, the bucket holds 1: it waits 2 s, " Ok." 1 s
		// more
		StepVerifier
			.withVirtualTime(() -> Flux.just("Hi th", "ere. Ok", ".").transform(text(options)).elapsed().collectList())
			.thenAwait(Duration.ofSeconds(10))
			.assertNext((pieces) -> {
				assertThat(pieces).extracting(Tuple2::getT2).containsExactly("Hi there.", " Ok.");
				assertThat(pieces).extracting(Tuple2::getT1).containsExactly(2000L, 1000L);
			})
			.verifyComplete();
	}

	@Test
	void eventsShouldBeBufferedAndRenumberedAndOtherEventsPassInOrder() {
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.SENTENCE)
			.bufferTimeout(Duration.ZERO)
			.build();
		StreamDeltaEvent toolCall = new StreamDeltaEvent("s", DeltaKind.TOOL_CALL, "{}", 3, 0, true, null, T0);
		List<StreamEvent> out = Flux
			.<StreamEvent>just(delta(0, "One. T"), delta(1, "wo"), reasoning(2, "Hm. O"), toolCall, delta(4, "k."))
			.transform(OutputShaping.events(options, null))
			.collectList()
			.block();
		assertThat(out).extracting((event) -> ((StreamDeltaEvent) event).delta())
			// text and reasoning have a buffer each: the tool call flushes both, in order
			.containsExactly("One.", "Hm.", " Two", " O", "{}", "k.");
		assertThat(out).extracting((event) -> ((StreamDeltaEvent) event).chunkIndex())
			.containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(out).extracting((event) -> ((StreamDeltaEvent) event).kind())
			.containsExactly(DeltaKind.TEXT, DeltaKind.REASONING, DeltaKind.TEXT, DeltaKind.REASONING,
					DeltaKind.TOOL_CALL, DeltaKind.TEXT);
	}

	private static Function<Flux<String>, Flux<String>> text(StreamingOptions options) {
		return OutputShaping.text(options, null);
	}

	private static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	private static StreamDeltaEvent reasoning(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.REASONING, text, index, 0, false, null, T0);
	}

}
