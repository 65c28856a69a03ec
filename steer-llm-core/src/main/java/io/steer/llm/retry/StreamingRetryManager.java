package io.steer.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.steer.llm.support.ClockTicker;

/**
 * Keeps the {@link RetryState} of each request for retrying or resuming it, for a limited
 * time and up to a limited number of requests.
 * <p>
 * A state expires when its last activity is more than the state TTL ago (by default
 * {@link #DEFAULT_STATE_TTL 900 s}, {@code steer.streaming.state-ttl} or
 * {@code STEER_STREAMING_STATE_TTL} in Spring Boot); from then on {@link #state(String)}
 * no longer returns it. Activity is the state's creation and each of its updates
 * ({@link RetryState#recordAttempt()}, {@link RetryState#recordProgress recordProgress},
 * {@link RetryState#recordError(String) recordError}, {@link #complete(String)}); looking
 * a state up is not.
 * <p>
 * The states live in a Caffeine cache that expires them after their last activity, on a
 * {@link ClockTicker} read from the manager's clock, so that a test's clock moves expiry
 * too. The cache removes expired states in its upkeep, which it does now and then while
 * states are begun and updated, and which {@link #cleanupOldStates()} runs at once
 * (Spring Boot calls it every {@code steer.streaming.state-cleanup-interval}): without
 * either, an application that goes quiet keeps its expired states in memory, though no
 * longer visible. The upkeep runs on the thread that triggers it, never on a pool of its
 * own.
 * <p>
 * When the manager is full, {@link #begin(String, String, String)} first removes the
 * expired states and then, if still full, the least recently active one, completed or
 * not: never more than {@link #maxStates()} states are held. Finding it takes constant
 * time, from the cache's order of activity; under heavy concurrent updates that order may
 * lag the states' last activity by the updates the cache dropped from its buffers.
 * <p>
 * Thread-safe. Looking a state up does not block; {@link #begin(String, String, String)}
 * takes a lock. A state removed or replaced while its stream still runs can still be
 * updated through its reference, but the manager no longer holds it, and its updates do
 * not keep the state that replaced it from expiring.
 */
public final class StreamingRetryManager {

	/** Default time a state is kept after its last activity: 900 s. */
	public static final Duration DEFAULT_STATE_TTL = Duration.ofSeconds(900);

	/** Default most states kept at once: 10,000. */
	public static final int DEFAULT_MAX_STATES = 10_000;

	private final Duration stateTtl;

	private final int maxStates;

	private final Clock clock;

	private final Cache<String, RetryState> states;

	private final Policy<String, RetryState> policy;

	private final Policy.FixedExpiration<String, RetryState> expiration;

	private final AtomicInteger expiredSinceCleanup = new AtomicInteger();

	private final AtomicLong activityStamps = new AtomicLong();

	private final Object lock = new Object();

	/**
	 * Creates a manager with the {@link #DEFAULT_STATE_TTL default TTL} and
	 * {@link #DEFAULT_MAX_STATES size}, on the system clock in UTC.
	 */
	public StreamingRetryManager() {
		this(DEFAULT_STATE_TTL, DEFAULT_MAX_STATES, Clock.systemUTC());
	}

	/**
	 * Creates a manager.
	 * @param stateTtl how long a state is kept after its last activity; positive
	 * @param maxStates most states kept at once; at least 1
	 * @param clock the clock of activity times and expiry
	 * @throws IllegalArgumentException when {@code stateTtl} is not positive or
	 * {@code maxStates} is less than 1
	 */
	public StreamingRetryManager(Duration stateTtl, int maxStates, Clock clock) {
		Objects.requireNonNull(stateTtl, "stateTtl must not be null");
		Objects.requireNonNull(clock, "clock must not be null");
		if (stateTtl.isNegative() || stateTtl.isZero()) {
			throw new IllegalArgumentException("stateTtl must be positive, was " + stateTtl);
		}
		if (maxStates < 1) {
			throw new IllegalArgumentException("maxStates must be at least 1, was " + maxStates);
		}
		this.stateTtl = stateTtl;
		this.maxStates = maxStates;
		this.clock = clock;
		this.states = Caffeine.newBuilder()
			// Caffeine expires an entry exactly the TTL old; the manager keeps it
			.expireAfterAccess(stateTtl.plusNanos(1))
			.ticker(new ClockTicker(clock))
			.executor(Runnable::run)
			.<String, RetryState>evictionListener((requestId, state, cause) -> {
				if (cause == RemovalCause.EXPIRED) {
					this.expiredSinceCleanup.incrementAndGet();
				}
			})
			.build();
		this.policy = this.states.policy();
		this.expiration = this.policy.expireAfterAccess().orElseThrow();
	}

