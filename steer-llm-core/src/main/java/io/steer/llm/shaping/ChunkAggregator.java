package io.steer.llm.shaping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.knuddels.jtokkit.api.Encoding;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.Usage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sums a stream up: its full text, how many chunks it came in, its output tokens, and the
 * time from its first chunk to its last, as a {@link Mono} of an {@link Aggregate} for a
 * flux of text ({@link #text()}) or of events ({@link #events()}).
 * <p>
 * Tokens are the provider's completion tokens when the events carry usage (the last
 * {@link StreamUsageEvent}, else the {@link StreamCompleteEvent}'s usage), else a count
 * of the text with the jtokkit encoding ({@code cl100k_base} unless set). Times are read
 * when each chunk is seen, from the aggregator's nano-time source (an injected clock).
 * Immutable and reusable: each subscription aggregates on its own.
 */
public final class ChunkAggregator {

	private final LongSupplier nanoTime;

	private final Encoding encoding;

	private ChunkAggregator(LongSupplier nanoTime, Encoding encoding) {
		this.nanoTime = nanoTime;
		this.encoding = encoding;
	}

	/**
	 * An aggregator on the system UTC clock with the {@code cl100k_base} encoding.
	 * @return the aggregator
	 */
	public static ChunkAggregator create() {
		return of(Clock.systemUTC());
	}

	/**
	 * An aggregator whose durations are read from a clock, with the {@code cl100k_base}
	 * encoding.
	 * @param clock the clock
	 * @return the aggregator
	 */
	public static ChunkAggregator of(Clock clock) {
		Objects.requireNonNull(clock, "clock");
		return of(() -> nanos(clock.instant()), TextBuffer.Settings.defaults().encoding());
	}

	/**
	 * An aggregator with a nano-time source and an encoding.
	 * @param nanoTime monotonic time in nanoseconds, such as a test's counter
	 * @param encoding the encoding that estimates tokens when no usage is known
	 * @return the aggregator
	 */
	public static ChunkAggregator of(LongSupplier nanoTime, Encoding encoding) {
		return new ChunkAggregator(Objects.requireNonNull(nanoTime, "nanoTime"),
				Objects.requireNonNull(encoding, "encoding"));
	}

	/**
	 * A copy that estimates tokens with the encoding of a model
	 * ({@link io.steer.llm.usage.TiktokenUsageAggregator#encodingType(String)}).
	 * @param model the model name
	 * @return the copy
	 */
	public ChunkAggregator withModel(String model) {
		return new ChunkAggregator(this.nanoTime, TextBuffer.Settings.forModel(model).encoding());
	}

	/**
	 * The aggregate of a flux of text: every element is a chunk, empty ones included.
	 * Reads the flux to its end (unbounded demand); its error fails the result.
	 * @return the operator, for {@link Flux#as(Function)}
	 */
	public Function<Flux<String>, Mono<Aggregate>> text() {
		return (source) -> source.collect(this::newState, State::chunk).map(State::result);
	}

	/**
	 * The aggregate of a stream's events: the {@link DeltaKind#TEXT} deltas of choice 0
	 * are its chunks; usage and complete events give its tokens. An error event ends it
	 * like a complete one (the partial text is aggregated). Reads the flux to its end
	 * (unbounded demand); its error fails the result.
	 * @return the operator, for {@link Flux#as(Function)}
	 */
	public Function<Flux<StreamEvent>, Mono<Aggregate>> events() {
		return (source) -> source.collect(this::newState, State::event).map(State::result);
	}

	private State newState() {
		return new State();
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	/**
	 * A stream summed up.
	 *
	 * @param content the full text
	 * @param chunks how many chunks it came in
	 * @param tokens output tokens
	 * @param tokensEstimated whether {@code tokens} is an estimate (jtokkit, or a usage
	 * the client estimated) rather than the provider's count
	 * @param duration time from the first chunk to the last, {@link Duration#ZERO} for
	 * fewer than two
	 */
	public record Aggregate(String content, int chunks, int tokens, boolean tokensEstimated, Duration duration) {

		/**
		 * Output tokens per second between the first and the last chunk.
		 * @return tokens per second, 0 when the duration is zero
		 */
		public double tokensPerSecond() {
			return this.duration.isZero() ? 0 : this.tokens / (this.duration.toNanos() / 1e9);
		}

	}

	private final class State {

		private final StringBuilder content = new StringBuilder();

		private int chunks;

		private long first;

		private long last;

		private int usageTokens = -1;

		private boolean usageEstimated;

		void chunk(String text) {
			long now = ChunkAggregator.this.nanoTime.getAsLong();
			if (this.chunks == 0) {
				this.first = now;
			}
			this.last = now;
			this.chunks++;
			this.content.append(text);
		}

		void event(StreamEvent event) {
			if (event instanceof StreamDeltaEvent delta) {
				if (delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0) {
					chunk(delta.delta());
				}
			}
			else if (event instanceof StreamUsageEvent usage) {
				this.usageTokens = usage.usage().completionTokens();
				this.usageEstimated = usage.estimated();
			}
			else if (event instanceof StreamCompleteEvent complete && this.usageTokens < 0) {
				Usage usage = complete.usage();
				if (usage != null) {
					this.usageTokens = usage.completionTokens();
				}
			}
		}

		Aggregate result() {
			String text = this.content.toString();
			boolean estimated = this.usageTokens < 0;
			int tokens = estimated ? ChunkAggregator.this.encoding.countTokensOrdinary(text) : this.usageTokens;
			Duration duration = (this.chunks < 2) ? Duration.ZERO : Duration.ofNanos(this.last - this.first);
			return new Aggregate(text, this.chunks, tokens, estimated || this.usageEstimated, duration);
		}

	}

}
