package io.steer.llm.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented example {@code docs/examples/streaming-presets.yml}, the original SDK's
 * custom presets and provider settings, bound as an application would bind it.
 */
class StreamingPresetsExampleTests {

	private static final Path EXAMPLE = Path.of("../docs/examples/streaming-presets.yml");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class))
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withPropertyValues("spring.config.location=" + EXAMPLE.toAbsolutePath().normalize().toUri());

	private static StreamingOptions preset(AssertableApplicationContext context, String beanName) {
		return context.getBean(beanName, StreamingOptions.class);
	}

	private static StreamingOptions optionsFor(AssertableApplicationContext context, String model) {
		return context.getBean(SteerLLMClient.class).optionsFor(ChatRequest.of("Hi", model));
	}

	@Test
	void exampleShouldExist() {
		assertThat(Files.isRegularFile(EXAMPLE)).as(EXAMPLE.toAbsolutePath().toString()).isTrue();
	}

	@Test
	void runWithTheExampleShouldDefineThePresets() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			StreamingOptions fast = preset(context, "fastStreamingOptions");
			assertThat(fast.bufferSize()).isEqualTo(64);
			assertThat(fast.enableUsageAggregation()).isFalse();
			assertThat(fast.enableJsonStreamHandler()).isFalse();
			assertThat(fast.bufferType()).isEqualTo(BufferType.NONE);
			assertThat(fast.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(fast.trackMetrics()).isFalse();
			StreamingOptions accurate = preset(context, "accurateUsageOptions");
			assertThat(accurate.enableUsageAggregation()).isTrue();
			assertThat(accurate.aggregatorType()).isEqualTo(AggregatorType.AUTO);
			assertThat(accurate.preferTiktoken()).isTrue();
			assertThat(accurate.logStreamingMetrics()).isTrue();
			StreamingOptions reliable = preset(context, "reliableStreamingOptions");
			assertThat(reliable.retryOnConnectionError()).isTrue();
			assertThat(reliable.maxReconnectAttempts()).isEqualTo(3);
			assertThat(reliable.reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
			assertThat(reliable.preservePartialResponse()).isTrue();
			StreamingOptions high = preset(context, "highReliabilityOptions");
			assertThat(high.maxReconnectAttempts()).isEqualTo(5);
			assertThat(high.reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
			assertThat(high.maxRetryDelay()).isEqualTo(Duration.ofSeconds(30));
			assertThat(high.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(high.readTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(high.totalTimeout()).isEqualTo(Duration.ofMinutes(10));
			StreamingOptions balanced = preset(context, "balancedOptions");
			assertThat(balanced.enableUsageAggregation()).isTrue();
			assertThat(balanced.bufferType()).isEqualTo(BufferType.WORD);
			assertThat(balanced.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(balanced.readTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(balanced.maxReconnectAttempts()).isEqualTo(3);
		});
	}

	@Test
	void runWithTheExampleShouldApplyTheProviderAndModelRules() {
		this.contextRunner.run((context) -> {
			StreamingOptions base = context.getBean(StreamingOptions.class);
			assertThat(base).isEqualTo(StreamingOptions.DEFAULTS);
			StreamingOptions openai = optionsFor(context, "gpt-4o-mini");
			assertThat(openai.preferTiktoken()).isTrue();
			assertThat(openai.aggregatorType()).isEqualTo(AggregatorType.AUTO);
			assertThat(openai.readTimeout()).isEqualTo(base.readTimeout());
			StreamingOptions anthropic = optionsFor(context, "claude-sonnet-4-5");
			assertThat(anthropic.readTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(anthropic.connectionTimeout()).isEqualTo(base.connectionTimeout());
			StreamingOptions xai = optionsFor(context, "grok-3-mini");
			assertThat(xai.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(xai.readTimeout()).isEqualTo(base.readTimeout());
			assertThat(optionsFor(context, "o3-mini").readTimeout()).isEqualTo(Duration.ofSeconds(120));
		});
	}

}
