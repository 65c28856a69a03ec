package io.steer.llm.provider.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One {@code chat.completion.chunk} of an OpenAI-compatible stream, with only the fields the
 * adapter reads.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/chat-streaming">OpenAI, The
 * chat completion chunk object</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ChatCompletionChunk(@Nullable String id, @Nullable String model, @Nullable List<Choice> choices,
		@Nullable Map<String, Object> usage, @Nullable ErrorBody error,
		@JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
		@JsonProperty("service_tier") @Nullable String serviceTier) {

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Choice(int index, @Nullable Delta delta, @JsonProperty("finish_reason") @Nullable String finishReason) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Delta(@Nullable String content, @Nullable String refusal,
			@JsonProperty("reasoning_content") @Nullable String reasoningContent,
			@JsonProperty("tool_calls") @Nullable List<ToolCallFragment> toolCalls) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ToolCallFragment(int index, @Nullable String id, @Nullable FunctionFragment function) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record FunctionFragment(@Nullable String name, @Nullable String arguments) {

	}

	/**
	 * OpenAI's error object, in an error response body or a mid-stream chunk.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(@Nullable String message, @Nullable String type, @Nullable Object code,
			@Nullable Object param) {

	}

	/**
	 * An error response body: {@code {"error": {…}}}.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorResponse(@Nullable ErrorBody error) {

	}

}
