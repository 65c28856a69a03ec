package io.steer.llm.event;

import org.jspecify.annotations.Nullable;

/**
 * Which tool call a {@link DeltaKind#TOOL_CALL} delta belongs to.
 *
 * @param index index of the call in the model's turn
 * @param id provider id of the call; {@code null} on fragments after the first
 * @param name function name; {@code null} on fragments after the first
 * @param providerExecuted whether the provider runs this tool itself (an Anthropic
 * {@code server_tool_use} block, a Responses API built-in tool item): such a call is in
 * {@link io.steer.llm.model.StreamingResponse#serverToolCalls()}, not in
 * {@link io.steer.llm.model.StreamingResponse#toolCalls()}, and the caller must not run
 * it
 */
public record ToolCallDelta(int index, @Nullable String id, @Nullable String name, boolean providerExecuted) {

	/**
	 * A fragment of a call the caller runs.
	 * @param index index of the call in the model's turn
	 * @param id provider id of the call, or {@code null}
	 * @param name function name, or {@code null}
	 */
	public ToolCallDelta(int index, @Nullable String id, @Nullable String name) {
		this(index, id, name, false);
	}

}
