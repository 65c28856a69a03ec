package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.FinishReason;
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
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parser of an OpenAI-compatible Chat Completions stream: {@code data: {chunk}} events
 * ended by {@code data: [DONE]}. Tool-call fragments are keyed by {@code index}; choices
 * by their {@code index}; the usage chunk has {@code choices: []}; an {@code error}
 * object in a chunk ends the stream with a {@link ProviderStreamException}.
 * <p>
 * Each chunk is read straight into {@link ChatCompletionChunk}: token by token when it
 * has the common shape ({@link ChatCompletionChunkReader}), else by data binding. The
 * parser is lenient about what OpenAI-compatible servers vary; none of it ends the
 * stream, and what it does not understand is reported with
 * {@link StreamDeltaListener#unrecognized} (counted in the response metadata
 * {@code stream.unrecognized}):
 * <ul>
 * <li>a chunk whose fields have unexpected JSON types (a
 * {@code tool_calls[].function.arguments} object, a {@code content} array of parts,
 * {@code choices} that is not an array, an {@code error} string, …) is read again as a
 * tree conformed to the chunk's shape ({@link LenientJson}): an object or array where a
 * string was expected becomes its JSON text, the text parts of {@code content} are
 * joined, and a field that cannot be read is dropped; only this rare path builds a
 * tree;</li>
 * <li>a choice without {@code index} takes its position in {@code choices}; a tool call
 * fragment without {@code index} is matched to its call by {@code id}, and one without
 * either continues the last call of its choice;</li>
 * <li>{@code ""} as id, model or finish reason counts as absent (Azure OpenAI's first
 * chunk, with {@code prompt_filter_results} and empty {@code choices}, has {@code id: ""}
 * and {@code model: ""}), so that the response's id and model are the first non-empty
 * ones sent and its cost is found; {@code system_fingerprint} and {@code service_tier}
 * are the first non-empty ones too;</li>
 * <li>{@code choices} or {@code delta} {@code null} or absent, and fields this parser
 * does not read, are skipped;</li>
 * <li>a chunk that is valid JSON but not an object ({@code null}, an array, …), or that
 * does not bind even after conforming, is skipped and reported as
 * {@code chunk:<JSON type>} or {@code chunk:unreadable}.</li>
 * </ul>
 * Only data that is not JSON at all ends the stream with a {@link StreamParseException}.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/chat-streaming">OpenAI,
 * The chat completion chunk object</a>
 * @see <a href=
 * "https://learn.microsoft.com/en-us/azure/ai-services/openai/concepts/content-filter">Azure
 * OpenAI, content filtering ({@code prompt_filter_results}, streaming annotations)</a>
 */
final class ChatCompletionsStreamParser implements StreamParser {

	private static final String DONE = "[DONE]";

	/**
	 * What the lenient path conforms a chunk to: the fields of
	 * {@link ChatCompletionChunk}.
	 */
	private static final LenientJson.Shape CHUNK = LenientJson.object("id", LenientJson.string(), "model",
			LenientJson.string(), "system_fingerprint", LenientJson.string(), "service_tier", LenientJson.string(),
			"usage", LenientJson.object(), "error", LenientJson.error(), "choices",
			LenientJson.arrayOf(
					LenientJson.object("index", LenientJson.integer(), "finish_reason", LenientJson.string(), "delta",
							LenientJson.object("content", LenientJson.textOrParts(), "refusal", LenientJson.string(),
									"reasoning_content", LenientJson.string(), "tool_calls",
									LenientJson.arrayOf(LenientJson.object("index", LenientJson.integer(), "id",
											LenientJson.string(), "function", LenientJson.object("name",
													LenientJson.string(), "arguments", LenientJson.string())))))));

	private final String provider;

	private final ObjectMapper mapper;

	private final ObjectReader chunkReader;

	private final ChatCompletionChunkReader fastReader;

	private final StreamDeltaListener listener;

	private final @Nullable String apiKey;

	private boolean done;

	private boolean finished;

	private boolean fingerprintSeen;

	private boolean serviceTierSeen;

	/**
	 * For choices whose tool call fragments come without {@code index}: the call ids in
	 * order of appearance, by choice; {@code null} while no such fragment came.
	 */
	private @Nullable Map<Integer, List<@Nullable String>> unindexedCalls;

