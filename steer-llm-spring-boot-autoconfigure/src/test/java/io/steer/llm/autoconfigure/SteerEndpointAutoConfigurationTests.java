package io.steer.llm.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.autoconfigure.SteerEndpoint.CancelledStream;
import io.steer.llm.autoconfigure.SteerEndpoint.LiveStreamDescriptor;
import io.steer.llm.autoconfigure.SteerEndpoint.ProviderDescriptor;
import io.steer.llm.autoconfigure.SteerEndpoint.SteerDescriptor;
import io.steer.llm.autoconfigure.SteerEndpoint.StreamDescriptor;
import io.steer.llm.autoconfigure.SteerLLMAutoConfigurationRetryTests.MutableClock;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.observation.EndedStream;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.StreamOutcome;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SteerEndpointAutoConfiguration} and its {@link SteerEndpoint}, with
 * live streams and statistics filled by the test (the client does not register its
 * streams yet).
 */
class SteerEndpointAutoConfigurationTests {

	private static final String OPENAI_KEY = "sk-proj-endpoint0123456789abcdefABCDEF";

	private static final String ANTHROPIC_KEY = "sk-ant-api03-endpoint0123456789abcdef";

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class, SteerEndpointAutoConfiguration.class,
				JacksonEndpointAutoConfiguration.class));

	private final ApplicationContextRunner exposed = this.contextRunner
		.withPropertyValues("management.endpoints.web.exposure.include=steer");

	@Test
	void runWhenExposedOverHttpShouldDefineEndpoint() {
		this.exposed.run((context) -> assertThat(context).hasSingleBean(SteerEndpoint.class));
	}

	@Test
	void runWhenExposedOverHttpShouldDefineTheWebExtension() {
		this.exposed.run((context) -> assertThat(context).hasSingleBean(SteerEndpointWebExtension.class));
	}

	@Test
	void runWhenExposedOverJmxOnlyShouldDefineEndpointWithoutTheWebExtension() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=steer")
			.run((context) -> assertThat(context).hasSingleBean(SteerEndpoint.class)
				.doesNotHaveBean(SteerEndpointWebExtension.class));
	}

	@Test
	void runWhenNotExposedShouldNotDefineEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SteerEndpoint.class));
	}

	@Test
	void runWhenExposedButAccessNoneShouldNotDefineEndpoint() {
		this.exposed.withPropertyValues("management.endpoint.steer.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(SteerEndpoint.class));
	}

	@Test
	void runWhenActuatorAbsentShouldNotDefineEndpoint() {
		this.exposed.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SteerEndpoint.class));
	}

	@Test
	void runWhenUserDefinesEndpointShouldKeepIt() {
		this.exposed.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(SteerEndpoint.class)
				.isSameAs(context.getBean("userSteerEndpoint")));
	}

	@Test
	void readWhenProvidersConfiguredShouldShowHostApiModelAndWhetherAKeyIsSet() {
		withOperatorBeans()
			.withPropertyValues("steer.providers.openai.api-key=" + OPENAI_KEY,
					"steer.providers.openai.default-model=gpt-4o-mini", "steer.providers.xai.api=responses",
					"steer.providers.anthropic.base-url=https://gateway.example.com:8443/anthropic")
			.run((context) -> assertThat(endpoint(context).steer().providers()).containsExactly(
					new ProviderDescriptor("openai", "api.openai.com", "chat-completions", "gpt-4o-mini", true),
					new ProviderDescriptor("xai", "api.x.ai", "responses", null, false),
					new ProviderDescriptor("anthropic", "gateway.example.com", "messages", null, false)));
	}

	@Test
	void readShouldShowEffectiveOptionsOfTheDefaultsThenEveryPresetByBeanName() {
		withOperatorBeans()
			.withPropertyValues("steer.streaming.read-timeout=45s",
					"steer.streaming.presets.reliable.max-reconnect-attempts=7",
					"steer.streaming.presets.reliable.reconnect-delay=1500ms")
			.run((context) -> {
				Map<String, Map<String, Object>> presets = endpoint(context).steer().presets();
				assertThat(presets.keySet()).containsExactly("steerStreamingOptions", "debugOptions",
						"highPerformanceOptions", "highThroughputOptions", "jsonModeOptions", "lowLatencyOptions",
						"reliableOptions");
				assertThat(presets.get("steerStreamingOptions")).containsEntry("read-timeout", "45s")
					.containsEntry("connection-timeout", "5s")
					.containsEntry("total-timeout", "5m")
					.containsEntry("reconnect-delay", "500ms")
					.containsEntry("max-reconnect-attempts", 3)
					.containsEntry("aggregator-type", "auto")
					.containsEntry("buffer-type", "none")
					.doesNotContainKeys("event-processor", "json-processor", "callbacks");
				assertThat(presets.get("reliableOptions")).containsEntry("read-timeout", "45s")
					.containsEntry("max-reconnect-attempts", 7)
					.containsEntry("reconnect-delay", "1500ms");
				assertThat(presets.get("jsonModeOptions")).containsEntry("enable-json-stream-handler", true);
			});
	}

	@Test
	void propertiesShouldNameEveryConfigurableOptionOnce() {
		Map<String, Object> properties = SteerEndpoint.properties(StreamingOptions.DEFAULTS);
		// every property of a preset, but the two bean names, which are unset by default
		String[] expected = Arrays.stream(StreamingOptionsProperties.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.map(Field::getName)
			.map(DataObjectPropertyName::toDashedForm)
			.filter((name) -> !name.endsWith("-processor"))
			.toArray(String[]::new);
		assertThat(properties).containsOnlyKeys(expected)
			.containsEntry("enable-usage-aggregation", true)
			.containsEntry("log-streaming-metrics", false)
			.containsEntry("rate-limit", 0.0);
	}

	@Test
	void durationShouldUseTheLargestUnitThatHoldsItExactly() {
		assertThat(SteerEndpoint.duration(Duration.ZERO)).isEqualTo("0s");
		assertThat(SteerEndpoint.duration(Duration.ofSeconds(30))).isEqualTo("30s");
		assertThat(SteerEndpoint.duration(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(SteerEndpoint.duration(Duration.ofMinutes(5))).isEqualTo("5m");
		assertThat(SteerEndpoint.duration(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(SteerEndpoint.duration(Duration.ofDays(1))).isEqualTo("1d");
		assertThat(SteerEndpoint.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(SteerEndpoint.duration(Duration.ofNanos(1_500))).isEqualTo("1500ns");
		assertThat(SteerEndpoint.duration(Duration.ofNanos(3_000))).isEqualTo("3us");
	}

	@Test
	void readShouldShowStatisticsAndLiveStreams() {
		withOperatorBeans().run((context) -> {
			OperatorBeans beans = context.getBean(OperatorBeans.class);
			beans.statistics.record(ended(StreamOutcome.SUCCESS, null, null, 120.0));
			beans.statistics.record(ended(StreamOutcome.ERROR, StreamErrorType.HTTP, 503, null));
			LiveStreams.Handle handle = beans.liveStreams.register("stream-1", "openai", "gpt-4o-mini", () -> {
			});
			handle.chunk();
			handle.chunk();
			beans.clock.advance(Duration.ofMillis(2500));
			SteerDescriptor descriptor = endpoint(context).steer();
			assertThat(descriptor.statistics()).singleElement().satisfies((statistics) -> {
				assertThat(statistics.provider()).isEqualTo("openai");
				assertThat(statistics.streams()).isEqualTo(2);
				assertThat(statistics.errors()).containsExactly(Map.entry("HTTP", 1));
			});
			assertThat(descriptor.liveStreams())
				.containsExactly(new LiveStreamDescriptor("stream-1", "openai", "gpt-4o-mini", START, 2500, 2));
		});
	}

	@Test
	void readWhenNothingRanShouldShowEmptyStatisticsAndLiveStreams() {
		this.exposed.run((context) -> {
			SteerDescriptor descriptor = endpoint(context).steer();
			assertThat(descriptor.statistics()).isEmpty();
			assertThat(descriptor.liveStreams()).isEmpty();
			assertThat(descriptor.providers()).hasSize(3);
		});
	}

	@Test
	void readOfOneStreamInFlightShouldShowItsSnapshotAndRetryState() {
		withOperatorBeans().run((context) -> {
			OperatorBeans beans = context.getBean(OperatorBeans.class);
			beans.liveStreams.register("stream-2", "openai", "gpt-4o-mini", () -> {
			}).chunk();
			RetryState state = beans.retryManager.begin("stream-2", "openai", "gpt-4o-mini");
			state.recordAttempt();
			state.recordError("HTTP 503 from openai");
			state.recordAttempt();
			state.recordProgress("resp_123", 41, "evt-41", "Hello, world");
			beans.clock.advance(Duration.ofSeconds(3));
			StreamDescriptor stream = endpoint(context).stream("stream-2");
			assertThat(stream).isNotNull();
			assertThat(stream.live()).isTrue();
			assertThat(stream.stream())
				.isEqualTo(new LiveStreamDescriptor("stream-2", "openai", "gpt-4o-mini", START, 3000, 1));
			assertThat(stream.retry()).isNotNull().satisfies((retry) -> {
				assertThat(retry.attempts()).isEqualTo(2);
				assertThat(retry.lastSequenceNumber()).isEqualTo(41);
				assertThat(retry.lastEventId()).isEqualTo("evt-41");
				assertThat(retry.responseId()).isEqualTo("resp_123");
				assertThat(retry.partialTextLength()).isEqualTo(12);
				assertThat(retry.firstActivity()).isEqualTo(START);
				assertThat(retry.completed()).isFalse();
				assertThat(retry.lastError()).isEqualTo("HTTP 503 from openai");
			});
		});
	}

	@Test
	void readOfOneEndedStreamShouldShowItsRetryStateOnly() {
		withOperatorBeans().run((context) -> {
			OperatorBeans beans = context.getBean(OperatorBeans.class);
			beans.retryManager.begin("stream-3", "anthropic", "claude-sonnet-4-5").recordAttempt();
			beans.retryManager.complete("stream-3");
			StreamDescriptor stream = endpoint(context).stream("stream-3");
			assertThat(stream).isNotNull();
			assertThat(stream.live()).isFalse();
			assertThat(stream.stream()).isNull();
			assertThat(stream.retry()).isNotNull().satisfies((retry) -> {
				assertThat(retry.completed()).isTrue();
				assertThat(retry.attempts()).isOne();
				assertThat(retry.partialTextLength()).isZero();
			});
		});
	}

	@Test
	void readOfUnknownStreamShouldBeNull() {
		withOperatorBeans().run((context) -> assertThat(endpoint(context).stream("no-such-stream")).isNull());
	}

	@Test
	void deleteOfStreamInFlightShouldRunItsCancellerAndRemoveIt() {
		withOperatorBeans().run((context) -> {
			OperatorBeans beans = context.getBean(OperatorBeans.class);
			AtomicInteger cancelled = new AtomicInteger();
			beans.liveStreams.register("stream-4", "xai", "grok-4", cancelled::incrementAndGet);
			beans.liveStreams.register("stream-5", "xai", "grok-4", () -> {
			});
			SteerEndpoint endpoint = endpoint(context);
			assertThat(endpoint.cancel("stream-4")).isEqualTo(new CancelledStream("stream-4", true));
			assertThat(cancelled).hasValue(1);
			assertThat(beans.liveStreams.get("stream-4")).isEmpty();
			assertThat(endpoint.steer().liveStreams()).extracting(LiveStreamDescriptor::streamId)
				.containsExactly("stream-5");
			assertThat(endpoint.stream("stream-4")).isNull();
			assertThat(endpoint.cancel("stream-4")).isNull();
			assertThat(cancelled).hasValue(1);
		});
	}

	@Test
	void deleteOverHttpShouldAnswer200WithTheCancelledStreamOr404() {
		withOperatorBeans().run((context) -> {
			AtomicInteger cancelled = new AtomicInteger();
			context.getBean(OperatorBeans.class).liveStreams.register("stream-7", "openai", "gpt-4o",
					cancelled::incrementAndGet);
			SteerEndpointWebExtension extension = context.getBean(SteerEndpointWebExtension.class);
			WebEndpointResponse<CancelledStream> response = extension.cancel("stream-7");
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getBody()).isEqualTo(new CancelledStream("stream-7", true));
			assertThat(cancelled).hasValue(1);
			WebEndpointResponse<CancelledStream> again = extension.cancel("stream-7");
			assertThat(again.getStatus()).isEqualTo(404);
			assertThat(again.getBody()).isNull();
			assertThat(cancelled).hasValue(1);
		});
	}

	@Test
	void deleteOfUnknownStreamShouldBeNull() {
		withOperatorBeans().run((context) -> assertThat(endpoint(context).cancel("no-such-stream")).isNull());
	}

	@Test
	void serializedWithTheEndpointJsonMapperShouldNeverShowAKeyOrText() {
		withOperatorBeans()
			.withPropertyValues("steer.providers.openai.api-key=" + OPENAI_KEY,
					"steer.providers.anthropic.api-key=" + ANTHROPIC_KEY,
					"steer.providers.openai.headers.OpenAI-Organization=org-secretish")
			.run((context) -> {
				OperatorBeans beans = context.getBean(OperatorBeans.class);
				beans.statistics.record(new EndedStream("openai", "gpt-4o-mini", StreamOutcome.ERROR,
						StreamErrorType.HTTP, 401, "Incorrect API key provided: sk-p***", null, 0, 0, null, START));
				beans.liveStreams.register("stream-6", "openai", "gpt-4o-mini", () -> {
				});
				RetryState state = beans.retryManager.begin("stream-6", "openai", "gpt-4o-mini");
				state.recordProgress(null, -1, null, "the secret partial answer");
				JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
				SteerEndpoint endpoint = endpoint(context);
				String read = mapper.writeValueAsString(endpoint.steer());
				String stream = mapper.writeValueAsString(endpoint.stream("stream-6"));
				for (String json : new String[] { read, stream }) {
					assertThat(json).doesNotContain(OPENAI_KEY)
						.doesNotContain(ANTHROPIC_KEY)
						.doesNotContain("sk-proj")
						.doesNotContain("org-secretish")
						.doesNotContain("secret partial answer");
				}
				JsonNode tree = mapper.readTree(read);
				assertThat(tree.path("providers").get(0).path("apiKeySet").asBoolean()).isTrue();
				assertThat(tree.path("providers").get(1).has("defaultModel")).as("null left out").isFalse();
				assertThat(tree.path("liveStreams").get(0).path("startedAt").asString())
					.isEqualTo("2026-01-01T00:00:00Z");
				assertThat(tree.path("presets").path("steerStreamingOptions").path("read-timeout").asString())
					.isEqualTo("30s");
				assertThat(tree.path("statistics").get(0).path("errors").path("HTTP").asInt()).isOne();
				JsonNode retry = mapper.readTree(stream).path("retry");
				assertThat(retry.path("partialTextLength").asInt()).isEqualTo(25);
				assertThat(retry.has("partialText")).isFalse();
			});
	}

	private ApplicationContextRunner withOperatorBeans() {
		return this.exposed.withUserConfiguration(OperatorBeans.class);
	}

	private static SteerEndpoint endpoint(AssertableApplicationContext context) {
		assertThat(context).hasSingleBean(SteerEndpoint.class);
		return context.getBean(SteerEndpoint.class);
	}

	private static EndedStream ended(StreamOutcome outcome, @Nullable StreamErrorType errorType,
			@Nullable Integer httpStatus, @Nullable Double timeToFirstChunkMs) {
		return new EndedStream("openai", "gpt-4o-mini", outcome, errorType, httpStatus, null, timeToFirstChunkMs, 10,
				20, BigDecimal.ZERO, START);
	}

	/**
	 * Live streams, statistics and a retry manager on one clock the test moves, in place
	 * of the auto-configured ones.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OperatorBeans {

		final MutableClock clock = new MutableClock();

		final LiveStreams liveStreams = new LiveStreams(this.clock);

		final StreamStatistics statistics = new StreamStatistics(200, 100, Duration.ofMinutes(15), this.clock);

		final StreamingRetryManager retryManager = new StreamingRetryManager(Duration.ofMinutes(15), 100, this.clock);

		@Bean
		LiveStreams testLiveStreams() {
			return this.liveStreams;
		}

		@Bean
		StreamStatistics testStreamStatistics() {
			return this.statistics;
		}

		@Bean
		StreamingRetryManager testStreamingRetryManager() {
			return this.retryManager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		SteerEndpoint userSteerEndpoint() {
			return new SteerEndpoint(new SteerProvidersProperties(), Map::of, new LiveStreams(), new StreamStatistics(),
					null);
		}

	}

}
