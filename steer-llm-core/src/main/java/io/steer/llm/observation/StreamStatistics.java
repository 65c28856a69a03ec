package io.steer.llm.observation;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The recent streams of a client, per provider and model, for an operator: what the
 * {@code steer} actuator endpoint shows and what a provider health indicator reads as
 * passive signals. Keeps, for each provider and model, the last {@code window} ended
 * streams no older than {@code maxAge} (an {@link EndedStream} each: no text, ids or
 * keys), and the same per provider. At most {@code maxModels} distinct models are kept;
 * the streams of the others count under the model {@code other}, as in the meters' tags.
 * <p>
 * Thread-safe: {@link #record(EndedStream)} is called once per stream, when it ends, and
 * costs one short lock; nothing is recorded per chunk.
 */
public final class StreamStatistics {

	/** Streams kept per provider and model, and per provider, by default. */
	public static final int DEFAULT_WINDOW = 200;

	/** Distinct models kept by default before the rest count as {@code other}. */
	public static final int DEFAULT_MAX_MODELS = 100;

	/** The age past which an ended stream no longer counts, by default. */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);

	private static final String OTHER = "other";

	private final int window;

	private final int maxModels;

	private final Duration maxAge;

	private final Clock clock;

	private final Map<Key, Ring> models = new ConcurrentHashMap<>();

	private final Map<String, Ring> providers = new ConcurrentHashMap<>();

	/**
	 * Statistics with the default window ({@value #DEFAULT_WINDOW} streams), model cap
	 * ({@value #DEFAULT_MAX_MODELS}) and maximum age (15 minutes), on the system clock.
	 */
	public StreamStatistics() {
		this(DEFAULT_WINDOW, DEFAULT_MAX_MODELS, DEFAULT_MAX_AGE, Clock.systemUTC());
	}

	/**
	 * Statistics with the given bounds.
	 * @param window streams kept per provider and model, and per provider (at least 1)
	 * @param maxModels distinct models kept before the rest count as {@code other} (at
	 * least 1)
	 * @param maxAge the age past which an ended stream no longer counts (positive)
	 * @param clock the clock that ages them
	 * @throws IllegalArgumentException if a bound is not positive
	 */
	public StreamStatistics(int window, int maxModels, Duration maxAge, Clock clock) {
		if (window < 1 || maxModels < 1 || maxAge.isNegative() || maxAge.isZero()) {
			throw new IllegalArgumentException("window, maxModels and maxAge must be positive, were " + window + ", "
					+ maxModels + " and " + maxAge);
		}
		this.window = window;
		this.maxModels = maxModels;
		this.maxAge = maxAge;
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Records one ended stream.
	 * @param stream the stream
	 */
	public void record(EndedStream stream) {
		Key key = new Key(stream.provider(), stream.model());
		Ring ring = this.models.get(key);
		if (ring == null) {
			if (this.models.size() >= this.maxModels) {
				key = new Key(stream.provider(), OTHER);
			}
			ring = this.models.computeIfAbsent(key, (k) -> new Ring(this.window));
		}
		ring.add(stream);
		this.providers.computeIfAbsent(stream.provider(), (p) -> new Ring(this.window)).add(stream);
	}

	/**
	 * The recent statistics of every provider and model that has streams in the window.
	 * @return one entry per provider and model, sorted by provider then model; empty when
	 * no recent stream
	 */
	public List<ModelStatistics> models() {
		Instant since = this.clock.instant().minus(this.maxAge);
		List<ModelStatistics> result = new ArrayList<>();
		for (Map.Entry<Key, Ring> entry : this.models.entrySet()) {
			List<EndedStream> streams = entry.getValue().since(since);
			if (!streams.isEmpty()) {
				result.add(summarize(entry.getKey(), streams));
			}
		}
		result.sort(Comparator.comparing(ModelStatistics::provider).thenComparing(ModelStatistics::model));
		return result;
	}

	/**
	 * The passive health signals of one provider over the window.
	 * @param provider the provider's name
	 * @return its signals, all zero when it has no recent stream
	 */
	public ProviderSignals signals(String provider) {
		Ring ring = this.providers.get(provider);
		List<EndedStream> streams = (ring != null) ? ring.since(this.clock.instant().minus(this.maxAge)) : List.of();
		int rateLimited = 0;
		int serverErrors = 0;
		int timeouts = 0;
		int connectionErrors = 0;
		EndedStream lastError = null;
		for (EndedStream stream : streams) {
			if (stream.outcome() != StreamOutcome.ERROR) {
				continue;
			}
			lastError = stream;
			if (stream.rateLimited()) {
				rateLimited++;
			}
			else if (stream.serverError()) {
				serverErrors++;
			}
			else if (stream.timedOut()) {
				timeouts++;
			}
			else if (stream.connectionFailed()) {
				connectionErrors++;
			}
		}
		return new ProviderSignals(provider, streams.size(), rateLimited, serverErrors, timeouts, connectionErrors,
				(lastError != null && lastError.errorType() != null) ? lastError.errorType().name() : null,
				(lastError != null) ? lastError.errorMessage() : null,
				(lastError != null) ? lastError.endedAt() : null);
	}

	private static ModelStatistics summarize(Key key, List<EndedStream> streams) {
		int completed = 0;
		int cancelled = 0;
		Map<String, Integer> errors = new TreeMap<>();
		double[] ttft = new double[streams.size()];
		int ttftCount = 0;
		long input = 0;
		long output = 0;
		BigDecimal cost = BigDecimal.ZERO;
		Instant last = null;
		for (EndedStream stream : streams) {
			switch (stream.outcome()) {
				case SUCCESS -> completed++;
				case CANCELLED -> cancelled++;
				case ERROR ->
					errors.merge((stream.errorType() != null) ? stream.errorType().name() : "UNKNOWN", 1, Integer::sum);
				default -> {
				}
			}
			if (stream.timeToFirstChunkMs() != null) {
				ttft[ttftCount++] = stream.timeToFirstChunkMs();
			}
			input += stream.inputTokens();
			output += stream.outputTokens();
			if (stream.costUsd() != null) {
				cost = cost.add(stream.costUsd());
			}
			if (last == null || stream.endedAt().isAfter(last)) {
				last = stream.endedAt();
			}
		}
		Arrays.sort(ttft, 0, ttftCount);
		return new ModelStatistics(key.provider(), key.model(), streams.size(), completed, cancelled, errors,
				percentile(ttft, ttftCount, 50), percentile(ttft, ttftCount, 95), input, output, cost, last);
	}

	/** Nearest rank over the first {@code count} sorted values. */
	private static @Nullable Double percentile(double[] sorted, int count, int percentile) {
		if (count == 0) {
			return null;
		}
		int rank = (int) Math.ceil(percentile / 100.0 * count);
		return sorted[Math.max(0, rank - 1)];
	}

	private record Key(String provider, String model) {

	}

	/** The last streams of one key, oldest first. */
	private static final class Ring {

		private final int capacity;

		private final ArrayDeque<EndedStream> streams;

		Ring(int capacity) {
			this.capacity = capacity;
			this.streams = new ArrayDeque<>(Math.min(capacity, 64));
		}

		synchronized void add(EndedStream stream) {
			if (this.streams.size() == this.capacity) {
				this.streams.removeFirst();
			}
			this.streams.addLast(stream);
		}

		synchronized List<EndedStream> since(Instant since) {
			List<EndedStream> recent = new ArrayList<>(this.streams.size());
			for (EndedStream stream : this.streams) {
				if (!stream.endedAt().isBefore(since)) {
					recent.add(stream);
				}
			}
			return recent;
		}

	}

}