	ChatCompletionsStreamParser(String provider, ObjectMapper mapper, StreamDeltaListener listener,
			@Nullable String apiKey) {
		this.provider = provider;
		this.mapper = mapper;
		this.chunkReader = mapper.readerFor(ChatCompletionChunk.class);
		this.fastReader = new ChatCompletionChunkReader(mapper);
		this.listener = listener;
		this.apiKey = apiKey;
	}

	@Override
	public void onEvent(SseEvent event) {
		if (this.done) {
			return;
		}
		String data = event.data();
		if (DONE.equals(data)) {
			this.done = true;
			return;
		}
		if ("error".equals(event.event())) {
			throw streamError(readError(data));
		}
		ChatCompletionChunk chunk = read(data);
		if (chunk == null) {
			return;
		}
		if (chunk.error() != null) {
			throw streamError(chunk.error());
		}
		onChunk(chunk);
	}

	/**
	 * The chunk, read token by token when of the common shape, else bound straight, else
	 * leniently; {@code null} when skipped.
	 */
	private @Nullable ChatCompletionChunk read(String data) {
		ChatCompletionChunk common = this.fastReader.read(data);
		if (common != null) {
			return common;
		}
		try {
			ChatCompletionChunk chunk = this.chunkReader.readValue(data);
			if (chunk == null) {
				this.listener.unrecognized("chunk:null");
			}
			return chunk;
		}
		catch (JacksonException ex) {
			return readLeniently(data);
		}
	}

	private @Nullable ChatCompletionChunk readLeniently(String data) {
		JsonNode tree;
		try {
			tree = this.mapper.readTree(data);
		}
		catch (JacksonException ex) {
			// the parser's message quotes the data (an unrecognised token may be a key):
			// redacted,
			// and the exception, whose message cannot be, is not kept as the cause
			throw new StreamParseException(this.provider, this.provider + " sent a chunk that is not valid JSON: "
					+ Secrets.redact(ex.getOriginalMessage(), this.apiKey), null);
		}
		if (tree == null || tree.isMissingNode()) {
			throw new StreamParseException(this.provider, this.provider + " sent an empty chunk", null);
		}
		if (!(tree instanceof ObjectNode object)) {
			this.listener.unrecognized("chunk:" + LenientJson.jsonType(tree));
			return null;
		}
		LenientJson.conform(object, "chunk", CHUNK, this.listener::unrecognized);
		try {
			return this.chunkReader.readValue(object);
		}
		catch (JacksonException ex) {
			this.listener.unrecognized("chunk:unreadable");
			return null;
		}
	}

	private ChatCompletionChunk.ErrorBody readError(String data) {
		try {
			ChatCompletionChunk.ErrorResponse response = this.mapper.readValue(data,
					ChatCompletionChunk.ErrorResponse.class);
			if (response != null && response.error() != null) {
				return response.error();
			}
		}
		catch (JacksonException ex) {
			// fall through: the data itself is the message
		}
		return new ChatCompletionChunk.ErrorBody(data, null, null, null);
	}

	private ProviderStreamException streamError(ChatCompletionChunk.ErrorBody error) {
		String code = (error.code() != null) ? String.valueOf(error.code()) : null;
		return new ProviderStreamException(this.provider, error.type(), code,
				Secrets.redact(error.message(), this.apiKey), isRetryable(error.type()) || isRetryable(code));
	}

	/**
	 * Whether an OpenAI-style error type or code names a passing failure (server error,
	 * rate limit, overload, timeout, unavailability). Shared with the Responses API
	 * parser.
	 * @param value the type or code, may be {@code null}
	 * @return {@code true} when retrying may succeed
	 */
	static boolean isRetryable(@Nullable String value) {
		if (value == null) {
			return false;
		}
		String v = value.toLowerCase(Locale.ROOT);
		return v.contains("server_error") || v.contains("rate_limit") || v.contains("overloaded")
				|| v.contains("timeout") || v.contains("unavailable");
	}

