package io.steer.llm.provider.anthropic;

import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One event of an Anthropic Messages stream (the {@code data:} JSON), with only the
 * fields the adapter reads. The same shape serves every event type, each using some of
 * the fields:
 * <ul>
 * <li>{@code message_start}: {@code message} (id, model, input usage)</li>
 * <li>{@code content_block_start}: {@code index}, {@code content_block}</li>
 * <li>{@code content_block_delta}: {@code index}, {@code delta} (text, thinking,
 * signature, partial JSON or citation)</li>
 * <li>{@code content_block_stop}: {@code index}</li>
 * <li>{@code message_delta}: {@code delta} (stop reason, stop sequence), cumulative
 * {@code usage}</li>
 * <li>{@code message_stop}, {@code ping}: nothing</li>
 * <li>{@code error}: {@code error}; an HTTP error response body has the same shape</li>
 * </ul>
 * Events are bound to these records with the adapter's mapper; when that fails on valid
 * JSON (a field of an unexpected JSON type, such as a {@code text} object or an
 * {@code index} that is not a number), {@link #lenient} reads the same fields from the
 * tree instead, field by field.
 *
 * @see <a href=
 * "https://docs.anthropic.com/en/docs/build-with-claude/streaming">Anthropic, Streaming
 * Messages</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AnthropicEvent(@Nullable String type, @Nullable MessageInfo message, @Nullable Integer index,
		@JsonProperty("content_block") @Nullable ContentBlock contentBlock, @Nullable Delta delta,
		@Nullable Map<String, Object> usage, @Nullable ErrorBody error,
		@JsonProperty("request_id") @Nullable String requestId) {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	/**
	 * Reads an event from its JSON tree, keeping each field only when it has the JSON
	 * type the records expect, as binding does: strings from strings (and, like Jackson's
	 * scalar coercion, from numbers and booleans), the index from an integral number or a
	 * string of one, objects from objects; any JSON for the {@link JsonNode} fields.
	 * @param root the event, a JSON object
	 * @param mapper mapper that turns usage objects into maps
	 * @param mistyped told, once per field left out, {@code field:<path>} (e.g.
	 * {@code field:delta.text}, {@code field:content_block})
	 * @return the event, with {@code null} for every field that is missing, {@code null}
	 * or of another JSON type
	 */
	static AnthropicEvent lenient(JsonNode root, ObjectMapper mapper, Consumer<String> mistyped) {
		Lenient read = new Lenient(mapper, mistyped);
		JsonNode message = read.object(root, "message", "message");
		JsonNode block = read.object(root, "content_block", "content_block");
		JsonNode delta = read.object(root, "delta", "delta");
		JsonNode error = read.object(root, "error", "error");
		return new AnthropicEvent(read.string(root, "type", "type"),
				(message != null) ? new MessageInfo(read.string(message, "id", "message.id"),
						read.string(message, "model", "message.model"), read.map(message, "usage", "message.usage"))
						: null,
				read.integer(root, "index", "index"),
				(block != null) ? new ContentBlock(read.string(block, "type", "content_block.type"),
						read.string(block, "id", "content_block.id"), read.string(block, "name", "content_block.name"),
						block.get("input"), read.string(block, "tool_use_id", "content_block.tool_use_id"),
						block.get("content"), block.get("citations"), read.string(block, "data", "content_block.data"))
						: null,
				(delta != null) ? new Delta(read.string(delta, "type", "delta.type"),
						read.string(delta, "text", "delta.text"), read.string(delta, "thinking", "delta.thinking"),
						read.string(delta, "signature", "delta.signature"),
						read.string(delta, "partial_json", "delta.partial_json"), delta.get("citation"),
						read.string(delta, "stop_reason", "delta.stop_reason"),
						read.string(delta, "stop_sequence", "delta.stop_sequence")) : null,
				read.map(root, "usage", "usage"),
				(error != null) ? new ErrorBody(read.string(error, "type", "error.type"),
						read.string(error, "message", "error.message")) : null,
				read.string(root, "request_id", "request_id"));
	}

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
	 * @param input the input of a tool block as sent (normally {@code {}}, the input
	 * following as {@code input_json_delta}), or {@code null}
	 * @param toolUseId the id of the call a {@code *_tool_result} block answers, or
	 * {@code null}
	 * @param content the content of a {@code *_tool_result} block as sent, or
	 * {@code null}
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
	 * The delta of {@code content_block_delta} ({@code type} and one of the fragments) or
	 * of {@code message_delta} ({@code stop_reason}, {@code stop_sequence}).
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

	/**
	 * Field-by-field reads of a JSON tree that leave out, and report, mistyped fields.
	 */
	private record Lenient(ObjectMapper mapper, Consumer<String> mistyped) {

		@Nullable String string(JsonNode node, String field, String path) {
			JsonNode value = node.get(field);
			if (value == null || value.isNull()) {
				return null;
			}
			if (value.isValueNode()) {
				return value.asString();
			}
			this.mistyped.accept("field:" + path);
			return null;
		}

		@Nullable Integer integer(JsonNode node, String field, String path) {
			JsonNode value = node.get(field);
			if (value == null || value.isNull()) {
				return null;
			}
			if (value.isIntegralNumber() && value.canConvertToInt()) {
				return value.intValue();
			}
			if (value.isString()) {
				try {
					return Integer.valueOf(value.stringValue().strip());
				}
				catch (NumberFormatException ex) {
					// not a number: mistyped
				}
			}
			this.mistyped.accept("field:" + path);
			return null;
		}

		@Nullable JsonNode object(JsonNode node, String field, String path) {
			JsonNode value = node.get(field);
			if (value == null || value.isNull()) {
				return null;
			}
			if (value.isObject()) {
				return value;
			}
			this.mistyped.accept("field:" + path);
			return null;
		}

		@Nullable Map<String, Object> map(JsonNode node, String field, String path) {
			JsonNode value = object(node, field, path);
			return (value != null) ? this.mapper.convertValue(value, MAP) : null;
		}

	}

}
