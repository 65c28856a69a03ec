package io.steer.llm.provider.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One {@code chat.completion.chunk} of an OpenAI-compatible stream, with only the fields
 * the adapter reads; every other field is skipped. Indexes are {@link Integer}s so that a
 * chunk without them binds ({@code null}); a chunk whose fields have other JSON types
 * than these does not bind, and the parser then conforms its tree to this shape (see
 * {@link LenientJson}).
 *
 * @param id chunk id ({@code chatcmpl-…}), the same in every chunk of a stream; Azure
 * OpenAI sends {@code ""} in its first, content-filter chunk
 * @param model model that answers; {@code ""} in that Azure chunk
 * @param choices the choices this chunk carries deltas for; empty in the usage chunk,
 * {@code null} when absent
 * @param usage token usage as sent, in the last chunk when
 * {@code stream_options.include_usage} is set
 * @param error an error object sent in place of a chunk
 * @param systemFingerprint backend configuration fingerprint
 * @param serviceTier service tier that served the request
 * @see <a href="https://platform.openai.com/docs/api-reference/chat-streaming">OpenAI,
 * The chat completion chunk object</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ChatCompletionChunk(@Nullable String id, @Nullable String model, @Nullable List<Choice> choices,
		@Nullable Map<String, Object> usage, @Nullable ErrorBody error,
		@JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
		@JsonProperty("service_tier") @Nullable String serviceTier) {

	/**
	 * The delta of one choice.
	 *
	 * @param index the choice's index, {@code null} when absent
	 * @param delta what this chunk adds, {@code null} when absent
	 * @param finishReason why the choice stopped, in its last chunk
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Choice(@Nullable Integer index, @Nullable Delta delta,
			@JsonProperty("finish_reason") @Nullable String finishReason) {

	}

	/**
	 * What a chunk adds to a choice.
	 *
	 * @param content answer text
	 * @param refusal refusal text
	 * @param reasoningContent reasoning text (xAI, DeepSeek and other compatible servers)
	 * @param toolCalls tool call fragments
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Delta(@Nullable String content, @Nullable String refusal,
			@JsonProperty("reasoning_content") @Nullable String reasoningContent,
			@JsonProperty("tool_calls") @Nullable List<ToolCallFragment> toolCalls) {

	}

	/**
	 * A fragment of a tool call.
	 *
	 * @param index the call's index within the choice, {@code null} when absent
	 * @param id call id, in the first fragment of a call
	 * @param function name (first fragment) and a fragment of the JSON arguments
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ToolCallFragment(@Nullable Integer index, @Nullable String id, @Nullable FunctionFragment function) {

	}

	/**
	 * The function of a tool call fragment.
	 *
	 * @param name function name, in the first fragment of a call
	 * @param arguments fragment of the JSON arguments
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record FunctionFragment(@Nullable String name, @Nullable String arguments) {

	}

	/**
	 * OpenAI's error object, in an error response body or a mid-stream chunk.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(@Nullable String message, @Nullable String type, @Nullable Object code, @Nullable Object param) {

	}

	/**
	 * An error response body: {@code {"error": {…}}}.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorResponse(@Nullable ErrorBody error) {

	}

}
