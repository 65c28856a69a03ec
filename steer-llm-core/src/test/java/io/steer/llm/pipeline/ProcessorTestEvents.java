package io.steer.llm.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;

/**
 * Hand-made events of one stream {@code "s"}, for the processors tested without HTTP.
 */
final class ProcessorTestEvents {

	static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static final Map<String, StreamErrorEvent> ERRORS = new ConcurrentHashMap<>();

	private ProcessorTestEvents() {
	}

	static StreamStartEvent start(String provider) {
		return new StreamStartEvent("s", provider, "model-1", null, T0, Map.of("http.status", 200));
	}

	static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	static StreamUsageEvent usage() {
		return new StreamUsageEvent("s", Usage.of(3, 2), false, 1.0, T0);
	}

	static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "model-1", text, null, "", "stop", FinishReason.STOP,
				List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

	static StreamCompleteEvent complete(String text) {
		return new StreamCompleteEvent("s", 2, 10, Usage.of(3, 2), response(text), T0);
	}

	/**
	 * The error event of a stream interrupted after the given text; the same instance for
	 * the same text, since exceptions are not equal to each other.
	 */
	static StreamErrorEvent interrupted(String partialText) {
		return ERRORS.computeIfAbsent(partialText, ProcessorTestEvents::newInterrupted);
	}

	private static StreamErrorEvent newInterrupted(String partialText) {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		StreamingResponse partial = response(partialText);
		error.attachPartialResponse(partial);
		return new StreamErrorEvent("s", error, error.getErrorType(), true, partial, T0);
	}

	/** Start (openai), two text deltas {@code "Hel"} {@code "lo"}, usage, complete. */
	static List<StreamEvent> hello() {
		return List.of(start("openai"), delta(0, "Hel"), delta(1, "lo"), usage(), complete("Hello"));
	}

	/** Start (openai), a text delta {@code "Hel"}, then the stream fails. */
	static List<StreamEvent> failing() {
		return List.of(start("openai"), delta(0, "Hel"), interrupted("Hel"));
	}

	static String text(List<StreamEvent> events) {
		StringBuilder text = new StringBuilder();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta) {
				text.append(delta.delta());
			}
		}
		return text.toString();
	}

}
