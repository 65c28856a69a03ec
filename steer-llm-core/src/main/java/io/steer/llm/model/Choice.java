package io.steer.llm.model;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One of the {@code n} alternative completions of a request (OpenAI {@code choices[]}).
 *
 * @param index choice index
 * @param text concatenated text deltas of this choice
 * @param refusal concatenated refusal deltas, {@code null} when the model did not refuse
 * @param reasoning concatenated reasoning deltas, empty when none
 * @param finishReason the provider's finish reason ({@code stop}, {@code length},
 * {@code tool_calls}, {@code end_turn}, …), {@code null} when the stream ended without
 * one
 * @param normalizedFinishReason {@code finishReason} mapped to the same values for every
 * provider; {@link FinishReason#ERROR} for a stream that failed before one; {@code null}
 * when the stream ended without one
 * @param toolCalls tool calls of this choice that the caller must run, by index
 * @param serverToolCalls tools the provider ran itself, by index; never in
 * {@code toolCalls}
 * @param citations sources the model cited, in the order they arrived
 * @param json this choice's JSON value when a JSON response format was asked for and its
 * text held one (after the options' {@code JsonProcessor}), else {@code null}
 */
public record Choice(int index, String text, @Nullable String refusal, String reasoning, @Nullable String finishReason,
		@Nullable FinishReason normalizedFinishReason, List<ToolCall> toolCalls, List<ServerToolCall> serverToolCalls,
		List<Citation> citations, @Nullable JsonNode json) {

	/**
	 * Creates a choice, copying the lists.
	 * @param index choice index, from 0
	 * @param text concatenated text deltas, empty when none
	 * @param refusal concatenated refusal deltas, or {@code null} when the model did not
	 * refuse
	 * @param reasoning concatenated reasoning deltas, empty when none
	 * @param finishReason the provider's finish reason, or {@code null} when there was
	 * none
	 * @param normalizedFinishReason the finish reason mapped across providers, or
	 * {@code null} when there was none
	 * @param toolCalls tool calls the caller must run, by index
	 * @param serverToolCalls tools the provider ran itself, by index
	 * @param citations sources the model cited, in arrival order
	 * @param json this choice's JSON value, or {@code null}
	 * @throws NullPointerException if a list is {@code null} or holds a {@code null}
	 * element
	 */
	public Choice {
		toolCalls = List.copyOf(toolCalls);
		serverToolCalls = List.copyOf(serverToolCalls);
		citations = List.copyOf(citations);
	}

	/**
	 * Creates a choice without a JSON value, copying the lists.
	 * @param index choice index, from 0
	 * @param text concatenated text deltas, empty when none
	 * @param refusal concatenated refusal deltas, or {@code null} when the model did not
	 * refuse
	 * @param reasoning concatenated reasoning deltas, empty when none
	 * @param finishReason the provider's finish reason, or {@code null} when there was
	 * none
	 * @param normalizedFinishReason the finish reason mapped across providers, or
	 * {@code null} when there was none
	 * @param toolCalls tool calls the caller must run, by index
	 * @param serverToolCalls tools the provider ran itself, by index
	 * @param citations sources the model cited, in arrival order
	 * @throws NullPointerException if a list is {@code null} or holds a {@code null}
	 * element
	 */
	public Choice(int index, String text, @Nullable String refusal, String reasoning, @Nullable String finishReason,
			@Nullable FinishReason normalizedFinishReason, List<ToolCall> toolCalls,
			List<ServerToolCall> serverToolCalls, List<Citation> citations) {
		this(index, text, refusal, reasoning, finishReason, normalizedFinishReason, toolCalls, serverToolCalls,
				citations, null);
	}

}
