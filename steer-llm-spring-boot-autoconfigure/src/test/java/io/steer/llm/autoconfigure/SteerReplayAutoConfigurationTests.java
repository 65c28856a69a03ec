package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.autoconfigure.SteerEndpoint.RecordedEventsDescriptor;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the replay of recent streams: the {@code steerEventRecorder} bean of
 * {@link SteerLLMAutoConfiguration} from {@code steer.streaming.events.replay.*}, placed
 * first in the event processor of the default options and of every preset, and the
 * {@code GET /actuator/steer/{streamId}/events} operation of {@link SteerEndpoint};
 * streams run over the loopback server.
 */
class SteerReplayAutoConfigurationTests {

	private static final String API_KEY = "sk-proj-replayTestKey0123456789abcdefABCDEF";

	/** The text of the {@code openai/chat-text-usage} fixture starts so. */
	private static final String TEXT_START = "I'm unable";

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class, SteerEndpointAutoConfiguration.class,
				JacksonEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=steer");

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

	private ApplicationContextRunner replaying() {
		return runner().withPropertyValues("steer.streaming.events.replay.enabled=true");
	}

	private static List<StreamEvent> stream(AssertableApplicationContext context, StreamingOptions options) {
		return context.getBean(SteerLLMClient.class)
			.streamEvents(REQUEST, options)
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private static List<StreamEvent> stream(AssertableApplicationContext context) {
		return context.getBean(SteerLLMClient.class).streamEvents(REQUEST).collectList().block(Duration.ofSeconds(10));
	}

	@Test
	void runWhenReplayNotEnabledShouldDefineNoRecorderAndLeaveTheProcessorsAlone() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(EventRecorder.class);
			assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isNull();
			assertThat(context.getBean(SteerLLMAutoConfiguration.DEBUG_OPTIONS_BEAN_NAME, StreamingOptions.class))
				.isSameAs(StreamingOptions.DEBUG);
			List<StreamEvent> events = stream(context);
			SteerEndpoint endpoint = context.getBean(SteerEndpoint.class);
			assertThat(endpoint.events(events.get(0).streamId(), "events")).isNull();
		});
	}

	@Test
	void runWhenReplayEnabledShouldRecordEveryStreamOfTheDefaultOptions() {
		replaying().run((context) -> {
			EventRecorder recorder = context.getBean(EventRecorder.class);
			assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isSameAs(recorder);
			List<StreamEvent> events = stream(context);
			String streamId = events.get(0).streamId();
			assertThat(recorder.streamIds()).containsExactly(streamId);
			StepVerifier.create(recorder.replay(streamId)).expectNextSequence(events).verifyComplete();
		});
	}

	@Test
	void runWhenReplayEnabledShouldBindTheBounds() {
		replaying()
			.withPropertyValues("steer.streaming.events.replay.max-streams=2",
					"steer.streaming.events.replay.max-events-per-stream=3")
			.run((context) -> {
				EventRecorder recorder = context.getBean(EventRecorder.class);
				for (int i = 0; i < 4; i++) {
					stream(context);
				}
				assertThat(recorder.streamIds()).hasSize(2);
				EventRecorder.RecordedStream recording = recorder.recording(recorder.streamIds().iterator().next())
					.orElseThrow();
				assertThat(recording.events()).hasSize(3);
				assertThat(recording.truncated()).isTrue();
				assertThat(recording.finished()).isTrue();
			});
	}

	@Test
	void runWhenReplayEnabledWithAnEventProcessorShouldRecordFirstThenProcess() {
		replaying().withUserConfiguration(DropDeltasConfiguration.class)
			.withPropertyValues("steer.streaming.event-processor=dropDeltas")
			.run((context) -> {
				EventRecorder recorder = context.getBean(EventRecorder.class);
				List<StreamEvent> seen = stream(context);
				assertThat(seen).noneMatch(StreamDeltaEvent.class::isInstance);
				List<StreamEvent> recorded = recorder.recording(seen.get(0).streamId()).orElseThrow().streamEvents();
				assertThat(recorded).anyMatch(StreamDeltaEvent.class::isInstance);
				assertThat(recorded).containsSubsequence(seen);
			});
	}

	@Test
	void runWhenTheEventProcessorIsTheRecorderShouldRecordOnce() {
		replaying().withPropertyValues("steer.streaming.event-processor=steerEventRecorder").run((context) -> {
			EventRecorder recorder = context.getBean(EventRecorder.class);
			assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isSameAs(recorder);
			List<StreamEvent> seen = stream(context);
			assertThat(recorder.recording(seen.get(0).streamId()).orElseThrow().streamEvents()).isEqualTo(seen);
		});
	}

	@Test
	void runWhenReplayEnabledShouldRecordTheStreamsOfEveryPreset() {
		replaying().withUserConfiguration(DropDeltasConfiguration.class)
			.withPropertyValues("steer.streaming.presets.quiet.event-processor=dropDeltas",
					"steer.streaming.presets.patient.read-timeout=60s")
			.run((context) -> {
				EventRecorder recorder = context.getBean(EventRecorder.class);
				List<String> presets = List.of("quietOptions", "patientOptions",
						SteerLLMAutoConfiguration.JSON_MODE_OPTIONS_BEAN_NAME,
						SteerLLMAutoConfiguration.DEBUG_OPTIONS_BEAN_NAME,
						SteerLLMAutoConfiguration.HIGH_PERFORMANCE_OPTIONS_BEAN_NAME,
						SteerLLMAutoConfiguration.HIGH_THROUGHPUT_OPTIONS_BEAN_NAME,
						SteerLLMAutoConfiguration.LOW_LATENCY_OPTIONS_BEAN_NAME);
				for (String preset : presets) {
					StreamingOptions options = context.getBean(preset, StreamingOptions.class);
					List<StreamEvent> seen = stream(context, options);
					assertThat(recorder.recording(seen.get(0).streamId())).as(preset).isPresent();
				}
				assertThat(recorder.streamIds()).hasSize(presets.size());
				StreamingOptions debug = context.getBean(SteerLLMAutoConfiguration.DEBUG_OPTIONS_BEAN_NAME,
						StreamingOptions.class);
				assertThat(debug.withEventProcessor(null)).isEqualTo(StreamingOptions.DEBUG);
			});
	}

	@Test
	void runWhenReplayBoundIsInvalidShouldFailNamingTheProperty() {
		Map<String, String> invalid = Map.of("steer.streaming.events.replay.max-streams", "0",
				"steer.streaming.events.replay.max-events-per-stream", "0", "steer.streaming.events.replay.ttl", "0s");
		invalid.forEach((key, value) -> replaying().withPropertyValues(key + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(key);
		}));
	}

	@Test
	void runWhenUserDefinesARecorderShouldUseIt() {
		runner().withUserConfiguration(UserRecorderConfiguration.class).run((context) -> {
			EventRecorder recorder = context.getBean(EventRecorder.class);
			assertThat(recorder).isSameAs(context.getBean(UserRecorderConfiguration.class).recorder);
			assertThat(context.getBean(StreamingOptions.class).eventProcessor()).isSameAs(recorder);
			assertThat(context.getBean(SteerEndpoint.class).events(stream(context).get(0).streamId(), "events"))
				.isNotNull();
		});
	}

	@Test
	void readOfEventsShouldAnswerTheRecordedEventsWithTextRedacted() {
		replaying().run((context) -> {
			List<StreamEvent> seen = stream(context);
			String streamId = seen.get(0).streamId();
			RecordedEventsDescriptor descriptor = context.getBean(SteerEndpoint.class).events(streamId, "events");
			assertThat(descriptor).isNotNull();
			assertThat(descriptor.streamId()).isEqualTo(streamId);
			assertThat(descriptor.finished()).isTrue();
			assertThat(descriptor.droppedEvents()).isZero();
			assertThat(descriptor.events()).hasSize(seen.size());
			assertThat(descriptor.events()).extracting((event) -> event.get("type"))
				.startsWith("start", "delta")
				.endsWith("complete");
			JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
			String json = mapper.writeValueAsString(descriptor);
			assertThat(json).doesNotContain(API_KEY).doesNotContain("sk-proj").doesNotContain(TEXT_START);
			JsonNode tree = mapper.readTree(json);
			assertThat(tree.path("events").get(1).path("delta").asString()).matches("\\[redacted \\d+ chars]");
			assertThat(tree.path("events").get(0).path("provider").asString()).isEqualTo("openai");
		});
	}

	@Test
	void readOfEventsWithTextIncludedShouldShowTheText() {
		replaying().withPropertyValues("steer.streaming.events.replay.include-text=true").run((context) -> {
			String streamId = stream(context).get(0).streamId();
			RecordedEventsDescriptor descriptor = context.getBean(SteerEndpoint.class).events(streamId, "events");
			JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
			String json = mapper.writeValueAsString(descriptor);
			assertThat(json).contains(TEXT_START).doesNotContain(API_KEY);
		});
	}

	@Test
	void readOfEventsOfAnUnknownStreamOrAnotherSegmentShouldBeNull() {
		replaying().run((context) -> {
			String streamId = stream(context).get(0).streamId();
			SteerEndpoint endpoint = context.getBean(SteerEndpoint.class);
			assertThat(endpoint.events("unknown", "events")).isNull();
			assertThat(endpoint.events(streamId, "other")).isNull();
			assertThat(endpoint.events(streamId, "events")).isNotNull();
		});
	}

	@Test
	void eventsOperationShouldBeMappedToGetStreamIdSlashEvents() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class,
					SteerEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=steer",
					"steer.streaming.events.replay.enabled=true",
					"steer.providers.openai.base-url=" + this.server.baseUrl(),
					"steer.providers.openai.api-key=" + API_KEY)
			.run((context) -> {
				String[] suppliers = BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context,
						WebEndpointsSupplier.class);
				assertThat(suppliers).isNotEmpty();
				ExposableWebEndpoint steer = context.getBean(suppliers[0], WebEndpointsSupplier.class)
					.getEndpoints()
					.stream()
					.filter((endpoint) -> endpoint.getEndpointId().toString().equals(SteerEndpoint.ID))
					.findFirst()
					.orElseThrow();
				WebOperation events = StreamSupport.stream(steer.getOperations().spliterator(), false)
					.filter((operation) -> operation.getRequestPredicate()
						.getPath()
						.equals("steer/{streamId}/{segment}"))
					.findFirst()
					.orElseThrow();
				assertThat(events.getRequestPredicate().getHttpMethod().name()).isEqualTo("GET");
				List<StreamEvent> seen = context.getBean(SteerLLMClient.class)
					.streamEvents(REQUEST)
					.collectList()
					.block(Duration.ofSeconds(10));
				Object found = events.invoke(new InvocationContext(SecurityContext.NONE,
						Map.of("streamId", seen.get(0).streamId(), "segment", "events")));
				assertThat(found).isInstanceOf(RecordedEventsDescriptor.class);
				Object unknown = events.invoke(new InvocationContext(SecurityContext.NONE,
						Map.of("streamId", "unknown", "segment", "events")));
				assertThat(unknown).isNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class DropDeltasConfiguration {

		@Bean
		EventProcessor dropDeltas() {
			return (events) -> events.filter((event) -> !(event instanceof StreamDeltaEvent));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRecorderConfiguration {

		final EventRecorder recorder = EventRecorder.builder().maxStreams(3).build();

		@Bean
		EventRecorder myRecorder() {
			return this.recorder;
		}

	}

}
