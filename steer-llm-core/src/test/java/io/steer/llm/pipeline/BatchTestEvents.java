package io.steer.llm.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;

/**
 * Hand-made events of one stream {@code "s"} for the batching tests.
 */
final class BatchTestEvents {

	static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	static final StreamStartEvent START = new StreamStartEvent("s", "openai", "gpt-4o-mini", null, T0, Map.of());

	private BatchTestEvents() {
	}

	static StreamDeltaEvent delta(int index) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, "d" + index, index, 0, false, null, T0);
	}

	static StreamCompleteEvent complete() {
		StreamingResponse response = new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", "text", null, "",
				"stop", FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, 4, 10, 1.0, 0, 1), Map.of());
		return new StreamCompleteEvent("s", 2, 10, null, response, T0);
	}

	/** Start, {@code deltas} text deltas, complete. */
	static List<StreamEvent> stream(int deltas) {
		List<StreamEvent> events = new ArrayList<>();
		events.add(START);
		for (int i = 0; i < deltas; i++) {
			events.add(delta(i));
		}
		events.add(complete());
		return List.copyOf(events);
	}

	/** Start, {@code deltas} text deltas, complete, of the stream {@code streamId}. */
	static List<StreamEvent> stream(String streamId, int deltas) {
		List<StreamEvent> events = new ArrayList<>();
		events.add(new StreamStartEvent(streamId, "openai", "gpt-4o-mini", null, T0, Map.of()));
		for (int i = 0; i < deltas; i++) {
			events.add(new StreamDeltaEvent(streamId, DeltaKind.TEXT, "d" + i, i, 0, false, null, T0));
		}
		StreamCompleteEvent complete = complete();
		events.add(new StreamCompleteEvent(streamId, complete.totalChunks(), complete.durationMs(), null,
				complete.response(), T0));
		return List.copyOf(events);
	}

	/** The events of the batches, in the order of the batches. */
	static List<StreamEvent> flatten(List<List<StreamEvent>> batches) {
		return batches.stream().flatMap(List::stream).toList();
	}

}
