package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.pipeline.EventProcessors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The correlation id of the {@code steerEventProcessor} bean with Micrometer Tracing: the
 * trace id of the subscriber's observation when there is a {@link Tracer} bean, the
 * Reactor context key or a UUID otherwise; streams run over the loopback server.
 */
class SteerEventProcessorTracingTests {

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private final SimpleTracer tracer = new SimpleTracer();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@RegisterExtension
	static final OpenAiLoopback loopback = new OpenAiLoopback();

	@BeforeEach
	void start() {
		this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
	}

	private ApplicationContextRunner runner() {
		return loopback.provider(this.contextRunner, "sk-proj-tracingTestKey0123456789abcdefABCDE")
			.withPropertyValues("steer.streaming.events.correlation=true");
	}

	private ApplicationContextRunner withTracer() {
		return runner().withBean(Tracer.class, () -> this.tracer);
	}

	/** The correlation ids of one stream subscribed inside the observation. */
	private static List<Object> correlationIds(AssertableApplicationContext context, Observation observation,
			@Nullable String explicitId) {
		List<StreamEvent> events = context.getBean(SteerLLMClient.class)
			.streamEvents(REQUEST)
			.contextWrite((reactor) -> {
				reactor = reactor.put(ObservationThreadLocalAccessor.KEY, observation);
				return (explicitId != null) ? reactor.put(EventProcessors.CORRELATION_ID_KEY, explicitId) : reactor;
			})
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(events).hasSizeGreaterThan(2);
		assertThat(events.get(events.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
		return events.stream().map((event) -> event.metadata().get(EventProcessors.CORRELATION_ID)).toList();
	}

	private String startTrace(Observation observation) {
		observation.start();
		String traceId = this.tracer.lastSpan().context().traceId();
		assertThat(traceId).isNotEmpty();
		return traceId;
	}

	@Test
	void runWithATracerShouldUseTheTraceIdOfTheSubscribersObservation() {
		withTracer().run((context) -> {
			Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
			String traceId = startTrace(observation);
			try {
				assertThat(correlationIds(context, observation, null)).containsOnly(traceId);
			}
			finally {
				observation.stop();
			}
		});
	}

	@Test
	void runWithATracerShouldStillPreferTheContextKey() {
		withTracer().run((context) -> {
			Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
			startTrace(observation);
			try {
				assertThat(correlationIds(context, observation, "req-42")).containsOnly("req-42");
			}
			finally {
				observation.stop();
			}
		});
	}

	@Test
	void runWithATracerShouldStreamWithAUuidWhenThereIsNoTrace() {
		withTracer().run((context) -> {
			Observation untraced = Observation.start("untraced", ObservationRegistry.NOOP);
			List<Object> ids = correlationIds(context, untraced, null);
			assertThat(ids).containsOnly(ids.get(0));
			assertThat(UUID.fromString((String) ids.get(0))).isNotNull();
		});
	}

	@Test
	void runWithoutATracerBeanShouldNotUseTheTraceId() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(Tracer.class);
			Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
			String traceId = startTrace(observation);
			try {
				List<Object> ids = correlationIds(context, observation, null);
				assertThat(ids).containsOnly(ids.get(0)).doesNotContain(traceId);
				assertThat(UUID.fromString((String) ids.get(0))).isNotNull();
			}
			finally {
				observation.stop();
			}
		});
	}

	@Test
	void runWithoutMicrometerTracingShouldStreamWithAUuid() {
		withTracer().withClassLoader(new FilteredClassLoader(Tracer.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
			startTrace(observation);
			try {
				List<Object> ids = correlationIds(context, observation, null);
				assertThat(UUID.fromString((String) ids.get(0))).isNotNull();
			}
			finally {
				observation.stop();
			}
		});
	}

	@Test
	void runWithATracerAndCorrelationOffShouldAddNoCorrelationId() {
		withTracer()
			.withPropertyValues("steer.streaming.events.correlation=false", "steer.streaming.events.metrics=true")
			.run((context) -> {
				Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
				startTrace(observation);
				try {
					assertThat(correlationIds(context, observation, null)).containsOnlyNulls();
				}
				finally {
					observation.stop();
				}
			});
	}

	@Test
	void runWithATracerShouldUseTheTraceIdForStepVerifiedStreams() {
		withTracer().run((context) -> {
			Observation observation = Observation.createNotStarted("http.server.requests", this.registry);
			String traceId = startTrace(observation);
			try {
				StepVerifier
					.create(context.getBean(SteerLLMClient.class)
						.streamEvents(REQUEST)
						.contextWrite((reactor) -> reactor.put(ObservationThreadLocalAccessor.KEY, observation)))
					.thenConsumeWhile((event) -> !event.isTerminal(),
							(event) -> assertThat(event.metadata()).containsEntry(EventProcessors.CORRELATION_ID,
									traceId))
					.assertNext((event) -> assertThat(event.metadata()).containsEntry(EventProcessors.CORRELATION_ID,
							traceId))
					.expectComplete()
					.verify(Duration.ofSeconds(10));
			}
			finally {
				observation.stop();
			}
		});
	}

}
