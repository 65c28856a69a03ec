package io.steer.llm.assembly;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventEmitter}: the start event held back and emitted once, chunk indexes without
 * gaps across attempts, events in the order made.
 */
class EventEmitterTests {

	/** How long a verification waits for what it expects: a failure, never a hang. */
	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final StreamContext context = TestStreams.context(ScriptedAdapter.reportingUsage(), new AtomicLong());

	private static StreamingResponse response(Usage usage) {
		return new StreamingResponse(null, "scripted", "m", "", null, "", null, null, List.of(), List.of(), List.of(),
				List.of(), usage, false, null, null, new StreamingMetrics(2, 2, 12.5, null, 0, 1), java.util.Map.of());
	}

	@Test
	void drainShouldHoldTheStartEventBackUntilAnotherEventAndEmitItOnce() {
		EventEmitter emitter = new EventEmitter(this.context);
		emitter.start("req-1", 200);
		assertThat(emitter.drain()).isEmpty();
		assertThat(emitter.began()).isTrue();
		// a later response (a continuation's) replaces the start event held back
		emitter.start("req-2", 200);
		emitter.delta(DeltaKind.TEXT, "a", 0, false, null);
		emitter.delta(DeltaKind.TEXT, "b", 0, false, null);
		StepVerifier.create(Flux.fromIterable(emitter.drain()))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamStartEvent.class,
					(start) -> assertThat(start.requestId()).isEqualTo("req-2")))
			.assertNext((event) -> assertThat(((StreamDeltaEvent) event).chunkIndex()).isZero())
			.assertNext((event) -> assertThat(((StreamDeltaEvent) event).chunkIndex()).isEqualTo(1))
			.expectComplete()
			.verify(TIMEOUT);
		emitter.start("req-3", 200);
		emitter.delta(DeltaKind.TEXT, "c", 0, false, null);
		assertThat(emitter.drain()).singleElement().isInstanceOf(StreamDeltaEvent.class);
	}

	@Test
	void retryEmitterShouldContinueTheChunkIndexesWithoutTheStartEventHeldBack() {
		EventEmitter first = new EventEmitter(this.context);
		first.start("req-1", 200);
		first.delta(DeltaKind.TEXT, "a", 0, false, null);
		first.drain();
		first.delta(DeltaKind.TEXT, "b", 0, false, null);
		first.drain();
		EventEmitter second = new EventEmitter(first);
		second.start("req-2", 200);
		second.delta(DeltaKind.TEXT, "c", 0, false, null);
		assertThat(second.drain()).singleElement()
			.isInstanceOfSatisfying(StreamDeltaEvent.class, (delta) -> assertThat(delta.chunkIndex()).isEqualTo(2));
		assertThat(second.chunks()).isEqualTo(3);

		EventEmitter unstarted = new EventEmitter(this.context);
		unstarted.start("req-1", 200);
		EventEmitter retry = new EventEmitter(unstarted);
		assertThat(retry.began()).isFalse();
		retry.usage(Usage.of(1, 0), false, 1.0);
		assertThat(retry.drain()).singleElement().isInstanceOf(StreamUsageEvent.class);
	}

	@Test
	void completeShouldFollowTheEventsBeforeItWithTheStreamsTotals() {
		EventEmitter emitter = new EventEmitter(this.context);
		emitter.start(null, 200);
		emitter.delta(DeltaKind.TOOL_CALL, "{}", 0, true, new ToolCallDelta(0, "call-1", "weather"));
		emitter.delta(DeltaKind.TEXT, "x", 0, false, null);
		emitter.usage(Usage.of(3, 2), true, 0.5);
		StreamCompleteEvent complete = emitter.complete(response(Usage.of(3, 2)));
		List<StreamEvent> events = emitter.drain();
		assertThat(events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("StreamStartEvent", "StreamDeltaEvent", "StreamDeltaEvent", "StreamUsageEvent",
					"StreamCompleteEvent");
		assertThat(events).allSatisfy((event) -> assertThat(event.timestamp()).isEqualTo(TestStreams.NOW));
		assertThat(complete.totalChunks()).isEqualTo(2);
		assertThat(complete.durationMs()).isEqualTo(12.5);
		assertThat(complete.usage()).isEqualTo(Usage.of(3, 2));
		StreamUsageEvent usage = (StreamUsageEvent) events.get(3);
		assertThat(usage.estimated()).isTrue();
		assertThat(usage.confidence()).isEqualTo(0.5);
	}

	@Test
	void errorShouldCarryTheFailureAndThePartialResponse() {
		EventEmitter emitter = new EventEmitter(this.context);
		StreamInterruptedException failure = new StreamInterruptedException("scripted", "reset", null);
		StreamingResponse partial = response(Usage.of(1, 1));
		emitter.error(failure, partial);
		StepVerifier.create(Flux.fromIterable(emitter.drain()))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.error()).isSameAs(failure);
				assertThat(error.partialResponse()).isSameAs(partial);
				assertThat(error.isRetryable()).isTrue();
			}))
			.expectComplete()
			.verify(TIMEOUT);
	}

}
