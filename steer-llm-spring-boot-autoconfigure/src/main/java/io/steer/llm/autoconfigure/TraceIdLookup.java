package io.steer.llm.autoconfigure;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.steer.llm.pipeline.EventProcessors;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The current trace id as the correlation id of a stream, for
 * {@link EventProcessors#correlationId(Function)} and
 * {@link EventProcessors.Builder#addCorrelation(Function)}. The
 * {@code steerEventProcessor} bean uses it when
 * {@code steer.streaming.events.correlation} is on and there is a Micrometer Tracing
 * {@link Tracer} bean.
 * <p>
 * Example, in code: <pre>{@code
 * EventProcessor correlation = EventProcessors.correlationId(TraceIdLookup.of(tracer));
 * }</pre> Needs {@code io.micrometer:micrometer-tracing} on the class path.
 */
public final class TraceIdLookup {

	private TraceIdLookup() {
	}

	/**
	 * A lookup of the trace id of the subscriber's current span, called once per stream
	 * when the stream is subscribed: first the span of the observation in the
	 * subscriber's Reactor context (key {@value ObservationThreadLocalAccessor#KEY}, as
	 * WebFlux's server observation and {@code contextWrite} put it), through the
	 * {@link TracingObservationHandler.TracingContext} the tracing handler keeps in the
	 * observation's context; else, when a tracer is given, the tracer's
	 * {@link Tracer#currentSpan() current span} on the subscribing thread (a blocking or
	 * Spring MVC caller's span); else {@code null}, so that the correlation id falls back
	 * to a UUID. A span with an empty trace id (a no-op tracer's) counts as none.
	 * @param tracer the tracer whose current span is the fallback, or {@code null} to
	 * read the Reactor context only
	 * @return the lookup, never throwing; it returns the trace id in the tracer's format
	 * (32 or 16 lowercase hex characters with Brave and OpenTelemetry) or {@code null}
	 */
	public static Function<ContextView, @Nullable String> of(@Nullable Tracer tracer) {
		return (context) -> {
			String traceId = traceIdOf(observationSpan(context));
			if (traceId == null && tracer != null) {
				traceId = traceIdOf(tracer.currentSpan());
			}
			return traceId;
		};
	}

	private static @Nullable Span observationSpan(ContextView context) {
		Object value = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (!(value instanceof Observation observation)) {
			return null;
		}
		TracingObservationHandler.TracingContext tracing = observation.getContextView()
			.get(TracingObservationHandler.TracingContext.class);
		return (tracing != null) ? tracing.getSpan() : null;
	}

	private static @Nullable String traceIdOf(@Nullable Span span) {
		if (span == null || span.isNoop()) {
			return null;
		}
		String traceId = span.context().traceId();
		return (traceId == null || traceId.isEmpty()) ? null : traceId;
	}

}
