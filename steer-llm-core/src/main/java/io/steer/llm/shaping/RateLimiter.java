package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A token bucket that caps how fast text is released, in tokens per second, with a burst:
 * the HelixAgent guide's {@code RateLimiter(50)} is {@link #of(double) of(50)} and its
 * {@code BurstRateLimiter(50, 100)} is {@link #burst(double, long) burst(50, 100)}.
 * <p>
 * The bucket is Bucket4j's: capacity = burst tokens, refilled greedily (continuously) at
 * the rate; it starts full. Its clock is the {@link Scheduler}'s
 * ({@link Scheduler#now(TimeUnit) now(NANOSECONDS)}), so under
 * {@code StepVerifier.withVirtualTime} the bucket refills on virtual time.
 * <p>
 * {@link #acquire(long)} never blocks a thread: it reserves the tokens at once (the
 * bucket may go into debt, so a piece larger than the burst still passes, after the time
 * the rate needs for it) and completes at once or after a Reactor delay on the scheduler.
 * Reservations are served in the order they were made, so one instance is a fair cap
 * shared by many streams (a per-tenant limit): the sum of their tokens never exceeds
 * {@code burst + rate × elapsed seconds}. Instances are thread-safe.
 */
public final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final Scheduler scheduler;

	private final ToIntFunction<String> tokenCounter;

	private final boolean burstFollowsRate;

	private final Bucket bucket;

	private final Object lock = new Object();

	private double rate;

	private long burst;

	private RateLimiter(double rate, long burst, boolean burstFollowsRate, Scheduler scheduler,
			ToIntFunction<String> tokenCounter) {
		checkRate(rate);
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1 token, was " + burst);
		}
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.tokenCounter = Objects.requireNonNull(tokenCounter, "tokenCounter");
		this.burstFollowsRate = burstFollowsRate;
		this.rate = rate;
		this.burst = burst;
		TimeMeter clock = new SchedulerTimeMeter(scheduler);
		this.bucket = Bucket.builder().withCustomTimePrecision(clock).addLimit(bandwidth(rate, burst)).build();
	}

	/**
	 * A limiter of {@code tokensPerSecond} whose burst equals the rate (rounded up to a
	 * whole token, at least 1), on {@link Schedulers#parallel()}, counting text tokens
	 * with {@link #estimateTokens(String)}. {@link #setRate(double)} moves the burst with
	 * the rate.
	 * @param tokensPerSecond the rate in tokens per second, finite and greater than 0
	 * @return the limiter, with a full bucket
	 * @throws IllegalArgumentException if the rate is not finite and positive
	 */
	public static RateLimiter of(double tokensPerSecond) {
		return of(tokensPerSecond, Schedulers.parallel());
	}

	/**
	 * A limiter of {@code tokensPerSecond} whose burst equals the rate, on the given
	 * scheduler (its clock and its delays).
	 * @param tokensPerSecond the rate in tokens per second, finite and greater than 0
	 * @param scheduler the scheduler for the clock and the delays
	 * @return the limiter, with a full bucket
	 * @throws IllegalArgumentException if the rate is not finite and positive
	 */
	public static RateLimiter of(double tokensPerSecond, Scheduler scheduler) {
		checkRate(tokensPerSecond);
		return new RateLimiter(tokensPerSecond, burstFor(tokensPerSecond), true, scheduler,
				RateLimiter::estimateTokens);
	}

	/**
	 * A limiter of {@code tokensPerSecond} that lets up to {@code burst} tokens through
	 * at once, on {@link Schedulers#parallel()}.
	 * @param tokensPerSecond the steady rate in tokens per second, finite and greater
	 * than 0
	 * @param burst the bucket's capacity in tokens, at least 1
	 * @return the limiter, with a full bucket
	 * @throws IllegalArgumentException if the rate is not finite and positive or the
	 * burst is less than 1
	 */
	public static RateLimiter burst(double tokensPerSecond, long burst) {
		return burst(tokensPerSecond, burst, Schedulers.parallel());
	}

	/**
	 * A limiter of {@code tokensPerSecond} that lets up to {@code burst} tokens through
	 * at once, on the given scheduler (its clock and its delays).
	 * @param tokensPerSecond the steady rate in tokens per second, finite and greater
	 * than 0
	 * @param burst the bucket's capacity in tokens, at least 1
	 * @param scheduler the scheduler for the clock and the delays
	 * @return the limiter, with a full bucket
	 * @throws IllegalArgumentException if the rate is not finite and positive or the
	 * burst is less than 1
	 */
	public static RateLimiter burst(double tokensPerSecond, long burst, Scheduler scheduler) {
		return new RateLimiter(tokensPerSecond, burst, false, scheduler, RateLimiter::estimateTokens);
	}

	/**
	 * A limiter with the same rate, burst and scheduler and a fresh, full bucket, that
	 * counts the tokens of a text piece with {@code tokenCounter} (for example a jtokkit
	 * encoding's {@code countTokens}) in {@link #limitText()} and {@link #limitEvents()}.
	 * @param tokenCounter tokens of a piece of text, at least 0
	 * @return the new limiter (this one is unchanged)
	 */
	public RateLimiter withTokenCounter(ToIntFunction<String> tokenCounter) {
		synchronized (this.lock) {
			return new RateLimiter(this.rate, this.burst, this.burstFollowsRate, this.scheduler, tokenCounter);
		}
	}

	/**
	 * Estimated tokens of a piece of text: a quarter of its code points, rounded up (so
	 * any non-empty text costs at least 1 token), the usual estimate for English text.
	 * @param text the text
	 * @return the estimate in tokens, 0 for an empty text
	 */
	public static int estimateTokens(String text) {
		int codePoints = text.codePointCount(0, text.length());
		return (codePoints + 3) / 4;
	}

	/**
	 * The current rate.
	 * @return tokens per second
	 */
	public double rate() {
		synchronized (this.lock) {
			return this.rate;
		}
	}

	/**
	 * The current burst, the bucket's capacity.
	 * @return tokens
	 */
	public long burst() {
		synchronized (this.lock) {
			return this.burst;
		}
	}

	/**
	 * Tokens in the bucket now; negative while reservations are waiting for a refill.
	 * @return tokens
	 */
	public long availableTokens() {
		return this.bucket.getAvailableTokens();
	}

	/**
	 * Changes the rate from now on; a limiter made with {@link #of(double)} moves its
	 * burst with it. The tokens in the bucket are kept (capped at the new burst); delays
	 * already handed out by {@link #acquire(long)} are not shortened.
	 * @param tokensPerSecond the new rate in tokens per second, finite and greater than 0
	 * @throws IllegalArgumentException if the rate is not finite and positive
	 */
	public void setRate(double tokensPerSecond) {
		checkRate(tokensPerSecond);
		synchronized (this.lock) {
			this.rate = tokensPerSecond;
			if (this.burstFollowsRate) {
				this.burst = burstFor(tokensPerSecond);
			}
			this.bucket.replaceConfiguration(
					BucketConfiguration.builder().addLimit(bandwidth(this.rate, this.burst)).build(),
					TokensInheritanceStrategy.AS_IS);
		}
	}

	/**
	 * Fills the bucket to its burst again, forgiving any debt of earlier reservations.
	 */
	public void reset() {
		this.bucket.reset();
	}

	/**
	 * Takes {@code tokens} if the bucket holds them now, without waiting.
	 * @param tokens tokens to take, at least 0
	 * @return whether they were taken
	 * @throws IllegalArgumentException if {@code tokens} is negative
	 */
	public boolean tryAcquire(long tokens) {
		checkTokens(tokens);
		if (tokens == 0) {
			return true;
		}
		return this.bucket.tryConsumeAndReturnRemaining(tokens).isConsumed();
	}

	/**
	 * Reserves {@code tokens} when subscribed and completes when they are available: at
	 * once while the bucket holds them, else after a delay on the scheduler (the time the
	 * rate needs to refill the missing tokens, behind reservations made earlier).
	 * Cancelled before it completed, it gives the tokens back. It signals an
	 * {@link IllegalArgumentException} (taking nothing) only for a reservation whose wait
	 * would overflow a {@code long} of nanoseconds (centuries).
	 * @param tokens tokens to take, at least 0; more than the burst is allowed
	 * @return a {@code Mono} completing empty when the tokens are granted
	 * @throws IllegalArgumentException if {@code tokens} is negative
	 */
	public Mono<Void> acquire(long tokens) {
		checkTokens(tokens);
		if (tokens == 0) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			long waitNanos = this.bucket.consumeIgnoringRateLimits(tokens);
			if (waitNanos == Long.MAX_VALUE) {
				// Bucket4j's INFINITY_DURATION: the wait would overflow; nothing was
				// taken
				return Mono.error(new IllegalArgumentException(
						tokens + " tokens can never be granted at " + rate() + " tokens per second"));
			}
			if (waitNanos <= 0) {
				return Mono.empty();
			}
			return Mono.delay(Duration.ofNanos(waitNanos), this.scheduler)
				.doOnCancel(() -> this.bucket.addTokens(tokens))
				.then();
		});
	}

	/**
	 * An operator that releases each text piece of a {@code Flux<String>} once the
	 * limiter granted its tokens (counted by the token counter, see
	 * {@link #withTokenCounter(ToIntFunction)}). Pieces keep their order and are not
	 * changed; an empty piece costs nothing. The source's completion and error follow the
	 * last granted piece; cancellation cancels the source and gives back the tokens of
	 * the piece waiting. The source is requested one piece at a time.
	 * @return the operator
	 */
	public Function<Flux<String>, Flux<String>> limitText() {
		// delay the source's error until the pieces before it are granted, as
		// documented: concatMap would drop them
		return (source) -> source
			.concatMapDelayError((piece) -> acquire(this.tokenCounter.applyAsInt(piece)).thenReturn(piece), true, 1);
	}

	/**
	 * An operator that releases the events of a stream at the limiter's pace: a
	 * {@link DeltaKind#TEXT} or {@link DeltaKind#REASONING} delta waits for the tokens of
	 * its text; every other event costs nothing and passes in order (it waits only for
	 * the deltas before it). Events are not changed, so chunk indexes stay as they were.
	 * Completion, error and cancellation behave as in {@link #limitText()}.
	 * @return the operator
	 */
	public Function<Flux<StreamEvent>, Flux<StreamEvent>> limitEvents() {
		return (source) -> source.concatMapDelayError((event) -> acquire(cost(event)).thenReturn(event), true, 1);
	}

	private long cost(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta
				&& (delta.kind() == DeltaKind.TEXT || delta.kind() == DeltaKind.REASONING)) {
			return this.tokenCounter.applyAsInt(delta.delta());
		}
		return 0;
	}

	@Override
	public String toString() {
		return "RateLimiter[rate=" + rate() + "/s, burst=" + burst() + "]";
	}

	private static Bandwidth bandwidth(double rate, long burst) {
		// one token per (1 s / rate), refilled greedily: Bucket4j keeps the fraction, so
		// this is a continuous refill at exactly the rate (to the nanosecond)
		long periodNanos = Math.max(1, Math.round(NANOS_PER_SECOND / rate));
		return Bandwidth.builder().capacity(burst).refillGreedy(1, Duration.ofNanos(periodNanos)).build();
	}

	private static long burstFor(double rate) {
		return Math.max(1, (long) Math.ceil(rate));
	}

	private static void checkRate(double rate) {
		if (!(rate > 0) || Double.isInfinite(rate)) {
			throw new IllegalArgumentException("rate must be finite and greater than 0 tokens per second, was " + rate);
		}
	}

	private static void checkTokens(long tokens) {
		if (tokens < 0) {
			throw new IllegalArgumentException("tokens must be at least 0, was " + tokens);
		}
	}

	/** Bucket4j's clock read from a Reactor scheduler, virtual under test. */
	private static final class SchedulerTimeMeter implements TimeMeter {

		private final Scheduler scheduler;

		SchedulerTimeMeter(Scheduler scheduler) {
			this.scheduler = scheduler;
		}

		@Override
		public long currentTimeNanos() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}

	}

}
