package io.steer.llm.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;

/**
 * Hand-made events of one stream {@code "s"}, for the stages tested without HTTP.
 */
final class TestEvents {

	static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	static final StreamStartEvent START = new StreamStartEvent("s", "openai", "gpt-4o-mini", null, T0, Map.of());

	private TestEvents() {
	}

	static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", text, null, "", "stop", FinishReason.STOP,
				List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

	static StreamCompleteEvent complete(String text) {
		return new StreamCompleteEvent("s", 2, 10, null, response(text), T0);
	}

	static StreamErrorEvent interrupted(String partialText) {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		StreamingResponse partial = response(partialText);
		error.attachPartialResponse(partial);
		return new StreamErrorEvent("s", error, error.getErrorType(), true, partial, T0);
	}

	/** Start, two text deltas {@code "Hel"} {@code "lo"}, complete. */
	static List<StreamEvent> hello() {
		return List.of(START, delta(0, "Hel"), delta(1, "lo"), complete("Hello"));
	}

}
