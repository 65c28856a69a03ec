package io.steer.llm.model;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One message of a chat conversation.
 *
 * @param role author of the message
 * @param content text content; {@code null} only for an assistant message that carries
 * tool calls alone
 * @param name optional participant name (OpenAI {@code name})
 * @param toolCallId for a {@link Role#TOOL} message, the id of the tool call it answers
 * @param toolCalls for an {@link Role#ASSISTANT} message, the tool calls the model made;
 * empty otherwise
 * @param cacheBreakpoint whether to mark this message as a prompt-cache breakpoint
 * (Anthropic {@code cache_control: {"type": "ephemeral"}}); ignored by providers without
 * explicit caching
 */
public record Message(Role role, @Nullable String content, @Nullable String name, @Nullable String toolCallId,
		List<ToolCall> toolCalls, boolean cacheBreakpoint) {

	/**
	 * Creates a message, checking that it is complete; the tool calls are copied.
	 * @param role author of the message
	 * @param content text content, or {@code null} when the message carries tool calls
	 * @param name participant name, or {@code null}
	 * @param toolCallId id of the tool call answered, required for a {@link Role#TOOL}
	 * message
	 * @param toolCalls tool calls the model made, empty for none
	 * @param cacheBreakpoint whether the message is a prompt-cache breakpoint
	 * @throws NullPointerException if {@code role} or {@code toolCalls} is {@code null},
	 * or a tool call is {@code null}
	 * @throws IllegalArgumentException if {@code content} is {@code null} and there are
	 * no tool calls, or a tool message has no {@code toolCallId}
	 */
	public Message {
		Objects.requireNonNull(role, "role must not be null");
		toolCalls = List.copyOf(toolCalls);
		if (content == null && toolCalls.isEmpty()) {
			throw new IllegalArgumentException("content must not be null unless the message carries tool calls");
		}
		if (role == Role.TOOL && toolCallId == null) {
			throw new IllegalArgumentException("a tool message needs the toolCallId it answers");
		}
	}

	/**
	 * A system message: instructions that frame the conversation.
	 * @param content the instructions
	 * @return the message
	 * @throws IllegalArgumentException if {@code content} is {@code null}
	 */
	public static Message system(String content) {
		return new Message(Role.SYSTEM, content, null, null, List.of(), false);
	}

	/**
	 * A user message.
	 * @param content the user's input
	 * @return the message
	 * @throws IllegalArgumentException if {@code content} is {@code null}
	 */
	public static Message user(String content) {
		return new Message(Role.USER, content, null, null, List.of(), false);
	}

	/**
	 * An assistant turn of text, e.g. an earlier answer replayed in the conversation.
	 * @param content the text the model wrote
	 * @return the message
	 * @throws IllegalArgumentException if {@code content} is {@code null}
	 */
	public static Message assistant(String content) {
		return new Message(Role.ASSISTANT, content, null, null, List.of(), false);
	}

	/**
	 * An assistant turn that made tool calls.
	 * @param content text the model wrote alongside the calls, may be {@code null}
	 * @param toolCalls the calls, not empty
	 * @return the message
	 */
	public static Message assistant(@Nullable String content, List<ToolCall> toolCalls) {
		return new Message(Role.ASSISTANT, content, null, null, toolCalls, false);
	}

	/**
	 * The result of a tool call.
	 * @param toolCallId id of the call answered
	 * @param content the tool's output
	 * @return the message
	 */
	public static Message tool(String toolCallId, String content) {
		return new Message(Role.TOOL, content, null, toolCallId, List.of(), false);
	}

	/**
	 * A copy of this message marked as a prompt-cache breakpoint.
	 * @return the marked copy
	 */
	public Message cacheControl() {
		return new Message(this.role, this.content, this.name, this.toolCallId, this.toolCalls, true);
	}

	/**
	 * A copy of this message with a participant name.
	 * @param name the name
	 * @return the copy
	 */
	public Message withName(String name) {
		return new Message(this.role, this.content, name, this.toolCallId, this.toolCalls, this.cacheBreakpoint);
	}

}
