package io.steer.llm.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One of the {@code n} alternative completions of a request (OpenAI {@code choices[]}).
 *
 * @param index choice index
 * @param text concatenated text deltas of this choice
 * @param refusal concatenated refusal deltas, {@code null} when the model did not refuse
 * @param reasoning concatenated reasoning deltas, empty when none
 * @param finishReason the provider's finish reason ({@code stop}, {@code length},
 * {@code tool_calls}, {@code end_turn}, …), {@code null} when the stream ended without one
 * @param toolCalls tool calls of this choice, by index
 */
public record Choice(int index, String text, @Nullable String refusal, String reasoning,
		@Nullable String finishReason, List<ToolCall> toolCalls) {

	public Choice {
		toolCalls = List.copyOf(toolCalls);
	}

}
