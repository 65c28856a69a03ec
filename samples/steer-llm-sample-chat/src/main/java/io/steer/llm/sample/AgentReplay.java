package io.steer.llm.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.steer.llm.test.MockResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The replay provider's answers to requests that offer tools, the sample agent's: no
 * recording calls the sample's tools, so these streams are written here, in each
 * provider's wire format as the recordings show it (Chat Completions as
 * {@code openai/chat-parallel-tool-calls}, the Responses API as
 * {@code openai/responses-function-call} and
 * {@code responses-text-after-function-output}, Anthropic as
 * {@code anthropic/tool-use-input-json-delta} and {@code text-after-tool-result}).
 * <p>
 * A scripted model, not a real one: a request without tool results is answered with a
 * call of {@code factorial} (the first whole number of the last user message, 10 when
 * there is none) and one of {@code current_time} (in UTC), each when the request offers
 * it, the two in one turn (parallel calls); a request with tool results is answered with
 * a text that gives those results. The streams carry no usage, so the client estimates it
 * (and says so), as it does for any provider that sends none.
 */
final class AgentReplay {

	/** The name the replay log and README give these streams. */
	static final String ID = "synthetic/agent-tools";

	static final String FACTORIAL = "factorial";

	static final String CURRENT_TIME = "current_time";

	private static final Pattern WHOLE_NUMBER = Pattern.compile("\\b(\\d{1,4})\\b");

	private static final Pattern PIECE = Pattern.compile("\\S+\\s*|\\s+");

	private final JsonMapper mapper;