	/**
	 * Registers a new state for a request, replacing any state it had. When the manager
	 * already holds {@link #maxStates()} states, it first removes the expired ones and
	 * then, if still full, the least recently active one, completed or not.
	 * @param requestId the request id
	 * @param provider the provider name, such as {@code openai}
	 * @param model the model name
	 * @return the new state, with no attempts and its first and last activity now
	 */
	public RetryState begin(String requestId, String provider, String model) {
		RetryState state = new RetryState(requestId, provider, model, this.clock, this.activityStamps::incrementAndGet,
				this::touch);
		synchronized (this.lock) {
			Map<String, RetryState> map = this.states.asMap();
			if (!map.containsKey(requestId) && this.states.estimatedSize() >= this.maxStates) {
				this.states.cleanUp();
				if (this.states.estimatedSize() >= this.maxStates) {
					this.expiration.oldest(1).forEach(map::remove);
				}
			}
			map.put(requestId, state);
		}
		return state;
	}

	/**
	 * The state of a request. Looking it up does not count as activity.
	 * @param requestId the request id
	 * @return the state, or empty when the request has none or its state has expired
	 */
	public Optional<RetryState> state(String requestId) {
		return Optional.ofNullable(this.policy.getIfPresentQuietly(requestId));
	}

	/**
	 * Marks the state of a request completed, which also counts as activity. The state is
	 * kept until it expires, so it can still be inspected. Does nothing when the request
	 * has no state or its state has expired.
	 * @param requestId the request id
	 */
	public void complete(String requestId) {
		RetryState state = this.policy.getIfPresentQuietly(requestId);
		if (state != null) {
			state.markCompleted();
		}
	}

	/**
	 * Removes the states whose last activity is more than {@link #stateTtl()} ago; a
	 * state exactly that old is kept. The count also takes in the expired states that the
	 * cache's own upkeep removed since the last call, while states were begun or updated,
	 * so that each expired state is counted once, by the first call after its removal.
	 * States removed to make room or replaced are not counted.
	 * @return how many expired states were removed since the last call, by this one
	 * included; 0 or more
	 */
	public int cleanupOldStates() {
		this.states.cleanUp();
		return this.expiredSinceCleanup.getAndSet(0);
	}

	/**
	 * How many states are held, including expired ones that are not removed yet.
	 * @return the number of states
	 */
	public int size() {
		return (int) Math.min(this.states.estimatedSize(), Integer.MAX_VALUE);
	}

	/**
	 * A snapshot of the states held that have not expired.
	 * @return the states, most recently active first; an unmodifiable list
	 */
	public List<RetryState> states() {
		// stamps are read once: a state updated while sorting must not change the order
		return this.states.asMap()
			.values()
			.stream()
			.map((state) -> new Stamped(state.activityStamp(), state))
			.sorted(Comparator.comparingLong(Stamped::stamp).reversed())
			.map(Stamped::state)
			.toList();
	}

	/**
	 * How long a state is kept after its last activity.
	 * @return the TTL, positive
	 */
	public Duration stateTtl() {
		return this.stateTtl;
	}

	/**
	 * The most states kept at once.
	 * @return the maximum, at least 1
	 */
	public int maxStates() {
		return this.maxStates;
	}

	/**
	 * Tells the cache that a state was active, unless it no longer holds that state.
	 */
	private void touch(RetryState state) {
		if (this.policy.getIfPresentQuietly(state.requestId()) == state) {
			this.states.getIfPresent(state.requestId());
		}
	}

	@Override
	public String toString() {
		return "StreamingRetryManager[stateTtl=" + this.stateTtl + ", maxStates=" + this.maxStates + ", size=" + size()
				+ "]";
	}

	private record Stamped(long stamp, RetryState state) {

	}

}
