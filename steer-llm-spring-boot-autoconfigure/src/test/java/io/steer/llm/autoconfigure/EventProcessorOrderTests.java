package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventProcessors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how the event processors of the configuration compose: several beans named by
 * {@code steer.streaming.event-processor} in their {@code @Order}, the recorder and
 * {@code steerEventProcessor} at their own place, the built-in presets. Each processor
 * appends its name to the metadata {@code trail}, so the trail of an event is the order
 * the processors ran in.
 */
class EventProcessorOrderTests {

	private static final String TRAIL = "trail";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class))
		.withUserConfiguration(TrailConfiguration.class);

	@RegisterExtension
	static final OpenAiLoopback loopback = new OpenAiLoopback();

	private ApplicationContextRunner runner() {
		return loopback.provider(this.contextRunner, "sk-proj-orderTestKey0123456789abcdefABCDEF");
	}

	private static List<String> trails(AssertableApplicationContext context, StreamingOptions options) {
		List<StreamEvent> events = context.getBean(SteerLLMClient.class)
			.streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"), options)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(events).isNotEmpty();
		return events.stream().map((event) -> String.valueOf(event.metadata().get(TRAIL))).distinct().toList();
	}

	private static List<String> trails(AssertableApplicationContext context) {
		return trails(context, context.getBean(StreamingOptions.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "unordered,last,first,second", "first, second, unordered, last",
			"last,second,unordered,first" })
	void runWhenSeveralProcessorsAreNamedShouldComposeThemInTheirOrder(String names) {
		runner().withPropertyValues("steer.streaming.event-processor=" + names)
			.run((context) -> assertThat(trails(context)).containsExactly("/first/second/last/unordered"));
	}

	@Test
	void runWhenProcessorsAreAYamlListShouldComposeThemInTheirOrder() {
		runner()
			.withPropertyValues("steer.streaming.event-processor[0]=second", "steer.streaming.event-processor[1]=first")
			.run((context) -> assertThat(trails(context)).containsExactly("/first/second"));
	}

	@Test
	void runWhenProcessorsHaveTheSameOrderShouldKeepTheOrderListed() {
		runner().withPropertyValues("steer.streaming.event-processor=unordered,alsoUnordered").run((context) -> {
			assertThat(trails(context)).containsExactly("/unordered/alsoUnordered");
		});
		runner().withPropertyValues("steer.streaming.event-processor=alsoUnordered,unordered").run((context) -> {
			assertThat(trails(context)).containsExactly("/alsoUnordered/unordered");
		});
	}

	@Test
	void runWhenABeanIsNamedTwiceShouldRunItOnce() {
		runner().withPropertyValues("steer.streaming.event-processor=first,first")
			.run((context) -> assertThat(trails(context)).containsExactly("/first"));
	}

	@Test
	void runWhenAnEmptyListIsGivenShouldRunNone() {
		runner()
			.withPropertyValues("steer.streaming.event-processor=first", "steer.streaming.presets.bare.chunk-size=2",
					"steer.streaming.presets.bare.event-processor=")
			.run((context) -> {
				assertThat(context.getBean("bareOptions", StreamingOptions.class).eventProcessor()).isNull();
				assertThat(trails(context)).containsExactly("/first");
			});
	}

	@Test
	void runWhenTheYamlProcessorIsDefinedShouldRunItBeforeTheNamedOnesAndInTheBuiltInPresets() {
		runner()
			.withPropertyValues("steer.streaming.events.correlation=true",
					"steer.streaming.event-processor=second,first", "steer.streaming.presets.own.event-processor=last",
					"steer.streaming.presets.inherits.chunk-size=3")
			.run((context) -> {
				assertThat(trails(context)).containsExactly("/first/second");
				assertThat(trails(context, context.getBean("inheritsOptions", StreamingOptions.class)))
					.containsExactly("/first/second");
				assertThat(trails(context, context.getBean("ownOptions", StreamingOptions.class)))
					.containsExactly("/last");
				for (String builtIn : SteerLLMAutoConfiguration.BUILT_IN_PRESET_BEAN_NAMES) {
					StreamingOptions options = context.getBean(builtIn, StreamingOptions.class);
					List<StreamEvent> events = context.getBean(SteerLLMClient.class)
						.streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"), options)
						.collectList()
						.block(Duration.ofSeconds(10));
					assertThat(events).as(builtIn)
						.isNotEmpty()
						.allMatch((event) -> event.metadata().containsKey(EventProcessors.CORRELATION_ID));
				}
			});
	}

	@Test
	void runWithoutTheYamlProcessorShouldLeaveTheBuiltInPresetsAsTheyAre() {
		runner().run((context) -> {
			for (String builtIn : SteerLLMAutoConfiguration.BUILT_IN_PRESET_BEAN_NAMES) {
				assertThat(context.getBean(builtIn, StreamingOptions.class).eventProcessor()).as(builtIn).isNull();
			}
		});
	}

	/**
	 * Processors that append their name to the trail: two with {@code @Order} on the
	 * {@code @Bean} method, one implementing {@link Ordered}, two without an order (the
	 * lowest precedence).
	 */
	@Configuration(proxyBeanMethods = false)
	static class TrailConfiguration {

		@Bean
		@Order(1)
		EventProcessor first() {
			return trail("first");
		}

		@Bean
		@Order(2)
		EventProcessor second() {
			return trail("second");
		}

		@Bean
		EventProcessor last() {
			return new LastProcessor();
		}

		@Bean
		EventProcessor unordered() {
			return trail("unordered");
		}

		@Bean
		EventProcessor alsoUnordered() {
			return trail("alsoUnordered");
		}

		static EventProcessor trail(String name) {
			return (events) -> events.map((event) -> {
				Object trail = event.metadata().get(TRAIL);
				return event.withMetadata(TRAIL, ((trail != null) ? trail : "") + "/" + name);
			});
		}

	}

	/**
	 * A processor ordered by {@link Ordered}: after {@code first} and {@code second},
	 * before the processors without an order.
	 */
	static final class LastProcessor implements EventProcessor, Ordered {

		private final EventProcessor trail = TrailConfiguration.trail("last");

		@Override
		public Flux<StreamEvent> apply(Flux<StreamEvent> events) {
			return this.trail.apply(events);
		}

		@Override
		public int getOrder() {
			return 10;
		}

	}

}
