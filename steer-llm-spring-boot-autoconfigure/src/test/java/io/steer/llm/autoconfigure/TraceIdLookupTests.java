package io.steer.llm.autoconfigure;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleSpanInScope;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventProcessors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.context.ContextView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TraceIdLookup}: the trace id of the observation in the Reactor context, else of
 * the tracer's current span, else none.
 */
class TraceIdLookupTests {

	private final SimpleTracer tracer = new SimpleTracer();

	private final ObservationRegistry registry = ObservationRegistry.create();

	TraceIdLookupTests() {
		this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
	}

	private static @Nullable String lookUp(Function<ContextView, @Nullable String> lookup,
			@Nullable Object observation) {
		String[] found = new String[1];
		Flux<String> probe = Flux.deferContextual((context) -> {
			found[0] = lookup.apply(context);
			return Flux.just("probed");
		});
		StepVerifier.create((observation != null)
				? probe.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observation)) : probe)
			.expectNext("probed")
			.verifyComplete();
		return found[0];
	}

	private static StreamEvent start() {
		return new StreamStartEvent("s-1", "openai", "gpt-4o-mini", null, Instant.EPOCH, Map.of());
	}

	@Test
	void lookupShouldFindTheTraceIdOfTheObservationInTheReactorContext() {
		Observation observation = Observation.start("http.server.requests", this.registry);
		try {
			String traceId = this.tracer.lastSpan().context().traceId();
			assertThat(traceId).isNotEmpty();
			assertThat(lookUp(TraceIdLookup.of(this.tracer), observation)).isEqualTo(traceId);
			assertThat(lookUp(TraceIdLookup.of(null), observation)).isEqualTo(traceId);
		}
		finally {
			observation.stop();
		}
	}

	@Test
	void lookupShouldPreferTheReactorContextToTheCurrentSpan() {
		Observation observation = Observation.start("http.server.requests", this.registry);
		SimpleSpan other = this.tracer.nextSpan().start();
		try (SimpleSpanInScope scope = this.tracer.withSpan(other)) {
			String traceId = this.tracer.getSpans().getFirst().context().traceId();
			assertThat(other.context().traceId()).isNotEqualTo(traceId);
			assertThat(lookUp(TraceIdLookup.of(this.tracer), observation)).isEqualTo(traceId);
		}
		finally {
			other.end();
			observation.stop();
		}
	}

	@Test
	void lookupShouldFallBackToTheCurrentSpanOnTheSubscribingThread() {
		SimpleSpan span = this.tracer.nextSpan().start();
		try (SimpleSpanInScope scope = this.tracer.withSpan(span)) {
			assertThat(lookUp(TraceIdLookup.of(this.tracer), null)).isEqualTo(span.context().traceId());
			assertThat(lookUp(TraceIdLookup.of(null), null)).isNull();
		}
		finally {
			span.end();
		}
	}

	@Test
	void lookupShouldFindNothingWithoutASpan() {
		assertThat(lookUp(TraceIdLookup.of(this.tracer), null)).isNull();
		assertThat(lookUp(TraceIdLookup.of(Tracer.NOOP), null)).isNull();
		Observation untraced = Observation.start("untraced", ObservationRegistry.create());
		assertThat(lookUp(TraceIdLookup.of(this.tracer), untraced)).isNull();
		assertThat(lookUp(TraceIdLookup.of(this.tracer), "not an observation")).isNull();
	}

	@Test
	void correlationIdShouldBeTheTraceIdOnEveryEventUnlessTheContextKeyIsSet() {
		Observation observation = Observation.start("http.server.requests", this.registry);
		try {
			String traceId = this.tracer.lastSpan().context().traceId();
			EventProcessor correlation = EventProcessors.correlationId(TraceIdLookup.of(this.tracer));
			Flux<StreamEvent> events = Flux.just(start(), start());
			StepVerifier
				.create(correlation.apply(events)
					.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observation)))
				.expectNextMatches((event) -> traceId.equals(event.metadata().get(EventProcessors.CORRELATION_ID)))
				.expectNextMatches((event) -> traceId.equals(event.metadata().get(EventProcessors.CORRELATION_ID)))
				.verifyComplete();
			StepVerifier
				.create(correlation.apply(events)
					.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observation)
						.put(EventProcessors.CORRELATION_ID_KEY, "req-42")))
				.expectNextMatches((event) -> "req-42".equals(event.metadata().get(EventProcessors.CORRELATION_ID)))
				.expectNextMatches((event) -> "req-42".equals(event.metadata().get(EventProcessors.CORRELATION_ID)))
				.verifyComplete();
		}
		finally {
			observation.stop();
		}
	}

}
