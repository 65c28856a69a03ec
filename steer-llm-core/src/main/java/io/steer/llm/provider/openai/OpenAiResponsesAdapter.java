package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ReasoningItem;
import io.steer.llm.model.ResponsesReasoningItem;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.Role;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import org.springframework.http.HttpMethod;

/**
 * Adapter for the OpenAI Responses API streaming format, also spoken by xAI.
 * <p>
 * Sends {@code POST {base-url}/responses} with {@code stream: true}, authenticated with a
 * bearer key when one is set. The request body maps a {@link ChatRequest} as follows:
 * <ul>
 * <li>the leading system messages become {@code instructions} (joined by a blank line);
 * later system messages stay in {@code input} as {@code {"role": "system", "content":
 * …}};</li>
 * <li>an assistant message's {@link ResponsesReasoningItem}s
 * ({@link Message#reasoning()}) come first, in order, as {@code reasoning} items
 * {@code {"type": "reasoning", "id", "summary": [{"type": "summary_text", "text"}…],
 * "encrypted_content"?}} (reasoning models want them back before the function calls they
 * led to); with the provider option {@code store: false} an item without encrypted
 * content is left out, as the API could not find it by its id; other reasoning items are
 * not sent;</li>
 * <li>user and assistant messages become {@code input} messages {@code {"role",
 * "content"}} (a participant {@code name} is not supported by the API and is left
 * out);</li>
 * <li>the tool calls of an assistant message become {@code function_call} items
 * {@code {"type", "call_id", "name", "arguments"}}, after the message's text if it has
 * any;</li>
 * <li>tool messages become {@code function_call_output} items {@code {"type", "call_id",
 * "output"}};</li>
 * <li>{@code temperature}; {@code maxTokens} as {@code max_output_tokens};</li>
 * <li>the response format as {@code text.format}: {@code {"type": "text"}},
 * {@code {"type": "json_object"}} or {@code {"type": "json_schema", "name", "schema",
 * "strict"}};</li>
 * <li>tools as {@code {"type": "function", "name", "description", "parameters",
 * "strict"}}, {@code strict} always sent since the API defaults it to {@code true};</li>
 * <li>{@link ChatRequest#providerOptions()} last, winning over the fields above (e.g.
 * {@code reasoning}, {@code store}, {@code previous_response_id}).</li>
 * </ul>
 * {@link ChatRequest#n()} and {@link ChatRequest#stop()} have no counterpart in the
 * Responses API and are ignored.
 * <p>
 * The stream: {@code response.output_text.delta},
 * {@code response.reasoning_summary_text.delta} and function-call items with
 * {@code response.function_call_arguments.delta} become text, reasoning and tool-call
 * deltas; {@code *.done} events, which repeat them, are not reported again;
 * {@code response.completed} brings the usage and the {@code status} (the finish reason)
 * and ends the stream; {@code response.incomplete} ends it with a
 * {@link ResponsesIncompleteException} after reporting its usage; {@code error} and
 * {@code response.failed} end it with a
 * {@link io.steer.llm.error.ProviderStreamException}; every event's
 * {@code sequence_number} is kept as the resume position (response metadata
 * {@code sequence_number}). A body that ends before {@code response.completed} ends the
 * stream with a {@link io.steer.llm.error.StreamInterruptedException}, unless the
 * response was created in background mode, in which case it is resumed (see
 * {@link #continuation}).
 * <p>
 * HTTP errors carry the same {@code {"error": {…}}} body as Chat Completions.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/responses/create">OpenAI,
 * Create a model response</a>
 * @see <a href=
 * "https://platform.openai.com/docs/api-reference/responses-streaming">OpenAI, Responses
 * streaming events</a>
 * @see <a href="https://docs.x.ai/docs/api-reference#create-new-response">xAI, Create new
 * response</a>
 * @see <a href= "https://platform.openai.com/docs/guides/function-calling">OpenAI,
 * Function calling ({@code function_call_output})</a>
 * @see <a href=
 * "https://platform.openai.com/docs/guides/reasoning#keeping-reasoning-items-in-context">OpenAI,
 * Keeping reasoning items in context</a>
 * @see <a href=
 * "https://docs.x.ai/developers/advanced-api-usage/troubleshooting-reasoning">xAI,
 * Troubleshooting reasoning (passing reasoning items back)</a>
 */
