package io.steer.llm.provider.anthropic;

import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.RecordingListener;
import io.steer.llm.sse.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AnthropicStreamParser} alone, on hand-written events for the cases the
 * recordings do not hold: several {@code message_delta} events, usage only in
 * {@code message_start}, {@code null} counts, events after {@code message_stop}; server
 * tools, citations, redacted thinking and thinking tokens (in the shapes Anthropic's
 * documentation gives, each test naming its page); unknown and mistyped parts.
 */
class AnthropicStreamParserTests {

	private final RecordingListener listener = new RecordingListener();

	private final AnthropicStreamParser parser = new AnthropicStreamParser("anthropic", JsonMapper.builder().build(),
			this.listener, "sk-ant-key-123456");

	private void send(String event, String data) {
		this.parser.onEvent(new SseEvent(event, data, null, null));
	}

	private void messageStart(String usage) {
		send("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\""
				+ ((usage != null) ? ",\"usage\":" + usage : "") + "}}");
	}

	@Test
	void messageDeltaUsageShouldOverwriteCumulativeCountsNotAddThem() {
		messageStart("{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"output_tokens\":1}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":5}}");
		send("message_delta",
				"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"},"
						+ "\"usage\":{\"output_tokens\":9,\"cache_read_input_tokens\":null}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.parser.isComplete()).isTrue();
		assertThat(this.listener.usages).hasSize(2);
		Usage last = this.listener.usages.get(1);
		assertThat(last.raw()).containsExactly(Map.entry("input_tokens", 10), Map.entry("cache_read_input_tokens", 100),
				Map.entry("output_tokens", 9));
		assertThat(last.promptTokens()).isEqualTo(110);
		assertThat(last.completionTokens()).isEqualTo(9);
		assertThat(last.totalTokens()).isEqualTo(119);
		assertThat(last.cachedPromptTokens()).isEqualTo(100);
		assertThat(this.listener.usages.get(0).completionTokens()).isEqualTo(5);
		assertThat(this.listener.finishReasons).containsExactly("stop_sequence");
		assertThat(this.listener.lastMetadata("stop_sequence")).isEqualTo("END");
	}

	@Test
	void usageOnlyInMessageStartShouldBeReportedOnceAtMessageStop() {
		messageStart("{\"input_tokens\":7,\"cache_creation_input_tokens\":3,\"output_tokens\":1}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
		assertThat(this.listener.usages).isEmpty();
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).singleElement().satisfies((usage) -> {
			assertThat(usage.promptTokens()).isEqualTo(10);
			assertThat(usage.cacheCreationTokens()).isEqualTo(3);
			assertThat(usage.completionTokens()).isEqualTo(1);
			assertThat(usage.reasoningTokens()).isZero();
		});
	}

	@Test
	void noUsageAnywhereShouldReportNone() {
		messageStart(null);
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).isEmpty();
		assertThat(this.listener.metadata()).isEmpty();
	}

	@Test
	void eventsAfterMessageStopShouldBeIgnored() {
		messageStart(null);
		send("message_stop", "{\"type\":\"message_stop\"}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}");
		send("error", "not even json");
		assertThat(this.listener.text).isEmpty();
		this.parser.onEndOfBody();
	}

	@Test
	void eventTypeShouldFallBackToTheSseEventName() {
		messageStart(null);
		send("content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}");
		assertThat(this.listener.text).hasToString("Hi");
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> send("error", "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}"))
			.satisfies((ex) -> {
				assertThat(ex.getProviderErrorType()).isEqualTo("rate_limit_error");
				assertThat(ex.isRetryable()).isFalse();
			});
	}

	@Test
	void signaturesShouldBeKeptInOrderAcrossThinkingBlocks() {
		messageStart(null);
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"a\"}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"S1\"}}");
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"b\"}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"S2\"}}");
		assertThat(this.listener.reasoning).hasToString("ab");
		assertThat(this.listener.lastMetadata("thinking_signatures")).isEqualTo(List.of("S1", "S2"));
	}

	/**
	 * Follows the web search example of Anthropic's streaming page ("Streaming request
	 * with web search tool use"): a {@code server_tool_use} block with {@code input: {}}
	 * and {@code input_json_delta} fragments, then a {@code web_search_tool_result}
	 * block.
	 */
	@Test
	void serverToolUseBlocksShouldBecomeServerToolCallsNotToolCalls() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"weather\\\"}\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}");
		assertThat(this.listener.toolCalls).isEmpty();
		assertThat(this.listener.serverToolCalls).containsExactly("0|srvtoolu_1|web_search|",
				"0|null|null|{\"query\": \"weather\"}");
		assertThat(this.listener.serverToolResults).containsExactly("-1|srvtoolu_1|web_search_tool_result|[]");
		// the delta of the result block belongs to no tool call
		assertThat(this.listener.unrecognized).containsExactly("input_json_delta:not_a_tool_block");
	}

	/**
	 * Follows the MCP connector page: an {@code mcp_tool_use} block ({@code server_name},
	 * {@code input} streamed as {@code input_json_delta}) and an {@code mcp_tool_result}
	 * block ({@code is_error}, {@code content} of text blocks); a {@code tool_use} block
	 * beside them stays a tool call.
	 */
	@Test
	void mcpToolUseShouldBeAServerToolCallAndToolUseAToolCall() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_1\",\"name\":\"echo\",\"server_name\":\"example-mcp\","
				+ "\"input\":{}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"param1\\\": \\\"value1\\\"}\"}}");
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
						+ "{\"type\":\"mcp_tool_result\",\"tool_use_id\":\"mcptoolu_1\",\"is_error\":false,"
						+ "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
				+ "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}");
		assertThat(this.listener.serverToolCalls).containsExactly("0|mcptoolu_1|echo|",
				"0|null|null|{\"param1\": \"value1\"}");
		assertThat(this.listener.serverToolResults)
			.containsExactly("-1|mcptoolu_1|mcp_tool_result|[{\"type\":\"text\",\"text\":\"Hello\"}]");
		assertThat(this.listener.toolCalls).containsExactly("2|toolu_1|get_weather|", "2|null|null|{}");
		assertThat(this.listener.unrecognized).isEmpty();
	}

	/**
	 * Follows the code execution and web fetch pages: {@code server_tool_use} blocks
	 * named {@code bash_code_execution}, {@code text_editor_code_execution} and
	 * {@code web_fetch}, and their {@code bash_code_execution_tool_result},
	 * {@code text_editor_code_execution_tool_result}, {@code code_execution_tool_result}
	 * and {@code web_fetch_tool_result} blocks. One call comes with its whole input at
	 * {@code content_block_start}, which is then its input.
	 */
	@Test
	void codeExecutionAndWebFetchBlocksShouldBeServerToolCallsWithTheirResults() {
		messageStart(null);
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
						+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_b\",\"name\":\"bash_code_execution\","
						+ "\"input\":{\"command\":\"ls -la\"}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\": \\\"ls -la\\\"}\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"bash_code_execution_tool_result\",\"tool_use_id\":\"srvtoolu_b\",\"content\":"
				+ "{\"type\":\"bash_code_execution_result\",\"stdout\":\"total 0\",\"stderr\":\"\",\"return_code\":0}}}");
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
						+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_t\",\"name\":\"text_editor_code_execution\","
						+ "\"input\":{}}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":"
				+ "{\"type\":\"text_editor_code_execution_tool_result\",\"tool_use_id\":\"srvtoolu_t\",\"content\":"
				+ "{\"type\":\"text_editor_code_execution_result\",\"file_type\":\"text\",\"content\":\"x\"}}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":4,\"content_block\":"
				+ "{\"type\":\"code_execution_tool_result\",\"tool_use_id\":\"srvtoolu_c\",\"content\":"
				+ "{\"type\":\"code_execution_result\",\"stdout\":\"4\\n\",\"stderr\":\"\",\"return_code\":0}}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":5,\"content_block\":"
				+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_f\",\"name\":\"web_fetch\",\"input\":{}}}");
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":6,\"content_block\":"
						+ "{\"type\":\"web_fetch_tool_result\",\"tool_use_id\":\"srvtoolu_f\",\"content\":"
						+ "{\"type\":\"web_fetch_tool_result_error\",\"error_code\":\"url_not_accessible\"}}}");
		assertThat(this.listener.serverToolCalls).containsExactly(
				"0|srvtoolu_b|bash_code_execution|{\"command\":\"ls -la\"}", "2|srvtoolu_t|text_editor_code_execution|",
				"5|srvtoolu_f|web_fetch|");
		assertThat(this.listener.serverToolResults).containsExactly(
				"-1|srvtoolu_b|bash_code_execution_tool_result|{\"type\":\"bash_code_execution_result\","
						+ "\"stdout\":\"total 0\",\"stderr\":\"\",\"return_code\":0}",
				"-1|srvtoolu_t|text_editor_code_execution_tool_result|{\"type\":\"text_editor_code_execution_result\","
						+ "\"file_type\":\"text\",\"content\":\"x\"}",
				"-1|srvtoolu_c|code_execution_tool_result|{\"type\":\"code_execution_result\",\"stdout\":\"4\\n\","
						+ "\"stderr\":\"\",\"return_code\":0}",
				"-1|srvtoolu_f|web_fetch_tool_result|{\"type\":\"web_fetch_tool_result_error\","
						+ "\"error_code\":\"url_not_accessible\"}");
		assertThat(this.listener.toolCalls).isEmpty();
		// the fragment would have repeated the input that came whole
		assertThat(this.listener.unrecognized).containsExactly("input_json_delta:after_whole_input");
	}

	/**
	 * Citations as the citations page shows them: a {@code citations_delta} per citation
	 * on the current text block ({@code char_location}, {@code page_location},
	 * {@code content_block_location}), the web search tool's
	 * {@code web_search_result_location}, the search results page's
	 * {@code search_result_location}, and a text block whose {@code content_block_start}
	 * already lists one.
	 */
	@Test
	void citationsShouldBeReportedWithTheirRawJson() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"text\",\"text\":\"\",\"citations\":[]}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
						+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\","
						+ "\"cited_text\":\"Sunny, 21 C\",\"url\":\"https://example.com/w\",\"title\":\"Weather\","
						+ "\"encrypted_index\":\"Eo8BCioIAhgB\"}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"text_delta\",\"text\":\"It is sunny.\"}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
						+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"char_location\","
						+ "\"cited_text\":\"The grass is green.\",\"document_index\":0,\"document_title\":\"Doc\","
						+ "\"start_char_index\":0,\"end_char_index\":20}}}");
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
						+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"page_location\","
						+ "\"cited_text\":\"Water is essential.\",\"document_index\":1,\"document_title\":null,"
						+ "\"start_page_number\":5,\"end_page_number\":6}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"content_block_location\","
				+ "\"cited_text\":\"First chunk\",\"document_index\":2,\"start_block_index\":0,\"end_block_index\":1}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"search_result_location\","
				+ "\"source\":\"https://docs.example.com/api\",\"title\":\"API Reference\",\"cited_text\":\"Use keys.\","
				+ "\"search_result_index\":0,\"start_block_index\":0,\"end_block_index\":0}}}");
		send("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
						+ "{\"type\":\"text\",\"text\":\"\",\"citations\":[{\"type\":\"char_location\","
						+ "\"cited_text\":\"The sky is blue.\",\"document_index\":0,\"document_title\":\"Doc\","
						+ "\"start_char_index\":20,\"end_char_index\":36}]}}");
		assertThat(this.listener.text).hasToString("It is sunny.");
		assertThat(this.listener.citations).extracting(Citation::type)
			.containsExactly("web_search_result_location", "char_location", "page_location", "content_block_location",
					"search_result_location", "char_location");
		assertThat(this.listener.citations).extracting(Citation::url)
			.containsExactly("https://example.com/w", null, null, null, null, null);
		assertThat(this.listener.citations).extracting(Citation::title)
			.containsExactly("Weather", "Doc", null, null, "API Reference", "Doc");
		assertThat(this.listener.citations).extracting(Citation::citedText)
			.containsExactly("Sunny, 21 C", "The grass is green.", "Water is essential.", "First chunk", "Use keys.",
					"The sky is blue.");
		// document positions are not positions in the answer: they stay in the raw JSON
		assertThat(this.listener.citations).allSatisfy((citation) -> {
			assertThat(citation.startIndex()).isNull();
			assertThat(citation.endIndex()).isNull();
		});
		assertThat(this.listener.citations.get(0).raw().get("encrypted_index").asString()).isEqualTo("Eo8BCioIAhgB");
		assertThat(this.listener.citations.get(1).raw().get("end_char_index").asInt()).isEqualTo(20);
		assertThat(this.listener.citations.get(4).raw().get("source").asString())
			.isEqualTo("https://docs.example.com/api");
		assertThat(this.listener.unrecognized).isEmpty();
	}

	/**
	 * A {@code redacted_thinking} block, as the extended thinking page shows it, arrives
	 * whole at {@code content_block_start} with its opaque {@code data}.
	 */
	@Test
	void redactedThinkingShouldBeKeptInOrderForSendingBack() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}}");
		send("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"thinking\",\"thinking\":\"\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
				+ "{\"type\":\"signature_delta\",\"signature\":\"S1\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
				+ "{\"type\":\"redacted_thinking\",\"data\":\"EuoBCoYBGAIiQJ\"}}");
		assertThat(this.listener.lastMetadata("redacted_thinking"))
			.isEqualTo(List.of("EmwKAhgBEgy3va3pzix", "EuoBCoYBGAIiQJ"));
		assertThat(this.listener.lastMetadata("thinking_signatures")).isEqualTo(List.of("S1"));
		assertThat(this.listener.reasoning).isEmpty();
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void thinkingTokensOfTheFinalMessageDeltaShouldBeTheReasoningTokens() {
		messageStart("{\"input_tokens\":50,\"output_tokens\":1}");
		// the extended thinking page: the breakdown comes on the final message_delta only
		send("message_delta",
				"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
						+ "\"stop_sequence\":null},\"usage\":{\"output_tokens\":120,"
						+ "\"output_tokens_details\":{\"thinking_tokens\":80}}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.listener.usages).singleElement().satisfies((usage) -> {
			assertThat(usage.completionTokens()).isEqualTo(120);
			assertThat(usage.reasoningTokens()).isEqualTo(80);
			assertThat(usage.totalTokens()).isEqualTo(170);
			assertThat(usage.raw()).containsEntry("output_tokens_details", Map.of("thinking_tokens", 80));
		});
	}

	/**
	 * Blocks, deltas and events this parser does not know (a {@code compaction} block and
	 * its {@code compaction_delta}, as the context management beta sends them, and
	 * made-up future types) are skipped and reported, and the stream goes on.
	 */
	@Test
	void unknownBlocksDeltasAndEventsShouldBeSkippedAndReported() {
		messageStart(null);
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"compaction\",\"content\":null}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"compaction_delta\",\"content\":\"Summary\",\"encrypted_content\":\"x\"}}");
		send("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
		send("message_annotation", "{\"type\":\"message_annotation\",\"index\":\"not a number\",\"x\":[1]}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"hologram\"}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"text\",\"text\":\"\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
				+ "{\"type\":\"sparkle_delta\",\"sparkle\":{}}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
				+ "{\"type\":\"text_delta\",\"text\":\"Hi\"}}");
		send(null, "{\"no_type\":true}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
		send("message_stop", "{\"type\":\"message_stop\"}");
		assertThat(this.parser.isComplete()).isTrue();
		assertThat(this.listener.text).hasToString("Hi");
		assertThat(this.listener.unrecognized).containsExactly("content_block:compaction", "delta:compaction_delta",
				"field:index", "event:message_annotation", "content_block:hologram", "delta:sparkle_delta",
				"event:untyped");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.STOP);
		this.parser.onEndOfBody();
	}

	@Test
	void unrecognizedTypeNamesShouldBeCut() {
		messageStart(null);
		send(null, "{\"type\":\"" + "e".repeat(100) + "\"}");
		assertThat(this.listener.unrecognized).containsExactly("event:" + "e".repeat(64));
	}

	/**
	 * Fields of an unexpected JSON type make binding fail; the event is then read field
	 * by field and only the mistyped fields are left out.
	 */
	@Test
	void fieldsOfUnexpectedJsonTypesShouldBeLeftOutNotFailTheStream() {
		messageStart(null);
		send("message_start",
				"{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":[\"x\"]," + "\"usage\":[]}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
				+ "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":{\"n\":1},\"input\":{}}}");
		send("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
				+ "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":null,\"input\":\"not an object\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
				+ "{\"type\":\"text_delta\",\"text\":{\"a\":1}}}");
		// a number where text is expected is taken as its text, as Jackson coerces
		// scalars
		send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":2,\"delta\":" + "{\"type\":\"text_delta\",\"text\":5}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":\"text\"}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
				+ "{\"type\":\"citations_delta\",\"citation\":\"not an object\"}}");
		send("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":99999999999,\"delta\":"
				+ "{\"type\":\"text_delta\",\"text\":\"!\"}}");
		send("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
				+ "\"usage\":{\"output_tokens\":3,\"output_tokens_details\":[]}}");
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> send("error", "{\"type\":\"error\",\"error\":\"Overloaded\"}"))
			.satisfies((ex) -> assertThat(ex.getProviderMessage())
				.isEqualTo("{\"type\":\"error\",\"error\":\"Overloaded\"}"));
		assertThat(this.listener.toolCalls).containsExactly("0|toolu_1|null|", "1|toolu_2|null|");
		assertThat(this.listener.text).hasToString("5!");
		assertThat(this.listener.finishReasons).containsExactly("end_turn");
		assertThat(this.listener.usages).singleElement().satisfies((usage) -> {
			assertThat(usage.completionTokens()).isEqualTo(3);
			assertThat(usage.reasoningTokens()).isZero();
		});
		assertThat(this.listener.unrecognized).containsExactly("field:message.model", "field:message.usage",
				"field:content_block.name", "field:content_block.input", "field:delta.text", "field:delta",
				"delta:missing", "field:delta.citation", "field:index", "field:error");
	}

	@Test
	void deltaWithoutIndexShouldFailToParse() {
		messageStart(null);
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));
	}

	@Test
	void nonObjectOrNullDataShouldFailToParse() {
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("ping", "null"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("ping", "[1]"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send(null, "{\"type\":"));
		// not JSON stays fatal when binding fails first, and for events of every type
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":{}}} {"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("future_event", "not json"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> send("ping", "\"a string\""));
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void endOfBodyBeforeMessageStopShouldFailAsInterrupted() {
		messageStart(null);
		assertThat(this.parser.isComplete()).isFalse();
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(this.parser::onEndOfBody);
	}

	@Test
	void errorMessageShouldNotShowTheApiKey() {
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> send("error",
					"{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"key sk-ant-key-123456\"}}"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).doesNotContain("sk-ant-key-123456");
				assertThat(ex.getProviderMessage()).isEqualTo("key ******");
				assertThat(ex.isRetryable()).isTrue();
			});
	}

}
