package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.pipeline.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Options by provider and model ({@code steer.streaming.providers.*},
 * {@code steer.streaming.models[<glob>].*}), the JSON rule and
 * {@link StreamingOptionsResolver} beans, end to end on
 * {@link SteerLLMClient#optionsFor}: options on the call &gt; resolver beans &gt; model
 * rule &gt; provider rule &gt; adaptive level &gt; base.
 */
class SteerStreamingRulesAutoConfigurationTests {

	@RegisterExtension
	static final OpenAiLoopback server = new OpenAiLoopback();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	private static StreamingOptions optionsFor(AssertableApplicationContext context, String model) {
		return context.getBean(SteerLLMClient.class).optionsFor(ChatRequest.of("Hi", model));
	}

	private static StreamingOptions optionsFor(AssertableApplicationContext context, String model,
			ResponseFormat format) {
		return context.getBean(SteerLLMClient.class)
			.optionsFor(ChatRequest.builder().prompt("Hi").model(model).responseFormat(format).build());
	}

	@Test
	void runWithoutRulesShouldUseTheBaseOptions() {
		this.contextRunner.withPropertyValues("steer.streaming.read-timeout=20s").run((context) -> {
			StreamingOptions base = context.getBean(StreamingOptions.class);
			assertThat(base.readTimeout()).isEqualTo(Duration.ofSeconds(20));
			assertThat(optionsFor(context, "gpt-4o-mini")).isEqualTo(base);
			assertThat(optionsFor(context, "claude-sonnet-4-5")).isEqualTo(base);
			assertThat(optionsFor(context, "grok-3-mini")).isEqualTo(base);
		});
	}

	@Test
	void runWithGlobClassInTheKeyShouldBindIt() {
		this.contextRunner.withPropertyValues("steer.streaming.models[o[1-4]*].read-timeout=120s").run((context) -> {
			assertThat(optionsFor(context, "o3-mini").readTimeout()).isEqualTo(Duration.ofSeconds(120));
			assertThat(optionsFor(context, "gpt-4o").readTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void runWithProviderRuleShouldApplyItOverTheBase() {
		this.contextRunner
			.withPropertyValues("steer.streaming.read-timeout=20s", "steer.streaming.connection-timeout=4s",
					"steer.streaming.providers.anthropic.read-timeout=60s",
					"steer.streaming.providers.xai.connection-timeout=10s")
			.run((context) -> {
				StreamingOptions anthropic = optionsFor(context, "claude-sonnet-4-5");
				assertThat(anthropic.readTimeout()).isEqualTo(Duration.ofSeconds(60));
				assertThat(anthropic.connectionTimeout()).isEqualTo(Duration.ofSeconds(4));
				StreamingOptions xai = optionsFor(context, "grok-3-mini");
				assertThat(xai.readTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(xai.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(optionsFor(context, "gpt-4o-mini")).isEqualTo(context.getBean(StreamingOptions.class));
				assertThat(optionsFor(context, "xai:gpt-4o-mini").connectionTimeout())
					.isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void runWithModelRuleShouldApplyItOverTheProviderRule() {
		this.contextRunner
			.withPropertyValues("steer.streaming.providers.anthropic.read-timeout=60s",
					"steer.streaming.providers.anthropic.max-reconnect-attempts=5",
					"steer.streaming.models[claude-*-haiku*].read-timeout=15s")
			.run((context) -> {
				StreamingOptions haiku = optionsFor(context, "claude-3-5-haiku-latest");
				assertThat(haiku.readTimeout()).isEqualTo(Duration.ofSeconds(15));
				assertThat(haiku.maxReconnectAttempts()).isEqualTo(5);
				assertThat(optionsFor(context, "claude-sonnet-4-5").readTimeout()).isEqualTo(Duration.ofSeconds(60));
			});
	}

	@Test
	void runWithTwoMatchingGlobsShouldApplyTheMoreSpecificLast() {
		this.contextRunner
			.withPropertyValues("steer.streaming.models[gpt-4o*].read-timeout=50s",
					"steer.streaming.models[gpt-*].read-timeout=40s",
					"steer.streaming.models[gpt-*].max-reconnect-attempts=6")
			.run((context) -> {
				StreamingOptions mini = optionsFor(context, "gpt-4o-mini");
				assertThat(mini.readTimeout()).isEqualTo(Duration.ofSeconds(50));
				assertThat(mini.maxReconnectAttempts()).isEqualTo(6);
				assertThat(optionsFor(context, "gpt-4.1").readTimeout()).isEqualTo(Duration.ofSeconds(40));
			});
	}

	@Test
	void runWithResolverBeansShouldApplyThemOverTheRulesInOrder() {
		this.contextRunner.withUserConfiguration(ResolversConfiguration.class)
			.withPropertyValues("steer.streaming.models[gpt-*].read-timeout=40s",
					"steer.streaming.models[gpt-*].max-reconnect-attempts=6",
					"steer.streaming.models[gpt-*].buffer-size=32")
			.run((context) -> {
				StreamingOptions options = optionsFor(context, "gpt-4o-mini");
				// second (order 2) after first (order 1): 45 s read, then 45 / 9 = 5 s
				assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.maxReconnectAttempts()).isEqualTo(2);
				assertThat(options.bufferSize()).isEqualTo(32);
			});
	}

	@Test
	void runWithAdaptiveResolverShouldApplyItBeforeTheRulesAndOnce() {
		this.contextRunner.withUserConfiguration(AdaptiveConfiguration.class)
			.withPropertyValues("steer.streaming.providers.openai.read-timeout=60s")
			.run((context) -> {
				StreamingOptions options = optionsFor(context, "gpt-4o-mini");
				assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(60));
				assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(context.getBean(AdaptiveConfiguration.class).calls).hasValue(1);
				assertThat(optionsFor(context, "claude-sonnet-4-5").readTimeout()).isEqualTo(Duration.ofSeconds(11));
			});
	}

	@Test
	void runWhenTheCallGivesOptionsShouldBypassRulesAndResolvers() {
		server.provider(this.contextRunner, "sk-test")
			.withUserConfiguration(TaggingConfiguration.class)
			.withPropertyValues("steer.streaming.models[gpt-*].read-timeout=40s")
			.run((context) -> {
				SteerLLMClient client = context.getBean(SteerLLMClient.class);
				ChatRequest request = ChatRequest.of("Hi", "gpt-4o-mini");
				List<StreamEvent> resolved = client.streamEvents(request).collectList().block(Duration.ofSeconds(10));
				assertThat(resolved).isNotEmpty()
					.allSatisfy((event) -> assertThat(event.metadata()).containsEntry("rules", "40s"));
				List<StreamEvent> given = client.streamEvents(request, StreamingOptions.DEFAULTS)
					.collectList()
					.block(Duration.ofSeconds(10));
				assertThat(given).isNotEmpty()
					.noneSatisfy((event) -> assertThat(event.metadata()).containsKey("rules"));
			});
	}

	@Test
	void runWhenTheResponseFormatIsJsonShouldTurnTheJsonHandlerOn() {
		this.contextRunner.run((context) -> {
			assertThat(optionsFor(context, "gpt-4o-mini", ResponseFormat.jsonObject()).enableJsonStreamHandler())
				.isTrue();
			assertThat(optionsFor(context, "gpt-4o-mini", ResponseFormat.text()).enableJsonStreamHandler()).isFalse();
			assertThat(optionsFor(context, "gpt-4o-mini").enableJsonStreamHandler()).isFalse();
		});
	}

	@Test
	void runWhenTheBaseSetsTheJsonHandlerShouldKeepIt() {
		this.contextRunner.withPropertyValues("steer.streaming.enable-json-stream-handler=false")
			.run((context) -> assertThat(
					optionsFor(context, "gpt-4o-mini", ResponseFormat.jsonObject()).enableJsonStreamHandler())
				.isFalse());
	}

	@Test
	void runWhenARuleSetsTheJsonHandlerShouldKeepIt() {
		this.contextRunner.withPropertyValues("steer.streaming.models[claude-*].enable-json-stream-handler=false")
			.run((context) -> {
				assertThat(
						optionsFor(context, "claude-sonnet-4-5", ResponseFormat.jsonObject()).enableJsonStreamHandler())
					.isFalse();
				assertThat(optionsFor(context, "gpt-4o-mini", ResponseFormat.jsonObject()).enableJsonStreamHandler())
					.isTrue();
			});
	}

	@Test
	void runWithUnknownProviderShouldFailNamingTheKeyAndTheProviders() {
		this.contextRunner.withPropertyValues("steer.streaming.providers.mistral.read-timeout=60s")
			.run((context) -> assertThat(invalidProperty(context))
				.hasMessageContaining("steer.streaming.providers.mistral")
				.hasMessageContaining("openai, xai, anthropic"));
	}

	@Test
	void runWithInvalidGlobShouldFailNamingTheKeyAndTheProblem() {
		this.contextRunner.withPropertyValues("steer.streaming.models[gpt-[]].read-timeout=60s")
			.run((context) -> assertThat(invalidProperty(context))
				.hasMessageContaining("steer.streaming.models[gpt-[]]")
				.hasMessageContaining("empty character class at position 4"));
	}

	@Test
	void runWithInvalidRuleValueShouldFailNamingTheFullKey() {
		this.contextRunner.withPropertyValues("steer.streaming.models[claude-*].read-timeout=0s")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.streaming.models[claude-*].read-timeout"));
		this.contextRunner.withPropertyValues("steer.streaming.providers.xai.buffer-size=0")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.streaming.providers.xai.buffer-size"));
	}

	@Test
	void runWithRuleNamingAnEventProcessorShouldRunItForTheModelsItMatches() {
		server.provider(this.contextRunner, "sk-test")
			.withUserConfiguration(ProcessorConfiguration.class)
			.withPropertyValues("steer.streaming.models[gpt-4o-*].event-processor=ruleTagger")
			.run((context) -> {
				List<StreamEvent> events = context.getBean(SteerLLMClient.class)
					.streamEvents(ChatRequest.of("Hi", "gpt-4o-mini"))
					.collectList()
					.block(Duration.ofSeconds(10));
				assertThat(events).isNotEmpty()
					.allSatisfy((event) -> assertThat(event.metadata()).containsEntry("rule", "gpt-4o-*"));
				assertThat(optionsFor(context, "gpt-4.1").eventProcessor()).isNull();
			});
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
	static class ResolversConfiguration {

		@Bean
		@Order(2)
		StreamingOptionsResolver second() {
			return (request, route,
					options) -> options.toBuilder().connectionTimeout(options.readTimeout().dividedBy(9)).build();
		}

		@Bean
		@Order(1)
		StreamingOptionsResolver first() {
			return (request, route, options) -> options.toBuilder()
				.readTimeout(options.readTimeout().plusSeconds(5))
				.maxReconnectAttempts(2)
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AdaptiveConfiguration {

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		StreamingOptionsResolver steerAdaptiveOptionsResolver() {
			return (request, route, options) -> {
				this.calls.incrementAndGet();
				return options.toBuilder()
					.readTimeout(Duration.ofSeconds(11))
					.connectionTimeout(Duration.ofSeconds(9))
					.build();
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaggingConfiguration {

		@Bean
		StreamingOptionsResolver tagging() {
			return (request, route, options) -> options.toBuilder()
				.eventProcessor((events) -> events
					.map((event) -> event.withMetadata("rules", options.readTimeout().toSeconds() + "s")))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProcessorConfiguration {

		@Bean
		EventProcessor ruleTagger() {
			return (events) -> events.map((event) -> event.withMetadata("rule", "gpt-4o-*"));
		}

	}

}
