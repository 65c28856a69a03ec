package io.steer.llm.provider.anthropic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ReasoningItem;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ThinkingBlock;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.Secrets;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.UsageMaps;
import io.steer.llm.sse.SseEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Parser of an Anthropic Messages stream: named events from {@code message_start} to
 * {@code message_stop}.
 * <ul>
 * <li>{@code text_delta} becomes text and {@code thinking_delta} reasoning of choice 0;
 * {@code signature_delta} signatures are kept, in order, as the metadata
 * {@code thinking_signatures} ({@code List<String>}), and the opaque {@code data} of
 * {@code redacted_thinking} blocks, in order, as the metadata {@code redacted_thinking}
 * ({@code List<String>}), so that a caller can send thinking back to Anthropic. The
 * blocks themselves are kept, in block order, as the metadata
 * {@value StreamingResponse#REASONING_ITEMS} ({@code List<ReasoningItem>} of
 * {@link ThinkingBlock}): a {@code thinking} block (its {@code thinking_delta}s joined)
 * once its signature arrived, a {@code redacted_thinking} block when it starts.</li>
 * <li>A {@code tool_use} block becomes a tool call, for the caller to run, whose index is
 * the block's {@code index}; it is reported at {@code content_block_start}, so that a
 * call without input exists too, and its {@code input_json_delta} fragments follow.</li>
 * <li>A {@code server_tool_use} block (web search, web fetch, code execution and its
 * {@code bash_code_execution} and {@code text_editor_code_execution} parts, tool search,
 * …) or an {@code mcp_tool_use} block (MCP connector) is a tool that Anthropic runs
 * itself: it becomes a {@linkplain StreamDeltaListener#serverToolCall server tool call}
 * the same way, never a tool call. A {@code *_tool_result} block
 * ({@code web_search_tool_result}, {@code web_fetch_tool_result},
 * {@code code_execution_tool_result}, {@code mcp_tool_result}, …) is that tool's
 * {@linkplain StreamDeltaListener#serverToolResult result}: its {@code content} as sent,
 * matched to the call by {@code tool_use_id}.</li>
 * <li>When a tool block's {@code content_block_start} already carries a non-empty
 * {@code input} object, that input (as JSON text) is the first fragment, and
 * {@code input_json_delta} events of the block are skipped.</li>
 * <li>{@code citations_delta} citations, and those of a {@code text} block's
 * {@code citations} at {@code content_block_start}, become
 * {@linkplain StreamDeltaListener#citation citations}: {@code url}, {@code title} (else
 * {@code document_title}) and {@code cited_text}; their start and end indexes stay
 * {@code null}, as Anthropic's {@code start_char_index}, {@code start_page_number}, … are
 * positions in the cited document, not in the answer (they are in the citation's raw
 * JSON).</li>
 * <li>{@code message_delta} gives the stop reason (the finish reason, normalised with
 * {@link FinishReason#fromAnthropic}), the stop sequence (metadata {@code stop_sequence},
 * when not {@code null}) and the usage so far. Its usage counts are cumulative: they
 * replace those of {@code message_start} and of earlier {@code message_delta} events,
 * they are never added. The raw usage is the {@code message_start} usage overlaid with
 * the {@code message_delta} ones. Usage is reported at each {@code message_delta} that
 * carries it (normally one per stream), else once at {@code message_stop} when only
 * {@code message_start} carried it, else not at all.</li>
 * <li>{@code message_stop} completes the stream; {@code ping} and
 * {@code content_block_stop} carry nothing to read; an {@code error} event ends the
 * stream with a {@link ProviderStreamException}, retryable for {@code overloaded_error}
 * and {@code api_error}.</li>
 * </ul>
 * What the parser does not know never ends the stream, as Anthropic's versioning policy
 * asks: an unknown event type, content block type (e.g. {@code compaction}) or delta type
 * is skipped and reported as {@linkplain StreamDeltaListener#unrecognized unrecognized}
 * ({@code event:<type>}, {@code content_block:<type>}, {@code delta:<type>}). An event
 * whose JSON does not bind to {@link AnthropicEvent} (a field of an unexpected JSON type)
 * is read again field by field, each mistyped field left out and reported as
 * {@code field:<path>}. Only data that is not JSON, or JSON that is not an object, fails
 * the stream with a {@link StreamParseException}, as do a tool block or
 * {@code input_json_delta} without a valid {@code index}, whose input could not be
 * placed.
 *
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/streaming">Anthropic, Streaming
 * Messages</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/citations">Anthropic,
 * Citations</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool">Anthropic,
 * Web search tool</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/agents-and-tools/mcp-connector">Anthropic, MCP
 * connector</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking">Anthropic,
 * Extended thinking</a>
 * @see <a href="https://docs.anthropic.com/en/api/versioning">Anthropic, Versions</a>
 */
final class AnthropicStreamParser implements StreamParser {

	/** Longest type name kept in an {@code unrecognized} description. */
	private static final int MAX_TYPE_LENGTH = 64;

	private final String provider;

	private final ObjectMapper mapper;

	private final StreamDeltaListener listener;

	private final @Nullable String apiKey;

	/** Tool blocks by content block index. */
	private final Map<Integer, ToolBlock> toolBlocks = new HashMap<>(4);

	private @Nullable List<String> signatures;

	private @Nullable List<String> redactedThinking;

	/** Thinking blocks being streamed, by content block index. */
	private final Map<Integer, Thinking> thinking = new HashMap<>(2);

	/** Thinking blocks to send back, in block order. */
	private @Nullable List<ReasoningItem> reasoningItems;

	private @Nullable Map<String, Object> usage;

	private boolean usageReported;

	private boolean complete;

	AnthropicStreamParser(String provider, ObjectMapper mapper, StreamDeltaListener listener, @Nullable String apiKey) {
		this.provider = provider;
		this.mapper = mapper;
		this.listener = listener;
		this.apiKey = apiKey;
	}

	@Override
	public void onEvent(SseEvent sse) {
		if (this.complete) {
			return;
		}
		AnthropicEvent event = read(sse);
		String type = (event.type() != null) ? event.type() : sse.event();
		if (type == null) {
			this.listener.unrecognized("event:untyped");
			return;
		}
		switch (type) {
			case "message_start" -> onMessageStart(event);
			case "content_block_start" -> onContentBlockStart(event);
			case "content_block_delta" -> onContentBlockDelta(event);
			case "message_delta" -> onMessageDelta(event);
			case "message_stop" -> onMessageStop();
			case "error" -> throw streamError(event.error(), sse.data());
			case "ping", "content_block_stop" -> {
				// nothing to read
			}
			default -> unrecognized("event", type);
		}
	}

	/**
	 * Binds the event to {@link AnthropicEvent}; when binding fails, reads it field by
	 * field from the tree if it is a JSON object.
	 */
	private AnthropicEvent read(SseEvent sse) {
		AnthropicEvent event;
		try {
			event = this.mapper.readValue(sse.data(), AnthropicEvent.class);
		}
		catch (JacksonException ex) {
			event = readLeniently(sse);
		}
		if (event == null) {
			throw new StreamParseException(this.provider, this.provider + " sent a null event", null);
		}
		return event;
	}

	private @Nullable AnthropicEvent readLeniently(SseEvent sse) {
		JsonNode tree;
		try {
			tree = this.mapper.readTree(sse.data());
		}
		catch (JacksonException ex) {
			// the parser's message quotes the data (an unrecognised token may be a key):
			// redacted
			// by notJson, and the exception, whose message cannot be, is not kept as the
			// cause
			throw notJson(sse, ex.getOriginalMessage());
		}
		if (tree == null || tree.isMissingNode()) {
			throw notJson(sse, "no content");
		}
		if (tree.isNull()) {
			return null;
		}
		if (!tree.isObject()) {
			if ("error".equals(sse.event())) {
				throw streamError(null, sse.data());
			}
			throw new StreamParseException(this.provider, this.provider + " sent a "
					+ ((sse.event() != null) ? sse.event() + " " : "") + "event that is not a JSON object", null);
		}
		return AnthropicEvent.lenient(tree, this.mapper, this.listener::unrecognized);
	}

	private RuntimeException notJson(SseEvent sse, @Nullable String reason) {
		if ("error".equals(sse.event())) {
			// an error event that is not JSON: its data is the message
			return streamError(null, sse.data());
		}
		return new StreamParseException(this.provider,
				this.provider + " sent a " + ((sse.event() != null) ? sse.event() + " " : "")
						+ "event that is not valid JSON: " + Secrets.redact(reason, this.apiKey),
				null);
	}

	private void onMessageStart(AnthropicEvent event) {
		AnthropicEvent.MessageInfo message = event.message();
		if (message == null) {
			return;
		}
		this.listener.responseInfo(message.id(), message.model());
		if (message.usage() != null) {
			this.usage = overlay(new LinkedHashMap<>(), message.usage());
		}
	}

	private void onContentBlockStart(AnthropicEvent event) {
		AnthropicEvent.ContentBlock block = event.contentBlock();
		if (block == null) {
			this.listener.unrecognized("content_block:missing");
			return;
		}
		String type = block.type();
		if (type == null) {
			this.listener.unrecognized("content_block:untyped");
			return;
		}
		switch (type) {
			case "text" -> blockCitations(block.citations());
			case "thinking" -> {
				// thinking_delta and signature_delta follow
				if (event.index() != null) {
					this.thinking.put(event.index(), new Thinking());
				}
			}
			case "redacted_thinking" -> onRedactedThinking(block);
			case "tool_use" -> onToolBlock(event, block, false);
			case "server_tool_use", "mcp_tool_use" -> onToolBlock(event, block, true);
			default -> {
				if (type.endsWith("_tool_result")) {
					JsonNode content = present(block.content());
					this.listener.serverToolResult(0, -1, block.toolUseId(), type, content);
				}
				else {
					unrecognized("content_block", type);
				}
			}
		}
	}

	private void onToolBlock(AnthropicEvent event, AnthropicEvent.ContentBlock block, boolean server) {
		int index = index(event);
		String input = "";
		JsonNode given = present(block.input());
		if (given != null) {
			if (!given.isObject()) {
				this.listener.unrecognized("field:content_block.input");
			}
			else if (!given.isEmpty()) {
				input = given.toString();
			}
		}
		this.toolBlocks.put(index, new ToolBlock(server, !input.isEmpty()));
		if (server) {
			this.listener.serverToolCall(0, index, block.id(), block.name(), input);
		}
		else {
			this.listener.toolCall(0, index, block.id(), block.name(), input);
		}
	}

	private void onRedactedThinking(AnthropicEvent.ContentBlock block) {
		String data = block.data();
		if (data == null || data.isEmpty()) {
			this.listener.unrecognized("field:content_block.data");
			return;
		}
		if (this.redactedThinking == null) {
			this.redactedThinking = new ArrayList<>(2);
		}
		this.redactedThinking.add(data);
		this.listener.metadata("redacted_thinking", List.copyOf(this.redactedThinking));
		publish(-1, ThinkingBlock.redacted(data));
	}

	/**
	 * Adds a block to the reasoning items, or replaces it at its position, and reports
	 * the items.
	 * @return the block's position
	 */
	private int publish(int position, ReasoningItem item) {
		if (this.reasoningItems == null) {
			this.reasoningItems = new ArrayList<>(2);
		}
		if (position < 0) {
			position = this.reasoningItems.size();
			this.reasoningItems.add(item);
		}
		else {
			this.reasoningItems.set(position, item);
		}
		this.listener.metadata(StreamingResponse.REASONING_ITEMS, List.copyOf(this.reasoningItems));
		return position;
	}

	/** A thinking block once it is signed: its block replaces the earlier one. */
	private void publish(Thinking block) {
		if (block.signature.length() > 0) {
			block.position = publish(block.position,
					ThinkingBlock.thinking(block.text.toString(), block.signature.toString()));
		}
	}

	private @Nullable Thinking thinking(AnthropicEvent event) {
		return (event.index() != null) ? this.thinking.get(event.index()) : null;
	}

	private void blockCitations(@Nullable JsonNode citations) {
		JsonNode given = present(citations);
		if (given == null) {
			return;
		}
		if (!given.isArray()) {
			this.listener.unrecognized("field:content_block.citations");
			return;
		}
		for (JsonNode citation : given) {
			citation(citation, "content_block.citations");
		}
	}

	private void citation(@Nullable JsonNode citation, String path) {
		String type = (citation != null && citation.isObject()) ? string(citation, "type") : null;
		if (type == null) {
			this.listener.unrecognized("field:" + path);
			return;
		}
		String title = string(citation, "title");
		this.listener.citation(0,
				new Citation(type, string(citation, "url"),
						(title != null) ? title : string(citation, "document_title"), string(citation, "cited_text"),
						null, null, citation));
	}

	private void onContentBlockDelta(AnthropicEvent event) {
		AnthropicEvent.Delta delta = event.delta();
		if (delta == null) {
			this.listener.unrecognized("delta:missing");
			return;
		}
		if (delta.type() == null) {
			this.listener.unrecognized("delta:untyped");
			return;
		}
		switch (delta.type()) {
			case "text_delta" -> {
				if (delta.text() != null && !delta.text().isEmpty()) {
					this.listener.text(0, delta.text());
				}
			}
			case "thinking_delta" -> {
				if (delta.thinking() != null && !delta.thinking().isEmpty()) {
					this.listener.reasoning(0, delta.thinking());
					Thinking block = thinking(event);
					if (block != null) {
						block.text.append(delta.thinking());
						publish(block);
					}
				}
			}
			case "signature_delta" -> {
				if (delta.signature() != null && !delta.signature().isEmpty()) {
					if (this.signatures == null) {
						this.signatures = new ArrayList<>(2);
					}
					this.signatures.add(delta.signature());
					this.listener.metadata("thinking_signatures", List.copyOf(this.signatures));
					Thinking block = thinking(event);
					if (block != null) {
						block.signature.append(delta.signature());
						publish(block);
					}
				}
			}
			case "input_json_delta" -> onInputJsonDelta(event, delta);
			case "citations_delta" -> citation(present(delta.citation()), "delta.citation");
			default -> unrecognized("delta", delta.type());
		}
	}

	private void onInputJsonDelta(AnthropicEvent event, AnthropicEvent.Delta delta) {
		int index = index(event);
		ToolBlock block = this.toolBlocks.get(index);
		if (block == null) {
			this.listener.unrecognized("input_json_delta:not_a_tool_block");
			return;
		}
		String json = delta.partialJson();
		if (json == null || json.isEmpty()) {
			return;
		}
		if (block.inputGiven()) {
			// the input came whole with content_block_start: a fragment would make it
			// invalid
			this.listener.unrecognized("input_json_delta:after_whole_input");
			return;
		}
		if (block.server()) {
			this.listener.serverToolCall(0, index, null, null, json);
		}
		else {
			this.listener.toolCall(0, index, null, null, json);
		}
	}

	private void onMessageDelta(AnthropicEvent event) {
		AnthropicEvent.Delta delta = event.delta();
		if (delta != null) {
			if (delta.stopReason() != null) {
				this.listener.finishReason(0, delta.stopReason(), FinishReason.fromAnthropic(delta.stopReason()));
			}
			if (delta.stopSequence() != null) {
				this.listener.metadata("stop_sequence", delta.stopSequence());
			}
		}
		if (event.usage() != null) {
			this.usage = overlay((this.usage != null) ? this.usage : new LinkedHashMap<>(), event.usage());
			reportUsage();
		}
	}

	private void onMessageStop() {
		this.complete = true;
		if (!this.usageReported && this.usage != null) {
			reportUsage();
		}
	}

	private void reportUsage() {
		this.usageReported = true;
		this.listener.usage(usage(new LinkedHashMap<>(this.usage)));
	}

	/**
	 * Overlays cumulative counts: a key present with a value replaces the earlier one, a
	 * key sent as {@code null} keeps it.
	 */
	private static Map<String, Object> overlay(Map<String, Object> target, Map<String, Object> source) {
		source.forEach((key, value) -> {
			if (value != null) {
				target.put(key, value);
			}
		});
		return target;
	}

	private int index(AnthropicEvent event) {
		Integer index = event.index();
		if (index == null || index < 0) {
			throw new StreamParseException(this.provider,
					this.provider + " sent a " + event.type() + " event without a valid content block index", null);
		}
		return index;
	}

	private void unrecognized(String kind, String type) {
		this.listener
			.unrecognized(kind + ":" + ((type.length() > MAX_TYPE_LENGTH) ? type.substring(0, MAX_TYPE_LENGTH) : type));
	}

	/** The node, or {@code null} when it is absent or JSON {@code null}. */
	private static @Nullable JsonNode present(@Nullable JsonNode node) {
		return (node == null || node.isNull() || node.isMissingNode()) ? null : node;
	}

	/** A string field of a JSON object, {@code null} when absent or not a string. */
	private static @Nullable String string(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private ProviderStreamException streamError(AnthropicEvent.@Nullable ErrorBody error, String data) {
		String type = (error != null) ? error.type() : null;
		String message = (error != null) ? error.message() : data;
		return new ProviderStreamException(this.provider, type, null, Secrets.redact(message, this.apiKey),
				isRetryable(type));
	}

	/**
	 * Whether a stream error type is worth retrying.
	 * @param type Anthropic's error type, may be {@code null}
	 * @return {@code true} for {@code overloaded_error} and {@code api_error}
	 */
	static boolean isRetryable(@Nullable String type) {
		return "overloaded_error".equals(type) || "api_error".equals(type);
	}

	/**
	 * Normalises Anthropic usage. Anthropic's {@code input_tokens} leave out the tokens
	 * read from and written to the prompt cache, so they are added back: prompt tokens
	 * include cached ones, as for OpenAI.
	 * @param raw the usage object, as nested maps
	 * @return the usage: prompt = {@code input_tokens + cache_read_input_tokens +
	 * cache_creation_input_tokens}, completion = {@code output_tokens}, total = their
	 * sum, cached prompt = {@code cache_read_input_tokens}, cache creation =
	 * {@code cache_creation_input_tokens}, reasoning =
	 * {@code output_tokens_details.thinking_tokens} (the part of {@code output_tokens}
	 * that was extended thinking; Anthropic sends it on the final {@code message_delta}
	 * only), 0 when not sent
	 * @see <a href=
	 * "https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking">Anthropic,
	 * Extended thinking</a>
	 */
	static Usage usage(Map<String, Object> raw) {
		int cacheRead = UsageMaps.intAt(raw, "cache_read_input_tokens");
		int cacheCreation = UsageMaps.intAt(raw, "cache_creation_input_tokens");
		int prompt = UsageMaps.intAt(raw, "input_tokens") + cacheRead + cacheCreation;
		int completion = UsageMaps.intAt(raw, "output_tokens");
		int thinking = UsageMaps.intAt(raw, "output_tokens_details", "thinking_tokens");
		return new Usage(prompt, completion, prompt + completion, cacheRead, cacheCreation, thinking, raw);
	}

	/**
	 * A tool block of the message.
	 *
	 * @param server whether Anthropic runs the tool ({@code server_tool_use},
	 * {@code mcp_tool_use})
	 * @param inputGiven whether {@code content_block_start} carried the whole input
	 */
	private record ToolBlock(boolean server, boolean inputGiven) {

	}

	@Override
	public boolean isComplete() {
		return this.complete;
	}

	@Override
	public void onEndOfBody() {
		if (!this.complete) {
			throw new StreamInterruptedException(this.provider, this.provider + " stream ended before message_stop",
					null);
		}
	}

	/** A thinking block as it streams. */
	private static final class Thinking {

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder signature = new StringBuilder();

		/** Position among the reasoning items, -1 until signed. */
		private int position = -1;

	}

}
