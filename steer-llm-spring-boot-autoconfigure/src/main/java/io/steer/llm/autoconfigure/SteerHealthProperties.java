package io.steer.llm.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the provider health indicators, bound from {@code steer.health.*}.
 * <p>
 * Each provider's indicator checks it with a {@code GET} of its default model (or its
 * model list when it has no default model), which spends no tokens, and keeps the result
 * for {@link #getCacheTtl() cache-ttl} so that a storm of health probes reaches the
 * provider at most once per period. The indicator also reads the passive signals of the
 * provider's recent streams on every health request, and reports a provider whose probe
 * is {@code UP} as {@code DOWN} with reason {@code recent-failures} when at least
 * {@link RecentFailures#getMinStreams() recent-failures.min-streams} recent streams ended
 * with a provider-side or network failure at a rate of at least
 * {@link RecentFailures#getFailureRate() recent-failures.failure-rate}.
 */
@ConfigurationProperties("steer.health")
public class SteerHealthProperties {

	/** Default of {@code steer.health.timeout}: 5 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** Default of {@code steer.health.cache-ttl}: 60 seconds. */
	public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

	/**
	 * Time to wait for a provider's answer to the health check before reporting it DOWN
	 * with reason 'timeout'. Must be positive.
	 */
	private Duration timeout = DEFAULT_TIMEOUT;

	/**
	 * How long a provider's health result is reused before the provider is asked again.
	 * Zero asks on every health request.
	 */
	private Duration cacheTtl = DEFAULT_CACHE_TTL;

	/**
	 * Rule that reports a provider DOWN when its recent streams fail.
	 */
	private final RecentFailures recentFailures = new RecentFailures();

	/**
	 * Returns {@code steer.health.timeout}.
	 * @return time to wait for a provider's answer to the health check before reporting
	 * it DOWN with reason 'timeout'. Must be positive
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Sets {@code steer.health.timeout}.
	 * @param timeout time to wait for a provider's answer to the health check before
	 * reporting it DOWN with reason 'timeout'. Must be positive
	 */
	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Returns {@code steer.health.cache-ttl}.
	 * @return how long a provider's health result is reused before the provider is asked
	 * again. Zero asks on every health request
	 */
	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	/**
	 * Sets {@code steer.health.cache-ttl}.
	 * @param cacheTtl how long a provider's health result is reused before the provider
	 * is asked again. Zero asks on every health request
	 */
	public void setCacheTtl(Duration cacheTtl) {
		this.cacheTtl = cacheTtl;
	}

	/**
	 * Returns the settings under {@code steer.health.recent-failures}.
	 * @return the rule that reports a provider DOWN when its recent streams fail
	 */
	public RecentFailures getRecentFailures() {
		return this.recentFailures;
	}

	/**
	 * The rule that turns a provider whose probe is {@code UP} {@code DOWN} with reason
	 * {@code recent-failures}: its recent streams (those the stream statistics keep: the
	 * last 200, no older than 15 minutes) number at least {@link #getMinStreams()} and
	 * their failure rate (HTTP 429, 5xx or provider errors, timeouts, connection
	 * failures, over all of them) is at least {@link #getFailureRate()}.
	 */
	public static class RecentFailures {

		/** Default of {@code steer.health.recent-failures.min-streams}: 5. */
		public static final int DEFAULT_MIN_STREAMS = 5;

		/** Default of {@code steer.health.recent-failures.failure-rate}: 0.5. */
		public static final double DEFAULT_FAILURE_RATE = 0.5;

		/**
		 * Whether a provider whose probe is UP is reported DOWN with reason
		 * 'recent-failures' when its recent streams fail.
		 */
		private boolean enabled = true;

		/**
		 * Fewest recent streams of a provider before their failure rate can report it
		 * DOWN. At least 1.
		 */
		private int minStreams = DEFAULT_MIN_STREAMS;

		/**
		 * Share of a provider's recent streams, from 0 to 1, that failed with HTTP 429,
		 * 5xx or a provider error, a timeout or a connection failure, at or above which
		 * it is reported DOWN. Greater than 0, at most 1.
		 */
		private double failureRate = DEFAULT_FAILURE_RATE;

		/**
		 * Returns {@code steer.health.recent-failures.enabled}.
		 * @return whether a provider whose probe is UP is reported DOWN with reason
		 * 'recent-failures' when its recent streams fail
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code steer.health.recent-failures.enabled}.
		 * @param enabled whether a provider whose probe is UP is reported DOWN with
		 * reason 'recent-failures' when its recent streams fail
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Returns {@code steer.health.recent-failures.min-streams}.
		 * @return fewest recent streams of a provider before their failure rate can
		 * report it DOWN. At least 1
		 */
		public int getMinStreams() {
			return this.minStreams;
		}

		/**
		 * Sets {@code steer.health.recent-failures.min-streams}.
		 * @param minStreams fewest recent streams of a provider before their failure rate
		 * can report it DOWN. At least 1
		 */
		public void setMinStreams(int minStreams) {
			this.minStreams = minStreams;
		}

		/**
		 * Returns {@code steer.health.recent-failures.failure-rate}.
		 * @return share of a provider's recent streams, from 0 to 1, that failed, at or
		 * above which it is reported DOWN. Greater than 0, at most 1
		 */
		public double getFailureRate() {
			return this.failureRate;
		}

		/**
		 * Sets {@code steer.health.recent-failures.failure-rate}.
		 * @param failureRate share of a provider's recent streams, from 0 to 1, that
		 * failed, at or above which it is reported DOWN. Greater than 0, at most 1
		 */
		public void setFailureRate(double failureRate) {
			this.failureRate = failureRate;
		}

	}

}
