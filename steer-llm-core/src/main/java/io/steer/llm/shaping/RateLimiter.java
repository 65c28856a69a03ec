package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;
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
 * <p>
 * {@link #shared(ProxyManager, String, double, long) shared(…)} keeps the bucket in a
 * Bucket4j {@link ProxyManager} (for example Redis through
 * {@code Bucket4jLettuce.casBasedBuilder(connection).build()} of
 * {@code com.bucket4j:bucket4j_jdk17-lettuce}) under a key, so that every limiter on
 * every instance with that key shares one bucket: a per-tenant limit that holds across
 * instances.
 */
public final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final Scheduler scheduler;

	private final ToIntFunction<String> tokenCounter;

	private final boolean burstFollowsRate;

	private final BiFunction<Double, Long, Bucket> bucketFactory;

	private final Bucket bucket;

	/** The shared bucket's asynchronous view, for {@link #acquire}; null when local. */
	private final @Nullable AsyncBucketProxy asyncBucket;

	private final boolean shared;

	private final Object lock = new Object();

	private double rate;

	private long burst;

	private RateLimiter(double rate, long burst, boolean burstFollowsRate, Scheduler scheduler,
			ToIntFunction<String> tokenCounter) {
		this(rate, burst, burstFollowsRate, scheduler, tokenCounter, localBuckets(scheduler), null);
	}

	private RateLimiter(double rate, long burst, boolean burstFollowsRate, Scheduler scheduler,
			ToIntFunction<String> tokenCounter, BiFunction<Double, Long, Bucket> bucketFactory,
			@Nullable BiFunction<Double, Long, @Nullable AsyncBucketProxy> asyncBucketFactory) {
		checkRate(rate);
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1 token, was " + burst);
		}
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.tokenCounter = Objects.requireNonNull(tokenCounter, "tokenCounter");
		this.burstFollowsRate = burstFollowsRate;
		this.rate = rate;
		this.burst = burst;
		this.bucketFactory = bucketFactory;
		this.bucket = bucketFactory.apply(rate, burst);
		this.shared = asyncBucketFactory != null;
		this.asyncBucket = (asyncBucketFactory != null) ? asyncBucketFactory.apply(rate, burst) : null;
	}

	private static BiFunction<Double, Long, Bucket> localBuckets(Scheduler scheduler) {
		TimeMeter clock = new SchedulerTimeMeter(scheduler);
		return (rate,
				burst) -> Bucket.builder().withCustomTimePrecision(clock).addLimit(bandwidth(rate, burst)).build();
	}

	/**
	 * A limiter whose bucket is kept by a Bucket4j {@link ProxyManager} under
	 * {@code key}, on {@link Schedulers#parallel()}: every limiter built on the same
	 * store (the same Redis, on any instance) with the same key shares one bucket, so
	 * that their tokens together never exceed {@code burst + rate × elapsed seconds}.
	 * <p>
	 * The bucket is created full with this rate and burst when the key has none; a bucket
	 * already there keeps its configuration until {@link #setRate(double)} replaces it
	 * (for every limiter of the key). Its clock is the proxy manager's (by default the
	 * wall clock of each instance, so keep the instances' clocks in sync), not the
	 * scheduler's, which only times the delays. {@link #acquire(long)} reserves through
	 * the proxy manager's asynchronous API when it has one (Lettuce does), else on
	 * {@link Schedulers#boundedElastic()}; it signals the store's failure (Redis down) as
	 * an error. {@link #availableTokens()}, {@link #tryAcquire(long)}, {@link #reset()}
	 * and {@link #setRate(double)} call the store and block until it answers.
	 * @param proxyManager the store of buckets, for example
	 * {@code Bucket4jLettuce.casBasedBuilder(connection).build()}
	 * @param key the bucket's key, for example the tenant's id
	 * @param tokensPerSecond the steady rate in tokens per second, finite and greater
	 * than 0
	 * @param burst the bucket's capacity in tokens, at least 1
	 * @return the limiter
	 * @throws IllegalArgumentException if the rate is not finite and positive or the
	 * burst is less than 1
	 */
	public static RateLimiter shared(ProxyManager<String> proxyManager, String key, double tokensPerSecond,
			long burst) {
		return shared(proxyManager, key, tokensPerSecond, burst, Schedulers.parallel());
	}

	/**
	 * A limiter whose bucket is kept by a Bucket4j {@link ProxyManager} under
	 * {@code key}, see {@link #shared(ProxyManager, String, double, long)}, whose delays
	 * run on the given scheduler.
	 * @param proxyManager the store of buckets
	 * @param key the bucket's key, for example the tenant's id
	 * @param tokensPerSecond the steady rate in tokens per second, finite and greater
	 * than 0
	 * @param burst the bucket's capacity in tokens, at least 1
	 * @param scheduler the scheduler of the delays
	 * @return the limiter
	 * @throws IllegalArgumentException if the rate is not finite and positive or the
	 * burst is less than 1
	 */
	public static RateLimiter shared(ProxyManager<String> proxyManager, String key, double tokensPerSecond, long burst,
			Scheduler scheduler) {
		Objects.requireNonNull(proxyManager, "proxyManager");
		Objects.requireNonNull(key, "key");
		checkRate(tokensPerSecond);
		BiFunction<Double, Long, Bucket> buckets = (rate, capacity) -> proxyManager.builder()
			.build(key, () -> configuration(rate, capacity));
		BiFunction<Double, Long, @Nullable AsyncBucketProxy> asyncBuckets = (rate,
				capacity) -> proxyManager.isAsyncModeSupported() ? proxyManager.asAsync()
					.builder()
					.build(key, () -> CompletableFuture.completedFuture(configuration(rate, capacity))) : null;
		return new RateLimiter(tokensPerSecond, burst, false, scheduler, RateLimiter::estimateTokens, buckets,
				asyncBuckets);
	}

	/**
	 * Whether the bucket is shared through a {@link ProxyManager}.
	 * @return {@code true} for a limiter made with {@code shared(…)}
	 */
	public boolean isShared() {
		return this.shared;
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
	 * A limiter with the same rate, burst and scheduler and a fresh, full bucket (for a
	 * {@linkplain #shared shared} limiter: the same shared bucket), that counts the
	 * tokens of a text piece with {@code tokenCounter} (for example a jtokkit encoding's
	 * {@code countTokens}) in {@link #limitText()} and {@link #limitEvents()}.
	 * @param tokenCounter tokens of a piece of text, at least 0
	 * @return the new limiter (this one is unchanged)
	 */
	public RateLimiter withTokenCounter(ToIntFunction<String> tokenCounter) {
		synchronized (this.lock) {
			if (this.shared) {
				RateLimiter source = this;
				return new RateLimiter(this.rate, this.burst, this.burstFollowsRate, this.scheduler, tokenCounter,
						(rate, burst) -> source.bucket, (rate, burst) -> source.asyncBucket);
			}
			return new RateLimiter(this.rate, this.burst, this.burstFollowsRate, this.scheduler, tokenCounter,
					this.bucketFactory, null);
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
			this.bucket.replaceConfiguration(configuration(this.rate, this.burst), TokensInheritanceStrategy.AS_IS);
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
		return reserve(tokens).flatMap((waitNanos) -> {
			if (waitNanos == Long.MAX_VALUE) {
				// Bucket4j's INFINITY_DURATION: the wait would overflow; nothing was
				// taken
				return Mono.error(new IllegalArgumentException(
						tokens + " tokens can never be granted at " + rate() + " tokens per second"));
			}
			if (waitNanos <= 0) {
				return Mono.empty();
			}
			return Mono.delay(Duration.ofNanos(waitNanos), this.scheduler).doOnCancel(() -> giveBack(tokens)).then();
		});
	}

	/**
	 * Reserves tokens: the nanoseconds to wait for them ({@code Long.MAX_VALUE} when
	 * never, nothing taken). Package-private for the shared bucket's tests.
	 */
	Mono<Long> reserve(long tokens) {
		AsyncBucketProxy async = this.asyncBucket;
		if (async != null) {
			return Mono.fromFuture(() -> async.consumeIgnoringRateLimits(tokens));
		}
		if (this.shared) {
			return Mono.fromCallable(() -> this.bucket.consumeIgnoringRateLimits(tokens))
				.subscribeOn(Schedulers.boundedElastic());
		}
		return Mono.fromCallable(() -> this.bucket.consumeIgnoringRateLimits(tokens));
	}

	private void giveBack(long tokens) {
		AsyncBucketProxy async = this.asyncBucket;
		if (async != null) {
			async.addTokens(tokens);
		}
		else if (this.shared) {
			Schedulers.boundedElastic().schedule(() -> this.bucket.addTokens(tokens));
		}
		else {
			this.bucket.addTokens(tokens);
		}
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
		return "RateLimiter[rate=" + rate() + "/s, burst=" + burst() + (this.shared ? ", shared" : "") + "]";
	}

	private static BucketConfiguration configuration(double rate, long burst) {
		return BucketConfiguration.builder().addLimit(bandwidth(rate, burst)).build();
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
