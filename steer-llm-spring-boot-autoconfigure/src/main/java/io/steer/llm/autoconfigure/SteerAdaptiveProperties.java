package io.steer.llm.autoconfigure;

import java.time.Duration;

import io.steer.llm.options.adaptive.AdaptiveStreamingOptions;
import io.steer.llm.options.adaptive.NetworkQuality;
import io.steer.llm.options.adaptive.NetworkQualityEstimator;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Options that adapt to the network, {@code steer.streaming.adaptive.*}: the
 * {@code steerAdaptiveOptionsResolver} bean ({@link AdaptiveStreamingOptions}) and its
 * {@link NetworkQualityEstimator}. Opt-in: nothing adapts unless
 * {@code steer.streaming.adaptive.enabled=true}.
 */
@ConfigurationProperties(SteerAdaptiveProperties.PREFIX)
public class SteerAdaptiveProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "steer.streaming.adaptive";

	/**
	 * Whether the connection options of a call that gives none adapt to the network
	 * quality of its provider (good, fair or poor), estimated from its recent streams.
	 */
	private boolean enabled;

	/** Recent streams per provider the network quality is estimated from. */
	private int window = NetworkQualityEstimator.DEFAULT_WINDOW;

	/**
	 * Consecutive evaluations that must agree before a provider's network quality
	 * changes, so that one outlier never flips it.
	 */
	private int hysteresis = NetworkQualityEstimator.DEFAULT_HYSTERESIS;

	/**
	 * Share of the window's streams that timed out or met a connection error above which
	 * the quality is at best fair.
	 */
	private double fairFailureRate = NetworkQualityEstimator.DEFAULT_FAIR_FAILURE_RATE;

	/**
	 * Share of the window's streams that timed out or met a connection error above which
	 * the quality is poor.
	 */
	private double poorFailureRate = NetworkQualityEstimator.DEFAULT_POOR_FAILURE_RATE;

	/** Median time to first chunk above which the quality is at best fair. */
	private Duration fairFirstChunk = NetworkQualityEstimator.DEFAULT_FAIR_FIRST_CHUNK;

	/** Median time to first chunk above which the quality is poor. */
	private Duration poorFirstChunk = NetworkQualityEstimator.DEFAULT_POOR_FIRST_CHUNK;

	private final Levels levels = new Levels();

	/**
	 * Whether adaptive options are on.
	 * @return {@code false} by default
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether adaptive options are on.
	 * @param enabled whether they are
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Recent streams per provider.
	 * @return the window, 20 by default
	 */
	public int getWindow() {
		return this.window;
	}

	/**
	 * Sets the recent streams per provider.
	 * @param window at least 1
	 */
	public void setWindow(int window) {
		this.window = window;
	}

	/**
	 * Consecutive agreeing evaluations before a change.
	 * @return the hysteresis, 3 by default
	 */
	public int getHysteresis() {
		return this.hysteresis;
	}

	/**
	 * Sets the consecutive agreeing evaluations before a change.
	 * @param hysteresis at least 1
	 */
	public void setHysteresis(int hysteresis) {
		this.hysteresis = hysteresis;
	}

	/**
	 * Failure rate above which the quality is at best fair.
	 * @return 0 to 1, 0.05 by default
	 */
	public double getFairFailureRate() {
		return this.fairFailureRate;
	}

	/**
	 * Sets the failure rate above which the quality is at best fair.
	 * @param fairFailureRate 0 to 1, at most {@code poor-failure-rate}
	 */
	public void setFairFailureRate(double fairFailureRate) {
		this.fairFailureRate = fairFailureRate;
	}

	/**
	 * Failure rate above which the quality is poor.
	 * @return 0 to 1, 0.10 by default
	 */
	public double getPoorFailureRate() {
		return this.poorFailureRate;
	}

	/**
	 * Sets the failure rate above which the quality is poor.
	 * @param poorFailureRate 0 to 1
	 */
	public void setPoorFailureRate(double poorFailureRate) {
		this.poorFailureRate = poorFailureRate;
	}

	/**
	 * Median time to first chunk above which the quality is at best fair.
	 * @return the time, 2 s by default
	 */
	public Duration getFairFirstChunk() {
		return this.fairFirstChunk;
	}

	/**
	 * Sets the median time to first chunk above which the quality is at best fair.
	 * @param fairFirstChunk positive, at most {@code poor-first-chunk}
	 */
	public void setFairFirstChunk(Duration fairFirstChunk) {
		this.fairFirstChunk = fairFirstChunk;
	}

	/**
	 * Median time to first chunk above which the quality is poor.
	 * @return the time, 8 s by default
	 */
	public Duration getPoorFirstChunk() {
		return this.poorFirstChunk;
	}

	/**
	 * Sets the median time to first chunk above which the quality is poor.
	 * @param poorFirstChunk positive
	 */
	public void setPoorFirstChunk(Duration poorFirstChunk) {
		this.poorFirstChunk = poorFirstChunk;
	}

	/**
	 * The options per quality level.
	 * @return the levels, never {@code null}
	 */
	public Levels getLevels() {
		return this.levels;
	}

	/**
	 * The options per quality level, {@code steer.streaming.adaptive.levels.*}.
	 */
	public static class Levels {

		private final Level good = Level.of(AdaptiveStreamingOptions.DEFAULT_LEVELS.get(NetworkQuality.GOOD));

		private final Level fair = Level.of(AdaptiveStreamingOptions.DEFAULT_LEVELS.get(NetworkQuality.FAIR));

		private final Level poor = Level.of(AdaptiveStreamingOptions.DEFAULT_LEVELS.get(NetworkQuality.POOR));

		/**
		 * The options of a good network: 3 s connect, 20 s read, 1 reconnect by default.
		 * @return the level
		 */
		public Level getGood() {
			return this.good;
		}

		/**
		 * The options of a fair network: 5 s connect, 30 s read, 3 reconnects by default.
		 * @return the level
		 */
		public Level getFair() {
			return this.fair;
		}

		/**
		 * The options of a poor network: 10 s connect, 60 s read, 5 reconnects by
		 * default.
		 * @return the level
		 */
		public Level getPoor() {
			return this.poor;
		}

		/**
		 * The properties of one level.
		 * @param quality the level
		 * @return its properties
		 */
		Level get(NetworkQuality quality) {
			return switch (quality) {
				case GOOD -> this.good;
				case FAIR -> this.fair;
				case POOR -> this.poor;
			};
		}

	}

	/**
	 * The connection options of one quality level.
	 */
	public static class Level {

		/** Time to open the connection. */
		private @Nullable Duration connectionTimeout;

		/** Longest wait for the next SSE event. */
		private @Nullable Duration readTimeout;

		/** Retries after a failed attempt. */
		private int maxReconnectAttempts;

		static Level of(AdaptiveStreamingOptions.Level defaults) {
			Level level = new Level();
			level.setConnectionTimeout(defaults.connectionTimeout());
			level.setReadTimeout(defaults.readTimeout());
			level.setMaxReconnectAttempts(defaults.maxReconnectAttempts());
			return level;
		}

		/**
		 * Time to open the connection.
		 * @return the timeout, the level's default unless set ({@code null} only when set
		 * so)
		 */
		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		/**
		 * Sets the time to open the connection.
		 * @param connectionTimeout positive
		 */
		public void setConnectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		/**
		 * Longest wait for the next SSE event.
		 * @return the timeout, the level's default unless set ({@code null} only when set
		 * so)
		 */
		public @Nullable Duration getReadTimeout() {
			return this.readTimeout;
		}

		/**
		 * Sets the longest wait for the next SSE event.
		 * @param readTimeout positive
		 */
		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		/**
		 * Retries after a failed attempt.
		 * @return the retries
		 */
		public int getMaxReconnectAttempts() {
			return this.maxReconnectAttempts;
		}

		/**
		 * Sets the retries after a failed attempt.
		 * @param maxReconnectAttempts 0 or more
		 */
		public void setMaxReconnectAttempts(int maxReconnectAttempts) {
			this.maxReconnectAttempts = maxReconnectAttempts;
		}

	}

}
