package io.steer.llm.provider.anthropic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ReasoningItem;
import io.steer.llm.model.Role;
import io.steer.llm.model.ThinkingBlock;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.Secrets;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Adapter for the Anthropic Messages API, streamed.
 * <p>
 * Sends {@code POST {base-url}/v1/messages} (the base URL holds no {@code /v1}) with the
 * headers {@code x-api-key} (when a key is set), {@code anthropic-version},
 * {@code content-type: application/json} and {@code accept: text/event-stream}, plus the
 * settings' headers (e.g. {@code anthropic-beta}). The body holds {@code model},
 * {@code max_tokens} (the request's, else the configured default, as Anthropic requires
 * one), {@code stream: true}, and:
 * <ul>
 * <li>system messages, wherever they are in the conversation, as the top-level
 * {@code system} array of text blocks;</li>
 * <li>user and assistant messages as {@code messages} with content blocks: first an
 * assistant's {@link ThinkingBlock}s ({@link Message#reasoning()}) unchanged and in
 * order, as {@code {"type": "thinking", "thinking", "signature"}} or {@code {"type":
 * "redacted_thinking", "data"}} (Anthropic requires them back, before the
 * {@code tool_use} blocks, in a turn that made tool calls; other reasoning items are not
 * sent), then the text block (left out when it is empty and there are tool calls), then
 * the tool calls as {@code tool_use} blocks {@code {"type", "id", "name", "input"}} whose
 * {@code input} is the parsed arguments (an empty object for blank arguments);</li>
 * <li>tool messages as a user message of {@code tool_result} blocks {@code {"type",
 * "tool_use_id", "content"}} (with {@code "is_error": true} for a
 * {@linkplain Message#toolError() failed call}), consecutive tool results sharing one
 * user message, which follows the assistant turn of the {@code tool_use} blocks;</li>
 * <li>for a message marked as a {@linkplain Message#cacheBreakpoint() cache breakpoint},
 * {@code cache_control: {"type": "ephemeral"}} on its last block;</li>
 * <li>{@code temperature}, {@code stop_sequences} and {@code tools}
 * ({@code name, description, input_schema});</li>
 * <li>then the request's provider options, which win over the mapped fields.</li>
 * </ul>
 * Anthropic answers with a single choice, so {@link ChatRequest#n()} is not sent; it has
 * no JSON response format of its own, so {@link ChatRequest#responseFormat()} is not sent
 * either (use provider options, e.g. {@code output_format}). It speaks none of the
 * {@link io.steer.llm.model.ProviderApi} APIs, so a request that names one is rejected
 * before anything is sent (see {@link #supportedApis()}).
 * <p>
 * The stream's {@code text_delta} become text, {@code thinking_delta} reasoning,
 * {@code tool_use} blocks tool calls indexed by their content block index, the tools
 * Anthropic runs itself ({@code server_tool_use}, {@code mcp_tool_use}) and their
 * {@code *_tool_result} blocks server tool calls, {@code citations_delta} citations, the
 * stop reason the finish reason; {@code signature_delta} signatures, the {@code data} of
 * {@code redacted_thinking} blocks and a non-null stop sequence are kept as the metadata
 * {@code thinking_signatures}, {@code redacted_thinking} (both {@code List<String>}) and
 * {@code stop_sequence}; {@code message_stop} completes the stream and an {@code error}
 * event fails it; unknown events, blocks and deltas are skipped (see
 * {@code AnthropicStreamParser}). Usage is the {@code message_start} usage overlaid with
 * the cumulative {@code message_delta} usage, and is normalised so that, as for OpenAI,
 * prompt tokens include cached ones:
 * {@code promptTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens},
 * {@code completionTokens = output_tokens} (thinking included),
 * {@code reasoningTokens = output_tokens_details.thinking_tokens} (the thinking part of
 * {@code output_tokens}, 0 when not sent). HTTP errors are read from {@code {"type":
 * "error", "error": {"type", "message"}}} bodies and the request id from the
 * {@code request-id} header. A stream that breaks after text was delivered is continued
 * with a prefill (see {@link #continuation}).
 *
 * @see <a href="https://docs.anthropic.com/en/api/messages">Anthropic, Messages</a>
 * @see <a href=
 * "https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use">Anthropic,
 * How to implement tool use (tool results)</a>
 * @see <a href=
 * "https://platform.claude.com/docs/en/build-with-claude/extended-thinking#extended-thinking-with-tool-use">Anthropic,
 * Extended thinking with tool use</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/streaming">Anthropic, Streaming
 * Messages</a>
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching">Anthropic, Prompt
 * caching</a>
 * @see <a href="https://docs.anthropic.com/en/api/errors">Anthropic, Errors</a>
 */
public final class AnthropicMessagesAdapter implements ProviderAdapter {

	/** Default base URL of Anthropic's API. */
	public static final String BASE_URL = "https://api.anthropic.com";

	/** Default {@code anthropic-version} header. */
	public static final String DEFAULT_VERSION = "2023-06-01";

	/** Default {@code max_tokens} when a request gives none. */
	public static final int DEFAULT_MAX_TOKENS = 4096;

	private static final String NAME = "anthropic";

	private static final Map<String, Object> EPHEMERAL = Map.of("type", "ephemeral");

	private final ProviderSettings settings;

	private final String version;

	private final int defaultMaxTokens;

	private final ObjectMapper mapper;

	private AnthropicMessagesAdapter(ProviderSettings settings, String version, int defaultMaxTokens,
			ObjectMapper mapper) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.version = Objects.requireNonNull(version, "version must not be null");
		if (version.isBlank()) {
			throw new IllegalArgumentException("version must not be blank");
		}
		if (defaultMaxTokens < 1) {
			throw new IllegalArgumentException("defaultMaxTokens must be at least 1, was " + defaultMaxTokens);
		}
		this.defaultMaxTokens = defaultMaxTokens;
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
	}

	/**
	 * An adapter for Anthropic's Messages API.
	 * @param settings connection settings; the base URL without {@code /v1} (default
	 * {@link #BASE_URL})
	 * @param version value of the {@code anthropic-version} header, e.g.
	 * {@link #DEFAULT_VERSION}
	 * @param defaultMaxTokens {@code max_tokens} of requests that give none (tokens), at
	 * least 1
	 * @param mapper JSON mapper
	 * @return the adapter, named {@code anthropic}
	 * @throws IllegalArgumentException when the version is blank or the default max
	 * tokens below 1
	 */
	public static AnthropicMessagesAdapter create(ProviderSettings settings, String version, int defaultMaxTokens,
			ObjectMapper mapper) {
		return new AnthropicMessagesAdapter(settings, version, defaultMaxTokens, mapper);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public ProviderSettings settings() {
		return this.settings;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The arguments of each assistant tool call must be blank or a JSON object: they
	 * become the {@code input} object of a {@code tool_use} block.
	 * @throws InvalidRequestException (field
	 * {@code messages[<i>].toolCalls[<j>].arguments}) when a tool call's arguments are
	 * not valid JSON or not a JSON object
	 */
	@Override
	public void validate(ChatRequest request, String model) {
		List<Message> messages = request.messages();
		for (int i = 0; i < messages.size(); i++) {
			List<ToolCall> calls = messages.get(i).toolCalls();
			for (int j = 0; j < calls.size(); j++) {
				try {
					input(calls.get(j));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidRequestException("messages[" + i + "].toolCalls[" + j + "].arguments", NAME,
							"The " + ex.getMessage() + "; Anthropic takes a JSON object as a tool_use input");
				}
			}
		}
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException when an assistant tool call's arguments are not a
	 * JSON object (a request that {@link #validate} refuses)
	 */
	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		body.put("max_tokens", (request.maxTokens() != null) ? request.maxTokens() : this.defaultMaxTokens);
		List<Map<String, Object>> system = new ArrayList<>();
		List<Map<String, Object>> messages = new ArrayList<>();
		@Nullable List<Map<String, Object>> toolResults = null;
		for (Message message : request.messages()) {
			if (message.role() == Role.SYSTEM) {
				system.add(block(textBlock(message.content()), message.cacheBreakpoint()));
			}
			else if (message.role() == Role.TOOL) {
				if (toolResults == null) {
					toolResults = new ArrayList<>();
					Map<String, Object> user = new LinkedHashMap<>();
					user.put("role", "user");
					user.put("content", toolResults);
					messages.add(user);
				}
				toolResults.add(block(toolResultBlock(message), message.cacheBreakpoint()));
			}
			else {
				toolResults = null;
				messages.add(message(message));
			}
		}
		if (!system.isEmpty()) {
			body.put("system", system);
		}
		body.put("messages", messages);
		if (request.temperature() != null) {
			body.put("temperature", request.temperature());
		}
		if (!request.stop().isEmpty()) {
			body.put("stop_sequences", request.stop());
		}
		if (!request.tools().isEmpty()) {
			body.put("tools", request.tools().stream().map(AnthropicMessagesAdapter::tool).toList());
		}
		body.put("stream", true);
		body.putAll(request.providerOptions());
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(this.settings.headers());
		headers.put("content-type", "application/json");
		headers.put("accept", "text/event-stream");
		headers.put("anthropic-version", this.version);
		if (options.enableCompression()) {
			headers.put("accept-encoding", "gzip");
		}
		if (this.settings.hasApiKey()) {
			headers.put("x-api-key", this.settings.apiKey());
		}
		return new ProviderRequest(HttpMethod.POST, this.settings.baseUrl() + "/v1/messages", headers,
				this.mapper.writeValueAsBytes(body));
	}

	private Map<String, Object> message(Message message) {
		List<Map<String, Object>> content = new ArrayList<>();
		for (ReasoningItem item : message.reasoning()) {
			if (item instanceof ThinkingBlock thinking) {
				content.add(thinkingBlock(thinking));
			}
		}
		String text = message.content();
		if (text != null && (!text.isEmpty() || message.toolCalls().isEmpty())) {
			content.add(textBlock(text));
		}
		for (ToolCall call : message.toolCalls()) {
			Map<String, Object> block = new LinkedHashMap<>();
			block.put("type", "tool_use");
			block.put("id", call.id());
			block.put("name", call.name());
			block.put("input", input(call));
			content.add(block);
		}
		if (message.cacheBreakpoint()) {
			int last = content.size() - 1;
			content.set(last, block(content.get(last), true));
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("role", message.role().wireName());
		map.put("content", content);
		return map;
	}

	private Object input(ToolCall call) {
		if (call.arguments().isBlank()) {
			return Map.of();
		}
		Object input;
		try {
			input = this.mapper.readValue(call.arguments(), Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("arguments of tool call " + call.id() + " (" + call.name()
					+ ") are not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(input instanceof Map)) {
			throw new IllegalArgumentException(
					"arguments of tool call " + call.id() + " (" + call.name() + ") are not a JSON object");
		}
		return input;
	}

	private static Map<String, Object> textBlock(@Nullable String text) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("type", "text");
		block.put("text", (text != null) ? text : "");
		return block;
	}

	private static Map<String, Object> thinkingBlock(ThinkingBlock thinking) {
		Map<String, Object> block = new LinkedHashMap<>();
		if (thinking.isRedacted()) {
			block.put("type", "redacted_thinking");
			block.put("data", thinking.data());
		}
		else {
			block.put("type", "thinking");
			block.put("thinking", thinking.thinking());
			block.put("signature", thinking.signature());
		}
		return block;
	}

	private static Map<String, Object> toolResultBlock(Message message) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("type", "tool_result");
		block.put("tool_use_id", message.toolCallId());
		block.put("content", (message.content() != null) ? message.content() : "");
		if (message.toolError()) {
			block.put("is_error", true);
		}
		return block;
	}

	private static Map<String, Object> block(Map<String, Object> block, boolean cacheBreakpoint) {
		if (cacheBreakpoint) {
			block.put("cache_control", EPHEMERAL);
		}
		return block;
	}

	private static Map<String, Object> tool(ToolDefinition tool) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", tool.name());
		if (tool.description() != null) {
			map.put("description", tool.description());
		}
		// Anthropic requires an object schema
		map.put("input_schema", tool.parameters().isEmpty() ? Map.of("type", "object") : tool.parameters());
		return map;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Continues the message from its text: the same request is sent again with the text
	 * delivered so far as the final assistant turn (a prefill; when the request already
	 * ends with an assistant turn, the text is appended to it), so that the model writes
	 * on from there and each text delta of the new stream is new text. Anthropic rejects
	 * a final assistant turn that ends with whitespace, so trailing whitespace is left
	 * out of the prefill and returned as the {@linkplain Continuation#overlap() overlap},
	 * which the client drops from the start of the continuation if it is repeated there.
	 * A continuation is made only when:
	 * <ul>
	 * <li>the failure is retryable: the connection closed or reset, a read timeout, an
	 * {@code overloaded_error} or {@code api_error} event, or a retryable HTTP error of
	 * an earlier continuation;</li>
	 * <li>only text was delivered, and some (no {@code tool_use} input, no server tool
	 * call such as a web search, no thinking or other content block, which a text prefill
	 * cannot continue);</li>
	 * <li>the request does not enable extended thinking (provider option
	 * {@code thinking}), which Anthropic does not allow with a prefill.</li>
	 * </ul>
	 * Models that refuse prefills answer the continuation with HTTP 400, which ends the
	 * stream with the original failure.
	 * @see <a href=
	 * "https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/prefill-claudes-response">Anthropic,
	 * Prefill Claude's response</a>
	 */
	@Override
	public @Nullable Continuation continuation(ChatRequest request, String model, StreamingOptions options,
			StreamProgress progress, SteerLLMException failure) {
		if (!failure.isRetryable() || !progress.textOnly() || progress.text().isBlank() || thinkingEnabled(request)) {
			return null;
		}
		String text = progress.text();
		int end = text.length();
		while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
			end--;
		}
		List<Message> messages = new ArrayList<>(request.messages());
		Message last = messages.get(messages.size() - 1);
		if (last.role() == Role.ASSISTANT && last.toolCalls().isEmpty() && last.content() != null) {
			messages.set(messages.size() - 1, new Message(Role.ASSISTANT, last.content() + text.substring(0, end),
					last.name(), null, List.of(), last.cacheBreakpoint(), last.reasoning()));
		}
		else {
			messages.add(Message.assistant(text.substring(0, end)));
		}
		ChatRequest prefilled = request.toBuilder().messages(messages).build();
		return Continuation.prefill(createRequest(prefilled, model, options), text.substring(end));
	}

	private static boolean thinkingEnabled(ChatRequest request) {
		Object thinking = request.providerOptions().get("thinking");
		return thinking instanceof Map<?, ?> map && !"disabled".equals(map.get("type"));
	}

	/** Always: the stream ends with the provider's usage. */
	@Override
	public boolean reportsUsage(ChatRequest request) {
		return true;
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		return new AnthropicStreamParser(NAME, this.mapper, listener, this.settings.apiKey());
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Reads Anthropic's {@code {"type": "error", "error": {"type": …, "message": …}}};
	 * the error code is always {@code null}, as Anthropic sends none. A body that is not
	 * such JSON becomes the message. The body's {@code request_id} is used when the
	 * header gave none.
	 */
	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		AnthropicEvent response = null;
		try {
			response = this.mapper.readValue(body, AnthropicEvent.class);
		}
		catch (JacksonException ex) {
			// not JSON: the raw body becomes the message
		}
		String apiKey = this.settings.apiKey();
		AnthropicEvent.ErrorBody error = (response != null) ? response.error() : null;
		if (error == null) {
			return new ProviderHttpException(NAME, status, null, null,
					Secrets.redact(body.isBlank() ? null : body.strip(), apiKey), requestId);
		}
		return new ProviderHttpException(NAME, status, error.type(), null, Secrets.redact(error.message(), apiKey),
				(requestId != null) ? requestId : response.requestId());
	}

	/**
	 * Reads Anthropic's {@code request-id} header.
	 * @param headers the response headers
	 * @return the request id (e.g. {@code req_018EeWyXxfu5pfWkrYcMdjWG}), or {@code null}
	 */
	@Override
	public @Nullable String requestId(HttpHeaders headers) {
		String requestId = headers.getFirst("request-id");
		return (requestId != null) ? requestId : headers.getFirst("x-request-id");
	}

}
