package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link SteerLLMClientBuilderCustomizer} beans in
 * {@link SteerLLMAutoConfiguration}: each is applied, in order, to the builder of the
 * auto-configured client before it is built.
 */
class SteerLLMAutoConfigurationCustomizerTests {

	private static final StreamingOptions FIRST = StreamingOptions.builder().chunkSize(1).build();

	private static final StreamingOptions SECOND = StreamingOptions.builder().chunkSize(2).build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenCustomizerDefinedShouldApplyItBeforeTheClientIsBuilt() {
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
			this.contextRunner.withUserConfiguration(HeaderCustomizerConfiguration.class)
				.withPropertyValues("steer.providers.openai.base-url=" + server.baseUrl(),
						"steer.streaming.read-timeout=20s")
				.run((context) -> {
					assertThat(context).hasSingleBean(SteerLLMClient.class);
					SteerLLMClient client = context.getBean(SteerLLMClient.class);
					assertThat(client.defaultOptions().readTimeout()).isEqualTo(Duration.ofSeconds(20));
					client.stream("What's the weather?", "gpt-4o").blockLast(Duration.ofSeconds(10));
					RecordedRequest request = server.takeRequest();
					assertThat(request.header("X-Customized-By")).isEqualTo("steerLLMClientBuilderCustomizer");
					assertThat(request.path()).isEqualTo("/chat/completions");
				});
		}
	}

	@Test
	void runWhenCustomizersHaveAnOrderShouldApplyThemInThatOrder() {
		this.contextRunner.withUserConfiguration(OrderedCustomizersConfiguration.class).run((context) -> {
			assertThat(context.getBean(Calls.class).names()).containsExactly("first", "second");
			assertThat(context.getBean(SteerLLMClient.class).defaultOptions()).isSameAs(SECOND);
		});
	}

	@Test
	void runWhenCustomizerReplacesTheDefaultOptionsShouldWinOverSteerStreaming() {
		this.contextRunner.withUserConfiguration(OrderedCustomizersConfiguration.class)
			.withPropertyValues("steer.streaming.chunk-size=9")
			.run((context) -> {
				assertThat(context.getBean(StreamingOptions.class).chunkSize()).isEqualTo(9);
				assertThat(context.getBean(SteerLLMClient.class).defaultOptions().chunkSize()).isEqualTo(2);
			});
	}

	@Test
	void runWhenUserDefinesClientShouldNotApplyCustomizers() {
		this.contextRunner
			.withUserConfiguration(OrderedCustomizersConfiguration.class,
					SteerLLMAutoConfigurationTests.UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SteerLLMClient.class);
				assertThat(context.getBean(SteerLLMClient.class))
					.isSameAs(SteerLLMAutoConfigurationTests.UserClientConfiguration.CLIENT);
				assertThat(context.getBean(Calls.class).names()).isEmpty();
			});
	}

	record Calls(List<String> names) {

	}

	@Configuration(proxyBeanMethods = false)
	static class HeaderCustomizerConfiguration {

		@Bean
		SteerLLMClientBuilderCustomizer headerCustomizer() {
			return (builder) -> builder.webClientBuilder(
					WebClient.builder().defaultHeader("X-Customized-By", "steerLLMClientBuilderCustomizer"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizersConfiguration {

		@Bean
		Calls calls() {
			return new Calls(new CopyOnWriteArrayList<>());
		}

		// declared first, applied last
		@Bean
		@Order(2)
		SteerLLMClientBuilderCustomizer secondCustomizer(Calls calls) {
			return (builder) -> {
				calls.names().add("second");
				builder.defaultOptions(SECOND);
			};
		}

		@Bean
		@Order(1)
		SteerLLMClientBuilderCustomizer firstCustomizer(Calls calls) {
			return (builder) -> {
				calls.names().add("first");
				builder.defaultOptions(FIRST);
			};
		}

	}

}
