package io.steer.llm.provider.anthropic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Parser of an Anthropic Messages stream: named events from {@code message_start} to
 * {@code message_stop}.
 * <ul>
 * <li>{@code text_delta} becomes text and {@code thinking_delta} reasoning of choice 0;
 * {@code signature_delta} signatures are kept, in order, as the metadata
 * {@code thinking_signatures} ({@code List<String>}).</li>
 * <li>A {@code tool_use} or {@code server_tool_use} block becomes a tool call whose index is
 * the block's {@code index}; it is reported at {@code content_block_start}, so that a call
 * without input exists too, and its {@code input_json_delta} fragments follow.</li>
 * <li>{@code message_delta} gives the stop reason (the finish reason), the stop sequence
 * (metadata {@code stop_sequence}, when not {@code null}) and the usage so far. Its usage
 * counts are cumulative: they replace those of {@code message_start} and of earlier
 * {@code message_delta} events, they are never added. The raw usage is the
 * {@code message_start} usage overlaid with the {@code message_delta} ones. Usage is reported
 * at each {@code message_delta} that carries it (normally one per stream), else once at
 * {@code message_stop} when only {@code message_start} carried it, else not at all.</li>
 * <li>{@code message_stop} completes the stream; {@code ping} and event types this parser
 * does not know are ignored; an {@code error} event ends the stream with a
 * {@link ProviderStreamException}, retryable for {@code overloaded_error} and
 * {@code api_error}.</li>
 * </ul>
 *
 * @see <a href="https://docs.anthropic.com/en/docs/build-with-claude/streaming">Anthropic,
 * Streaming Messages</a>
 */
final class AnthropicStreamParser implements StreamParser {

	private final String provider;

	private final ObjectMapper mapper;

	private final StreamDeltaListener listener;

	private final @Nullable String apiKey;

	private final Set<Integer> toolBlocks = new HashSet<>(4);

	private @Nullable List<String> signatures;

	private @Nullable Map<String, Object> usage;

	private boolean usageReported;

	private boolean complete;

	AnthropicStreamParser(String provider, ObjectMapper mapper, StreamDeltaListener listener,
			@Nullable String apiKey) {
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
			return;
		}
		switch (type) {
			case "message_start" -> onMessageStart(event);
			case "content_block_start" -> onContentBlockStart(event);
			case "content_block_delta" -> onContentBlockDelta(event);
			case "message_delta" -> onMessageDelta(event);
			case "message_stop" -> onMessageStop();
			case "error" -> throw streamError(event.error(), sse.data());
			default -> {
				// ping, content_block_stop and event types added after this parser: nothing to read
			}
		}
	}

	private AnthropicEvent read(SseEvent sse) {
		AnthropicEvent event;
		try {
			event = this.mapper.readValue(sse.data(), AnthropicEvent.class);
		}
		catch (JacksonException ex) {
			if ("error".equals(sse.event())) {
				// an error event that is not JSON: its data is the message
				throw streamError(null, sse.data());
			}
			throw new StreamParseException(this.provider, this.provider + " sent a "
					+ ((sse.event() != null) ? sse.event() + " " : "") + "event that is not valid JSON: "
					+ ex.getOriginalMessage(), ex);
		}
		if (event == null) {
			throw new StreamParseException(this.provider, this.provider + " sent a null event", null);
		}
		return event;
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
			return;
		}
		if ("tool_use".equals(block.type()) || "server_tool_use".equals(block.type())) {
			int index = index(event);
			this.toolBlocks.add(index);
			this.listener.toolCall(0, index, block.id(), block.name(), "");
		}
	}

	private void onContentBlockDelta(AnthropicEvent event) {
		AnthropicEvent.Delta delta = event.delta();
		if (delta == null || delta.type() == null) {
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
				}
			}
			case "signature_delta" -> {
				if (delta.signature() != null && !delta.signature().isEmpty()) {
					if (this.signatures == null) {
						this.signatures = new ArrayList<>(2);
					}
					this.signatures.add(delta.signature());
					this.listener.metadata("thinking_signatures", List.copyOf(this.signatures));
				}
			}
			case "input_json_delta" -> {
				int index = index(event);
				if (delta.partialJson() != null && !delta.partialJson().isEmpty() && this.toolBlocks.contains(index)) {
					this.listener.toolCall(0, index, null, null, delta.partialJson());
				}
			}
			default -> {
				// citations_delta and delta types added after this parser
			}
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
	 * Overlays cumulative counts: a key present with a value replaces the earlier one, a key
	 * sent as {@code null} keeps it.
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
	 * Normalises Anthropic usage. Anthropic's {@code input_tokens} leave out the tokens read
	 * from and written to the prompt cache, so they are added back: prompt tokens include
	 * cached ones, as for OpenAI.
	 * @param raw the usage object, as nested maps
	 * @return the usage: prompt = {@code input_tokens + cache_read_input_tokens +
	 * cache_creation_input_tokens}, completion = {@code output_tokens}, total = their sum,
	 * cached prompt = {@code cache_read_input_tokens}, cache creation =
	 * {@code cache_creation_input_tokens}, reasoning =
	 * {@code output_tokens_details.thinking_tokens} (the part of {@code output_tokens} that was
	 * extended thinking; Anthropic sends it on the final {@code message_delta} only), 0 when
	 * not sent
	 * @see <a href="https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking">Anthropic,
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

	@Override
	public boolean isComplete() {
		return this.complete;
	}

	@Override
	public void onEndOfBody() {
		if (!this.complete) {
			throw new StreamInterruptedException(this.provider,
					this.provider + " stream ended before message_stop", null);
		}
	}

}
