package io.steer.llm.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.retry.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

import static io.steer.llm.pipeline.ProcessorTestEvents.T0;
import static io.steer.llm.pipeline.ProcessorTestEvents.failing;
import static io.steer.llm.pipeline.ProcessorTestEvents.hello;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in metadata processors of {@link EventProcessors}: correlation id, timestamp
 * and metrics.
 */
class EventProcessorsMetadataTests {

	private static List<StreamEvent> run(EventProcessor processor, List<StreamEvent> events, Context context) {
		return processor.apply(Flux.fromIterable(events)).contextWrite(context).collectList().block();
	}

	private static List<Object> values(List<StreamEvent> events, String key) {
		return events.stream().map((event) -> event.metadata().get(key)).toList();
	}

	@Test
	void correlationIdShouldComeFromTheReactorContext() {
		List<StreamEvent> events = run(EventProcessors.correlationId(), hello(),
				Context.of(EventProcessors.CORRELATION_ID_KEY, "req-42"));
		assertThat(values(events, EventProcessors.CORRELATION_ID)).hasSize(5).containsOnly("req-42");
	}

	@Test
	void correlationIdShouldBeAUuidGeneratedOncePerStream() {
		EventProcessor correlation = EventProcessors.correlationId();
		List<Object> first = values(run(correlation, hello(), Context.empty()), EventProcessors.CORRELATION_ID);
		List<Object> second = values(run(correlation, failing(), Context.empty()), EventProcessors.CORRELATION_ID);
		assertThat(first).hasSize(5).containsOnly(first.get(0));
		assertThat(second).hasSize(3).containsOnly(second.get(0));
		assertThat(first.get(0)).isNotEqualTo(second.get(0));
		assertThat(UUID.fromString((String) first.get(0))).isNotNull();
	}

	@Test
	void correlationIdShouldUseTheLookupWhenTheContextHasNoId() {
		EventProcessor traced = EventProcessors.correlationId((context) -> context.getOrDefault("trace", null));
		assertThat(values(run(traced, hello(), Context.of("trace", "4bf92f")), EventProcessors.CORRELATION_ID))
			.containsOnly("4bf92f");
		assertThat(values(run(traced, hello(), Context.of("trace", "4bf92f", EventProcessors.CORRELATION_ID_KEY, 7)),
				EventProcessors.CORRELATION_ID))
			.containsOnly("7");
	}

	@Test
	void correlationIdShouldKeepTheStartEventsMetadata() {
		List<StreamEvent> events = run(EventProcessors.correlationId(), hello(), Context.empty());
		assertThat(events.get(0).metadata()).containsEntry("http.status", 200)
			.containsKey(EventProcessors.CORRELATION_ID);
	}

	@Test
	void timestampShouldBeTheClocksInstantWhenTheEventWasSeen() {
		MutableClock clock = new MutableClock(T0);
		EventProcessor timestamp = EventProcessors.timestamp(clock);
		List<StreamEvent> events = timestamp.apply(Flux.fromIterable(hello()).doOnNext((event) -> {
			clock.advance(Duration.ofMillis(5));
		})).collectList().block();
		assertThat(values(events, EventProcessors.PROCESSED_AT)).containsExactly(T0.plusMillis(5), T0.plusMillis(10),
				T0.plusMillis(15), T0.plusMillis(20), T0.plusMillis(25));
	}

	@Test
	void metricsShouldCountTheEventsAndTimeThemFromTheirTimestamps() {
		MutableClock clock = new MutableClock(T0);
		Flux<StreamEvent> events = Flux.fromIterable(hello())
			.doOnNext((event) -> clock.advance(Duration.ofNanos(1_500_000)));
		List<StreamEvent> out = EventProcessors.metrics(clock).apply(events).collectList().block();
		assertThat(values(out, EventProcessors.EVENT_COUNT)).containsExactly(1, 2, 3, 4, 5);
		assertThat(values(out, EventProcessors.PROCESSING_TIME_MS)).containsExactly(1.5, 3.0, 4.5, 6.0, 7.5);
		assertThat(out.subList(0, 4))
			.allMatch((event) -> !event.metadata().containsKey(EventProcessors.EVENTS_BY_TYPE));
		assertThat(out.get(4).metadata().get(EventProcessors.EVENTS_BY_TYPE))
			.isEqualTo(Map.of("start", 1, "delta", 2, "usage", 1, "complete", 1, "error", 0));
	}

	@Test
	void metricsShouldCountPerStream() {
		EventProcessor metrics = EventProcessors.metrics(new MutableClock(T0));
		metrics.apply(Flux.fromIterable(hello())).blockLast();
		List<StreamEvent> out = metrics.apply(Flux.fromIterable(failing())).collectList().block();
		assertThat(values(out, EventProcessors.EVENT_COUNT)).containsExactly(1, 2, 3);
		assertThat(out.get(2).metadata().get(EventProcessors.EVENTS_BY_TYPE))
			.isEqualTo(Map.of("start", 1, "delta", 1, "usage", 0, "complete", 0, "error", 1));
	}

	@Test
	void metadataProcessorsShouldKeepTheEventsTypesAndFields() {
		EventProcessor all = EventProcessors.correlationId()
			.andThen(EventProcessors.timestamp(new MutableClock(Instant.EPOCH)))
			.andThen(EventProcessors.metrics(new MutableClock(T0)));
		List<StreamEvent> in = hello();
		List<StreamEvent> out = all.apply(Flux.fromIterable(in)).collectList().block();
		assertThat(out).hasSize(in.size());
		for (int i = 0; i < in.size(); i++) {
			assertThat(out.get(i)).hasSameClassAs(in.get(i));
			assertThat(out.get(i).metadata()).containsAllEntriesOf(in.get(i).metadata())
				.containsKeys(EventProcessors.CORRELATION_ID, EventProcessors.PROCESSED_AT,
						EventProcessors.EVENT_COUNT);
		}
		assertThat(((StreamDeltaEvent) out.get(1)).delta()).isEqualTo("Hel");
	}

}
