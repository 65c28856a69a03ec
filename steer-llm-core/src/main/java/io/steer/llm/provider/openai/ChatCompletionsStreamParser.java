package io.steer.llm.provider.openai;

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
import tools.jackson.databind.ObjectMapper;

/**
 * Parser of an OpenAI-compatible Chat Completions stream: {@code data: {chunk}} events ended by
 * {@code data: [DONE]}. Tool-call fragments are keyed by {@code index}; choices by their
 * {@code index}; the usage chunk has {@code choices: []}; an {@code error} object in a chunk
 * ends the stream with a {@link ProviderStreamException}.
 */
final class ChatCompletionsStreamParser implements StreamParser {

	private static final String DONE = "[DONE]";

	private final String provider;

	private final ObjectMapper mapper;

	private final StreamDeltaListener listener;

	private final @Nullable String apiKey;

	private boolean done;

	private boolean finished;

	private boolean metadataSeen;

	ChatCompletionsStreamParser(String provider, ObjectMapper mapper, StreamDeltaListener listener,
			@Nullable String apiKey) {
		this.provider = provider;
		this.mapper = mapper;
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
		ChatCompletionChunk chunk;
		try {
			chunk = this.mapper.readValue(data, ChatCompletionChunk.class);
		}
		catch (JacksonException ex) {
			throw new StreamParseException(this.provider,
					this.provider + " sent a chunk that is not a valid chat.completion.chunk: " + ex.getOriginalMessage(),
					ex);
		}
		if (chunk == null) {
			throw new StreamParseException(this.provider, this.provider + " sent a null chunk", null);
		}
		if (chunk.error() != null) {
			throw streamError(chunk.error());
		}
		onChunk(chunk);
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
		return new ProviderStreamException(this.provider, error.type(), code, Secrets.redact(error.message(), this.apiKey),
				isRetryable(error.type()) || isRetryable(code));
	}

	/**
	 * Whether an OpenAI-style error type or code names a passing failure (server error, rate
	 * limit, overload, timeout, unavailability). Shared with the Responses API parser.
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
		this.listener.responseInfo(chunk.id(), chunk.model());
		if (!this.metadataSeen) {
			this.metadataSeen = true;
			if (chunk.systemFingerprint() != null) {
				this.listener.metadata("system_fingerprint", chunk.systemFingerprint());
			}
			if (chunk.serviceTier() != null) {
				this.listener.metadata("service_tier", chunk.serviceTier());
			}
		}
		List<ChatCompletionChunk.Choice> choices = chunk.choices();
		if (choices != null) {
			for (ChatCompletionChunk.Choice choice : choices) {
				onChoice(choice);
			}
		}
		Map<String, Object> usage = chunk.usage();
		if (usage != null) {
			this.listener.usage(usage(usage));
		}
	}

	private void onChoice(ChatCompletionChunk.Choice choice) {
		int index = choice.index();
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
					ChatCompletionChunk.FunctionFragment function = call.function();
					String name = (function != null) ? function.name() : null;
					String arguments = (function != null && function.arguments() != null) ? function.arguments() : "";
					this.listener.toolCall(index, call.index(), call.id(), name, arguments);
				}
			}
		}
		if (choice.finishReason() != null) {
			this.finished = true;
			this.listener.finishReason(index, choice.finishReason(),
					FinishReason.fromChatCompletions(choice.finishReason()));
		}
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
