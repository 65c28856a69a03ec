package io.steer.llm.autoconfigure;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.observation.DefaultStreamObservationConvention;
import io.steer.llm.observation.StreamObservationContext;
import io.steer.llm.observation.StreamObservationConvention;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link SteerObservationAutoConfiguration}: which registries, convention and
 * settings reach the auto-configured client, checked by streaming from the loopback
 * server and reading what the registries recorded.
 */
class SteerObservationAutoConfigurationTests {

	private static final String API_KEY = "sk-proj-observationTestKey0123456789abcdef";

	private static final String PROMPT = "Summarize the merger memo for the board";

	private static final String DURATION = "gen_ai.client.operation.duration";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SteerObservationAutoConfiguration.class, SteerLLMAutoConfiguration.class));

	private LoopbackProviderServer server;

	@BeforeEach
	void startServer() {
		this.server = LoopbackProviderServer.start();
		this.server.setDefaultResponse(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("steer.providers.openai.base-url=" + this.server.baseUrl(),
				"steer.providers.openai.api-key=" + API_KEY);
	}

	private static void streamOnce(AssertableApplicationContext context, String model) {
		context.getBean(SteerLLMClient.class).stream(PROMPT, model).blockLast(Duration.ofSeconds(10));
	}

	private static List<Meter> genAiMeters(MeterRegistry registry) {
		return registry.getMeters().stream().filter((meter) -> meter.getId().getName().startsWith("gen_ai.")).toList();
	}

	@Test
	void runWhenObservationRegistryBeanShouldObserveEachStream() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasBean(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME);
			streamOnce(context, "gpt-4o-mini");
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.hasSingleObservationThat()
				.hasNameEqualTo(DefaultStreamObservationConvention.NAME)
				.hasContextualNameEqualTo("chat gpt-4o-mini")
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("gen_ai.provider.name", "openai")
				.hasLowCardinalityKeyValue("outcome", "success");
		});
	}

	@Test
	void runWhenMeterRegistryBeanShouldRecordTheGenAiMetersOfEachStream() {
		runner().withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasBean(SteerObservationAutoConfiguration.METRICS_CUSTOMIZER_BEAN_NAME);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			streamOnce(context, "gpt-4o-mini");
			streamOnce(context, "gpt-4o-mini");
			assertThat(meters.get(DURATION).tag("gen_ai.request.model", "gpt-4o-mini").timer().count()).isEqualTo(2);
			assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().count())
				.isEqualTo(2);
			assertThat(meters.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(2);
			assertThat(genAiMeters(meters))
				.allSatisfy((meter) -> assertThat(meter.getId().getTags()).extracting(Tag::getValue)
					.noneMatch((value) -> value.contains(API_KEY) || value.contains(PROMPT)));
		});
	}

	@Test
	void runWhenBothRegistriesShouldObserveAndRecordMeters() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasBeenStopped();
				assertThat(context.getBean(MeterRegistry.class).get(DURATION).timer().count()).isEqualTo(1);
			});
	}

	@Test
	void runWithBootsObservationAndMetricsAutoConfigurationShouldRecordTheStreams() {
		runner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationRegistry.class).hasSingleBean(MeterRegistry.class);
				streamOnce(context, "gpt-4o-mini");
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(DURATION).tag("gen_ai.provider.name", "openai").timer().count()).isEqualTo(1);
				// Boot's DefaultMeterObservationHandler: a timer named after the
				// observation
				assertThat(
						meters.get(DefaultStreamObservationConvention.NAME).tag("outcome", "success").timer().count())
					.isEqualTo(1);
			});
	}

	@Test
	void runWithThePrometheusRegistryShouldExportTokenUsageWithoutTheCurlyBracedUnit() {
		runner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					PrometheusMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasBean(SteerObservationAutoConfiguration.PROMETHEUS_CUSTOMIZER_BEAN_NAME);
				streamOnce(context, "gpt-4o-mini");
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(scrape)
					.contains("gen_ai_client_token_usage_bucket{", "gen_ai_client_token_usage_count{",
							"gen_ai_client_operation_duration_seconds_bucket{")
					.doesNotContain("gen_ai_client_token_usage__token_");
			});
	}

	@Test
	void runWithAnotherRegistryShouldKeepTheTokenUnit() {
		runner().withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(PrometheusMeterRegistry.class);
			streamOnce(context, "gpt-4o-mini");
			assertThat(context.getBean(MeterRegistry.class)
				.get("gen_ai.client.token.usage")
				.summary()
				.getId()
				.getBaseUnit()).isEqualTo("{token}");
		});
	}

	@Test
	void runWhenMetricsDisabledShouldNotCustomizeThePrometheusRegistry() {
		runner().withPropertyValues("steer.observations.metrics.enabled=false")
			.run((context) -> assertThat(context)
				.doesNotHaveBean(SteerObservationAutoConfiguration.PROMETHEUS_CUSTOMIZER_BEAN_NAME));
	}

	@Test
	void runWhenObservationsDisabledShouldGiveTheClientNoRegistry() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.withPropertyValues("steer.observations.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME)
					.doesNotHaveBean(SteerObservationAutoConfiguration.METRICS_CUSTOMIZER_BEAN_NAME)
					.doesNotHaveBean(SteerObservationProperties.class);
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.doesNotHaveAnyObservation();
				assertThat(genAiMeters(context.getBean(MeterRegistry.class))).isEmpty();
			});
	}

	@Test
	void runWhenMetricsDisabledShouldObserveButRecordNoMeters() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.withPropertyValues("steer.observations.metrics.enabled=false")
			.run((context) -> {
				assertThat(context).hasBean(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME)
					.doesNotHaveBean(SteerObservationAutoConfiguration.METRICS_CUSTOMIZER_BEAN_NAME);
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasBeenStopped();
				assertThat(genAiMeters(context.getBean(MeterRegistry.class))).isEmpty();
			});
	}

	@Test
	void runWhenNoRegistryBeanShouldStreamUnobserved() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationRegistry.class)
				.doesNotHaveBean(MeterRegistry.class)
				.hasBean(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME);
			streamOnce(context, "gpt-4o-mini");
			assertThat(this.server.requestCount()).isEqualTo(1);
		});
	}

	@Test
	void runWhenOnlyAMeterRegistryShouldRecordMetersWithoutAnObservationRegistry() {
		runner().withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationRegistry.class);
			streamOnce(context, "gpt-4o-mini");
			assertThat(context.getBean(MeterRegistry.class).get(DURATION).timer().count()).isEqualTo(1);
		});
	}

	@Test
	void runWhenMicrometerCoreIsNotOnTheClassPathShouldObserveWithoutMeters() {
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME)
					.doesNotHaveBean(SteerObservationAutoConfiguration.METRICS_CUSTOMIZER_BEAN_NAME);
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasBeenStopped();
				assertThat(genAiMeters(context.getBean(SimpleMeterRegistry.class))).isEmpty();
			});
	}

	@Test
	void runWhenMicrometerObservationIsNotOnTheClassPathShouldBackOff() {
		runner().withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SteerLLMClient.class)
				.doesNotHaveBean(SteerObservationAutoConfiguration.class)
				.doesNotHaveBean(SteerObservationProperties.class);
		});
	}

	@Test
	void runWhenConventionBeanShouldNameAndTagTheStreamsWithIt() {
		runner()
			.withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class,
					ConventionConfiguration.class)
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasNameEqualTo(TeamConvention.NAME)
					.hasLowCardinalityKeyValue("team", "search");
				assertThat(context.getBean(MeterRegistry.class).get(DURATION).tag("team", "search").timer().count())
					.isEqualTo(1);
			});
	}

	@Test
	void runWhenTwoConventionBeansShouldKeepTheDefaultConvention() {
		runner()
			.withUserConfiguration(ObservationRegistryConfiguration.class, ConventionConfiguration.class,
					SecondConventionConfiguration.class)
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasNameEqualTo(DefaultStreamObservationConvention.NAME)
					.doesNotHaveLowCardinalityKeyValueWithKey("team");
			});
	}

	@Test
	void runWhenTrackMetricsIsOffShouldNotObserveTheStreams() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.withPropertyValues("steer.streaming.track-metrics=false")
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.doesNotHaveAnyObservation();
				assertThat(genAiMeters(context.getBean(MeterRegistry.class))).isEmpty();
			});
	}

	@Test
	void runWhenUserCustomizerHasNoOrderShouldApplyItAfterOurs() {
		runner()
			.withUserConfiguration(ObservationRegistryConfiguration.class, NoopObservationCustomizerConfiguration.class)
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.doesNotHaveAnyObservation();
			});
	}

	@Test
	void customizerShouldGiveTheBuilderTheDefaultContentAndModelTagSettings() {
		runner().run((context) -> assertThat(calls(context)).containsEntry("maxModelTags", List.of(100))
			.containsEntry("recordContent", List.of(false))
			.doesNotContainKeys("observationRegistry", "observationConvention", "meterRegistry"));
	}

	@Test
	void customizerShouldGiveTheBuilderIncludeContentAndMaxModelTags() {
		runner().withPropertyValues("steer.observations.include-content=true", "steer.observations.max-model-tags=7")
			.withUserConfiguration(ObservationRegistryConfiguration.class)
			.run((context) -> {
				Map<String, List<Object>> calls = calls(context);
				assertThat(calls).containsEntry("maxModelTags", List.of(7))
					.containsEntry("recordContent", List.of(true));
				assertThat(calls.get("observationRegistry")).singleElement()
					.isSameAs(context.getBean(TestObservationRegistry.class));
			});
	}

	@Test
	void runWhenIncludeContentShouldRecordThePromptOnTheObservationButNotOnMeters() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class, MeterRegistryConfiguration.class)
			.withPropertyValues("steer.observations.include-content=true")
			.run((context) -> {
				streamOnce(context, "gpt-4o-mini");
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasSingleObservationThat()
					.hasHighCardinalityKeyValueWithKey("gen_ai.input.messages")
					.hasHighCardinalityKeyValueWithKey("gen_ai.output.messages");
				assertThat(context.getBean(MeterRegistry.class).getMeters())
					.allSatisfy((meter) -> assertThat(meter.getId().getTags()).extracting(Tag::getValue)
						.noneMatch((value) -> value.contains(PROMPT)));
			});
	}

	@Test
	void runByDefaultShouldNotRecordContent() {
		runner().withUserConfiguration(ObservationRegistryConfiguration.class).run((context) -> {
			streamOnce(context, "gpt-4o-mini");
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.hasSingleObservationThat()
				.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.input.messages")
				.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.output.messages");
		});
	}

	@Test
	void runWhenMeterRegistryBeanShouldRecordTheSteerMeters() {
		runner().withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			streamOnce(context, "gpt-4o-mini");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("steer.streams").tag("outcome", "success").counter().count()).isEqualTo(1);
			assertThat(meters.get("steer.stream.cost").counter().getId().getBaseUnit()).isEqualTo("usd");
			assertThat(meters.get("steer.streams.active").tag("gen_ai.provider.name", "openai").gauge().value())
				.isZero();
		});
	}

	@Test
	void runWhenMaxModelTagsIsLessThanOneShouldFailNamingTheProperty() {
		runner().withPropertyValues("steer.observations.max-model-tags=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("steer.observations.max-model-tags");
		});
	}

	@Test
	void runWhenMaxModelTagsIsReachedShouldTagFurtherModelsOther() {
		runner().withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("steer.observations.max-model-tags=2")
			.run((context) -> {
				// request model gpt-4o-mini and response model gpt-4o-2024-08-06 fill the
				// two
				streamOnce(context, "gpt-4o-mini");
				streamOnce(context, "gpt-4.1");
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(DURATION).tag("gen_ai.request.model", "gpt-4o-mini").timer().count())
					.isEqualTo(1);
				assertThat(meters.get(DURATION).tag("gen_ai.request.model", "other").timer().count()).isEqualTo(1);
				assertThat(meters.find(DURATION).tag("gen_ai.request.model", "gpt-4.1").timer()).isNull();
			});
	}

	/**
	 * The calls the observation customizers make on a builder, by method name: applies
	 * them to a recording stand-in of the builder.
	 */
	private static Map<String, List<Object>> calls(AssertableApplicationContext context) {
		Map<String, List<Object>> calls = new LinkedHashMap<>();
		SteerLLMClient.Builder builder = (SteerLLMClient.Builder) Proxy.newProxyInstance(
				SteerObservationAutoConfigurationTests.class.getClassLoader(),
				new Class<?>[] { SteerLLMClient.Builder.class }, (proxy, method, args) -> {
					calls.computeIfAbsent(method.getName(), (name) -> new ArrayList<>())
						.add((args != null && args.length == 1) ? args[0] : List.of());
					return (method.getReturnType() == SteerLLMClient.Builder.class) ? proxy : null;
				});
		for (String name : List.of(SteerObservationAutoConfiguration.OBSERVATION_CUSTOMIZER_BEAN_NAME,
				SteerObservationAutoConfiguration.METRICS_CUSTOMIZER_BEAN_NAME)) {
			if (context.containsBean(name)) {
				context.getBean(name, SteerLLMClientBuilderCustomizer.class).customize(builder);
			}
		}
		return calls;
	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationRegistryConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConventionConfiguration {

		@Bean
		StreamObservationConvention teamConvention() {
			return new TeamConvention();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondConventionConfiguration {

		@Bean
		StreamObservationConvention secondConvention() {
			return new TeamConvention();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoopObservationCustomizerConfiguration {

		@Bean
		SteerLLMClientBuilderCustomizer noopObservations() {
			return (builder) -> builder.observationRegistry(ObservationRegistry.NOOP);
		}

	}

	/** The default convention under another name, with one more key. */
	static final class TeamConvention extends DefaultStreamObservationConvention {

		static final String NAME = "team.llm.stream";

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(StreamObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "search");
		}

	}

}