public final class OpenAiResponsesAdapter implements ProviderAdapter {

	private final String name;

	private final ProviderSettings settings;

	private final ObjectMapper mapper;

	private final ObjectReader eventReader;

	private OpenAiResponsesAdapter(String name, ProviderSettings settings, ObjectMapper mapper) {
		this.name = name;
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.eventReader = mapper.readerFor(ResponsesEvent.class);
	}

	/**
	 * An adapter for OpenAI's Responses API.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @return the adapter, named {@code openai}
	 */
	public static OpenAiResponsesAdapter openAi(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiResponsesAdapter("openai", settings, mapper);
	}

	/**
	 * An adapter for xAI's Responses API, the same wire format at xAI's base URL.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @return the adapter, named {@code xai}
	 */
	public static OpenAiResponsesAdapter xai(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiResponsesAdapter("xai", settings, mapper);
	}

	/**
	 * {@inheritDoc}
	 * @return {@link ProviderApi#RESPONSES}
	 */
	@Override
	public Set<ProviderApi> supportedApis() {
		return Set.of(ProviderApi.RESPONSES);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public ProviderSettings settings() {
		return this.settings;
	}

	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		List<Message> messages = request.messages();
		int first = 0;
		StringBuilder instructions = null;
		while (first < messages.size() && messages.get(first).role() == Role.SYSTEM) {
			String content = messages.get(first).content();
			if (content != null) {
				instructions = (instructions == null) ? new StringBuilder(content)
						: instructions.append("\n\n").append(content);
			}
			first++;
		}
		if (instructions != null) {
			body.put("instructions", instructions.toString());
		}
		List<Map<String, Object>> input = new ArrayList<>(messages.size() - first);
		boolean stored = !Boolean.FALSE.equals(request.providerOptions().get("store"))
				&& !"false".equals(request.providerOptions().get("store"));
		for (Message message : messages.subList(first, messages.size())) {
			addInput(input, message, stored);
		}
		body.put("input", input);
		body.put("stream", true);
		OpenAiChatCompletionsAdapter.putIfNotNull(body, "temperature", request.temperature());
		OpenAiChatCompletionsAdapter.putIfNotNull(body, "max_output_tokens", request.maxTokens());
		if (request.responseFormat() != null) {
			body.put("text", Map.of("format", textFormat(request.responseFormat())));
		}
		if (!request.tools().isEmpty()) {
			body.put("tools", request.tools().stream().map(OpenAiResponsesAdapter::tool).toList());
		}
		body.putAll(request.providerOptions());
		Map<String, String> headers = new LinkedHashMap<>(this.settings.headers());
		headers.put("Content-Type", "application/json");
		headers.put("Accept", "text/event-stream");
		if (options.enableCompression()) {
			headers.put("Accept-Encoding", "gzip");
		}
		if (this.settings.hasApiKey()) {
			headers.put("Authorization", "Bearer " + this.settings.apiKey());
		}
		return new ProviderRequest(HttpMethod.POST, this.settings.baseUrl() + "/responses", headers,
				this.mapper.writeValueAsBytes(body));
	}

	private static void addInput(List<Map<String, Object>> input, Message message, boolean stored) {
		if (message.role() == Role.TOOL) {
			Map<String, Object> output = new LinkedHashMap<>();
			output.put("type", "function_call_output");
			output.put("call_id", message.toolCallId());
			output.put("output", (message.content() != null) ? message.content() : "");
			input.add(output);
			return;
		}
		for (ReasoningItem item : message.reasoning()) {
			if (item instanceof ResponsesReasoningItem reasoning && (stored || reasoning.encryptedContent() != null)) {
				input.add(reasoningItem(reasoning));
			}
		}
		if (message.content() != null && !(message.content().isEmpty() && !message.toolCalls().isEmpty())) {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("role", message.role().wireName());
			map.put("content", message.content());
			input.add(map);
		}
		for (ToolCall call : message.toolCalls()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("type", "function_call");
			item.put("call_id", call.id());
			item.put("name", call.name());
			item.put("arguments", call.arguments());
			input.add(item);
		}
	}

