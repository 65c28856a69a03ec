package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the common shape of a {@link ChatCompletionChunk} token by token, without data
 * binding: every field the chunk reads has the JSON type it declares (or is
 * {@code null}), indexes are {@code int}s, no field is repeated, and the chunk carries
 * neither {@code usage} nor {@code error}. Anything else (a type binding would coerce or
 * refuse, the usage chunk, an error, JSON that is not valid, text after the object) is
 * left to data binding, which then reads the chunk as before: the result is always the
 * one binding gives.
 * <p>
 * Binding a chunk to its records costs more than reading it: Jackson builds each record
 * through a {@code PropertyValueBuffer} and {@code MethodHandle.invokeWithArguments},
 * which on JDK 17 allocates a spreader per call; reading the tokens skips both.
 */
final class ChatCompletionChunkReader {

	private final ObjectMapper mapper;

	ChatCompletionChunkReader(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Reads a chunk of the common shape.
	 * @param data the {@code data} of an SSE event
	 * @return the chunk, equal to what binding gives, or {@code null} when the chunk is
	 * not of the common shape (then bind it); never throws on bad input
	 */
	@Nullable ChatCompletionChunk read(String data) {
		try (JsonParser parser = this.mapper.createParser(data)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			ChatCompletionChunk chunk = chunk(parser);
			return (chunk != null && parser.nextToken() == null) ? chunk : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable ChatCompletionChunk chunk(JsonParser parser) {
		String id = null;
		String model = null;
		List<ChatCompletionChunk.Choice> choices = null;
		String systemFingerprint = null;
		String serviceTier = null;
		int seen = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			int field = switch (name) {
				case "id" -> 1;
				case "model" -> 2;
				case "choices" -> 4;
				case "system_fingerprint" -> 8;
				case "service_tier" -> 16;
				case "usage" -> (value == JsonToken.VALUE_NULL) ? 32 : -1;
				case "error" -> (value == JsonToken.VALUE_NULL) ? 64 : -1;
				default -> 0;
			};
			if (field < 0 || (seen & field) != 0) {
				return null;
			}
			seen |= field;
			switch (field) {
				case 0 -> parser.skipChildren();
				case 1, 2, 8, 16 -> {
					if (!isStringOrNull(value)) {
						return null;
					}
					String text = parser.getValueAsString();
					if (field == 1) {
						id = text;
					}
					else if (field == 2) {
						model = text;
					}
					else if (field == 8) {
						systemFingerprint = text;
					}
					else {
						serviceTier = text;
					}
				}
				case 4 -> {
					if (value == JsonToken.START_ARRAY) {
						choices = choices(parser);
						if (choices == null) {
							return null;
						}
					}
					else if (value != JsonToken.VALUE_NULL) {
						return null;
					}
				}
				default -> {
					// usage or error: null, which binds to null
				}
			}
		}
		return new ChatCompletionChunk(id, model, choices, null, null, systemFingerprint, serviceTier);
	}

	private static @Nullable List<ChatCompletionChunk.Choice> choices(JsonParser parser) {
		List<ChatCompletionChunk.Choice> choices = new ArrayList<>(1);
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
			if (token == JsonToken.VALUE_NULL) {
				choices.add(null);
				continue;
			}
			if (token != JsonToken.START_OBJECT) {
				return null;
			}
			ChatCompletionChunk.Choice choice = choice(parser);
			if (choice == null) {
				return null;
			}
			choices.add(choice);
		}
		return choices;
	}

	private static ChatCompletionChunk.@Nullable Choice choice(JsonParser parser) {
		Integer index = null;
		ChatCompletionChunk.Delta delta = null;
		String finishReason = null;
		int seen = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			int field = switch (name) {
				case "index" -> 1;
				case "delta" -> 2;
				case "finish_reason" -> 4;
				default -> 0;
			};
			if ((seen & field) != 0) {
				return null;
			}
			seen |= field;
			if (field == 0) {
				parser.skipChildren();
			}
			else if (field == 1) {
				if (!isIntOrNull(parser, value)) {
					return null;
				}
				index = (value == JsonToken.VALUE_NULL) ? null : parser.getIntValue();
			}
			else if (field == 2) {
				if (value == JsonToken.START_OBJECT) {
					delta = delta(parser);
					if (delta == null) {
						return null;
					}
				}
				else if (value != JsonToken.VALUE_NULL) {
					return null;
				}
			}
			else {
				if (!isStringOrNull(value)) {
					return null;
				}
				finishReason = parser.getValueAsString();
			}
		}
		return new ChatCompletionChunk.Choice(index, delta, finishReason);
	}

