package io.steer.llm.event;

import org.jspecify.annotations.Nullable;

/**
 * Which tool call a {@link DeltaKind#TOOL_CALL} delta belongs to.
 *
 * @param index index of the call in the model's turn
 * @param id provider id of the call; {@code null} on fragments after the first
 * @param name function name; {@code null} on fragments after the first
 */
public record ToolCallDelta(int index, @Nullable String id, @Nullable String name) {

}