	private static Map<String, Object> reasoningItem(ResponsesReasoningItem reasoning) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("type", "reasoning");
		item.put("id", reasoning.id());
		item.put("summary",
				reasoning.summary().stream().map((text) -> Map.of("type", "summary_text", "text", text)).toList());
		OpenAiChatCompletionsAdapter.putIfNotNull(item, "encrypted_content", reasoning.encryptedContent());
		return item;
	}

	private static Map<String, Object> textFormat(ResponseFormat format) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("type", format.type().wireName());
		if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
			map.put("name", format.name());
			map.put("schema", format.schema());
			map.put("strict", format.strict());
		}
		return map;
	}

	private static Map<String, Object> tool(ToolDefinition tool) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("type", "function");
		map.put("name", tool.name());
		OpenAiChatCompletionsAdapter.putIfNotNull(map, "description", tool.description());
		map.put("parameters", tool.parameters());
		map.put("strict", tool.strict());
		return map;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Resumes the same response: {@code GET
	 * {base-url}/responses/{id}?stream=true&starting_after=N}, {@code N} being the last
	 * {@code sequence_number} received, so that the stream goes on with event
	 * {@code N + 1}. OpenAI keeps a streamed response for this only when it was created
	 * in background mode, so a resume is made only when all of these hold:
	 * <ul>
	 * <li>the request's provider options set {@code background: true} (which OpenAI
	 * requires to go with {@code store}, its default, left on);</li>
	 * <li>the stream sent the response id ({@code response.created}) and at least one
	 * {@code sequence_number};</li>
	 * <li>the stream broke (connection closed or reset, read timeout, HTTP error of an
	 * earlier resume) rather than reported an error itself ({@code error},
	 * {@code response.failed}), which a resume would only repeat.</li>
	 * </ul>
	 * OpenAI keeps background responses for about 10 minutes; a resume after that fails
	 * with HTTP 404, which ends the stream with the original failure.
	 * @see <a href="https://platform.openai.com/docs/guides/background">OpenAI,
	 * Background mode</a>
	 * @see <a href="https://platform.openai.com/docs/api-reference/responses/get">OpenAI,
	 * Get a model response</a>
	 */
	@Override
	public @Nullable Continuation continuation(ChatRequest request, String model, StreamingOptions options,
			StreamProgress progress, SteerLLMException failure) {
		if (!isBackground(request) || failure instanceof ProviderStreamException || progress.responseId() == null
				|| progress.sequenceNumber() < 0) {
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>(this.settings.headers());
		headers.put("Accept", "text/event-stream");
		if (options.enableCompression()) {
			headers.put("Accept-Encoding", "gzip");
		}
		if (this.settings.hasApiKey()) {
			headers.put("Authorization", "Bearer " + this.settings.apiKey());
		}
		// the id is sent as is: the client's URI handling encodes what needs it
		String uri = this.settings.baseUrl() + "/responses/" + progress.responseId() + "?stream=true&starting_after="
				+ progress.sequenceNumber();
		return Continuation.resume(new ProviderRequest(HttpMethod.GET, uri, headers, new byte[0]));
	}

	/**
	 * Whether a request asks for background mode: provider option {@code background} set
	 * to {@code true} (or {@code "true"}).
	 * @param request the request
	 * @return {@code true} for a background request
	 */
	static boolean isBackground(ChatRequest request) {
		Object background = request.providerOptions().get("background");
		return Boolean.TRUE.equals(background) || "true".equals(background);
	}

	/** Always: the stream ends with the provider's usage. */
	@Override
	public boolean reportsUsage(ChatRequest request) {
		return true;
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		return new ResponsesStreamParser(this.name, this.eventReader, listener, this.settings.apiKey());
	}

	/**
	 * Reads OpenAI's error body {@code {"error": {"message", "type", "param", "code"}}},
	 * which the Responses API shares with Chat Completions; any other body becomes the
	 * message.
	 */
	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		return OpenAiChatCompletionsAdapter.httpError(this.name, this.settings.apiKey(), this.mapper, status, requestId,
				body);
	}

}