	private void onChunk(ChatCompletionChunk chunk) {
		String id = nonEmpty(chunk.id());
		String model = nonEmpty(chunk.model());
		if (id != null || model != null) {
			this.listener.responseInfo(id, model);
		}
		if (!this.fingerprintSeen && nonEmpty(chunk.systemFingerprint()) != null) {
			this.fingerprintSeen = true;
			this.listener.metadata("system_fingerprint", chunk.systemFingerprint());
		}
		if (!this.serviceTierSeen && nonEmpty(chunk.serviceTier()) != null) {
			this.serviceTierSeen = true;
			this.listener.metadata("service_tier", chunk.serviceTier());
		}
		List<ChatCompletionChunk.Choice> choices = chunk.choices();
		if (choices != null) {
			for (int i = 0; i < choices.size(); i++) {
				ChatCompletionChunk.Choice choice = choices.get(i);
				if (choice != null) {
					onChoice(choice, i);
				}
			}
		}
		Map<String, Object> usage = chunk.usage();
		if (usage != null) {
			this.listener.usage(usage(usage));
		}
	}

	private void onChoice(ChatCompletionChunk.Choice choice, int position) {
		int index;
		if (choice.index() != null) {
			index = choice.index();
		}
		else {
			this.listener.unrecognized("field:chunk.choices[].index:missing");
			index = position;
		}
		ChatCompletionChunk.Delta delta = choice.delta();
		if (delta != null) {
			if (delta.reasoningContent() != null && !delta.reasoningContent().isEmpty()) {
				this.listener.reasoning(index, delta.reasoningContent());
			}
			if (delta.content() != null && !delta.content().isEmpty()) {
				this.listener.text(index, delta.content());
			}
			if (delta.refusal() != null && !delta.refusal().isEmpty()) {
				this.listener.refusal(index, delta.refusal());
			}
			if (delta.toolCalls() != null) {
				for (ChatCompletionChunk.ToolCallFragment call : delta.toolCalls()) {
					if (call == null) {
						continue;
					}
					ChatCompletionChunk.FunctionFragment function = call.function();
					String name = (function != null) ? function.name() : null;
					String arguments = (function != null && function.arguments() != null) ? function.arguments() : "";
					int callIndex = (call.index() != null) ? call.index() : unindexedCall(index, call.id());
					this.listener.toolCall(index, callIndex, call.id(), name, arguments);
				}
			}
		}
		String finishReason = nonEmpty(choice.finishReason());
		if (finishReason != null) {
			this.finished = true;
			FinishReason normalized = FinishReason.fromChatCompletions(finishReason);
			this.listener.finishReason(index, finishReason, (normalized != null) ? normalized : FinishReason.OTHER);
		}
	}

	/**
	 * The index of a tool call fragment sent without one: the call with the same id, a
	 * new call for a new id, else the last call of the choice.
	 */
	private int unindexedCall(int choice, @Nullable String id) {
		this.listener.unrecognized("field:chunk.choices[].delta.tool_calls[].index:missing");
		if (this.unindexedCalls == null) {
			this.unindexedCalls = new HashMap<>(2);
		}
		List<@Nullable String> ids = this.unindexedCalls.computeIfAbsent(choice, (c) -> new ArrayList<>(2));
		if (id != null) {
			int known = ids.indexOf(id);
			if (known >= 0) {
				return known;
			}
			ids.add(id);
			return ids.size() - 1;
		}
		if (ids.isEmpty()) {
			ids.add(null);
		}
		return ids.size() - 1;
	}

	private static @Nullable String nonEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	static Usage usage(Map<String, Object> usage) {
		int prompt = UsageMaps.intAt(usage, "prompt_tokens");
		int completion = UsageMaps.intAt(usage, "completion_tokens");
		int total = UsageMaps.hasNumber(usage, "total_tokens") ? UsageMaps.intAt(usage, "total_tokens")
				: prompt + completion;
		return new Usage(prompt, completion, total, UsageMaps.intAt(usage, "prompt_tokens_details", "cached_tokens"), 0,
				UsageMaps.intAt(usage, "completion_tokens_details", "reasoning_tokens"), usage);
	}

	@Override
	public boolean isComplete() {
		return this.done;
	}

	@Override
	public void onEndOfBody() {
		if (!this.done && !this.finished) {
			throw new StreamInterruptedException(this.provider,
					this.provider + " stream ended before a finish reason or [DONE]", null);
		}
	}

}
