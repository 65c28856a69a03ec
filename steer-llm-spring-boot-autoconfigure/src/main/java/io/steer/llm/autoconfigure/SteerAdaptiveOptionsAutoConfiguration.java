package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.options.adaptive.AdaptiveStreamingOptions;
import io.steer.llm.options.adaptive.NetworkQuality;
import io.steer.llm.options.adaptive.NetworkQualityEstimator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of options that adapt to the network, opt-in with
 * {@code steer.streaming.adaptive.enabled=true}:
 * <ul>
 * <li>{@value #ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME}, an {@link AdaptiveStreamingOptions}
 * (a {@link StreamingOptionsResolver}) with a {@link NetworkQualityEstimator} built from
 * {@code steer.streaming.adaptive.*} and the options of each level from
 * {@code steer.streaming.adaptive.levels.<good|fair|poor>.*}; the client's resolver
 * applies it first, before the rules by provider and model and the application's resolver
 * beans. Backs off when the application defines a bean of that name.</li>
 * <li>{@value #NETWORK_QUALITY_METER_BINDER_BEAN_NAME}, a {@link MeterBinder} of the
 * gauge {@value #NETWORK_QUALITY_METER} tagged {@code provider} (0 good, 1 fair, 2 poor),
 * for {@code openai}, {@code xai}, {@code anthropic} and any provider that already had a
 * stream when the registry is bound; when Micrometer is on the class path (Boot binds it
 * to every {@link MeterRegistry}) and the resolver bean is an
 * {@link AdaptiveStreamingOptions}.</li>
 * </ul>
 * An invalid value (a window or hysteresis below 1, a rate outside 0 to 1, a fair
 * threshold above its poor one, a timeout that is not positive, negative reconnects)
 * fails start-up naming its key. The {@code steer} actuator endpoint shows the current
 * quality per provider as {@code networkQuality}.
 */
@AutoConfiguration(before = SteerLLMAutoConfiguration.class)
@ConditionalOnClass(SteerLLMClient.class)
@ConditionalOnBooleanProperty(name = SteerAdaptiveProperties.PREFIX + ".enabled")
@EnableConfigurationProperties(SteerAdaptiveProperties.class)
public final class SteerAdaptiveOptionsAutoConfiguration {

	/** The bean name of the adaptive resolver, as the client's resolver looks it up. */
	public static final String ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME = "steerAdaptiveOptionsResolver";

	/** The bean name of the gauge's binder. */
	public static final String NETWORK_QUALITY_METER_BINDER_BEAN_NAME = "steerNetworkQualityMeterBinder";

	/**
	 * The name of the gauge of each provider's network quality (0 good, 1 fair, 2 poor).
	 */
	public static final String NETWORK_QUALITY_METER = "steer.network.quality";

	private static final Set<String> BUILT_IN_PROVIDERS = Set.of("openai", "xai", "anthropic");

	@Bean(ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME)
	@ConditionalOnMissingBean(name = ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME)
	AdaptiveStreamingOptions steerAdaptiveOptionsResolver(SteerAdaptiveProperties properties) {
		return new AdaptiveStreamingOptions(estimator(properties), levels(properties), System::nanoTime);
	}

	private static NetworkQualityEstimator estimator(SteerAdaptiveProperties properties) {
		requireAtLeastOne("window", properties.getWindow());
		requireAtLeastOne("hysteresis", properties.getHysteresis());
		requireRate("fair-failure-rate", properties.getFairFailureRate());
		requireRate("poor-failure-rate", properties.getPoorFailureRate());
		if (properties.getFairFailureRate() > properties.getPoorFailureRate()) {
			throw invalid("fair-failure-rate", properties.getFairFailureRate(),
					"must be at most poor-failure-rate (" + properties.getPoorFailureRate() + ")");
		}
		requirePositive("fair-first-chunk", properties.getFairFirstChunk());
		requirePositive("poor-first-chunk", properties.getPoorFirstChunk());
		if (properties.getFairFirstChunk().compareTo(properties.getPoorFirstChunk()) > 0) {
			throw invalid("fair-first-chunk", properties.getFairFirstChunk(),
					"must be at most poor-first-chunk (" + properties.getPoorFirstChunk() + ")");
		}
		return NetworkQualityEstimator.builder()
			.window(properties.getWindow())
			.hysteresis(properties.getHysteresis())
			.fairFailureRate(properties.getFairFailureRate())
			.poorFailureRate(properties.getPoorFailureRate())
			.fairFirstChunk(properties.getFairFirstChunk())
			.poorFirstChunk(properties.getPoorFirstChunk())
			.build();
	}

	private static Map<NetworkQuality, AdaptiveStreamingOptions.Level> levels(SteerAdaptiveProperties properties) {
		Map<NetworkQuality, AdaptiveStreamingOptions.Level> levels = new EnumMap<>(NetworkQuality.class);
		for (NetworkQuality quality : NetworkQuality.values()) {
			SteerAdaptiveProperties.Level level = properties.getLevels().get(quality);
			String key = "levels." + quality.value() + ".";
			requirePositive(key + "connection-timeout", level.getConnectionTimeout());
			requirePositive(key + "read-timeout", level.getReadTimeout());
			if (level.getMaxReconnectAttempts() < 0) {
				throw invalid(key + "max-reconnect-attempts", level.getMaxReconnectAttempts(), "must not be negative");
			}
			levels.put(quality, new AdaptiveStreamingOptions.Level(level.getConnectionTimeout(), level.getReadTimeout(),
					level.getMaxReconnectAttempts()));
		}
		return levels;
	}

	private static void requireAtLeastOne(String key, int value) {
		if (value < 1) {
			throw invalid(key, value, "must be at least 1");
		}
	}

	private static void requireRate(String key, double value) {
		if (!(value >= 0 && value <= 1)) {
			throw invalid(key, value, "must be between 0 and 1");
		}
	}

	private static void requirePositive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(key, value, "must be positive");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String key, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(SteerAdaptiveProperties.PREFIX + "." + key, value,
				reason);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean(NETWORK_QUALITY_METER_BINDER_BEAN_NAME)
		@ConditionalOnMissingBean(name = NETWORK_QUALITY_METER_BINDER_BEAN_NAME)
		MeterBinder steerNetworkQualityMeterBinder(ObjectProvider<AdaptiveStreamingOptions> adaptiveOptions) {
			return (registry) -> {
				AdaptiveStreamingOptions adaptiveOptionsResolver = adaptiveOptions.getIfUnique();
				if (adaptiveOptionsResolver == null) {
					return;
				}
				Set<String> providers = new TreeSet<>(BUILT_IN_PROVIDERS);
				providers.addAll(adaptiveOptionsResolver.qualities().keySet());
				for (String provider : providers) {
					Gauge
						.builder(NETWORK_QUALITY_METER, adaptiveOptionsResolver,
								(adaptive) -> adaptive.quality(provider).ordinal())
						.tag("provider", provider)
						.description("Network quality of the provider as the adaptive options estimate it: "
								+ "0 good, 1 fair, 2 poor")
						.register(registry);
				}
			};
		}

	}

}
