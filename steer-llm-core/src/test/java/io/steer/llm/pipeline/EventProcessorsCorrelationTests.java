package io.steer.llm.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import static io.steer.llm.pipeline.ProcessorTestEvents.hello;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the correlation id of {@link EventProcessors#correlationId(Function)} comes from:
 * the explicit Reactor context key, else the lookup (here the "trace id" an observation
 * in the subscriber's context carries, as the Micrometer Tracing lookup finds it), else a
 * UUID; chosen once per stream and the same on every event.
 */
class EventProcessorsCorrelationTests {

	/** Key of the stand-in trace id in the observation's context. */
	private static final String TRACE_ID = "test.trace-id";

	private final AtomicInteger lookups = new AtomicInteger();

	/**
	 * The trace id of the observation in the subscriber's context, counting the calls.
	 */
	private @Nullable String traceId(ContextView context) {
		this.lookups.incrementAndGet();
		Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		return (observation != null) ? observation.getContextView().get(TRACE_ID) : null;
	}

	private static Observation observation(String traceId) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		Observation observation = Observation.createNotStarted("test", registry);
		observation.getContext().put(TRACE_ID, traceId);
		return observation;
	}

	private static String correlationOf(StreamEvent event) {
		return (String) event.metadata().get(EventProcessors.CORRELATION_ID);
	}

	private List<String> ids(EventProcessor processor, Function<Context, Context> context) {
		List<String> ids = new ArrayList<>();
		StepVerifier.create(processor.apply(Flux.fromIterable(hello())).contextWrite(context))
			.recordWith(ArrayList::new)
			.expectNextCount(5)
			.consumeRecordedWith((events) -> events.forEach((event) -> ids.add(correlationOf(event))))
			.verifyComplete();
		return ids;
	}

	@Test
	void explicitKeyShouldWinOverTheTraceId() {
		EventProcessor processor = EventProcessors.correlationId(this::traceId);
		List<String> ids = ids(processor, (context) -> context.put(EventProcessors.CORRELATION_ID_KEY, "req-42")
			.put(ObservationThreadLocalAccessor.KEY, observation("4bf92f3577b34da6a3ce929d0e0e4736")));
		assertThat(ids).hasSize(5).containsOnly("req-42");
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void traceIdShouldBeUsedWhenTheContextHasNoExplicitKey() {
		EventProcessor processor = EventProcessors.correlationId(this::traceId);
		List<String> ids = ids(processor, (context) -> context.put(ObservationThreadLocalAccessor.KEY,
				observation("4bf92f3577b34da6a3ce929d0e0e4736")));
		assertThat(ids).hasSize(5).containsOnly("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(this.lookups).as("the lookup runs once per stream, not per event").hasValue(1);
	}

	@Test
	void uuidShouldBeGeneratedOncePerStreamWhenThereIsNoTraceId() {
		EventProcessor processor = EventProcessors.correlationId(this::traceId);
		List<String> first = ids(processor, Function.identity());
		List<String> second = ids(processor, Function.identity());
		assertThat(first).hasSize(5).containsOnly(first.get(0));
		assertThat(second).hasSize(5).containsOnly(second.get(0));
		assertThat(first.get(0)).isNotEqualTo(second.get(0));
		assertThat(UUID.fromString(first.get(0))).isNotNull();
		assertThat(this.lookups).hasValue(2);
	}

	@Test
	void emptyTraceIdShouldCountAsNone() {
		EventProcessor processor = EventProcessors.correlationId(this::traceId);
		List<String> ids = ids(processor,
				(context) -> context.put(ObservationThreadLocalAccessor.KEY, observation("")));
		assertThat(UUID.fromString(ids.get(0))).isNotNull();
		assertThat(ids).containsOnly(ids.get(0));
	}

	@Test
	void builderShouldUseTheGivenLookup() {
		EventProcessor processor = EventProcessors.builder().addCorrelation(this::traceId).build();
		List<String> ids = ids(processor,
				(context) -> context.put(ObservationThreadLocalAccessor.KEY, observation("abc123")));
		assertThat(ids).hasSize(5).containsOnly("abc123");
	}

	@Test
	void builderShouldDropTheLookupWhenCorrelationIsTurnedOff() {
		EventProcessor processor = EventProcessors.builder()
			.addCorrelation(this::traceId)
			.addCorrelation(false)
			.build();
		StepVerifier.create(processor.apply(Flux.fromIterable(hello())))
			.expectNextMatches((event) -> !event.metadata().containsKey(EventProcessors.CORRELATION_ID))
			.thenConsumeWhile((event) -> !event.metadata().containsKey(EventProcessors.CORRELATION_ID))
			.verifyComplete();
		assertThat(this.lookups).hasValue(0);
	}

}
