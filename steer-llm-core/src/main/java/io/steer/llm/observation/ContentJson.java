package io.steer.llm.observation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.Role;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The content of a stream as the OpenTelemetry GenAI conventions' JSON text:
 * {@code gen_ai.input.messages} (the request's messages, each {@code {"role", "parts":
 * [...]}} with {@code text}, {@code tool_call} and {@code tool_call_response} parts) and
 * {@code gen_ai.output.messages} (one assistant message: the text of choice 0 and its
 * finish reason). Only used when the client records content.
 */
final class ContentJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ContentJson() {
	}

	/**
	 * The request's messages.
	 * @param request the request
	 * @return the JSON text of the array
	 */
	static String input(ChatRequest request) {
		List<Map<String, Object>> messages = new ArrayList<>();
		for (Message message : request.messages()) {
			List<Map<String, Object>> parts = new ArrayList<>();
			if (message.role() == Role.TOOL) {
				parts.add(part("tool_call_response", "id", message.toolCallId(), "response", message.content()));
			}
			else if (message.content() != null) {
				parts.add(part("text", "content", message.content(), null, null));
			}
			for (ToolCall call : message.toolCalls()) {
				Map<String, Object> part = part("tool_call", "id", call.id(), "name", call.name());
				part.put("arguments", call.arguments());
				parts.add(part);
			}
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("role", message.role().wireName());
			json.put("parts", parts);
			messages.add(json);
		}
		return MAPPER.writeValueAsString(messages);
	}

	/**
	 * The response.
	 * @param response the response, possibly partial
	 * @return the JSON text of the array of one assistant message
	 */
	static String output(StreamingResponse response) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("role", "assistant");
		message.put("parts", List.of(part("text", "content", response.text(), null, null)));
		if (response.finishReason() != null) {
			message.put("finish_reason", response.finishReason());
		}
		return MAPPER.writeValueAsString(List.of(message));
	}

	private static Map<String, Object> part(String type, String key, @Nullable Object value, @Nullable String otherKey,
			@Nullable Object otherValue) {
		Map<String, Object> part = new LinkedHashMap<>();
		part.put("type", type);
		if (value != null) {
			part.put(key, value);
		}
		if (otherKey != null && otherValue != null) {
			part.put(otherKey, otherValue);
		}
		return part;
	}

}
