package io.steer.llm.provider.anthropic;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One event of an Anthropic Messages stream (the {@code data:} JSON), with only the fields the
 * adapter reads. The same shape serves every event type, each using some of the fields:
 * <ul>
 * <li>{@code message_start}: {@code message} (id, model, input usage)</li>
 * <li>{@code content_block_start}: {@code index}, {@code content_block}</li>
 * <li>{@code content_block_delta}: {@code index}, {@code delta} (text, thinking, signature or
 * partial JSON)</li>
 * <li>{@code content_block_stop}: {@code index}</li>
 * <li>{@code message_delta}: {@code delta} (stop reason, stop sequence), cumulative
 * {@code usage}</li>
 * <li>{@code message_stop}, {@code ping}: nothing</li>
 * <li>{@code error}: {@code error}; an HTTP error response body has the same shape</li>
 * </ul>
 *
 * @see <a href="https://docs.anthropic.com/en/docs/build-with-claude/streaming">Anthropic,
 * Streaming Messages</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AnthropicEvent(@Nullable String type, @Nullable MessageInfo message, @Nullable Integer index,
		@JsonProperty("content_block") @Nullable ContentBlock contentBlock, @Nullable Delta delta,
		@Nullable Map<String, Object> usage, @Nullable ErrorBody error,
		@JsonProperty("request_id") @Nullable String requestId) {

	/**
	 * The message of {@code message_start}.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record MessageInfo(@Nullable String id, @Nullable String model, @Nullable Map<String, Object> usage) {

	}

	/**
	 * The block of {@code content_block_start}: {@code text}, {@code thinking},
	 * {@code tool_use}, {@code server_tool_use}, …; {@code id} and {@code name} for tool blocks.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ContentBlock(@Nullable String type, @Nullable String id, @Nullable String name) {

	}

	/**
	 * The delta of {@code content_block_delta} ({@code type} and one of the fragments) or of
	 * {@code message_delta} ({@code stop_reason}, {@code stop_sequence}).
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Delta(@Nullable String type, @Nullable String text, @Nullable String thinking, @Nullable String signature,
			@JsonProperty("partial_json") @Nullable String partialJson,
			@JsonProperty("stop_reason") @Nullable String stopReason,
			@JsonProperty("stop_sequence") @Nullable String stopSequence) {

	}

	/**
	 * Anthropic's error object, in an {@code error} event or an error response body.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(@Nullable String type, @Nullable String message) {

	}

}
