package io.steer.llm.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.autoconfigure.ProviderHealthIndicator.RecentFailuresRule;
import io.steer.llm.autoconfigure.ProviderHealthIndicator.Target;
import io.steer.llm.observation.StreamStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the health of the LLM providers: a composite reactive health
 * contributor named {@code steer} (bean {@code steerHealthContributor}) with one
 * indicator each for {@code openai}, {@code xai} and {@code anthropic}, configured from
 * {@code steer.providers.*} and {@code steer.health.*}.
 * <p>
 * Each indicator checks its provider with a {@code GET} of the default model that spends
 * no tokens, with a timeout and a cached result; a provider without an API key is
 * reported {@code UNKNOWN}, never {@code DOWN}. Each indicator adds the passive signals
 * of the {@link StreamStatistics} bean (when there is exactly one) and reports a provider
 * whose probe is {@code UP} {@code DOWN} with reason {@code recent-failures} when its
 * recent streams fail ({@code steer.health.recent-failures.*}). The checks use Boot's
 * {@link WebClient.Builder} when there is one (so every {@code WebClientCustomizer}
 * applies), else a plain {@link WebClient}.
 * <p>
 * Active when Boot's health module ({@code spring-boot-health}) is on the classpath,
 * unless {@code management.health.steer.enabled=false} (or
 * {@code management.health.defaults.enabled=false}). Backs off when the application
 * defines a bean named {@code steerHealthContributor} or {@code steerHealthIndicator}.
 */
@AutoConfiguration(after = SteerLLMAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass({ SteerLLMClient.class, WebClient.class, ReactiveHealthIndicator.class })
@ConditionalOnEnabledHealthIndicator("steer")
@EnableConfigurationProperties({ SteerProvidersProperties.class, SteerHealthProperties.class })
public final class SteerHealthAutoConfiguration {

	/**
	 * Name of the composite health contributor bean; Boot names the contributor
	 * {@code steer} after it.
	 */
	public static final String HEALTH_CONTRIBUTOR_BEAN_NAME = "steerHealthContributor";

	@Bean(HEALTH_CONTRIBUTOR_BEAN_NAME)
	@ConditionalOnMissingBean(name = { HEALTH_CONTRIBUTOR_BEAN_NAME, "steerHealthIndicator" })
	ReactiveHealthContributor steerHealthContributor(SteerProvidersProperties providers, SteerHealthProperties health,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<StreamStatistics> statistics) {
		Duration timeout = health.getTimeout();
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("steer.health.timeout", timeout, "Must be positive.");
		}
		Duration cacheTtl = health.getCacheTtl();
		if (cacheTtl == null || cacheTtl.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("steer.health.cache-ttl", cacheTtl,
					"Must not be negative.");
		}
		RecentFailuresRule recentFailures = recentFailures(health.getRecentFailures());
		StreamStatistics streamStatistics = statistics.getIfUnique();
		WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder).clone().build();
		Clock clock = Clock.systemUTC();
		Map<String, ReactiveHealthContributor> indicators = new LinkedHashMap<>();
		for (Target target : new Target[] { Target.openAiCompatible("openai", providers.getOpenai()),
				Target.openAiCompatible("xai", providers.getXai()), Target.anthropic(providers.getAnthropic()) }) {
			indicators.put(target.provider(), new ProviderHealthIndicator(target, webClient, timeout, cacheTtl, clock,
					streamStatistics, recentFailures));
		}
		return CompositeReactiveHealthContributor.fromMap(indicators);
	}

	private static @Nullable RecentFailuresRule recentFailures(SteerHealthProperties.RecentFailures properties) {
		if (properties.getMinStreams() < 1) {
			throw new InvalidConfigurationPropertyValueException("steer.health.recent-failures.min-streams",
					properties.getMinStreams(), "Must be at least 1.");
		}
		double rate = properties.getFailureRate();
		if (!(rate > 0 && rate <= 1)) {
			throw new InvalidConfigurationPropertyValueException("steer.health.recent-failures.failure-rate", rate,
					"Must be greater than 0 and at most 1.");
		}
		return properties.isEnabled() ? new RecentFailuresRule(properties.getMinStreams(), rate) : null;
	}

}
