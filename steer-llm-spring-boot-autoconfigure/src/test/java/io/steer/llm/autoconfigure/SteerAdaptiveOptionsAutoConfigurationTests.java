package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.options.adaptive.AdaptiveStreamingOptions;
import io.steer.llm.options.adaptive.NetworkObservation;
import io.steer.llm.options.adaptive.NetworkQuality;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SteerAdaptiveOptionsAutoConfiguration}: the opt-in, the
 * {@code steerAdaptiveOptionsResolver} bean and its properties, the start-up failures
 * naming a key, the endpoint's {@code networkQuality} and the
 * {@code steer.network.quality} gauge.
 */
class SteerAdaptiveOptionsAutoConfigurationTests {

	private static final String BEAN = SteerAdaptiveOptionsAutoConfiguration.ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SteerAdaptiveOptionsAutoConfiguration.class, SteerLLMAutoConfiguration.class));

	private final ApplicationContextRunner enabled = this.contextRunner
		.withPropertyValues("steer.streaming.adaptive.enabled=true");

	private static AdaptiveStreamingOptions adaptive(org.springframework.context.ApplicationContext context) {
		return context.getBean(BEAN, AdaptiveStreamingOptions.class);
	}

	/** Three slow first chunks with the default hysteresis: poor. */
	private static void degrade(AdaptiveStreamingOptions adaptive, String provider) {
		for (int i = 0; i < 3; i++) {
			adaptive.estimator().record(NetworkObservation.completed(provider, 9_000));
		}
	}

	@Test
	void runWhenEnabledShouldGiveTheClientTheLevelUnderTheRulesByProvider() {
		this.enabled
			.withPropertyValues("steer.providers.openai.api-key=sk-test",
					"steer.streaming.providers.openai.read-timeout=45s")
			.run((context) -> {
				SteerLLMClient client = context.getBean(SteerLLMClient.class);
				ChatRequest request = ChatRequest.of("Hi", "gpt-4o-mini");
				StreamingOptions good = client.optionsFor(request);
				assertThat(good.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(good.maxReconnectAttempts()).isEqualTo(1);
				// the provider rule is applied over the adaptive level
				assertThat(good.readTimeout()).isEqualTo(Duration.ofSeconds(45));
				degrade(adaptive(context), "openai");
				StreamingOptions poor = client.optionsFor(request);
				assertThat(poor.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(poor.maxReconnectAttempts()).isEqualTo(5);
				assertThat(poor.readTimeout()).isEqualTo(Duration.ofSeconds(45));
				// a call's own options are not adapted
				assertThat(client.defaultOptions().connectionTimeout()).isNotEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void runByDefaultShouldNotDefineTheAdaptiveResolver() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(BEAN)
			.doesNotHaveBean(AdaptiveStreamingOptions.class)
			.doesNotHaveBean(SteerAdaptiveOptionsAutoConfiguration.NETWORK_QUALITY_METER_BINDER_BEAN_NAME));
	}

	@Test
	void runWhenDisabledShouldNotDefineTheAdaptiveResolver() {
		this.contextRunner.withPropertyValues("steer.streaming.adaptive.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BEAN));
	}

	@Test
	void runWhenEnabledShouldDefineTheAdaptiveResolverByNameWithTheSeedsLevels() {
		this.enabled.run((context) -> {
			assertThat(context).hasBean(BEAN).hasSingleBean(AdaptiveStreamingOptions.class);
			assertThat(context.getBean(BEAN, StreamingOptionsResolver.class))
				.isInstanceOf(AdaptiveStreamingOptions.class);
			AdaptiveStreamingOptions adaptive = adaptive(context);
			assertThat(adaptive.level(NetworkQuality.GOOD))
				.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(3), Duration.ofSeconds(20), 1));
			assertThat(adaptive.level(NetworkQuality.FAIR))
				.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(5), Duration.ofSeconds(30), 3));
			assertThat(adaptive.level(NetworkQuality.POOR))
				.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(10), Duration.ofSeconds(60), 5));
			// default hysteresis: 3 agreeing evaluations
			adaptive.estimator().record(NetworkObservation.completed("openai", 9_000));
			adaptive.estimator().record(NetworkObservation.completed("openai", 9_000));
			assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
			adaptive.estimator().record(NetworkObservation.completed("openai", 9_000));
			assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.POOR);
		});
	}

	@Test
	void runWithPropertiesShouldBindTheLevelsAndTheEstimator() {
		this.enabled.withPropertyValues("steer.streaming.adaptive.window=4", "steer.streaming.adaptive.hysteresis=1",
				"steer.streaming.adaptive.fair-first-chunk=100ms", "steer.streaming.adaptive.poor-first-chunk=200ms",
				"steer.streaming.adaptive.levels.poor.connection-timeout=20s",
				"steer.streaming.adaptive.levels.poor.read-timeout=2m",
				"steer.streaming.adaptive.levels.poor.max-reconnect-attempts=8",
				"steer.streaming.adaptive.levels.good.read-timeout=15s")
			.run((context) -> {
				AdaptiveStreamingOptions adaptive = adaptive(context);
				assertThat(adaptive.level(NetworkQuality.POOR))
					.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(20), Duration.ofMinutes(2), 8));
				assertThat(adaptive.level(NetworkQuality.GOOD))
					.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(3), Duration.ofSeconds(15), 1));
				assertThat(adaptive.level(NetworkQuality.FAIR))
					.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(5), Duration.ofSeconds(30), 3));
				adaptive.estimator().record(NetworkObservation.completed("xai", 150));
				assertThat(adaptive.quality("xai")).isEqualTo(NetworkQuality.FAIR);
				adaptive.estimator().record(NetworkObservation.completed("xai", 250));
				adaptive.estimator().record(NetworkObservation.completed("xai", 250));
				assertThat(adaptive.quality("xai")).isEqualTo(NetworkQuality.POOR);
			});
	}

	@Test
	void runWhenAValueIsInvalidShouldFailNamingTheKey() {
		Map<String, String> invalid = Map.of("steer.streaming.adaptive.window=0", "steer.streaming.adaptive.window",
				"steer.streaming.adaptive.hysteresis=0", "steer.streaming.adaptive.hysteresis",
				"steer.streaming.adaptive.poor-failure-rate=1.5", "steer.streaming.adaptive.poor-failure-rate",
				"steer.streaming.adaptive.fair-failure-rate=0.5", "steer.streaming.adaptive.fair-failure-rate",
				"steer.streaming.adaptive.fair-first-chunk=10s", "steer.streaming.adaptive.fair-first-chunk",
				"steer.streaming.adaptive.poor-first-chunk=0s", "steer.streaming.adaptive.poor-first-chunk",
				"steer.streaming.adaptive.levels.fair.read-timeout=0s",
				"steer.streaming.adaptive.levels.fair.read-timeout",
				"steer.streaming.adaptive.levels.poor.max-reconnect-attempts=-1",
				"steer.streaming.adaptive.levels.poor.max-reconnect-attempts");
		invalid.forEach((property, key) -> this.enabled.withPropertyValues(property)
			.run((context) -> assertThat(context).as(property)
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo(key))));
	}

	@Test
	void runWhenTheApplicationDefinesTheBeanShouldBackOff() {
		this.enabled.withUserConfiguration(OwnResolverConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AdaptiveStreamingOptions.class)
				.hasBean(BEAN));
	}

	@Test
	void runWithTheEndpointShouldShowTheNetworkQualityPerProvider() {
		this.enabled
			.withConfiguration(
					AutoConfigurations.of(SteerEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=steer")
			.run((context) -> {
				AdaptiveStreamingOptions adaptive = adaptive(context);
				SteerEndpoint endpoint = context.getBean(SteerEndpoint.class);
				assertThat(endpoint.steer().networkQuality()).isEmpty();
				degrade(adaptive, "openai");
				adaptive.estimator().record(NetworkObservation.completed("anthropic", 100));
				assertThat(endpoint.steer().networkQuality()).containsExactly(Map.entry("anthropic", "good"),
						Map.entry("openai", "poor"));
				JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
				JsonNode json = mapper.readTree(mapper.writeValueAsString(endpoint.steer()));
				assertThat(json.path("networkQuality").path("openai").asString()).isEqualTo("poor");
				assertThat(json.path("networkQuality").path("anthropic").asString()).isEqualTo("good");
			});
	}

	@Test
	void runWithTheEndpointWhenDisabledShouldLeaveTheNetworkQualityOut() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(SteerEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=steer")
			.run((context) -> {
				SteerEndpoint endpoint = context.getBean(SteerEndpoint.class);
				assertThat(endpoint.steer().networkQuality()).isNull();
				JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
				assertThat(mapper.readTree(mapper.writeValueAsString(endpoint.steer())).has("networkQuality"))
					.isFalse();
			});
	}

	@Test
	void runWithAMeterRegistryShouldRegisterTheNetworkQualityGaugePerProvider() {
		this.enabled
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				AdaptiveStreamingOptions adaptive = adaptive(context);
				for (String provider : new String[] { "openai", "xai", "anthropic" }) {
					assertThat(registry.get("steer.network.quality").tag("provider", provider).gauge().value())
						.as(provider)
						.isEqualTo(0.0);
				}
				degrade(adaptive, "xai");
				assertThat(registry.get("steer.network.quality").tag("provider", "xai").gauge().value()).isEqualTo(2.0);
				for (int i = 0; i < 3; i++) {
					adaptive.estimator().record(NetworkObservation.completed("anthropic", 3_000));
				}
				assertThat(registry.get("steer.network.quality").tag("provider", "anthropic").gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.get("steer.network.quality").tag("provider", "openai").gauge().value())
					.isEqualTo(0.0);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnResolverConfiguration {

		@Bean(BEAN)
		StreamingOptionsResolver steerAdaptiveOptionsResolver() {
			return StreamingOptionsResolver.identity();
		}

	}

}
