package io.steer.llm.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the provider health indicators, bound from {@code steer.health.*}.
 * <p>
 * Each provider's indicator checks it with a {@code GET} of its default model (or its
 * model list when it has no default model), which spends no tokens, and keeps the result
 * for {@link #getCacheTtl() cache-ttl} so that a storm of health probes reaches the
 * provider at most once per period.
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

}
