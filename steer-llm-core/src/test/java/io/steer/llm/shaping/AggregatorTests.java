package io.steer.llm.shaping;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.knuddels.jtokkit.api.Encoding;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class AggregatorTests {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private final Encoding encoding = TextBuffer.Settings.defaults().encoding();

	/** A nano-time source that moves 10 ms each time it is read. */
	private final AtomicLong ticks = new AtomicLong();

	private final ChunkAggregator aggregator = ChunkAggregator.of(() -> this.ticks.getAndAdd(10_000_000L),
			this.encoding);

	@Test
	void textFluxIsSummedUpWithEstimatedTokens() {
		StepVerifier.create(Flux.just("Hello", " wor", "ld").as(this.aggregator.text())).assertNext((aggregate) -> {
			assertThat(aggregate.content()).isEqualTo("Hello world");
			assertThat(aggregate.chunks()).isEqualTo(3);
			assertThat(aggregate.tokens()).isEqualTo(this.encoding.countTokensOrdinary("Hello world"));
			assertThat(aggregate.tokensEstimated()).isTrue();
			assertThat(aggregate.duration()).isEqualTo(Duration.ofMillis(20));
			assertThat(aggregate.tokensPerSecond()).isEqualTo(aggregate.tokens() / 0.02);
		}).verifyComplete();
	}

	@Test
	void eventsUseTheProvidersUsage() {
		Flux<StreamEvent> events = Flux.just(new StreamStartEvent("s", "openai", "m", null, T0, Map.of()),
				delta(0, DeltaKind.TEXT, "Hi"), delta(1, DeltaKind.REASONING, "hmm"), delta(2, DeltaKind.TEXT, "!"),
				new StreamUsageEvent("s", Usage.of(5, 7), false, 1.0, T0));
		StepVerifier.create(events.as(this.aggregator.events())).assertNext((aggregate) -> {
			assertThat(aggregate.content()).isEqualTo("Hi!");
			assertThat(aggregate.chunks()).isEqualTo(2);
			assertThat(aggregate.tokens()).isEqualTo(7);
			assertThat(aggregate.tokensEstimated()).isFalse();
			assertThat(aggregate.duration()).isEqualTo(Duration.ofMillis(10));
		}).verifyComplete();
	}

	@Test
	void emptyFluxHasZeroDuration() {
		StepVerifier.create(Flux.<String>empty().as(this.aggregator.text())).assertNext((aggregate) -> {
			assertThat(aggregate.chunks()).isZero();
			assertThat(aggregate.duration()).isZero();
			assertThat(aggregate.tokensPerSecond()).isZero();
		}).verifyComplete();
	}

	@Test
	void streamAggregatorEstimatesTheSize() {
		StreamAggregator aggregator = StreamAggregator.create();
		String text = "Héllo 👩‍👩‍👧 世界";
		aggregator.add("Héllo \uD83D").add(text.substring(7, 10)).add(text.substring(10));
		assertThat(aggregator.content()).isEqualTo(text);
		assertThat(aggregator.chunks()).isEqualTo(3);
		StreamAggregator.Size size = aggregator.size();
		assertThat(size.chars()).isEqualTo(text.length());
		assertThat(size.utf8Bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		assertThat(size.estimatedTokens()).isEqualTo(this.encoding.countTokensOrdinary(text));
		aggregator.reset();
		assertThat(aggregator.size()).isEqualTo(new StreamAggregator.Size(0, 0, 0));
	}

	private static StreamDeltaEvent delta(int index, DeltaKind kind, String text) {
		return new StreamDeltaEvent("s", kind, text, index, 0, false, null, T0);
	}

}
