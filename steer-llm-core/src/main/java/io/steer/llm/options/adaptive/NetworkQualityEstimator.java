package io.steer.llm.options.adaptive;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Estimates the {@link NetworkQuality} of each provider from its recent streams.
 * <p>
 * Per provider it keeps the last {@code window} {@link NetworkObservation}s (default
 * {@value #DEFAULT_WINDOW}). Each {@link #record(NetworkObservation) record} evaluates
 * the window:
 * <ul>
 * <li>the <em>failure rate</em> is the number of observations in the window that timed
 * out or met a connection error, divided by {@code window} (not by the observations kept
 * so far, so that the first streams of a provider cannot swing it alone);</li>
 * <li>the <em>median time to first chunk</em> is the nearest-rank median of the
 * observations' {@link NetworkObservation#timeToFirstChunkMs()} that are known;</li>
 * <li>the window says {@link NetworkQuality#POOR} when the failure rate is above
 * {@code poorFailureRate} (default 0.10: more than 2 of 20) or the median is above
 * {@code poorFirstChunk} (default 8 s); else {@link NetworkQuality#FAIR} when the failure
 * rate is above {@code fairFailureRate} (default 0.05: more than 1 of 20) or the median
 * is above {@code fairFirstChunk} (default 2 s); else {@link NetworkQuality#GOOD}.</li>
 * </ul>
 * <strong>Hysteresis</strong>: a provider's quality starts at {@link NetworkQuality#GOOD}
 * and changes only when {@code hysteresis} consecutive evaluations (default
 * {@value #DEFAULT_HYSTERESIS}) say the same other level; an evaluation that says the
 * current level, or another level than the ones before it, starts the count again. So one
 * outlier never flips it.
 * <p>
 * Thread-safe: each provider's window is guarded by its own lock, held for one evaluation
 * (at most {@code window} values sorted); nothing here reads a clock.
 */
public final class NetworkQualityEstimator {

	/** Observations kept per provider by default. */
	public static final int DEFAULT_WINDOW = 20;

	/** Consecutive evaluations that must agree before a level changes, by default. */
	public static final int DEFAULT_HYSTERESIS = 3;

	/** Failure rate above which a window is at best fair, by default. */
	public static final double DEFAULT_FAIR_FAILURE_RATE = 0.05;

	/** Failure rate above which a window is poor, by default. */
	public static final double DEFAULT_POOR_FAILURE_RATE = 0.10;

	/** Median time to first chunk above which a window is at best fair, by default. */
	public static final Duration DEFAULT_FAIR_FIRST_CHUNK = Duration.ofSeconds(2);

	/** Median time to first chunk above which a window is poor, by default. */
	public static final Duration DEFAULT_POOR_FIRST_CHUNK = Duration.ofSeconds(8);

	private final int window;

	private final int hysteresis;

	private final double fairFailureRate;

	private final double poorFailureRate;

	private final double fairFirstChunkMs;

	private final double poorFirstChunkMs;

	private final Map<String, ProviderWindow> providers = new ConcurrentHashMap<>();

	private NetworkQualityEstimator(Builder builder) {
		this.window = builder.window;
		this.hysteresis = builder.hysteresis;
		this.fairFailureRate = builder.fairFailureRate;
		this.poorFailureRate = builder.poorFailureRate;
		this.fairFirstChunkMs = builder.fairFirstChunk.toNanos() / 1_000_000.0;
		this.poorFirstChunkMs = builder.poorFirstChunk.toNanos() / 1_000_000.0;
	}

	/**
	 * An estimator with the defaults.
	 * @return the estimator
	 */
	public static NetworkQualityEstimator ofDefaults() {
		return builder().build();
	}

	/**
	 * A builder, starting from the defaults.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Records one finished stream and evaluates its provider's window.
	 * @param observation the observation
	 * @return the provider's quality after it
	 */
	public NetworkQuality record(NetworkObservation observation) {
		Objects.requireNonNull(observation, "observation must not be null");
		return this.providers.computeIfAbsent(observation.provider(), (provider) -> new ProviderWindow())
			.record(observation);
	}

	/**
	 * The current quality of one provider.
	 * @param provider the provider's name
	 * @return its quality; {@link NetworkQuality#GOOD} for a provider without
	 * observations
	 */
	public NetworkQuality quality(String provider) {
		ProviderWindow window = this.providers.get(provider);
		return (window != null) ? window.quality() : NetworkQuality.GOOD;
	}

	/**
	 * The current quality of every provider with observations.
	 * @return provider name to quality, sorted by name; unmodifiable
	 */
	public Map<String, NetworkQuality> qualities() {
		Map<String, NetworkQuality> qualities = new TreeMap<>();
		this.providers.forEach((provider, window) -> qualities.put(provider, window.quality()));
		return Collections.unmodifiableMap(qualities);
	}

	/**
	 * The level the observations say, without hysteresis.
	 * @param failures observations that failed
	 * @param median median time to first chunk (ms), or {@code null}
	 */
	private NetworkQuality evaluate(int failures, @Nullable Double median) {
		double failureRate = (double) failures / this.window;
		if (failureRate > this.poorFailureRate || (median != null && median > this.poorFirstChunkMs)) {
			return NetworkQuality.POOR;
		}
		if (failureRate > this.fairFailureRate || (median != null && median > this.fairFirstChunkMs)) {
			return NetworkQuality.FAIR;
		}
		return NetworkQuality.GOOD;
	}

	/** One provider's observations and level. */
	private final class ProviderWindow {

		private final ArrayDeque<NetworkObservation> observations = new ArrayDeque<>();

		private volatile NetworkQuality quality = NetworkQuality.GOOD;

		private @Nullable NetworkQuality candidate;

		private int agreeing;

		NetworkQuality quality() {
			return this.quality;
		}

		synchronized NetworkQuality record(NetworkObservation observation) {
			if (this.observations.size() == NetworkQualityEstimator.this.window) {
				this.observations.removeFirst();
			}
			this.observations.addLast(observation);
			NetworkQuality evaluated = evaluate(failures(), median());
			if (evaluated == this.quality) {
				this.candidate = null;
				this.agreeing = 0;
			}
			else {
				this.agreeing = (evaluated == this.candidate) ? this.agreeing + 1 : 1;
				this.candidate = evaluated;
				if (this.agreeing >= NetworkQualityEstimator.this.hysteresis) {
					this.quality = evaluated;
					this.candidate = null;
					this.agreeing = 0;
				}
			}
			return this.quality;
		}

		private int failures() {
			int failures = 0;
			for (NetworkObservation observation : this.observations) {
				if (observation.failed()) {
					failures++;
				}
			}
			return failures;
		}

		private @Nullable Double median() {
			double[] times = new double[this.observations.size()];
			int count = 0;
			for (NetworkObservation observation : this.observations) {
				Double time = observation.timeToFirstChunkMs();
				if (time != null) {
					times[count++] = time;
				}
			}
			if (count == 0) {
				return null;
			}
			Arrays.sort(times, 0, count);
			return times[(count + 1) / 2 - 1];
		}

	}

	/**
	 * Builds a {@link NetworkQualityEstimator}; every setting starts at its default.
	 */
	public static final class Builder {

		private int window = DEFAULT_WINDOW;

		private int hysteresis = DEFAULT_HYSTERESIS;

		private double fairFailureRate = DEFAULT_FAIR_FAILURE_RATE;

		private double poorFailureRate = DEFAULT_POOR_FAILURE_RATE;

		private Duration fairFirstChunk = DEFAULT_FAIR_FIRST_CHUNK;

		private Duration poorFirstChunk = DEFAULT_POOR_FIRST_CHUNK;

		private Builder() {
		}

		/**
		 * Observations kept per provider.
		 * @param window at least 1
		 * @return this builder
		 */
		public Builder window(int window) {
			this.window = window;
			return this;
		}

		/**
		 * Consecutive evaluations that must agree before a level changes.
		 * @param hysteresis at least 1 (1: every evaluation applies at once)
		 * @return this builder
		 */
		public Builder hysteresis(int hysteresis) {
			this.hysteresis = hysteresis;
			return this;
		}

		/**
		 * Failure rate above which a window is at best fair.
		 * @param rate 0 to 1, at most {@code poorFailureRate}
		 * @return this builder
		 */
		public Builder fairFailureRate(double rate) {
			this.fairFailureRate = rate;
			return this;
		}

		/**
		 * Failure rate above which a window is poor.
		 * @param rate 0 to 1
		 * @return this builder
		 */
		public Builder poorFailureRate(double rate) {
			this.poorFailureRate = rate;
			return this;
		}

		/**
		 * Median time to first chunk above which a window is at best fair.
		 * @param time positive, at most {@code poorFirstChunk}
		 * @return this builder
		 */
		public Builder fairFirstChunk(Duration time) {
			this.fairFirstChunk = Objects.requireNonNull(time, "fairFirstChunk must not be null");
			return this;
		}

		/**
		 * Median time to first chunk above which a window is poor.
		 * @param time positive
		 * @return this builder
		 */
		public Builder poorFirstChunk(Duration time) {
			this.poorFirstChunk = Objects.requireNonNull(time, "poorFirstChunk must not be null");
			return this;
		}

		/**
		 * The estimator.
		 * @return a new estimator
		 * @throws IllegalArgumentException naming the setting, if {@code window} or
		 * {@code hysteresis} is below 1, a rate is outside 0 to 1, a time is not
		 * positive, or a fair threshold is above its poor one
		 */
		public NetworkQualityEstimator build() {
			require(this.window >= 1, "window", this.window, "at least 1");
			require(this.hysteresis >= 1, "hysteresis", this.hysteresis, "at least 1");
			require(this.fairFailureRate >= 0 && this.fairFailureRate <= 1, "fairFailureRate", this.fairFailureRate,
					"between 0 and 1");
			require(this.poorFailureRate >= 0 && this.poorFailureRate <= 1, "poorFailureRate", this.poorFailureRate,
					"between 0 and 1");
			require(this.fairFailureRate <= this.poorFailureRate, "fairFailureRate", this.fairFailureRate,
					"at most poorFailureRate (" + this.poorFailureRate + ")");
			require(!this.fairFirstChunk.isNegative() && !this.fairFirstChunk.isZero(), "fairFirstChunk",
					this.fairFirstChunk, "positive");
			require(!this.poorFirstChunk.isNegative() && !this.poorFirstChunk.isZero(), "poorFirstChunk",
					this.poorFirstChunk, "positive");
			require(this.fairFirstChunk.compareTo(this.poorFirstChunk) <= 0, "fairFirstChunk", this.fairFirstChunk,
					"at most poorFirstChunk (" + this.poorFirstChunk + ")");
			return new NetworkQualityEstimator(this);
		}

		private static void require(boolean valid, String name, Object value, String expected) {
			if (!valid) {
				throw new IllegalArgumentException(name + " must be " + expected + ", was " + value);
			}
		}

	}

}
