package io.steer.llm.model;

/**
 * Reasoning of an assistant turn that a provider wants back, unchanged, when the
 * conversation goes on (for example after tool calls): what a model thought before it
 * answered or called a tool, in the form its own API returns it.
 * <p>
 * Each adapter writes the kind its wire format takes and ignores the others:
 * <ul>
 * <li>Anthropic Messages: {@link ThinkingBlock} ({@code thinking} and
 * {@code redacted_thinking} content blocks, first in the assistant turn);</li>
 * <li>OpenAI and xAI Responses API: {@link ResponsesReasoningItem} ({@code reasoning}
 * input items, before the turn's message and function calls);</li>
 * <li>Chat Completions (OpenAI, xAI): none, the API takes no reasoning back.</li>
 * </ul>
 * A finished response's items are in {@link StreamingResponse#reasoningItems()}, and
 * {@link Message#assistant(StreamingResponse)} carries them into the next request.
 */
public sealed interface ReasoningItem permits ThinkingBlock, ResponsesReasoningItem {

}
