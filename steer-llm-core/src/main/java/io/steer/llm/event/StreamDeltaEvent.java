package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

import io.steer.llm.json.JsonSnapshot;
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
 * @param jsonSnapshot the JSON value so far when the JSON stream handler is on and this
 * fragment changed it (the original SDK's {@code delta} as a {@code Dict}), else
 * {@code null}
 * @param timestamp when the delta was parsed
 * @param metadata extras added by processors, see {@link StreamEvent#metadata()}
 */
public record StreamDeltaEvent(String streamId, DeltaKind kind, String delta, int chunkIndex, int choiceIndex,
		boolean json, @Nullable ToolCallDelta toolCall, @Nullable JsonSnapshot jsonSnapshot, Instant timestamp,
		Map<String, Object> metadata) implements StreamEvent {

	/**
	 * Creates the event; the metadata is copied (an empty {@code Map.of()} is kept as it
	 * is).
	 * @param streamId id of the stream
	 * @param kind what the fragment is
	 * @param delta the fragment as streamed
	 * @param chunkIndex 0-based position of this delta among the stream's deltas
	 * @param choiceIndex index of the choice it belongs to
	 * @param json whether the fragment is JSON text
	 * @param toolCall the tool call a tool call fragment belongs to, else {@code null}
	 * @param jsonSnapshot the JSON value so far when this fragment changed it, else
	 * {@code null}
	 * @param timestamp when the delta was parsed
	 * @param metadata extras added by processors
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamDeltaEvent {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Creates the event without a JSON snapshot.
	 * @param streamId id of the stream
	 * @param kind what the fragment is
	 * @param delta the fragment as streamed
	 * @param chunkIndex 0-based position of this delta among the stream's deltas
	 * @param choiceIndex index of the choice it belongs to
	 * @param json whether the fragment is JSON text
	 * @param toolCall the tool call a tool call fragment belongs to, else {@code null}
	 * @param timestamp when the delta was parsed
	 * @param metadata extras added by processors
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamDeltaEvent(String streamId, DeltaKind kind, String delta, int chunkIndex, int choiceIndex,
			boolean json, @Nullable ToolCallDelta toolCall, Instant timestamp, Map<String, Object> metadata) {
		this(streamId, kind, delta, chunkIndex, choiceIndex, json, toolCall, null, timestamp, metadata);
	}

	/**
	 * Creates the event with no metadata.
	 * @param streamId id of the stream
	 * @param kind what the fragment is
	 * @param delta the fragment as streamed
	 * @param chunkIndex 0-based position of this delta among the stream's deltas
	 * @param choiceIndex index of the choice it belongs to
	 * @param json whether the fragment is JSON text
	 * @param toolCall the tool call a tool call fragment belongs to, else {@code null}
	 * @param timestamp when the delta was parsed
	 */
	public StreamDeltaEvent(String streamId, DeltaKind kind, String delta, int chunkIndex, int choiceIndex,
			boolean json, @Nullable ToolCallDelta toolCall, Instant timestamp) {
		this(streamId, kind, delta, chunkIndex, choiceIndex, json, toolCall, null, timestamp, Map.of());
	}

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

	@Override
	public StreamDeltaEvent withMetadata(String key, Object value) {
		return new StreamDeltaEvent(this.streamId, this.kind, this.delta, this.chunkIndex, this.choiceIndex, this.json,
				this.toolCall, this.jsonSnapshot, this.timestamp, EventMetadata.with(this.metadata, key, value));
	}

	@Override
	public StreamDeltaEvent withMetadata(Map<String, ?> entries) {
		Map<String, Object> metadata = EventMetadata.with(this.metadata, entries);
		return (metadata == this.metadata) ? this
				: new StreamDeltaEvent(this.streamId, this.kind, this.delta, this.chunkIndex, this.choiceIndex,
						this.json, this.toolCall, this.jsonSnapshot, this.timestamp, metadata);
	}

}
