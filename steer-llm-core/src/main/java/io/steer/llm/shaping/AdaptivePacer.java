package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Releases streamed text smoothly, a word (or a few characters) every
 * {@link #interval()}, like Vercel's {@code smoothStream}, but never lets text wait
 * longer than {@link #maxAddedLatency()} in the pacer: each released piece is sized to
 * the backlog. A fixed delay falls behind a model faster than the pace (a measured +9.8 s
 * on a 3.3k character reply); this pacer instead spreads the backlog over the ticks left
 * before its oldest character's deadline, so a fast model's reply is released in bigger
 * pieces and a slow model's one word at a time.
 * <p>
 * At each tick (and at once when text arrives to an idle pacer) it releases the longest
 * of: one unit (a word with the whitespace after it, or {@code n} code points with
 * {@link #withCharacters(int)}); the backlog divided by the ticks left until the oldest
 * character has waited {@code maxAddedLatency}; and every character that would wait
 * longer than {@code maxAddedLatency} if held until the next tick. A cut inside a word is
 * moved to the word's end when the word is complete in the backlog; a surrogate pair is
 * never split. Ticks stop while the backlog is empty. So, with ticks on time, no
 * character waits more than {@code maxAddedLatency}; a late scheduler adds its lateness.
 * <p>
 * The output text is exactly the input text. Non-text events flush the backlog at once
 * and pass through in order; the end of the source flushes at once. Immutable and
 * thread-safe; the operators keep their state per subscription.
 */
public final class AdaptivePacer {

	/** Default time between two released pieces: 20 ms. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

	/** Default bound on the time a character waits in the pacer: 400 ms. */
	public static final Duration DEFAULT_MAX_ADDED_LATENCY = Duration.ofMillis(400);

	private final Duration interval;

	private final Duration maxAddedLatency;

	private final int characters;

	private final @Nullable Scheduler scheduler;

	private AdaptivePacer(Duration interval, Duration maxAddedLatency, int characters, @Nullable Scheduler scheduler) {
		Objects.requireNonNull(interval, "interval");
		Objects.requireNonNull(maxAddedLatency, "maxAddedLatency");
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("interval must be positive, was " + interval);
		}
		if (maxAddedLatency.compareTo(interval) < 0) {
			throw new IllegalArgumentException(
					"maxAddedLatency must be at least the interval " + interval + ", was " + maxAddedLatency);
		}
		this.interval = interval;
		this.maxAddedLatency = maxAddedLatency;
		this.characters = characters;
		this.scheduler = scheduler;
	}

	/**
	 * A pacer releasing a word every {@link #DEFAULT_INTERVAL} with at most
	 * {@link #DEFAULT_MAX_ADDED_LATENCY} of added latency.
	 * @return the pacer
	 */
	public static AdaptivePacer create() {
		return of(DEFAULT_INTERVAL, DEFAULT_MAX_ADDED_LATENCY);
	}

	/**
	 * A pacer releasing a word every {@code interval} with at most
	 * {@code maxAddedLatency} of added latency, timed on {@link Schedulers#parallel()}
	 * (as found when the operator is subscribed, so virtual time applies under
	 * {@code StepVerifier.withVirtualTime}).
	 * @param interval the time between two released pieces, positive
	 * @param maxAddedLatency the longest a character may wait in the pacer, at least
	 * {@code interval}
	 * @return the pacer
	 * @throws IllegalArgumentException if the interval is not positive or the bound is
	 * shorter than the interval
	 */
	public static AdaptivePacer of(Duration interval, Duration maxAddedLatency) {
		return new AdaptivePacer(interval, maxAddedLatency, 0, null);
	}

	/**
	 * A copy that releases {@code codePoints} code points per tick instead of a word.
	 * @param codePoints code points per piece at the steady pace, at least 1
	 * @return the copy
	 * @throws IllegalArgumentException if {@code codePoints} is less than 1
	 */
	public AdaptivePacer withCharacters(int codePoints) {
		if (codePoints < 1) {
			throw new IllegalArgumentException("codePoints must be at least 1, was " + codePoints);
		}
		return new AdaptivePacer(this.interval, this.maxAddedLatency, codePoints, this.scheduler);
	}

	/**
	 * A copy timed on the given scheduler (its clock and its delays).
	 * @param scheduler the scheduler
	 * @return the copy
	 */
	public AdaptivePacer withScheduler(Scheduler scheduler) {
		return new AdaptivePacer(this.interval, this.maxAddedLatency, this.characters,
				Objects.requireNonNull(scheduler, "scheduler"));
	}

	/**
	 * The time between two released pieces.
	 * @return the interval, positive
	 */
	public Duration interval() {
		return this.interval;
	}

	/**
	 * The longest a character waits in the pacer (with ticks on time).
	 * @return the bound, at least {@link #interval()}
	 */
	public Duration maxAddedLatency() {
		return this.maxAddedLatency;
	}

	/**
	 * An operator that paces a {@code Flux<String>}: the concatenation of its output is
	 * the concatenation of its input, released as described on this class; empty pieces
	 * are dropped. The source's completion releases the backlog at once, then completes;
	 * its error releases the backlog, then signals the error. Cancellation cancels the
	 * source and the pending tick and drops the backlog. The source is requested
	 * unbounded; pieces the subscriber has not requested yet are buffered.
	 * @return the operator
	 */
	public Function<Flux<String>, Flux<String>> paceText() {
		return (source) -> Flux
			.create((sink) -> new PacingSubscription<>(this, resolveScheduler(), sink, new TextCodec(), this.characters)
				.subscribeTo(source, sink));
	}

	/**
	 * An operator that paces the text of a stream's events: runs of
	 * {@link DeltaKind#TEXT} or {@link DeltaKind#REASONING} deltas of one kind and one
	 * choice (not JSON, not a tool call) are re-chunked as {@link #paceText()} does, each
	 * piece a delta with the same stream id, kind and choice and the timestamp and
	 * metadata of the last delta it holds text of. Any other event, and a delta of
	 * another kind or choice, releases the backlog at once and passes through in order;
	 * the terminal event therefore follows all the text. Chunk indexes of all the deltas
	 * out are renumbered 0, 1, 2, … without gaps. Completion, error, cancellation and
	 * backpressure as in {@link #paceText()}.
	 * @return the operator
	 */
	public Function<Flux<StreamEvent>, Flux<StreamEvent>> paceEvents() {
		return (source) -> Flux.create(
				(sink) -> new PacingSubscription<>(this, resolveScheduler(), sink, new EventCodec(), this.characters)
					.subscribeTo(source, sink));
	}

	private Scheduler resolveScheduler() {
		return (this.scheduler != null) ? this.scheduler : Schedulers.parallel();
	}

	@Override
	public String toString() {
		return "AdaptivePacer[interval=" + this.interval + ", maxAddedLatency=" + this.maxAddedLatency
				+ ((this.characters > 0) ? ", characters=" + this.characters : ", words") + "]";
	}

	/** Text pieces: every piece is text of one run. */
	private static final class TextCodec implements PacingCodec<String> {

		private static final Object KEY = new Object();

		@Override
		public @Nullable Object key(String item) {
			return KEY;
		}

		@Override
		public String text(String item) {
			return item;
		}

		@Override
		public String piece(String template, String text) {
			return text;
		}

		@Override
		public String passThrough(String item) {
			return item;
		}

	}

	/** Stream events: text and reasoning deltas are paced, per kind and choice. */
	private static final class EventCodec implements PacingCodec<StreamEvent> {

		private int nextChunkIndex;

		@Override
		public @Nullable Object key(StreamEvent item) {
			if (item instanceof StreamDeltaEvent delta
					&& (delta.kind() == DeltaKind.TEXT || delta.kind() == DeltaKind.REASONING) && !delta.json()
					&& delta.toolCall() == null && delta.jsonSnapshot() == null) {
				return delta.kind().ordinal() + ":" + delta.choiceIndex();
			}
			return null;
		}

		@Override
		public String text(StreamEvent item) {
			return ((StreamDeltaEvent) item).delta();
		}

		@Override
		public StreamEvent piece(StreamEvent template, String text) {
			StreamDeltaEvent delta = (StreamDeltaEvent) template;
			return new StreamDeltaEvent(delta.streamId(), delta.kind(), text, this.nextChunkIndex++,
					delta.choiceIndex(), false, null, null, delta.timestamp(), delta.metadata());
		}

		@Override
		public StreamEvent passThrough(StreamEvent item) {
			if (item instanceof StreamDeltaEvent delta) {
				return new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta(), this.nextChunkIndex++,
						delta.choiceIndex(), delta.json(), delta.toolCall(), delta.jsonSnapshot(), delta.timestamp(),
						delta.metadata());
			}
			return item;
		}

	}

}
