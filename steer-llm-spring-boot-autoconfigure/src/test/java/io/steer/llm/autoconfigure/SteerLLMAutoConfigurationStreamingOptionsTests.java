package io.steer.llm.autoconfigure;

import java.time.Duration;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.json.JsonProcessor;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.shaping.OutputShaping;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the options that {@link SteerLLMAutoConfiguration} builds from
 * {@link SteerStreamingProperties}: the keys of the seed options added after the first
 * release ({@code buffer-timeout}, {@code enable-compression}, {@code track-metrics},
 * {@code json-processor}), their defaults, their inheritance by presets, and compression
 * end to end.
 */
class SteerLLMAutoConfigurationStreamingOptionsTests {

	private static final String TEXT = "I'm unable to provide real-time weather updates.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenNoPropertiesShouldLeaveEveryOptionPropertyUnsetAndUseTheDefaults() {
		this.contextRunner.run((context) -> {
			SteerStreamingProperties properties = context.getBean(SteerStreamingProperties.class);
			assertThat(properties.getBufferTimeout()).isNull();
			assertThat(properties.getEnableCompression()).isNull();
			assertThat(properties.getTrackMetrics()).isNull();
			assertThat(properties.getJsonProcessor()).isNull();
			assertThat(properties.getReadTimeout()).isNull();
			StreamingOptions options = context.getBean(StreamingOptions.class);
			assertThat(options).isEqualTo(StreamingOptions.DEFAULTS);
			assertThat(options.bufferTimeout()).isEqualTo(Duration.ofMillis(100));
			assertThat(options.enableCompression()).isFalse();
			assertThat(options.trackMetrics()).isTrue();
			assertThat(options.jsonProcessor()).isNull();
		});
	}

	@Test
	void runWhenNewSeedKeysSetShouldBindThem() {
		this.contextRunner.withUserConfiguration(JsonProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.buffer-timeout=250ms", "steer.streaming.enable-compression=true",
					"steer.streaming.track-metrics=false", "steer.streaming.json-processor=redactor")
			.run((context) -> {
				StreamingOptions expected = StreamingOptions.builder()
					.bufferTimeout(Duration.ofMillis(250))
					.enableCompression(true)
					.trackMetrics(false)
					.jsonProcessor(context.getBean("redactor", JsonProcessor.class))
					.build();
				assertThat(context.getBean(StreamingOptions.class)).isEqualTo(expected);
				assertThat(context.getBean(SteerLLMClient.class).defaultOptions()).isEqualTo(expected);
			});
	}

	@Test
	void runWhenPresetSetsSomeNewKeysShouldInheritTheOthersFromSteerStreaming() {
		this.contextRunner.withUserConfiguration(JsonProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.buffer-timeout=250ms", "steer.streaming.enable-compression=true",
					"steer.streaming.json-processor=redactor", "steer.streaming.read-timeout=40s",
					"steer.streaming.presets.quiet.track-metrics=false",
					"steer.streaming.presets.quiet.json-processor=", "steer.streaming.presets.quiet.buffer-timeout=0s")
			.run((context) -> {
				StreamingOptions defaults = context.getBean(StreamingOptions.class);
				StreamingOptions quiet = context.getBean("quietOptions", StreamingOptions.class);
				assertThat(quiet).isEqualTo(defaults.toBuilder()
					.trackMetrics(false)
					.jsonProcessor(null)
					.bufferTimeout(Duration.ZERO)
					.build());
				assertThat(quiet.enableCompression()).isTrue();
				assertThat(quiet.readTimeout()).isEqualTo(Duration.ofSeconds(40));
				assertThat(defaults.trackMetrics()).isTrue();
				assertThat(defaults.jsonProcessor()).isSameAs(context.getBean("redactor"));
				StreamingOptionsProperties preset = context.getBean(SteerStreamingProperties.class)
					.getPresets()
					.get("quiet");
				assertThat(preset.getEnableCompression()).isNull();
				assertThat(preset.getReadTimeout()).isNull();
			});
	}

	@Test
	void runWhenNoPropertiesShouldShapeNothing() {
		this.contextRunner.run((context) -> {
			StreamingOptions options = context.getBean(StreamingOptions.class);
			assertThat(options.bufferType()).isEqualTo(BufferType.NONE);
			assertThat(options.maxAddedLatency()).isZero();
			assertThat(options.rateLimit()).isZero();
			assertThat(OutputShaping.shapes(options)).isFalse();
			assertThat(context.getBean(SteerStreamingProperties.class).getMaxAddedLatency()).isNull();
		});
	}

	@Test
	void runWhenShapingKeysSetShouldBindThemAndPresetsShouldOverrideOrInheritThem() {
		this.contextRunner
			.withPropertyValues("steer.streaming.buffer-type=sentence", "steer.streaming.max-added-latency=400ms",
					"steer.streaming.rate-limit=20", "steer.streaming.progress-interval=250ms",
					"steer.streaming.presets.ui.max-added-latency=150ms", "steer.streaming.presets.ui.buffer-type=none")
			.run((context) -> {
				StreamingOptions defaults = context.getBean(StreamingOptions.class);
				assertThat(defaults).isEqualTo(StreamingOptions.builder()
					.bufferType(BufferType.SENTENCE)
					.maxAddedLatency(Duration.ofMillis(400))
					.rateLimit(20)
					.progressInterval(Duration.ofMillis(250))
					.build());
				assertThat(context.getBean(SteerLLMClient.class).defaultOptions()).isEqualTo(defaults);
				StreamingOptions ui = context.getBean("uiOptions", StreamingOptions.class);
				assertThat(ui).isEqualTo(defaults.toBuilder()
					.maxAddedLatency(Duration.ofMillis(150))
					.bufferType(BufferType.NONE)
					.build());
				assertThat(ui.rateLimit()).isEqualTo(20);
				assertThat(OutputShaping.shapes(ui)).isTrue();
			});
	}

	@Test
	void runWhenMaxAddedLatencyIsNegativeShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.max-added-latency=-5ms").run((context) -> {
			InvalidConfigurationPropertyValueException ex = invalidProperty(context);
			assertThat(ex.getName()).isEqualTo("steer.streaming.max-added-latency");
			assertThat(ex).hasMessageContaining("Must not be negative.");
		});
	}

	@Test
	void runWhenPresetInheritsAnEventProcessorShouldResolveTheSameBean() {
		this.contextRunner.withUserConfiguration(JsonProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.json-processor=redactor",
					"steer.streaming.presets.reliable.max-reconnect-attempts=7")
			.run((context) -> {
				StreamingOptions reliable = context.getBean("reliableOptions", StreamingOptions.class);
				assertThat(reliable.jsonProcessor()).isSameAs(context.getBean("redactor"));
				assertThat(reliable.maxReconnectAttempts()).isEqualTo(7);
			});
	}

	@Test
	void runWhenJsonProcessorBeanIsMissingShouldFailNamingPropertyAndTheBeans() {
		this.contextRunner.withUserConfiguration(JsonProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.json-processor=redacter")
			.run((context) -> assertThat(rootCause(context))
				.hasMessage("Property steer.streaming.json-processor with value 'redacter' is invalid: No "
						+ "io.steer.llm.json.JsonProcessor bean named 'redacter' is defined; "
						+ "JsonProcessor beans: redactor."));
	}

	@Test
	void runWhenPresetInheritsAMissingJsonProcessorShouldNameThePropertyThatSetIt() {
		this.contextRunner
			.withPropertyValues("steer.streaming.presets.audited.json-processor=nowhere",
					"steer.streaming.presets.audited.chunk-size=3")
			.run((context) -> assertThat(rootCause(context))
				.hasMessageStartingWith("Property steer.streaming.presets.audited.json-processor with value 'nowhere'")
				.hasMessageEndingWith("no JsonProcessor bean is defined: define one, or remove the property."));
	}

	@Test
	void runWhenPresetBufferTimeoutIsNegativeShouldFailNamingThePresetProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.reliable.buffer-timeout=-1ms").run((context) -> {
			InvalidConfigurationPropertyValueException ex = invalidProperty(context);
			assertThat(ex.getName()).isEqualTo("steer.streaming.presets.reliable.buffer-timeout");
			assertThat(ex.getValue()).isEqualTo(Duration.ofMillis(-1));
			assertThat(ex).hasMessageContaining("Must not be negative.");
		});
	}

	@Test
	void runWhenPresetInheritsAnInvalidValueShouldNameThePropertyUnderSteerStreaming() {
		// whichever options bean is built first, the value came from steer.streaming
		this.contextRunner
			.withPropertyValues("steer.streaming.max-event-size=0", "steer.streaming.presets.big.read-timeout=60s")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.streaming.max-event-size"));
	}

	@Test
	void runWhenCompressionEnabledShouldAskForGzipAndDecodeTheStream() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).gzipWhenAccepted());
			this.contextRunner
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl(),
						"steer.streaming.enable-compression=true")
				.run((context) -> {
					RecordedRequest request = streamOnce(context, server);
					assertThat(request.headers().get("Accept-Encoding")).containsExactly("gzip");
				});
		}
	}

	@Test
	void runWhenCompressionNotEnabledShouldNotAskForGzip() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).gzipWhenAccepted());
			this.contextRunner.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl())
				.run((context) -> {
					RecordedRequest request = streamOnce(context, server);
					assertThat(request.headers()).doesNotContainKey("Accept-Encoding");
				});
		}
	}

	@Test
	void runWhenWebClientBuilderBeanDefinedAndCompressionEnabledShouldDecodeTheStream() {
		// Spring's Reactor Netty connector asks for gzip on every request and decodes it
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).gzipWhenAccepted());
			this.contextRunner.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class))
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl(),
						"steer.streaming.enable-compression=true")
				.run((context) -> {
					RecordedRequest request = streamOnce(context, server);
					assertThat(request.header("Accept-Encoding")).isEqualTo("gzip");
				});
		}
	}

	private static RecordedRequest streamOnce(AssertableApplicationContext context, LoopbackProviderServer server) {
		StreamingResponse response = context.getBean(SteerLLMClient.class)
			.streamWithUsage("What's the weather?", "gpt-4o")
			.block(Duration.ofSeconds(10));
		assertThat(response).isNotNull();
		assertThat(response.text()).startsWith(TEXT);
		return server.takeRequest();
	}

	private static Throwable rootCause(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable root = context.getStartupFailure();
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root;
	}

	private static InvalidConfigurationPropertyValueException invalidProperty(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			if (ex instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in " + context.getStartupFailure());
	}

	@Configuration(proxyBeanMethods = false)
	static class JsonProcessorConfiguration {

		@Bean
		JsonProcessor redactor() {
			return (value) -> value;
		}

	}

}
