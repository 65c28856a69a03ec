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
 * @param reasoning for an {@link Role#ASSISTANT} message, the reasoning the provider
 * wants back with the turn, in order: Anthropic {@link ThinkingBlock}s, Responses API
 * {@link ResponsesReasoningItem}s (each adapter writes its own kind and ignores the
 * others, Chat Completions ignores all); empty otherwise
 * @param toolError for a {@link Role#TOOL} message, whether the call failed and
 * {@code content} says why (Anthropic {@code "is_error": true} on the {@code tool_result}
 * block; the OpenAI APIs have no such flag and send the content alone); {@code false}
 * otherwise
 */
public record Message(Role role, @Nullable String content, @Nullable String name, @Nullable String toolCallId,
		List<ToolCall> toolCalls, boolean cacheBreakpoint, List<ReasoningItem> reasoning, boolean toolError) {

	/**
	 * Creates a message, checking that it is complete; the tool calls and the reasoning
	 * are copied.
	 * @param role author of the message
	 * @param content text content, or {@code null} when the message carries tool calls
	 * @param name participant name, or {@code null}
	 * @param toolCallId id of the tool call answered, required for a {@link Role#TOOL}
	 * message
	 * @param toolCalls tool calls the model made, empty for none
	 * @param cacheBreakpoint whether the message is a prompt-cache breakpoint
	 * @param reasoning reasoning to send back with an assistant turn, empty for none
	 * @param toolError whether a tool message reports a failed call
	 * @throws NullPointerException if {@code role}, {@code toolCalls} or
	 * {@code reasoning} is {@code null}, or holds {@code null}
	 * @throws IllegalArgumentException if {@code content} is {@code null} and there are
	 * no tool calls, a tool message has no {@code toolCallId}, a message other than an
	 * assistant's carries reasoning, or a message other than a tool's is a tool error
	 */
	public Message {
		Objects.requireNonNull(role, "role must not be null");
		toolCalls = List.copyOf(toolCalls);
		reasoning = List.copyOf(reasoning);
		if (content == null && toolCalls.isEmpty()) {
			throw new IllegalArgumentException("content must not be null unless the message carries tool calls");
		}
		if (role == Role.TOOL && toolCallId == null) {
			throw new IllegalArgumentException("a tool message needs the toolCallId it answers");
		}
		if (role != Role.ASSISTANT && !reasoning.isEmpty()) {
			throw new IllegalArgumentException("only an assistant message carries reasoning, not a " + role + " one");
		}
		if (role != Role.TOOL && toolError) {
			throw new IllegalArgumentException("only a tool message is a tool error, not a " + role + " one");
		}
	}

	/**
	 * Creates a message that is not a tool error.
	 * @param role author of the message
	 * @param content text content, or {@code null} when the message carries tool calls
	 * @param name participant name, or {@code null}
	 * @param toolCallId id of the tool call answered, required for a {@link Role#TOOL}
	 * message
	 * @param toolCalls tool calls the model made, empty for none
	 * @param cacheBreakpoint whether the message is a prompt-cache breakpoint
	 * @param reasoning reasoning to send back with an assistant turn, empty for none
	 * @throws NullPointerException if {@code role}, {@code toolCalls} or
	 * {@code reasoning} is {@code null}, or holds {@code null}
	 * @throws IllegalArgumentException if {@code content} is {@code null} and there are
	 * no tool calls, a tool message has no {@code toolCallId}, or a message other than an
	 * assistant's carries reasoning
	 */
	public Message(Role role, @Nullable String content, @Nullable String name, @Nullable String toolCallId,
			List<ToolCall> toolCalls, boolean cacheBreakpoint, List<ReasoningItem> reasoning) {
		this(role, content, name, toolCallId, toolCalls, cacheBreakpoint, reasoning, false);
	}

	/**
	 * Creates a message without reasoning.
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
	public Message(Role role, @Nullable String content, @Nullable String name, @Nullable String toolCallId,
			List<ToolCall> toolCalls, boolean cacheBreakpoint) {
		this(role, content, name, toolCallId, toolCalls, cacheBreakpoint, List.of());
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
	 * An assistant turn that made tool calls, with the reasoning the provider wants back
	 * alongside them (Anthropic thinking blocks with their signatures, Responses API
	 * reasoning items).
	 * @param content text the model wrote alongside the calls, may be {@code null}
	 * @param toolCalls the calls
	 * @param reasoning the turn's reasoning items, in the order they arrived
	 * @return the message
	 * @throws IllegalArgumentException if {@code content} is {@code null} and there are
	 * no tool calls
	 */
	public static Message assistant(@Nullable String content, List<ToolCall> toolCalls, List<ReasoningItem> reasoning) {
		return new Message(Role.ASSISTANT, content, null, null, toolCalls, false, reasoning);
	}

	/**
	 * The assistant turn of a finished response, to continue the conversation with (for
	 * example, followed by the {@linkplain #tool(String, String) results} of its tool
	 * calls): the text of choice 0 ({@code null} when it is empty and there are tool
	 * calls), its {@linkplain StreamingResponse#toolCalls() tool calls} and its
	 * {@linkplain StreamingResponse#reasoningItems() reasoning items}. Tools the provider
	 * ran itself ({@link StreamingResponse#serverToolCalls()}) are not carried.
	 * @param response the finished response
	 * @return the message
	 */
	public static Message assistant(StreamingResponse response) {
		List<ToolCall> toolCalls = response.toolCalls();
		String text = (response.text().isEmpty() && !toolCalls.isEmpty()) ? null : response.text();
		return new Message(Role.ASSISTANT, text, null, null, toolCalls, false, response.reasoningItems());
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
	 * The result of a tool call that failed: the content says why, and the provider is
	 * told it is an error where its API can say so (Anthropic {@code "is_error": true}).
	 * @param toolCallId id of the call answered
	 * @param content what went wrong, for the model
	 * @return the message
	 */
	public static Message toolError(String toolCallId, String content) {
		return new Message(Role.TOOL, content, null, toolCallId, List.of(), false, List.of(), true);
	}

	/**
	 * A copy of this message marked as a prompt-cache breakpoint.
	 * @return the marked copy
	 */
	public Message cacheControl() {
		return new Message(this.role, this.content, this.name, this.toolCallId, this.toolCalls, true, this.reasoning,
				this.toolError);
	}

	/**
	 * A copy of this message with a participant name.
	 * @param name the name
	 * @return the copy
	 */
	public Message withName(String name) {
		return new Message(this.role, this.content, name, this.toolCallId, this.toolCalls, this.cacheBreakpoint,
				this.reasoning, this.toolError);
	}

}
