package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.Secrets;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpMethod;

/**
 * Adapter for the OpenAI Chat Completions streaming format, also spoken by xAI.
 * <p>
 * Sends {@code POST {base-url}/chat/completions} with {@code stream: true} and
 * {@code stream_options.include_usage: true}, authenticated with a bearer key.
 * <p>
 * Each message becomes {@code {"role", "content", "name"?}}; an assistant's tool calls go
 * in its {@code tool_calls} ({@code {"id", "type": "function", "function": {"name",
 * "arguments"}}}, {@code content} {@code null} when the model wrote no text), and a tool
 * result is a {@code {"role": "tool", "content", "tool_call_id"}} message. Chat
 * Completions takes no reasoning back, so {@link Message#reasoning()} is not sent.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/chat/create">OpenAI,
 * Create chat completion</a>
 * @see <a href="https://platform.openai.com/docs/api-reference/chat-streaming">OpenAI,
 * The chat completion chunk object</a>
 * @see <a href="https://docs.x.ai/docs/api-reference#chat-completions">xAI, Chat
 * completions</a>
 * @see <a href="https://platform.openai.com/docs/guides/function-calling">OpenAI,
 * Function calling</a>
 */
public final class OpenAiChatCompletionsAdapter implements ProviderAdapter {

	/** Default base URL of OpenAI's API. */
	public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

	/** Default base URL of xAI's API. */
	public static final String XAI_BASE_URL = "https://api.x.ai/v1";

	private final String name;

	private final ProviderSettings settings;

	private final ObjectMapper mapper;

	private final String maxTokensField;

	private OpenAiChatCompletionsAdapter(String name, ProviderSettings settings, ObjectMapper mapper,
			String maxTokensField) {
		this.name = name;
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.maxTokensField = maxTokensField;
	}

	/**
	 * An adapter for OpenAI. Output length is sent as {@code max_completion_tokens}.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @return the adapter, named {@code openai}
	 */
	public static OpenAiChatCompletionsAdapter openAi(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiChatCompletionsAdapter("openai", settings, mapper, "max_completion_tokens");
	}

	/**
	 * An adapter for xAI. Output length is sent as {@code max_tokens};
	 * {@code reasoning_content} deltas become reasoning deltas.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @return the adapter, named {@code xai}
	 */
	public static OpenAiChatCompletionsAdapter xai(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiChatCompletionsAdapter("xai", settings, mapper, "max_tokens");
	}

	/**
	 * {@inheritDoc}
	 * @return {@link ProviderApi#CHAT_COMPLETIONS}
	 */
	@Override
	public Set<ProviderApi> supportedApis() {
		return Set.of(ProviderApi.CHAT_COMPLETIONS);
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
		body.put("messages", request.messages().stream().map(OpenAiChatCompletionsAdapter::message).toList());
		body.put("stream", true);
		body.put("stream_options", Map.of("include_usage", true));
		putIfNotNull(body, "temperature", request.temperature());
		putIfNotNull(body, this.maxTokensField, request.maxTokens());
		putIfNotNull(body, "n", request.n());
		if (!request.stop().isEmpty()) {
			body.put("stop", request.stop());
		}
		if (request.responseFormat() != null) {
			body.put("response_format", responseFormat(request.responseFormat()));
		}
		if (!request.tools().isEmpty()) {
			body.put("tools", request.tools().stream().map(OpenAiChatCompletionsAdapter::tool).toList());
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
		return new ProviderRequest(HttpMethod.POST, this.settings.baseUrl() + "/chat/completions", headers,
				this.mapper.writeValueAsBytes(body));
	}

	private static Map<String, Object> message(Message message) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("role", message.role().wireName());
		map.put("content", message.content());
		putIfNotNull(map, "name", message.name());
		putIfNotNull(map, "tool_call_id", message.toolCallId());
		if (!message.toolCalls().isEmpty()) {
			List<Map<String, Object>> calls = new ArrayList<>();
			for (ToolCall call : message.toolCalls()) {
				calls.add(Map.of("id", call.id(), "type", "function", "function",
						Map.of("name", call.name(), "arguments", call.arguments())));
			}
			map.put("tool_calls", calls);
		}
		return map;
	}

	private static Map<String, Object> responseFormat(ResponseFormat format) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("type", format.type().wireName());
		if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
			map.put("json_schema", Map.of("name", format.name(), "schema", format.schema(), "strict", format.strict()));
		}
		return map;
	}

	private static Map<String, Object> tool(ToolDefinition tool) {
		Map<String, Object> function = new LinkedHashMap<>();
		function.put("name", tool.name());
		putIfNotNull(function, "description", tool.description());
		function.put("parameters", tool.parameters());
		if (tool.strict()) {
			function.put("strict", true);
		}
		return Map.of("type", "function", "function", function);
	}

	/** Puts a value unless it is {@code null}; shared with the Responses API adapter. */
	static void putIfNotNull(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

	/** Always: the stream ends with the provider's usage. */
	@Override
	public boolean reportsUsage(ChatRequest request) {
		return true;
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		return new ChatCompletionsStreamParser(this.name, this.mapper, listener, this.settings.apiKey());
	}

	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		return httpError(this.name, this.settings.apiKey(), this.mapper, status, requestId, body);
	}

	/**
	 * Reads OpenAI's error body {@code {"error": {"message", "type", "param", "code"}}},
	 * which Chat Completions and the Responses API share (and xAI follows); any other
	 * body becomes the message.
	 * @param provider the provider name
	 * @param apiKey the API key to keep out of the message, or {@code null}
	 * @param mapper JSON mapper
	 * @param status the HTTP status
	 * @param requestId the provider's request id, or {@code null}
	 * @param body the response body
	 * @return the exception
	 */
	static ProviderHttpException httpError(String provider, @Nullable String apiKey, ObjectMapper mapper, int status,
			@Nullable String requestId, String body) {
		ChatCompletionChunk.ErrorBody error = null;
		try {
			ChatCompletionChunk.ErrorResponse response = mapper.readValue(body,
					ChatCompletionChunk.ErrorResponse.class);
			error = (response != null) ? response.error() : null;
		}
		catch (JacksonException ex) {
			// not JSON: the raw body becomes the message
		}
		if (error == null) {
			return new ProviderHttpException(provider, status, null, null,
					Secrets.redact(body.isBlank() ? null : body.strip(), apiKey), requestId);
		}
		return new ProviderHttpException(provider, status, error.type(),
				(error.code() != null) ? String.valueOf(error.code()) : null, Secrets.redact(error.message(), apiKey),
				requestId);
	}

}
