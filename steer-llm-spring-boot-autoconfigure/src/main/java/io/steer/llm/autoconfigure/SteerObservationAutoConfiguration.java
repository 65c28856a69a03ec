package io.steer.llm.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.observation.DefaultStreamObservationConvention;
import io.steer.llm.observation.StreamObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the observations and meters of the auto-configured
 * {@link SteerLLMClient}'s streams, from {@code steer.observations.*}. It contributes two
 * {@link SteerLLMClientBuilderCustomizer} beans and a customizer of the Prometheus
 * registry, each unless the application defines a bean of the same name:
 * <ul>
 * <li>{@code steerObservationClientBuilderCustomizer}: gives the builder the unique (or
 * primary) {@link ObservationRegistry} bean, when there is one (one observation per
 * stream, named {@value DefaultStreamObservationConvention#NAME}); the unique
 * {@link StreamObservationConvention} bean, when there is one, instead of the default
 * convention; {@code steer.observations.max-model-tags} and
 * {@code steer.observations.include-content};</li>
 * <li>{@code steerMetricsClientBuilderCustomizer}, when {@code micrometer-core} is on the
 * class path and {@code steer.observations.metrics.enabled} is not {@code false}: gives
 * the builder the unique (or primary) {@link MeterRegistry} bean, when there is one (the
 * {@code gen_ai.client.*} and {@code steer.*} meters);</li>
 * <li>{@code steerPrometheusMeterRegistryCustomizer}, a {@link MeterRegistryCustomizer}
 * of the {@link PrometheusMeterRegistry}, when the Prometheus registry is on the class
 * path and the meters are on: drops the curly-braced OpenTelemetry unit {@code {token}}
 * from the Prometheus names of the {@code gen_ai.*} meters, as OpenTelemetry's Prometheus
 * compatibility rules do ({@code gen_ai_client_token_usage_bucket}, not
 * {@code gen_ai_client_token_usage__token__bucket}); other registries keep the unit.</li>
 * </ul>
 * The client builder customizers are ordered {@value #CUSTOMIZER_ORDER}, before
 * customizers without an order, so that an application's customizer can still replace
 * what they set.
 * <p>
 * Active when {@code micrometer-observation} is on the class path, unless
 * {@code steer.observations.enabled=false}: then the client is given no registry and its
 * streams are not observed.
 */
@AutoConfiguration(before = SteerLLMAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ SteerLLMClient.class, ObservationRegistry.class })
@ConditionalOnBooleanProperty(name = "steer.observations.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SteerObservationProperties.class)
public final class SteerObservationAutoConfiguration {

	/**
	 * Order of the customizers defined here: before customizers without an order
	 * ({@link org.springframework.core.Ordered#LOWEST_PRECEDENCE}).
	 */
	public static final int CUSTOMIZER_ORDER = 0;

	/** Name of the customizer that gives the builder the observation settings. */
	public static final String OBSERVATION_CUSTOMIZER_BEAN_NAME = "steerObservationClientBuilderCustomizer";

	/** Name of the customizer that gives the builder the meter registry. */
	public static final String METRICS_CUSTOMIZER_BEAN_NAME = "steerMetricsClientBuilderCustomizer";

	/**
	 * Name of the customizer of Boot's Prometheus registry that exports
	 * {@code gen_ai.client.token.usage} as {@code gen_ai_client_token_usage}.
	 */
	public static final String PROMETHEUS_CUSTOMIZER_BEAN_NAME = "steerPrometheusMeterRegistryCustomizer";

	@Bean(OBSERVATION_CUSTOMIZER_BEAN_NAME)
	@Order(CUSTOMIZER_ORDER)
	@ConditionalOnMissingBean(name = OBSERVATION_CUSTOMIZER_BEAN_NAME)
	SteerLLMClientBuilderCustomizer steerObservationClientBuilderCustomizer(SteerObservationProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamObservationConvention> convention) {
		int maxModelTags = properties.getMaxModelTags();
		if (maxModelTags < 1) {
			throw new InvalidConfigurationPropertyValueException("steer.observations.max-model-tags", maxModelTags,
					"Must be at least 1.");
		}
		boolean includeContent = properties.isIncludeContent();
		return (builder) -> {
			observationRegistry.ifUnique(builder::observationRegistry);
			convention.ifUnique(builder::observationConvention);
			builder.maxModelTags(maxModelTags).recordContent(includeContent);
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "steer.observations.metrics.enabled", matchIfMissing = true)
	static class MetricsConfiguration {

		@Bean(METRICS_CUSTOMIZER_BEAN_NAME)
		@Order(CUSTOMIZER_ORDER)
		@ConditionalOnMissingBean(name = METRICS_CUSTOMIZER_BEAN_NAME)
		SteerLLMClientBuilderCustomizer steerMetricsClientBuilderCustomizer(
				ObjectProvider<MeterRegistry> meterRegistry) {
			return (builder) -> meterRegistry.ifUnique(builder::meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ PrometheusMeterRegistry.class, MeterRegistryCustomizer.class })
	@ConditionalOnBooleanProperty(name = "steer.observations.metrics.enabled", matchIfMissing = true)
	static class PrometheusConfiguration {

		@Bean(PROMETHEUS_CUSTOMIZER_BEAN_NAME)
		@ConditionalOnMissingBean(name = PROMETHEUS_CUSTOMIZER_BEAN_NAME)
		MeterRegistryCustomizer<PrometheusMeterRegistry> steerPrometheusMeterRegistryCustomizer() {
			return (registry) -> registry.config().meterFilter(new AnnotationUnitMeterFilter());
		}

	}

}
