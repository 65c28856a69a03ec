package io.steer.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the {@link RetryState} of each request for retrying or resuming it, for a limited
 * time and up to a limited number of requests.
 * <p>
 * A state expires when its last activity is more than the state TTL ago (by default
 * {@link #DEFAULT_STATE_TTL 900 s}, {@code steer.streaming.state-ttl} or
 * {@code STEER_STREAMING_STATE_TTL} in Spring Boot). Expired states are removed by
 * {@link #cleanupOldStates()}, which the application calls now and then (Spring Boot
 * schedules it), and by {@link #begin(String, String, String)} when the manager is full.
 * Until then {@link #state(String)} no longer returns them.
 * <p>
 * Thread-safe. Looking a state up does not block; {@link #begin(String, String, String)}
 * and {@link #cleanupOldStates()} take a lock, and when the manager is full {@code begin}
 * scans all states (O(number of states)). A state removed or replaced while its stream
 * still runs can still be updated through its reference, but the manager no longer holds
 * it.
 */
public final class StreamingRetryManager {

	/** Default time a state is kept after its last activity: 900 s. */
	public static final Duration DEFAULT_STATE_TTL = Duration.ofSeconds(900);

	/** Default most states kept at once: 10,000. */
	public static final int DEFAULT_MAX_STATES = 10_000;

	private final Duration stateTtl;

	private final int maxStates;

	private final Clock clock;

	private final Map<String, RetryState> states = new ConcurrentHashMap<>();

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
		RetryState state = new RetryState(requestId, provider, model, this.clock, this.activityStamps::incrementAndGet);
		synchronized (this.lock) {
			if (!this.states.containsKey(requestId) && this.states.size() >= this.maxStates) {
				removeExpired(this.clock.instant());
				if (this.states.size() >= this.maxStates) {
					this.states.values()
						.stream()
						.min(Comparator.comparingLong(RetryState::activityStamp))
						.ifPresent((eldest) -> this.states.remove(eldest.requestId(), eldest));
				}
			}
			this.states.put(requestId, state);
		}
		return state;
	}

	/**
	 * The state of a request.
	 * @param requestId the request id
	 * @return the state, or empty when the request has none or its state has expired
	 */
	public Optional<RetryState> state(String requestId) {
		RetryState state = this.states.get(requestId);
		if (state == null || state.isExpired(this.clock.instant(), this.stateTtl)) {
			return Optional.empty();
		}
		return Optional.of(state);
	}

	/**
	 * Marks the state of a request completed, which also counts as activity. The state is
	 * kept until it expires, so it can still be inspected. Does nothing when the request
	 * has no state.
	 * @param requestId the request id
	 */
	public void complete(String requestId) {
		RetryState state = this.states.get(requestId);
		if (state != null) {
			state.markCompleted();
		}
	}

	/**
	 * Removes the states whose last activity is more than {@link #stateTtl()} ago; a
	 * state exactly that old is kept.
	 * @return how many states were removed
	 */
	public int cleanupOldStates() {
		synchronized (this.lock) {
			return removeExpired(this.clock.instant());
		}
	}

	/**
	 * How many states are held, including expired ones that are not removed yet.
	 * @return the number of states
	 */
	public int size() {
		return this.states.size();
	}

	/**
	 * A snapshot of the states held, including expired ones that are not removed yet.
	 * @return the states, most recently active first; an unmodifiable list
	 */
	public List<RetryState> states() {
		// stamps are read once: a state updated while sorting must not change the order
		return this.states.values()
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

	private int removeExpired(Instant now) {
		int removed = 0;
		for (Iterator<RetryState> it = this.states.values().iterator(); it.hasNext();) {
			if (it.next().isExpired(now, this.stateTtl)) {
				it.remove();
				removed++;
			}
		}
		return removed;
	}

	@Override
	public String toString() {
		return "StreamingRetryManager[stateTtl=" + this.stateTtl + ", maxStates=" + this.maxStates + ", size="
				+ this.states.size() + "]";
	}

	private record Stamped(long stamp, RetryState state) {

	}

}
