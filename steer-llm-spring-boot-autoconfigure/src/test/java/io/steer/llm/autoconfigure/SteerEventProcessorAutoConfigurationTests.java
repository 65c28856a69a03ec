package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.BatchHandler;
import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventProcessors;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.pipeline.OverflowPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code steerEventProcessor} and {@code steerEventDelivery} beans of
 * {@link SteerLLMAutoConfiguration}, built from {@code steer.streaming.events.*}; streams
 * run over the loopback server.
 */
class SteerEventProcessorAutoConfigurationTests {

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@RegisterExtension
	static final OpenAiLoopback loopback = new OpenAiLoopback();

	private ApplicationContextRunner runner() {
		return loopback.provider(this.contextRunner, "sk-proj-eventsTestKey0123456789abcdefABCDEF");
	}

	private static List<StreamEvent> stream(AssertableApplicationContext context) {
		return context.getBean(SteerLLMClient.class).streamEvents(REQUEST).collectList().block(Duration.ofSeconds(10));
	}

	@Test
	void runWhenNoProcessorKeyIsSetShouldDefineNeitherBean() {
		runner().withPropertyValues("steer.streaming.events.replay.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SteerLLMAutoConfiguration.EVENT_PROCESSOR_BEAN_NAME)
				.doesNotHaveBean(EventDelivery.class);
			assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isNull();
		});
	}

	@Test
	void runWhenTypesAreSetShouldPassOnlyThoseTypesAndTheTerminalEvent() {
		runner().withPropertyValues("steer.streaming.events.types=delta", "steer.streaming.events.correlation=true")
			.run((context) -> {
				EventProcessor processor = context.getBean(SteerLLMAutoConfiguration.EVENT_PROCESSOR_BEAN_NAME,
						EventProcessor.class);
				assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isSameAs(processor);
				assertThat(context).doesNotHaveBean(EventDelivery.class);
				List<StreamEvent> events = stream(context);
				assertThat(events).hasSizeGreaterThan(2);
				assertThat(events.subList(0, events.size() - 1)).allMatch(StreamDeltaEvent.class::isInstance);
				assertThat(events.get(events.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
				assertThat(events).extracting((event) -> event.metadata().get(EventProcessors.CORRELATION_ID))
					.doesNotContainNull()
					.containsOnly(events.get(0).metadata().get(EventProcessors.CORRELATION_ID));
			});
	}

	@Test
	void runWhenProvidersExcludeTheStreamShouldPassOnlyItsTerminalEvent() {
		runner().withPropertyValues("steer.streaming.events.providers=anthropic").run((context) -> {
			List<StreamEvent> events = stream(context);
			assertThat(events).singleElement().isInstanceOf(StreamCompleteEvent.class);
		});
	}

	@Test
	void runWhenAHandlerIsNamedShouldDeliverTheBatchesOnASteerEventsThread() {
		runner().withUserConfiguration(HandlerConfiguration.class)
			.withPropertyValues("steer.streaming.events.batch.handler=recordingHandler",
					"steer.streaming.events.batch.size=3", "steer.streaming.events.batch.timeout=5s",
					"steer.streaming.events.overflow-policy=backpressure",
					"steer.streaming.events.background-queue-capacity=8")
			.run((context) -> {
				RecordingHandler handler = context.getBean(RecordingHandler.class);
				EventDelivery delivery = context.getBean(SteerLLMAutoConfiguration.EVENT_DELIVERY_BEAN_NAME,
						EventDelivery.class);
				assertThat(delivery.overflowPolicy()).isEqualTo(OverflowPolicy.BACKPRESSURE);
				assertThat(delivery.queueCapacity()).isEqualTo(8);
				List<StreamEvent> seen = stream(context);
				delivery.close();
				assertThat(delivery.isClosed()).isTrue();
				assertThat(handler.events()).containsExactlyElementsOf(seen);
				assertThat(handler.batches).allSatisfy((batch) -> assertThat(batch).hasSizeBetween(1, 3));
				assertThat(handler.threads).isNotEmpty().allMatch((name) -> name.startsWith("steer-events-"));
				assertThat(seen.get(0)).isInstanceOf(StreamStartEvent.class);
				assertThat(seen).anyMatch(StreamUsageEvent.class::isInstance);
			});
	}

	@Test
	void runWhenBackgroundIsOffShouldHandleTheBatchesInTheStreamWithoutADelivery() {
		runner().withUserConfiguration(HandlerConfiguration.class)
			.withPropertyValues("steer.streaming.events.batch.handler=recordingHandler",
					"steer.streaming.events.background=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EventDelivery.class);
				RecordingHandler handler = context.getBean(RecordingHandler.class);
				List<StreamEvent> seen = stream(context);
				assertThat(handler.events()).containsExactlyElementsOf(seen);
				assertThat(handler.threads).noneMatch((name) -> name.startsWith("steer-events-"));
			});
	}

	@Test
	void runWhenTheContextClosesShouldCloseTheDelivery() {
		runner().withUserConfiguration(HandlerConfiguration.class, MeterRegistryConfiguration.class)
			.withPropertyValues("steer.streaming.events.batch.handler=recordingHandler")
			.run((context) -> {
				EventDelivery delivery = context.getBean(EventDelivery.class);
				RecordingHandler handler = context.getBean(RecordingHandler.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				List<StreamEvent> seen = stream(context);
				assertThat(delivery.isClosed()).isFalse();
				context.close();
				assertThat(delivery.isClosed()).isTrue();
				assertThat(handler.events()).containsExactlyElementsOf(seen);
				assertThat(registry.find("steer.events.batches").counters()).isNotEmpty();
			});
	}

	@Test
	void runWhenANamedProcessorIsAlsoSetShouldRunItAfterTheConfiguredOne() {
		runner().withUserConfiguration(TagConfiguration.class)
			.withPropertyValues("steer.streaming.events.types=start,complete",
					"steer.streaming.event-processor=countingProcessor", "steer.streaming.events.replay.enabled=true")
			.run((context) -> {
				List<StreamEvent> seen = stream(context);
				assertThat(seen).hasSize(2);
				assertThat(context.getBean(TagConfiguration.class).seen).containsExactlyElementsOf(seen);
				EventRecorder recorder = context.getBean(EventRecorder.class);
				assertThat(recorder.recording(seen.get(0).streamId()).orElseThrow().streamEvents())
					.anyMatch(StreamDeltaEvent.class::isInstance);
			});
	}

	@Test
	void runWhenAValueIsInvalidShouldFailNamingTheKeyAndTheAcceptedValues() {
		String prefix = "steer.streaming.events.";
		Map<String, List<String>> invalid = Map.of(prefix + "types=deltas", List.of(prefix + "types", "start, delta"),
				prefix + "batch.handler=missing", List.of(prefix + "batch.handler", "missing", "recordingHandler"),
				prefix + "batch.size=0", List.of(prefix + "batch.size", "between 1 and"), prefix + "batch.timeout=0s",
				List.of(prefix + "batch.timeout", "positive"), prefix + "background-queue-capacity=0",
				List.of(prefix + "background-queue-capacity", "at least 1"));
		invalid.forEach((property, expected) -> runner().withUserConfiguration(HandlerConfiguration.class)
			.withPropertyValues(property)
			.withPropertyValues(property.contains("batch.handler") ? "steer.streaming.events.metrics=true"
					: prefix + "batch.handler=recordingHandler")
			.run((context) -> {
				assertThat(context).as(property).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.as(property)
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContainingAll(expected.toArray(String[]::new));
			}));
	}

	@Test
	void runWhenBatchKeysAreSetWithoutAHandlerShouldFailNamingTheHandlerKey() {
		runner().withPropertyValues("steer.streaming.events.batch.size=5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("steer.streaming.events.batch.handler");
		});
	}

	static final class RecordingHandler implements BatchHandler {

		final List<List<StreamEvent>> batches = Collections.synchronizedList(new ArrayList<>());

		final List<String> threads = Collections.synchronizedList(new ArrayList<>());

		@Override
		public reactor.core.publisher.Mono<Void> handle(List<StreamEvent> batch) {
			return reactor.core.publisher.Mono.fromRunnable(() -> {
				this.threads.add(Thread.currentThread().getName());
				this.batches.add(batch);
			});
		}

		List<StreamEvent> events() {
			synchronized (this.batches) {
				return this.batches.stream().flatMap(List::stream).toList();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TagConfiguration {

		final List<StreamEvent> seen = Collections.synchronizedList(new ArrayList<>());

		@Bean
		EventProcessor countingProcessor() {
			return (events) -> events.doOnNext(this.seen::add);
		}

	}

}
