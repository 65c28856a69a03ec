package io.steer.llm.model;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A tool the provider ran itself while answering (Vercel's {@code providerExecuted}): an
 * Anthropic {@code server_tool_use} or {@code mcp_tool_use} block (web search, web fetch,
 * code execution, …) or a Responses API built-in tool item ({@code web_search_call},
 * {@code file_search_call}, {@code code_interpreter_call}, {@code mcp_call},
 * {@code image_generation_call}, …). The caller must not run it: it is not in
 * {@link StreamingResponse#toolCalls()}.
 *
 * @param index position of the call among the output (Anthropic content block index,
 * Responses {@code output_index})
 * @param id the provider's id of the call ({@code srvtoolu_…}, {@code ws_…}),
 * {@code null} when none was sent
 * @param name the tool's name ({@code web_search}, {@code code_execution}) or, for a
 * Responses item, its type ({@code web_search_call})
 * @param input the tool's input as the provider sent it: a JSON text, empty when none was
 * sent
 * @param resultType type of the result block or the item's status
 * ({@code web_search_tool_result}, {@code completed}), {@code null} when the stream
 * carried no result
 * @param result the result block's content, or the whole item, as sent; {@code null} when
 * the stream carried no result
 */
public record ServerToolCall(int index, @Nullable String id, String name, String input, @Nullable String resultType,
		@Nullable JsonNode result) {

}