	private static ChatCompletionChunk.@Nullable Delta delta(JsonParser parser) {
		String content = null;
		String refusal = null;
		String reasoningContent = null;
		List<ChatCompletionChunk.ToolCallFragment> toolCalls = null;
		int seen = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			int field = switch (name) {
				case "content" -> 1;
				case "refusal" -> 2;
				case "reasoning_content" -> 4;
				case "tool_calls" -> 8;
				default -> 0;
			};
			if ((seen & field) != 0) {
				return null;
			}
			seen |= field;
			if (field == 0) {
				parser.skipChildren();
			}
			else if (field == 8) {
				if (value == JsonToken.START_ARRAY) {
					toolCalls = toolCalls(parser);
					if (toolCalls == null) {
						return null;
					}
				}
				else if (value != JsonToken.VALUE_NULL) {
					return null;
				}
			}
			else {
				if (!isStringOrNull(value)) {
					return null;
				}
				String text = parser.getValueAsString();
				if (field == 1) {
					content = text;
				}
				else if (field == 2) {
					refusal = text;
				}
				else {
					reasoningContent = text;
				}
			}
		}
		return new ChatCompletionChunk.Delta(content, refusal, reasoningContent, toolCalls);
	}

	private static @Nullable List<ChatCompletionChunk.ToolCallFragment> toolCalls(JsonParser parser) {
		List<ChatCompletionChunk.ToolCallFragment> calls = new ArrayList<>(1);
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
			if (token == JsonToken.VALUE_NULL) {
				calls.add(null);
				continue;
			}
			if (token != JsonToken.START_OBJECT) {
				return null;
			}
			ChatCompletionChunk.ToolCallFragment call = toolCall(parser);
			if (call == null) {
				return null;
			}
			calls.add(call);
		}
		return calls;
	}

	private static ChatCompletionChunk.@Nullable ToolCallFragment toolCall(JsonParser parser) {
		Integer index = null;
		String id = null;
		ChatCompletionChunk.FunctionFragment function = null;
		int seen = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			int field = switch (name) {
				case "index" -> 1;
				case "id" -> 2;
				case "function" -> 4;
				default -> 0;
			};
			if ((seen & field) != 0) {
				return null;
			}
			seen |= field;
			if (field == 0) {
				parser.skipChildren();
			}
			else if (field == 1) {
				if (!isIntOrNull(parser, value)) {
					return null;
				}
				index = (value == JsonToken.VALUE_NULL) ? null : parser.getIntValue();
			}
			else if (field == 2) {
				if (!isStringOrNull(value)) {
					return null;
				}
				id = parser.getValueAsString();
			}
			else {
				if (value == JsonToken.START_OBJECT) {
					function = function(parser);
					if (function == null) {
						return null;
					}
				}
				else if (value != JsonToken.VALUE_NULL) {
					return null;
				}
			}
		}
		return new ChatCompletionChunk.ToolCallFragment(index, id, function);
	}

	private static ChatCompletionChunk.@Nullable FunctionFragment function(JsonParser parser) {
		String name = null;
		String arguments = null;
		int seen = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String property = parser.currentName();
			JsonToken value = parser.nextToken();
			int field = switch (property) {
				case "name" -> 1;
				case "arguments" -> 2;
				default -> 0;
			};
			if ((seen & field) != 0) {
				return null;
			}
			seen |= field;
			if (field == 0) {
				parser.skipChildren();
				continue;
			}
			if (!isStringOrNull(value)) {
				return null;
			}
			if (field == 1) {
				name = parser.getValueAsString();
			}
			else {
				arguments = parser.getValueAsString();
			}
		}
		return new ChatCompletionChunk.FunctionFragment(name, arguments);
	}

	private static boolean isStringOrNull(JsonToken token) {
		return token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL;
	}

	private static boolean isIntOrNull(JsonParser parser, JsonToken token) {
		return token == JsonToken.VALUE_NULL
				|| (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT);
	}

}
