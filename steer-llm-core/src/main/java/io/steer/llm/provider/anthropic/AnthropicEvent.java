package io.steer.llm.provider.anthropic;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One event of an Anthropic Messages stream (the {@code data:} JSON), with only the fields the
 * adapter reads. The same shape serves every event type, each using some of the fields:
 * <ul>
 * <li>{@code message_start}: {@code message} (id, model, input usage)</li>
 * <li>{@code content_block_start}: {@code index}, {@code content_block}</li>
 * <li>{@code content_block_delta}: {@code index}, {@code delta} (text, thinking, signature,
 * partial JSON or citation)</li>
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
	 *
	 * @param id the message id ({@code msg_…}), or {@code null}
	 * @param model the model that answers, or {@code null}
	 * @param usage the usage so far, as nested maps, or {@code null}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record MessageInfo(@Nullable String id, @Nullable String model, @Nullable Map<String, Object> usage) {

	}

	/**
	 * The block of {@code content_block_start}: {@code text}, {@code thinking},
	 * {@code redacted_thinking}, {@code tool_use}, {@code server_tool_use},
	 * {@code mcp_tool_use}, {@code *_tool_result}, …
	 *
	 * @param type the block type, or {@code null}
	 * @param id the call id of a tool block ({@code toolu_…}, {@code srvtoolu_…},
	 * {@code mcptoolu_…}), or {@code null}
	 * @param name the tool name of a tool block, or {@code null}
	 * @param input the input of a tool block as sent (normally {@code {}}, the input following
	 * as {@code input_json_delta}), or {@code null}
	 * @param toolUseId the id of the call a {@code *_tool_result} block answers, or {@code null}
	 * @param content the content of a {@code *_tool_result} block as sent, or {@code null}
	 * @param citations the citations of a {@code text} block as sent (normally empty or
	 * absent, the citations following as {@code citations_delta}), or {@code null}
	 * @param data the opaque data of a {@code redacted_thinking} block, or {@code null}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ContentBlock(@Nullable String type, @Nullable String id, @Nullable String name, @Nullable JsonNode input,
			@JsonProperty("tool_use_id") @Nullable String toolUseId, @Nullable JsonNode content,
			@Nullable JsonNode citations, @Nullable String data) {

	}

	/**
	 * The delta of {@code content_block_delta} ({@code type} and one of the fragments) or of
	 * {@code message_delta} ({@code stop_reason}, {@code stop_sequence}).
	 *
	 * @param type the delta type of a {@code content_block_delta} ({@code text_delta},
	 * {@code thinking_delta}, {@code signature_delta}, {@code input_json_delta},
	 * {@code citations_delta}, …), or {@code null}
	 * @param text the fragment of a {@code text_delta}, or {@code null}
	 * @param thinking the fragment of a {@code thinking_delta}, or {@code null}
	 * @param signature the signature of a {@code signature_delta}, or {@code null}
	 * @param partialJson the fragment of an {@code input_json_delta}, or {@code null}
	 * @param citation the citation of a {@code citations_delta} as sent, or {@code null}
	 * @param stopReason the stop reason of a {@code message_delta}, or {@code null}
	 * @param stopSequence the stop sequence of a {@code message_delta}, or {@code null}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Delta(@Nullable String type, @Nullable String text, @Nullable String thinking, @Nullable String signature,
			@JsonProperty("partial_json") @Nullable String partialJson, @Nullable JsonNode citation,
			@JsonProperty("stop_reason") @Nullable String stopReason,
			@JsonProperty("stop_sequence") @Nullable String stopSequence) {

	}

	/**
	 * Anthropic's error object, in an {@code error} event or an error response body.
	 *
	 * @param type the error type ({@code overloaded_error}, …), or {@code null}
	 * @param message the error message, or {@code null}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(@Nullable String type, @Nullable String message) {

	}

}