	AgentReplay(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Whether a request is an agent's: it offers tools.
	 * @param body the request body
	 * @return whether it has a non-empty {@code tools} array
	 */
	static boolean offersTools(JsonNode body) {
		return body.path("tools").isArray() && !body.path("tools").isEmpty();
	}

	/**
	 * The stream that answers an agent's request.
	 * @param provider {@code openai}, {@code xai} or {@code anthropic}
	 * @param responsesApi whether the request went to the Responses API
	 * @param body the request body
	 * @param delay the pause between events
	 * @return the response
	 */
	MockResponse answer(String provider, boolean responsesApi, JsonNode body, Duration delay) {
		Format format = provider.equals("anthropic") ? Format.MESSAGES
				: responsesApi ? Format.RESPONSES : Format.CHAT_COMPLETIONS;
		String model = body.path("model").asString("");
		Map<String, String> results = results(format, body);
		Turn turn = results.isEmpty() ? calls(format, body) : new Turn(List.of(), answerText(body, results));
		List<String> events = switch (format) {
			case CHAT_COMPLETIONS -> new ChatCompletions(model).write(turn);
			case RESPONSES -> new Responses(model).write(turn);
			case MESSAGES -> new Messages(model).write(turn);
		};
		return MockResponse.chunks(events.stream().map((event) -> event.getBytes(StandardCharsets.UTF_8)).toList())
			.delayBetweenEvents(delay);
	}

	/** The calls of the first turn: the sample's tools the request offers. */
	private Turn calls(Format format, JsonNode body) {
		List<String> offered = new ArrayList<>();
		for (JsonNode tool : body.path("tools")) {
			offered.add((format == Format.CHAT_COMPLETIONS) ? tool.path("function").path("name").asString("")
					: tool.path("name").asString(""));
		}
		List<Call> calls = new ArrayList<>();
		if (offered.contains(FACTORIAL)) {
			calls.add(new Call(callId(format, FACTORIAL), FACTORIAL, "{\"n\": " + number(body) + "}"));
		}
		if (offered.contains(CURRENT_TIME)) {
			calls.add(new Call(callId(format, CURRENT_TIME), CURRENT_TIME, "{\"zone\": \"UTC\"}"));
		}
		if (calls.isEmpty()) {
			return new Turn(List.of(), "I am the sample's scripted agent: I only know the tools " + FACTORIAL + " and "
					+ CURRENT_TIME + ", and this request offers neither (it offers " + offered + ").");
		}
		return new Turn(calls, null);
	}

	private static String callId(Format format, String tool) {
		return ((format == Format.MESSAGES) ? "toolu_steer_" : "call_steer_") + tool;
	}

	/** The tool results of the request, by the tool the call id names. */
	private static Map<String, String> results(Format format, JsonNode body) {
		Map<String, String> results = new LinkedHashMap<>();
		switch (format) {
			case CHAT_COMPLETIONS -> {
				for (JsonNode message : body.path("messages")) {
					if (message.path("role").asString("").equals("tool")) {
						results.put(tool(message.path("tool_call_id").asString("")), text(message.path("content")));
					}
				}
			}
			case RESPONSES -> {
				for (JsonNode item : body.path("input")) {
					if (item.path("type").asString("").equals("function_call_output")) {
						results.put(tool(item.path("call_id").asString("")), text(item.path("output")));
					}
				}
			}
			case MESSAGES -> {
				for (JsonNode message : body.path("messages")) {
					for (JsonNode block : message.path("content")) {
						if (block.path("type").asString("").equals("tool_result")) {
							results.put(tool(block.path("tool_use_id").asString("")), text(block.path("content")));
						}
					}
				}
			}
		}
		return results;
	}

	private static String tool(String callId) {
		int at = callId.indexOf("_steer_");
		return (at >= 0) ? callId.substring(at + "_steer_".length()) : callId;
	}

	/** A result's text: a string, or the text blocks of an Anthropic result. */
	private static String text(JsonNode content) {
		if (content.isString()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode block : content) {
			text.append(block.path("text").asString(""));
		}
		return text.toString();
	}

	private String answerText(JsonNode body, Map<String, String> results) {
		StringBuilder text = new StringBuilder();
		String factorial = results.get(FACTORIAL);
		if (factorial != null) {
			text.append(factorial.startsWith("Error:") ? "The factorial tool failed (" + factorial + ")."
					: number(body) + "! = " + factorial + ".");
		}
		String time = results.get(CURRENT_TIME);
		if (time != null) {
			text.append(text.isEmpty() ? "" : " ")
				.append(time.startsWith("Error:") ? "The clock tool failed (" + time + ")."
						: "The current time in UTC is " + time + ".");
		}
		results.forEach((tool, result) -> {
			if (!tool.equals(FACTORIAL) && !tool.equals(CURRENT_TIME)) {
				text.append(text.isEmpty() ? "" : " ").append(tool).append(" said: ").append(result);
			}
		});
		return text.toString();
	}

	/** The first whole number of the first user message, 10 when there is none. */
	private static int number(JsonNode body) {
		JsonNode messages = body.has("input") ? body.path("input") : body.path("messages");
		for (JsonNode message : messages) {
			if (message.path("role").asString("").equals("user")) {
				Matcher matcher = WHOLE_NUMBER.matcher(text(message.path("content")));
				return matcher.find() ? Integer.parseInt(matcher.group(1)) : 10;
			}
		}
		return 10;
	}

	/** The text in pieces of a word and its spaces, as models stream it. */
	private static List<String> pieces(String text) {
		List<String> pieces = new ArrayList<>();
		Matcher matcher = PIECE.matcher(text);
		while (matcher.find()) {
			pieces.add(matcher.group());
		}
		return pieces;
	}

	/** Arguments in fragments of up to 5 characters, as models stream them. */
	private static List<String> fragments(String arguments) {
		List<String> fragments = new ArrayList<>();
		for (int i = 0; i < arguments.length(); i += 5) {
			fragments.add(arguments.substring(i, Math.min(arguments.length(), i + 5)));
		}
		return fragments;
	}

	private enum Format {

		CHAT_COMPLETIONS, RESPONSES, MESSAGES

	}

	/** A tool call of the scripted turn. */
	private record Call(String id, String name, String arguments) {
	}

	/** What a turn says: tool calls, or a text. */
	private record Turn(List<Call> calls, @Nullable String text) {
	}

	/** {@code data:} lines of {@code chat.completion.chunk}s, then {@code [DONE]}. */
	private final class ChatCompletions {

		private final String model;

		ChatCompletions(String model) {
			this.model = model;
		}

		List<String> write(Turn turn) {
			List<String> events = new ArrayList<>();
			ObjectNode role = AgentReplay.this.mapper.createObjectNode().put("role", "assistant");
			role.putNull("content");
			events.add(chunk(role, null));
			for (int i = 0; i < turn.calls().size(); i++) {
				Call call = turn.calls().get(i);
				ObjectNode first = toolCall(i);
				first.put("id", call.id()).put("type", "function");
				first.putObject("function").put("name", call.name()).put("arguments", "");
				events.add(chunk(delta(first), null));
				for (String fragment : fragments(call.arguments())) {
					ObjectNode next = toolCall(i);
					next.putObject("function").put("arguments", fragment);
					events.add(chunk(delta(next), null));
				}
			}
			if (turn.text() != null) {
				for (String piece : pieces(turn.text())) {
					events.add(chunk(AgentReplay.this.mapper.createObjectNode().put("content", piece), null));
				}
			}
			events
				.add(chunk(AgentReplay.this.mapper.createObjectNode(), turn.calls().isEmpty() ? "stop" : "tool_calls"));
			events.add("data: [DONE]\n\n");
			return events;
		}

		private ObjectNode toolCall(int index) {
			return AgentReplay.this.mapper.createObjectNode().put("index", index);
		}

		private ObjectNode delta(ObjectNode toolCall) {
			ObjectNode delta = AgentReplay.this.mapper.createObjectNode();
			delta.putArray("tool_calls").add(toolCall);
			return delta;
		}

		private String chunk(ObjectNode delta, @Nullable String finishReason) {
			ObjectNode chunk = AgentReplay.this.mapper.createObjectNode()
				.put("id", "chatcmpl-steer-agent")
				.put("object", "chat.completion.chunk")
				.put("created", 0)
				.put("model", this.model);
			ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
			choice.set("delta", delta);
			choice.put("finish_reason", finishReason);
			return "data: " + chunk + "\n\n";
		}

	}

	/** Responses API events, each with its {@code event:} name and sequence number. */
	private final class Responses {

		private final String model;

		private final List<String> events = new ArrayList<>();

		private int sequence;

		Responses(String model) {
			this.model = model;
		}

		List<String> write(Turn turn) {
			event("response.created", node().set("response", response("in_progress", null)));
			ArrayNode output = AgentReplay.this.mapper.createArrayNode();
			for (int i = 0; i < turn.calls().size(); i++) {
				Call call = turn.calls().get(i);
				String itemId = "fc_steer_" + call.name();
				ObjectNode item = node().put("id", itemId)
					.put("type", "function_call")
					.put("status", "in_progress")
					.put("arguments", "")
					.put("call_id", call.id())
					.put("name", call.name());
				event("response.output_item.added", node().put("output_index", i).set("item", item));
				for (String fragment : fragments(call.arguments())) {
					event("response.function_call_arguments.delta",
							node().put("item_id", itemId).put("output_index", i).put("delta", fragment));
				}
				event("response.function_call_arguments.done",
						node().put("item_id", itemId).put("output_index", i).put("arguments", call.arguments()));
				ObjectNode done = item.deepCopy().put("status", "completed").put("arguments", call.arguments());
				event("response.output_item.done", node().put("output_index", i).set("item", done));
				output.add(done);
			}
			if (turn.text() != null) {
				String itemId = "msg_steer_agent";
				ObjectNode item = node().put("id", itemId)
					.put("type", "message")
					.put("status", "in_progress")
					.put("role", "assistant");
				item.putArray("content");
				event("response.output_item.added", node().put("output_index", 0).set("item", item));
				ObjectNode part = node().put("type", "output_text").put("text", "");
				part.putArray("annotations");
				event("response.content_part.added", position(itemId).set("part", part));
				for (String piece : pieces(turn.text())) {
					event("response.output_text.delta", position(itemId).put("delta", piece));
				}
				event("response.output_text.done", position(itemId).put("text", turn.text()));
				ObjectNode donePart = part.deepCopy().put("text", turn.text());
				event("response.content_part.done", position(itemId).set("part", donePart));
				ObjectNode done = item.deepCopy().put("status", "completed");
				((ArrayNode) done.get("content")).add(donePart);
				event("response.output_item.done", node().put("output_index", 0).set("item", done));
				output.add(done);
			}
			event("response.completed", node().set("response", response("completed", output)));
			return this.events;
		}

		private ObjectNode position(String itemId) {
			return node().put("item_id", itemId).put("output_index", 0).put("content_index", 0);
		}

		private ObjectNode response(String status, @Nullable ArrayNode output) {
			ObjectNode response = node().put("id", "resp_steer_agent")
				.put("object", "response")
				.put("created_at", 0)
				.put("status", status)
				.put("model", this.model);
			response.set("output", (output != null) ? output : AgentReplay.this.mapper.createArrayNode());
			return response;
		}

		private ObjectNode node() {
			return AgentReplay.this.mapper.createObjectNode();
		}

		private void event(String type, JsonNode data) {
			ObjectNode event = node().put("type", type).put("sequence_number", this.sequence++);
			event.setAll((ObjectNode) data);
			this.events.add("event: " + type + "\ndata: " + event + "\n\n");
		}

	}

	/** Anthropic Messages events, each with its {@code event:} name. */
	private final class Messages {

		private final String model;

		private final List<String> events = new ArrayList<>();

		Messages(String model) {
			this.model = model;
		}

		List<String> write(Turn turn) {
			ObjectNode message = node().put("id", "msg_steer_agent")
				.put("type", "message")
				.put("role", "assistant")
				.put("model", this.model);
			message.putArray("content");
			message.putNull("stop_reason");
			event("message_start", node().set("message", message));
			int index = 0;
			if (turn.text() != null) {
				ObjectNode block = node().put("type", "text").put("text", "");
				event("content_block_start", node().put("index", index).set("content_block", block));
				for (String piece : pieces(turn.text())) {
					event("content_block_delta", node().put("index", index)
						.set("delta", node().put("type", "text_delta").put("text", piece)));
				}
				event("content_block_stop", node().put("index", index++));
			}
			for (Call call : turn.calls()) {
				ObjectNode block = node().put("type", "tool_use").put("id", call.id()).put("name", call.name());
				block.putObject("input");
				event("content_block_start", node().put("index", index).set("content_block", block));
				for (String fragment : fragments(call.arguments())) {
					event("content_block_delta", node().put("index", index)
						.set("delta", node().put("type", "input_json_delta").put("partial_json", fragment)));
				}
				event("content_block_stop", node().put("index", index++));
			}
			ObjectNode delta = node().put("stop_reason", turn.calls().isEmpty() ? "end_turn" : "tool_use");
			delta.putNull("stop_sequence");
			event("message_delta", node().set("delta", delta));
			event("message_stop", node());
			return this.events;
		}

		private ObjectNode node() {
			return AgentReplay.this.mapper.createObjectNode();
		}

		private void event(String type, ObjectNode data) {
			ObjectNode event = node().put("type", type);
			event.setAll(data);
			this.events.add("event: " + type + "\ndata: " + event + "\n\n");
		}

	}

}
