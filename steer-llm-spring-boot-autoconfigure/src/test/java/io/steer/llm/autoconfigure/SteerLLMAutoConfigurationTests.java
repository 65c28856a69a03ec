package io.steer.llm.autoconfigure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.json.JsonProcessor;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SteerLLMAutoConfiguration}.
 */
class SteerLLMAutoConfigurationTests {

	private static final String OPENAI_KEY = "sk-test-0123456789abcdef";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenNoPropertiesShouldCreateClientAndDefaultOptions() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SteerLLMClient.class);
			assertThat(context).hasBean(SteerLLMAutoConfiguration.STREAMING_OPTIONS_BEAN_NAME);
			assertThat(context.getBean(StreamingOptions.class)).isEqualTo(StreamingOptions.DEFAULTS);
			assertThat(context.getBean(SteerLLMClient.class).defaultOptions()).isEqualTo(StreamingOptions.DEFAULTS);
			SteerProvidersProperties providers = context.getBean(SteerProvidersProperties.class);
			assertThat(providers.getOpenai().getBaseUrl()).isEqualTo(SteerProvidersProperties.OPENAI_BASE_URL);
			assertThat(providers.getXai().getBaseUrl()).isEqualTo(SteerProvidersProperties.XAI_BASE_URL);
			assertThat(providers.getOpenai().getApiKey()).isNull();
			assertThat(providers.getOpenai().getHeaders()).isEmpty();
			assertThat(context.getBean(SteerStreamingProperties.class).getStateTtl())
				.isEqualTo(Duration.ofSeconds(900));
		});
	}

	@Test
	void runWhenNoPropertiesShouldDefineBuiltInPresetBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean("jsonModeOptions")).isSameAs(StreamingOptions.JSON_MODE);
			assertThat(context.getBean("debugOptions")).isSameAs(StreamingOptions.DEBUG);
			assertThat(context.getBean("highPerformanceOptions")).isSameAs(StreamingOptions.HIGH_PERFORMANCE);
			assertThat(context.getBean("highThroughputOptions")).isSameAs(StreamingOptions.HIGH_THROUGHPUT);
			assertThat(context.getBean("lowLatencyOptions")).isSameAs(StreamingOptions.LOW_LATENCY);
			assertThat(context.getBeansOfType(StreamingOptions.class)).hasSize(6);
		});
	}

	@Test
	void runWhenNoPropertiesShouldInjectDefaultOptionsUnqualifiedAndPresetsByQualifier() {
		this.contextRunner.withUserConfiguration(InjectionConfiguration.class).run((context) -> {
			OptionsHolder holder = context.getBean(OptionsHolder.class);
			assertThat(holder.unqualified()).isSameAs(context.getBean("steerStreamingOptions"));
			assertThat(holder.jsonMode()).isSameAs(StreamingOptions.JSON_MODE);
		});
	}

	@Test
	void runWhenStreamingPropertiesSetShouldBindEveryField() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.enable-usage-aggregation=false",
					"steer.streaming.aggregator-type=TIKTOKEN", "steer.streaming.prefer-tiktoken=false",
					"steer.streaming.enable-json-stream-handler=true",
					"steer.streaming.validate-json-incrementally=true",
					"steer.streaming.event-processor=auditProcessor", "steer.streaming.connection-timeout=1500ms",
					"steer.streaming.read-timeout=20s", "steer.streaming.total-timeout=2m",
					"steer.streaming.retry-on-connection-error=false", "steer.streaming.max-reconnect-attempts=0",
					"steer.streaming.reconnect-delay=1s", "steer.streaming.preserve-partial-response=false",
					"steer.streaming.chunk-size=10", "steer.streaming.buffer-size=64",
					"steer.streaming.buffer-type=paragraph", "steer.streaming.progress-interval=250ms",
					"steer.streaming.rate-limit=7.5", "steer.streaming.log-streaming-metrics=true",
					"steer.streaming.state-ttl=120")
			.run((context) -> {
				StreamingOptions expected = StreamingOptions.builder()
					.enableUsageAggregation(false)
					.aggregatorType(AggregatorType.TIKTOKEN)
					.preferTiktoken(false)
					.enableJsonStreamHandler(true)
					.validateJsonIncrementally(true)
					.eventProcessor(context.getBean("auditProcessor", EventProcessor.class))
					.connectionTimeout(Duration.ofMillis(1500))
					.readTimeout(Duration.ofSeconds(20))
					.totalTimeout(Duration.ofMinutes(2))
					.retryOnConnectionError(false)
					.maxReconnectAttempts(0)
					.reconnectDelay(Duration.ofSeconds(1))
					.preservePartialResponse(false)
					.chunkSize(10)
					.bufferSize(64)
					.bufferType(BufferType.PARAGRAPH)
					.progressInterval(Duration.ofMillis(250))
					.rateLimit(7.5)
					.logStreamingMetrics(true)
					.build();
				assertThat(context.getBean(StreamingOptions.class)).isEqualTo(expected);
				assertThat(context.getBean(SteerLLMClient.class).defaultOptions()).isEqualTo(expected);
				assertThat(context.getBean(SteerStreamingProperties.class).getStateTtl())
					.isEqualTo(Duration.ofSeconds(120));
			});
	}

	@Test
	void runWhenYamlConfiguredShouldBindEveryProviderAndStreamingProperty() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withInitializer((context) -> loadYaml(context.getEnvironment(), "steer-all.yml"))
			.run((context) -> {
				SteerProvidersProperties providers = context.getBean(SteerProvidersProperties.class);
				assertThat(providers.getDefaultProvider()).isEqualTo("xai");
				assertThat(providers.getOpenai().getApiKey()).isEqualTo("sk-openai-yaml-secret");
				assertThat(providers.getOpenai().getBaseUrl()).isEqualTo("http://localhost:1111/v1/");
				assertThat(providers.getOpenai().getDefaultModel()).isEqualTo("gpt-4o-mini");
				assertThat(providers.getOpenai().getHeaders())
					.containsExactly(Map.entry("OpenAI-Organization", "org-123"));
				assertThat(providers.getXai().getApiKey()).isEqualTo("xai-yaml-secret");
				assertThat(providers.getXai().getBaseUrl()).isEqualTo("http://localhost:2222/v1");
				assertThat(providers.getXai().getDefaultModel()).isEqualTo("grok-3-mini");
				assertThat(providers.getXai().getHeaders()).containsExactly(Map.entry("X-Team", "steer"));
				StreamingOptions expected = StreamingOptions.builder()
					.enableUsageAggregation(false)
					.aggregatorType(AggregatorType.CHARACTER)
					.preferTiktoken(false)
					.enableJsonStreamHandler(true)
					.validateJsonIncrementally(true)
					.eventProcessor(context.getBean("auditProcessor", EventProcessor.class))
					.jsonProcessor(context.getBean("trimmingJsonProcessor", JsonProcessor.class))
					.connectionTimeout(Duration.ofSeconds(2))
					.readTimeout(Duration.ofSeconds(45))
					.totalTimeout(Duration.ofMinutes(10))
					.retryOnConnectionError(false)
					.maxReconnectAttempts(5)
					.reconnectDelay(Duration.ofMillis(250))
					.preservePartialResponse(false)
					.maxRetryDelay(Duration.ofSeconds(30))
					.maxEventSize(65536)
					.enableCompression(true)
					.chunkSize(40)
					.bufferSize(512)
					.bufferType(BufferType.SENTENCE)
					.progressInterval(Duration.ofSeconds(1))
					.rateLimit(12.5)
					.bufferTimeout(Duration.ofMillis(250))
					.logStreamingMetrics(true)
					.trackMetrics(false)
					.build();
				assertThat(context.getBean(StreamingOptions.class)).isEqualTo(expected);
				assertThat(context.getBean(SteerStreamingProperties.class).getStateTtl())
					.isEqualTo(Duration.ofMinutes(10));
			});
	}

	@Test
	void runWhenYamlPresetsConfiguredShouldDefineBeansThatInheritUnsetFields() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withInitializer((context) -> loadYaml(context.getEnvironment(), "steer-all.yml"))
			.run((context) -> {
				StreamingOptions defaults = context.getBean(StreamingOptions.class);
				StreamingOptions reliable = context.getBean("reliableOptions", StreamingOptions.class);
				assertThat(reliable).isEqualTo(
						defaults.toBuilder().readTimeout(Duration.ofSeconds(60)).maxReconnectAttempts(8).build());
				StreamingOptions fastUi = context.getBean("fastUiOptions", StreamingOptions.class);
				assertThat(fastUi).isEqualTo(defaults.toBuilder()
					.bufferType(BufferType.NONE)
					.connectionTimeout(Duration.ofSeconds(1))
					.eventProcessor(null)
					.build());
				assertThat(context.getBeansOfType(StreamingOptions.class)).containsOnlyKeys("steerStreamingOptions",
						"jsonModeOptions", "debugOptions", "highPerformanceOptions", "highThroughputOptions",
						"lowLatencyOptions", "reliableOptions", "fastUiOptions");
			});
	}

	@Test
	void runWhenPresetConfiguredShouldInjectItByQualifier() {
		this.contextRunner.withUserConfiguration(InjectionConfiguration.class)
			.withPropertyValues("steer.streaming.read-timeout=40s",
					"steer.streaming.presets.reliable.max-reconnect-attempts=9")
			.run((context) -> {
				OptionsHolder holder = context.getBean(OptionsHolder.class);
				assertThat(holder.reliable().maxReconnectAttempts()).isEqualTo(9);
				assertThat(holder.reliable().readTimeout()).isEqualTo(Duration.ofSeconds(40));
				assertThat(holder.unqualified().maxReconnectAttempts()).isEqualTo(3);
				assertThat(holder.unqualified()).isSameAs(context.getBean(SteerLLMClient.class).defaultOptions());
			});
	}

	@Test
	void runWhenPresetsHaveKebabCaseAndSnakeCaseNamesShouldNameBeansInCamelCase() {
		this.contextRunner
			.withPropertyValues("steer.streaming.presets.fast-ui.chunk-size=1",
					"steer.streaming.presets.[batch_jobs].chunk-size=2", "steer.streaming.presets.nightly.chunk-size=3")
			.run((context) -> {
				assertThat(context.getBean("fastUiOptions", StreamingOptions.class).chunkSize()).isEqualTo(1);
				assertThat(context.getBean("batchJobsOptions", StreamingOptions.class).chunkSize()).isEqualTo(2);
				assertThat(context.getBean("nightlyOptions", StreamingOptions.class).chunkSize()).isEqualTo(3);
			});
	}

	@Test
	void runWhenEventProcessorNamedShouldUseThatBean() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.event-processor=auditProcessor")
			.run((context) -> assertThat(context.getBean(StreamingOptions.class).eventProcessor())
				.isSameAs(context.getBean("auditProcessor")));
	}

	@Test
	void runWhenEventProcessorBeanIsMissingShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.event-processor=nowhere").run((context) -> {
			InvalidConfigurationPropertyValueException ex = invalidProperty(context);
			assertThat(ex.getName()).isEqualTo("steer.streaming.event-processor");
			assertThat(ex).hasMessageContaining("nowhere");
		});
	}

	@Test
	void runWhenEventProcessorBeanIsMissingShouldListTheEventProcessorBeans() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.event-processor=auditProcesor")
			.run((context) -> assertThat(rootCause(context))
				.hasMessage("Property steer.streaming.event-processor with value 'auditProcesor' is invalid: No "
						+ "io.steer.llm.pipeline.EventProcessor bean named 'auditProcesor' is defined; "
						+ "EventProcessor beans: auditProcessor."));
	}

	@Test
	void runWhenEventProcessorBeanIsMissingAndThereIsNoneShouldSaySo() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.audited.event-processor=nowhere")
			.run((context) -> assertThat(rootCause(context))
				.hasMessageContaining("steer.streaming.presets.audited.event-processor")
				.hasMessageEndingWith("no EventProcessor bean is defined: define one, or remove the property."));
	}

	@Test
	void runWhenEventProcessorBeanIsOfAnotherTypeShouldListTheEventProcessorBeans() {
		this.contextRunner.withUserConfiguration(EventProcessorConfiguration.class)
			.withBean("notAProcessor", String.class, () -> "text")
			.withPropertyValues("steer.streaming.event-processor=notAProcessor")
			.run((context) -> assertThat(rootCause(context)).hasMessageContaining("steer.streaming.event-processor")
				.hasMessageContaining("Bean 'notAProcessor' is a java.lang.String")
				.hasMessageEndingWith("EventProcessor beans: auditProcessor."));
	}

	@ParameterizedTest
	@CsvSource({ "openai, llm.example/v1", "openai, localhost:8080/v1", "xai, ftp://llm.example/v1",
			"anthropic, https://", "anthropic, http//localhost:8080", "xai, 'https://llm.example/v1 beta'" })
	void runWhenBaseUrlIsNotAnAbsoluteHttpUrlShouldFailAtStartUpNamingPropertyAndValue(String provider, String value) {
		String property = "steer.providers." + provider + ".base-url";
		this.contextRunner.withPropertyValues(property + "=" + value)
			.run((context) -> assertThat(rootCause(context))
				.hasMessageStartingWith("Property " + property + " with value '" + value + "' is invalid: ")
				.hasMessageContaining("Must be an absolute http or https URL with a host, such as https://"));
	}

	@Test
	void runWhenAggregatorTypeIsUnknownShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.aggregator-type=fancy")
			.run((context) -> assertThat(cause(context, BindException.class))
				.hasMessageContaining("steer.streaming.aggregator-type"));
	}

	@Test
	void runWhenPresetAggregatorTypeIsUnknownShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.reliable.aggregator-type=fancy")
			.run((context) -> assertThat(cause(context, BindException.class))
				.hasMessageContaining("steer.streaming.presets.reliable.aggregator-type"));
	}

	@Test
	void runWhenTimeoutIsNegativeShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.connection-timeout=-1s").run((context) -> {
			InvalidConfigurationPropertyValueException ex = invalidProperty(context);
			assertThat(ex.getName()).isEqualTo("steer.streaming.connection-timeout");
			assertThat(ex.getValue()).isEqualTo(Duration.ofSeconds(-1));
			assertThat(ex).hasMessageStartingWith("Property steer.streaming.connection-timeout with value 'PT-1S'")
				.hasMessageContaining("Must be positive");
		});
	}

	@Test
	void runWhenPresetTimeoutIsNegativeShouldFailNamingPresetProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.reliable.read-timeout=-5s")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.streaming.presets.reliable.read-timeout"));
	}

	@Test
	void runWhenPresetInheritsValidValuesAndSetsInvalidCountShouldFailNamingPresetProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.reliable.max-reconnect-attempts=-1")
			.run((context) -> {
				InvalidConfigurationPropertyValueException ex = invalidProperty(context);
				assertThat(ex.getName()).isEqualTo("steer.streaming.presets.reliable.max-reconnect-attempts");
				assertThat(ex.getValue()).isEqualTo(-1);
			});
	}

	@Test
	void runWhenBufferSizeIsZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.buffer-size=0")
			.run((context) -> assertThat(invalidProperty(context).getName()).isEqualTo("steer.streaming.buffer-size"));
	}

	@Test
	void runWhenRateLimitIsNegativeShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.rate-limit=-2")
			.run((context) -> assertThat(invalidProperty(context).getName()).isEqualTo("steer.streaming.rate-limit"));
	}

	@Test
	void runWhenPresetIsNamedLikeBuiltInPresetShouldFail() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.json-mode.read-timeout=60s").run((context) -> {
			InvalidConfigurationPropertyValueException ex = invalidProperty(context);
			assertThat(ex.getName()).isEqualTo("steer.streaming.presets.json-mode");
			assertThat(ex).hasMessageContaining("jsonModeOptions");
		});
	}

	@Test
	void runWhenProviderApiAndAnthropicPropertiesSetShouldBindThem() {
		this.contextRunner
			.withPropertyValues("steer.providers.openai.api=responses",
					"steer.providers.anthropic.api-key=sk-ant-secret", "steer.providers.anthropic.version=2024-01-01",
					"steer.providers.anthropic.default-max-tokens=1024")
			.run((context) -> {
				SteerProvidersProperties providers = context.getBean(SteerProvidersProperties.class);
				assertThat(providers.getOpenai().getApi()).isEqualTo(io.steer.llm.model.ProviderApi.RESPONSES);
				assertThat(providers.getXai().getApi()).isEqualTo(io.steer.llm.model.ProviderApi.CHAT_COMPLETIONS);
				assertThat(providers.getAnthropic().getBaseUrl())
					.isEqualTo(SteerProvidersProperties.ANTHROPIC_BASE_URL);
				assertThat(providers.getAnthropic().getVersion()).isEqualTo("2024-01-01");
				assertThat(providers.getAnthropic().getDefaultMaxTokens()).isEqualTo(1024);
				assertThat(providers.toString()).doesNotContain("sk-ant-secret");
			});
	}

	@Test
	void runWhenAnthropicDefaultMaxTokensIsNotPositiveShouldFail() {
		this.contextRunner.withPropertyValues("steer.providers.anthropic.default-max-tokens=0")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.providers.anthropic.default-max-tokens"));
	}

	@Test
	void runWhenDefaultProviderIsUnknownShouldFailWithoutShowingApiKey() {
		this.contextRunner
			.withPropertyValues("steer.providers.openai.api-key=" + OPENAI_KEY,
					"steer.providers.default-provider=mistral")
			.run((context) -> {
				assertThat(invalidProperty(context).getName()).isEqualTo("steer.providers.default-provider");
				assertThat(stackTrace(context.getStartupFailure())).doesNotContain(OPENAI_KEY);
			});
	}

	@Test
	void runWhenStreamingPropertyIsInvalidShouldFailWithoutShowingApiKey() {
		this.contextRunner
			.withPropertyValues("steer.providers.openai.api-key=" + OPENAI_KEY,
					"steer.providers.xai.api-key=" + OPENAI_KEY, "steer.streaming.read-timeout=-1s",
					"steer.streaming.aggregator-type=fancy")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(stackTrace(context.getStartupFailure())).doesNotContain(OPENAI_KEY);
			});
	}

	@Test
	void runWhenApiKeySetShouldKeepItOutOfToString() {
		this.contextRunner
			.withPropertyValues("steer.providers.openai.api-key=" + OPENAI_KEY,
					"steer.providers.openai.headers.OpenAI-Organization=org-1")
			.run((context) -> {
				SteerProvidersProperties providers = context.getBean(SteerProvidersProperties.class);
				assertThat(providers.getOpenai().getApiKey()).isEqualTo(OPENAI_KEY);
				assertThat(providers.toString()).doesNotContain(OPENAI_KEY).contains("apiKey=******");
				assertThat(providers.getOpenai().toString()).doesNotContain(OPENAI_KEY);
				assertThat(providers.getXai().toString()).contains("apiKey=<none>");
				assertThat(context.getBean(SteerLLMClient.class).toString()).doesNotContain(OPENAI_KEY);
			});
	}

	@Test
	void runWhenUserDefinesClientShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SteerLLMClient.class);
			assertThat(context.getBean(SteerLLMClient.class)).isSameAs(UserClientConfiguration.CLIENT);
			assertThat(context).hasBean("steerStreamingOptions");
		});
	}

	@Test
	void runWhenUserDefinesStreamingOptionsShouldBackOffAndClientShouldUseThem() {
		this.contextRunner.withUserConfiguration(UserOptionsConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean("steerStreamingOptions");
			assertThat(context.getBean(StreamingOptions.class)).isSameAs(UserOptionsConfiguration.OPTIONS);
			assertThat(context.getBean(SteerLLMClient.class).defaultOptions())
				.isSameAs(UserOptionsConfiguration.OPTIONS);
			assertThat(context.getBean("jsonModeOptions")).isSameAs(StreamingOptions.JSON_MODE);
		});
	}

	@Test
	void runWhenUserDefinesPresetBeanOfSameNameShouldKeepUserBean() {
		this.contextRunner.withUserConfiguration(UserPresetConfiguration.class)
			.withPropertyValues("steer.streaming.presets.reliable.chunk-size=5")
			.run((context) -> {
				assertThat(context.getBean("reliableOptions")).isSameAs(UserPresetConfiguration.RELIABLE);
				assertThat(context.getBean("lowLatencyOptions")).isSameAs(UserPresetConfiguration.LOW_LATENCY);
				assertThat(context.getBean(StreamingOptions.class)).isEqualTo(StreamingOptions.DEFAULTS);
			});
	}

	@Test
	void runWhenWebClientCustomizerDefinedShouldApplyItToProviderRequests() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			SseFixture fixture = SseFixture.load("openai", "chat-text-usage");
			server.enqueue(MockResponse.replay(fixture));
			this.contextRunner.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class))
				.withUserConfiguration(CustomizerConfiguration.class)
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl(),
						"steer.providers.openai.api-key=" + OPENAI_KEY,
						"steer.providers.openai.headers.OpenAI-Organization=org-42")
				.run((context) -> {
					SteerLLMClient client = context.getBean(SteerLLMClient.class);
					String text = String.join("",
							client.stream("What's the weather?", "gpt-4o").collectList().block(Duration.ofSeconds(10)));
					assertThat(text).startsWith("I'm unable to provide real-time weather updates.");
					RecordedRequest request = server.takeRequest();
					assertThat(request.path()).isEqualTo("/chat/completions");
					assertThat(request.header("X-Customized-By")).isEqualTo("webClientCustomizer");
					assertThat(request.header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
					assertThat(request.header("OpenAI-Organization")).isEqualTo("org-42");
				});
		}
	}

	@Test
	void runWhenJsonMapperBeanDefinedShouldWriteRequestsWithIt() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
			this.contextRunner.withUserConfiguration(JsonMapperConfiguration.class)
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl())
				.run((context) -> {
					StreamingResponse response = context.getBean(SteerLLMClient.class)
						.streamWithUsage("Hello", "gpt-4o")
						.block(Duration.ofSeconds(10));
					assertThat(response).isNotNull();
					assertThat(response.text()).startsWith("I'm unable");
					assertThat(server.takeRequest().bodyAsString()).contains("\n  \"model\"");
				});
		}
	}

	@Test
	void runWhenOnlyXaiHasDefaultModelShouldSendRequestsWithoutModelToXai() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("xai", "chat-reasoning-text")));
			this.contextRunner
				.withPropertyValues("steer.providers.xai.base-url=" + server.baseUrl(),
						"steer.providers.xai.default-model=grok-3-mini")
				.run((context) -> {
					context.getBean(SteerLLMClient.class)
						.stream("Hello", null)
						.collectList()
						.block(Duration.ofSeconds(10));
					assertThat(server.takeRequest().bodyAsString()).contains("\"grok-3-mini\"");
				});
		}
	}

	@Test
	void runWhenProviderRejectsApiKeyShouldKeepKeyOutOfError() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
					+ OPENAI_KEY + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
			this.contextRunner
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl(),
						"steer.providers.openai.api-key=" + OPENAI_KEY)
				.run((context) -> {
					SteerLLMClient client = context.getBean(SteerLLMClient.class);
					assertThatThrownBy(() -> client.stream("Hello", "gpt-4o").blockLast(Duration.ofSeconds(10)))
						.satisfies((ex) -> assertThat(stackTrace(ex)).doesNotContain(OPENAI_KEY).contains("401"));
				});
		}
	}

	private static void loadYaml(ConfigurableEnvironment environment, String name) {
		try {
			new YamlPropertySourceLoader().load(name, new ClassPathResource(name))
				.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
		return cause(context, InvalidConfigurationPropertyValueException.class);
	}

	private static <T extends Throwable> T cause(AssertableApplicationContext context, Class<T> type) {
		assertThat(context).hasFailed();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			if (type.isInstance(ex)) {
				return type.cast(ex);
			}
		}
		throw new AssertionError("No " + type.getName() + " in " + stackTrace(context.getStartupFailure()));
	}

	private static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class EventProcessorConfiguration {

		@Bean
		EventProcessor auditProcessor() {
			return (events) -> events;
		}

		@Bean
		JsonProcessor trimmingJsonProcessor() {
			return (value) -> value;
		}

	}

	record OptionsHolder(StreamingOptions unqualified, StreamingOptions jsonMode, StreamingOptions reliable) {

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionConfiguration {

		@Bean
		OptionsHolder optionsHolder(StreamingOptions options, @Qualifier("jsonModeOptions") StreamingOptions jsonMode,
				@Qualifier("reliableOptions") ObjectProvider<StreamingOptions> reliable) {
			return new OptionsHolder(options, jsonMode, reliable.getIfAvailable(() -> StreamingOptions.DEFAULTS));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		static final SteerLLMClient CLIENT = SteerLLMClient.builder()
			.openAi(ProviderSettings.of("http://localhost:9/v1", null))
			.build();

		@Bean
		SteerLLMClient myClient() {
			return CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOptionsConfiguration {

		static final StreamingOptions OPTIONS = StreamingOptions.builder().chunkSize(99).build();

		@Bean
		StreamingOptions myOptions() {
			return OPTIONS;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPresetConfiguration {

		static final StreamingOptions RELIABLE = StreamingOptions.builder().maxReconnectAttempts(10).build();

		static final StreamingOptions LOW_LATENCY = StreamingOptions.builder()
			.readTimeout(Duration.ofSeconds(1))
			.build();

		@Bean(defaultCandidate = false)
		StreamingOptions reliableOptions() {
			return RELIABLE;
		}

		@Bean(defaultCandidate = false)
		StreamingOptions lowLatencyOptions() {
			return LOW_LATENCY;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		WebClientCustomizer headerCustomizer() {
			return (builder) -> builder.defaultHeader("X-Customized-By", "webClientCustomizer");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JsonMapperConfiguration {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		}

	}

}
