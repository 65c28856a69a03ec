package io.steer.llm.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A fragment of the model's output.
 *
 * @param streamId id of the stream
 * @param kind what the fragment is
 * @param delta the fragment as streamed; may be empty (e.g. a tool call's first fragment)
 * @param chunkIndex 0-based position of this delta among the stream's deltas, without
 * gaps
 * @param choiceIndex index of the choice it belongs to (0 unless {@code n > 1})
 * @param json whether the fragment is part of a JSON answer (a JSON response format was
 * asked for) or of tool-call arguments
 * @param toolCall the tool call a {@link DeltaKind#TOOL_CALL} fragment belongs to, else
 * {@code null}
 * @param timestamp when the delta was parsed
 */
public record StreamDeltaEvent(String streamId, DeltaKind kind, String delta, int chunkIndex, int choiceIndex,
		boolean json, @Nullable ToolCallDelta toolCall, Instant timestamp) implements StreamEvent {

	/**
	 * Whether the fragment is JSON text.
	 * @return {@link #json()}
	 */
	public boolean isJson() {
		return this.json;
	}

	/**
	 * The fragment's text.
	 * @return {@link #delta()}
	 */
	public String getText() {
		return this.delta;
	}

}
