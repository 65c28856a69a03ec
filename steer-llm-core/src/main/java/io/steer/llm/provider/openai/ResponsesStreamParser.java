package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ReasoningItem;
import io.steer.llm.model.ResponsesReasoningItem;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.Secrets;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.UsageMaps;
import io.steer.llm.sse.SseEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parser of an OpenAI Responses API stream (OpenAI and xAI): named events, each with a
 * JSON {@code data} carrying its {@code type} and {@code sequence_number}. The event type
 * is read from the JSON {@code type}, else from the SSE {@code event:} field, so a stream
 * without {@code event:} lines reads the same.
 * <p>
 * What each event becomes:
 * <ul>
 * <li>{@code response.created}, {@code response.in_progress} and every event with a
 * {@code response} object: response id and model ({@code ""} counts as absent);</li>
 * <li>{@code response.output_text.delta}: text; {@code response.refusal.delta}: refusal;
 * {@code response.reasoning_summary_text.delta} and
 * {@code response.reasoning_text.delta}: reasoning (all of choice 0, the Responses API
 * has one output);</li>
 * <li>output items that the caller must run become tool calls
 * ({@link StreamDeltaListener#toolCall}): {@code function_call} (id {@code call_id}, name
 * {@code name}, arguments streamed by {@code response.function_call_arguments.delta}) and
 * {@code custom_tool_call} (input streamed by
 * {@code response.custom_tool_call_input.delta}), and the built-in tools that the caller
 * executes, {@code computer_call}, {@code local_shell_call}, {@code shell_call} and
 * {@code apply_patch_call} (named by their item type, their {@code action} or
 * {@code operation} as JSON arguments, from the done item), and {@code tool_search_call}
 * with {@code execution: "client"}. The first fragment of a call comes with
 * {@code response.output_item.added} and carries its id and name; fragments are matched
 * to their call by {@code item_id} (else {@code output_index}); calls are numbered 0, 1,
 * 2… in order of first appearance. Only these calls make the finish reason
 * {@link FinishReason#TOOL_CALLS};</li>
 * <li>output items of tools the provider runs become server tool calls
 * ({@link StreamDeltaListener#serverToolCall}, indexed by {@code output_index}):
 * {@code web_search_call}, {@code file_search_call}, {@code code_interpreter_call},
 * {@code image_generation_call}, {@code mcp_call}, {@code mcp_list_tools},
 * {@code mcp_approval_request}, {@code tool_search_call} (unless client-executed), xAI's
 * {@code x_search_call}, {@code code_execution_call}, {@code view_image_call},
 * {@code view_x_video_call} and, from xAI only, {@code custom_tool_call} (xAI reports the
 * steps of its own server-side tools so; OpenAI's are the caller's custom tools). Their
 * id is the item {@code id}; their name the item's {@code name} when it has one (the MCP
 * tool of an {@code mcp_call}, the xAI sub-tool), else the item type; their input is
 * streamed by {@code response.code_interpreter_call_code.delta} and
 * {@code response.mcp_call_arguments.delta}, else taken once from the done item: its
 * first field of {@code arguments}, {@code input}, {@code code}, {@code action},
 * {@code queries}, {@code query}, as JSON text. At {@code response.output_item.done} the
 * whole item is the call's result ({@link StreamDeltaListener#serverToolResult}), its
 * type the item's {@code status} (the item type when it has none); a
 * {@code tool_search_output} item replaces the result of its {@code tool_search_call}.
 * Their progress events ({@code response.web_search_call.searching},
 * {@code response.image_generation_call.partial_image}, …) carry nothing more and are
 * skipped. An item of an unknown type whose name ends in {@code _call} and that has no
 * {@code call_id} (which every caller-executed item has) is taken for a new built-in tool
 * and becomes a server tool call too, besides being reported as unrecognized;</li>
 * <li>annotations of the answer text become citations
 * ({@link StreamDeltaListener#citation}): from
 * {@code response.output_text.annotation.added}, and from the annotations of
 * {@code response.output_text.done}, {@code response.content_part.done} and the
 * {@code message} item of {@code response.output_item.done}, each annotation once
 * (identified by item, content index and annotation index);</li>
 * <li>a finished {@code reasoning} item ({@code response.output_item.done}) is kept to
 * send back: its {@code id}, the {@code text} of its {@code summary} parts and its
 * {@code encrypted_content} (when sent, i.e. when the request asked for
 * {@code include: ["reasoning.encrypted_content"]}), as a {@link ResponsesReasoningItem}
 * in the metadata {@value StreamingResponse#REASONING_ITEMS}
 * ({@code List<ReasoningItem>}, in output order);</li>
 * <li>{@code *.done} events and the output of {@code response.completed} repeat what the
 * deltas carried and are not reported again. The one exception: a call whose id, name or
 * input came in no earlier event gets them from the {@code *.done} event or
 * {@code response.output_item.done}, so that a provider sending whole calls loses
 * nothing;</li>
 * <li>{@code response.completed} (and {@code response.done}, taken as its synonym since
 * clients of xAI's Responses API accept both): usage, the response {@code status} as
 * finish reason and {@code status} metadata; the stream is complete;</li>
 * <li>{@code response.incomplete}: usage, finish reason {@code incomplete} and metadata
 * {@code status} and {@code incomplete_reason} are reported, then a
 * {@link ResponsesIncompleteException} carrying {@code incomplete_details.reason} ends
 * the stream;</li>
 * <li>{@code error} (either the recorded {@code {"error":{type,code,message}}} shape or
 * the documented flat {@code {code,message}}) and {@code response.failed}: a
 * {@link ProviderStreamException} with the provider's type, code and message, retryable
 * for server errors, rate limits, overloads, timeouts and unavailability (not for
 * {@code insufficient_quota}); the first of them ends the stream. {@code response.failed}
 * reports its usage, if any, and finish reason {@code failed} first;</li>
 * <li>every event's {@code sequence_number}:
 * {@link StreamDeltaListener#resumePosition};</li>
 * <li>other documented events that repeat or add nothing ({@code response.queued},
 * {@code response.content_part.added}, {@code response.reasoning_summary_part.*}, …):
 * skipped.</li>
 * </ul>
 * Lenient by design, since the API keeps adding event types, item types and fields:
 * nothing of a valid JSON event ends the stream. Each event's data is bound once, to
 * {@link ResponsesEvent}, whose unpredictable fields (the item, deltas, arguments,
 * annotations) are trees read leniently; when a field of a fixed type has another JSON
 * type the event's tree is conformed to the record ({@link LenientJson}) and bound again.
 * What the parser skips without understanding it is reported with
 * {@link StreamDeltaListener#unrecognized} (counted in the response metadata
 * {@code stream.unrecognized}): {@code event:<type>} for an unknown event type,
 * {@code output_item:<type>} for an unknown item type (once per item),
 * {@code field:<event type>.<path>:<JSON type>} for a field of an unexpected JSON type,
 * {@code event:<JSON type>} for data that is JSON but not an object. Only data that is
 * not JSON at all ends the stream with a {@link StreamParseException}.
 *
 * @see <a href=
 * "https://platform.openai.com/docs/api-reference/responses-streaming">OpenAI, Responses
 * streaming events</a>
 * @see <a href="https://platform.openai.com/docs/api-reference/responses/object">OpenAI,
 * The response object (output item types)</a>
 * @see <a href="https://platform.openai.com/docs/guides/tools">OpenAI, Using tools
 * (built-in tools run by OpenAI; computer use, local shell, shell, apply patch and custom
 * tools run by the caller)</a>
 * @see <a href="https://docs.x.ai/docs/api-reference#create-new-response">xAI, Create new
 * response</a>
 * @see <a href="https://docs.x.ai/docs/guides/tools/advanced-usage">xAI, mixing
 * server-side and client-side tools (only {@code function_call} is client-side)</a>
 */
final class ResponsesStreamParser implements StreamParser {

	/**
	 * What the lenient path conforms an event to: the fixed-type fields of
	 * {@link ResponsesEvent}.
	 */
	private static final LenientJson.Shape EVENT = LenientJson.object("type", LenientJson.string(), "sequence_number",
			LenientJson.integer(), "output_index", LenientJson.integer(), "item_id", LenientJson.string(),
			"content_index", LenientJson.integer(), "annotation_index", LenientJson.integer(), "message",
			LenientJson.string(), "error", LenientJson.error(), "response",
			LenientJson.object("id", LenientJson.string(), "model", LenientJson.string(), "status",
					LenientJson.string(), "usage", LenientJson.object(), "error", LenientJson.error(),
					"incomplete_details", LenientJson.object("reason", LenientJson.string()), "service_tier",
					LenientJson.string()));

	/**
	 * Event types read here, or documented and skipped on purpose; any other is
	 * unrecognized.
	 */
	private static final Set<String> KNOWN_EVENTS = Set.of("response.created", "response.in_progress",
			"response.queued", "response.completed", "response.done", "response.incomplete", "response.failed", "error",
			"keepalive", "response.output_item.added", "response.output_item.done", "response.content_part.added",
			"response.content_part.done", "response.output_text.delta", "response.output_text.done",
			"response.output_text.annotation.added", "response.refusal.delta", "response.refusal.done",
			"response.reasoning_summary_part.added", "response.reasoning_summary_part.done",
			"response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
			"response.reasoning_text.delta", "response.reasoning_text.done", "response.function_call_arguments.delta",
			"response.function_call_arguments.done", "response.custom_tool_call_input.delta",
			"response.custom_tool_call_input.done", "response.code_interpreter_call_code.delta",
			"response.code_interpreter_call_code.done", "response.mcp_call_arguments.delta",
			"response.mcp_call_arguments.done");

	/** Output items that carry only the answer, read through their text events. */
	private static final Set<String> CONTENT_ITEMS = Set.of("message", "reasoning");

	/** Output items of tools the caller must run. */
	private static final Set<String> CALLER_ITEMS = Set.of("function_call", "custom_tool_call", "computer_call",
			"local_shell_call", "shell_call", "apply_patch_call");

	/** Output items of tools the provider runs (OpenAI, then xAI). */
	private static final Set<String> SERVER_ITEMS = Set.of("web_search_call", "file_search_call",
			"code_interpreter_call", "image_generation_call", "mcp_call", "mcp_list_tools", "mcp_approval_request",
			"tool_search_call", "x_search_call", "code_execution_call", "view_image_call", "view_x_video_call");

	/** Where a caller-executed item's input is, first present wins. */
	private static final List<String> CALLER_INPUT = List.of("arguments", "input", "action", "actions", "operation");

	/** Where a server tool item's input is, first present wins. */
	private static final List<String> SERVER_INPUT = List.of("arguments", "input", "code", "action", "queries",
			"query");

	private final String provider;

	private final ObjectReader reader;

	private final StreamDeltaListener listener;

	private final Map<String, ToolState> toolsByItemId = new HashMap<>(4);

	private final Map<Integer, ToolState> toolsByOutputIndex = new HashMap<>(4);

	private final Map<String, ServerState> serverByItemId = new HashMap<>(4);

	private final Map<Integer, ServerState> serverByOutputIndex = new HashMap<>(4);

	private final Map<String, ServerState> serverByCallId = new HashMap<>(2);

	/** Annotation indexes reported, by content part ({@link #partKey}). */
	private final Map<String, Set<Integer>> citations = new HashMap<>(2);

	/** Items of unknown type already reported, by {@link #itemKey}. */
	private final Set<String> unknownItems = new HashSet<>(2);

	private final @Nullable String apiKey;

	/**
	 * Whether xAI speaks: its {@code custom_tool_call} items are its own server-side
	 * tools.
	 */
	private final boolean xai;

	/** Calls the caller must run, numbered in order of first appearance. */
	private int toolCount;

	private @Nullable String responseId;

	/** Finished reasoning items, in order. */
	private @Nullable List<ReasoningItem> reasoningItems;

	private boolean done;

	ResponsesStreamParser(String provider, ObjectReader reader, StreamDeltaListener listener, @Nullable String apiKey) {
		this.provider = provider;
		this.reader = reader;
		this.listener = listener;
		this.apiKey = apiKey;
		this.xai = "xai".equals(provider);
	}

	@Override
	public void onEvent(SseEvent event) {
		if (this.done) {
			return;
		}
		ResponsesEvent data = read(event);
		if (data == null) {
			return;
		}
		ResponsesEvent.Response response = data.response();
		if (response != null) {
			String id = nonEmpty(response.id());
			String model = nonEmpty(response.model());
			if (id != null) {
				this.responseId = id;
			}
			if (id != null || model != null) {
				this.listener.responseInfo(id, model);
			}
		}
		Long sequenceNumber = data.sequenceNumber();
		if (sequenceNumber != null) {
			this.listener.resumePosition(this.responseId, sequenceNumber);
		}
		String type = (data.type() != null) ? data.type() : event.event();
		if (type == null) {
			this.listener.unrecognized("event:untyped");
			return;
		}
		switch (type) {
			case "response.output_text.delta" -> {
				String text = textDelta(type, data.delta());
				if (text != null) {
					this.listener.text(0, text);
				}
			}
			case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
				String text = textDelta(type, data.delta());
				if (text != null) {
					this.listener.reasoning(0, text);
				}
			}
			case "response.refusal.delta" -> {
				String text = textDelta(type, data.delta());
				if (text != null) {
					this.listener.refusal(0, text);
				}
			}
			case "response.output_item.added" -> onItemAdded(type, data);
			case "response.output_item.done" -> onItemDone(type, data);
			case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" ->
				onInputDelta(type, data, null);
			case "response.function_call_arguments.done" ->
				onInputDone(type, data, "arguments", data.arguments(), null);
			case "response.custom_tool_call_input.done" -> onInputDone(type, data, "input", data.input(), null);
			case "response.code_interpreter_call_code.delta" -> onInputDelta(type, data, "code_interpreter_call");
			case "response.code_interpreter_call_code.done" ->
				onInputDone(type, data, "code", data.code(), "code_interpreter_call");
			case "response.mcp_call_arguments.delta" -> onInputDelta(type, data, "mcp_call");
			case "response.mcp_call_arguments.done" ->
				onInputDone(type, data, "arguments", data.arguments(), "mcp_call");
			case "response.output_text.annotation.added" ->
				citation(type, partKey(data.itemId(), data.outputIndex(), data.contentIndex()), data.annotationIndex(),
						data.annotation());
			case "response.output_text.done" ->
				citations(type, partKey(data.itemId(), data.outputIndex(), data.contentIndex()), data.annotations());
			case "response.content_part.done" ->
				citations(type, partKey(data.itemId(), data.outputIndex(), data.contentIndex()),
						(data.part() != null) ? data.part().get("annotations") : null);
			case "response.completed", "response.done" -> onCompleted(response);
			case "response.incomplete" -> onIncomplete(response);
			case "response.failed" -> onFailed(response);
			case "error" -> onError(data);
			default -> {
				if (!isKnown(type)) {
					this.listener.unrecognized("event:" + type);
				}
			}
		}
	}

	/** Whether an event type is read here or skipped on purpose. */
	private static boolean isKnown(String type) {
		if (KNOWN_EVENTS.contains(type)) {
			return true;
		}
		// progress events of provider-run tools: response.web_search_call.searching, …
		int last = type.lastIndexOf('.');
		return type.startsWith("response.") && last > 9 && SERVER_ITEMS.contains(type.substring(9, last));
	}

	private @Nullable ResponsesEvent read(SseEvent event) {
		try {
			ResponsesEvent data = this.reader.readValue(event.data());
			if (data == null) {
				this.listener.unrecognized("event:null");
			}
			return data;
		}
		catch (JacksonException ex) {
			return readLeniently(event);
		}
	}

	private StreamParseException notJson(@Nullable JacksonException ex) {
		// the parser's message quotes the data (an unrecognised token may be a key):
		// redacted, and
		// the exception, whose message cannot be, is not kept as the cause
		return new StreamParseException(this.provider,
				this.provider + " sent a Responses API event that is not valid JSON"
						+ ((ex != null) ? ": " + Secrets.redact(ex.getOriginalMessage(), this.apiKey) : ""),
				null);
	}

	/**
	 * Valid JSON that does not bind: for an event type read here, its tree conformed to
	 * the record's shape and bound again; for any other type, only its sequence number is
	 * taken.
	 */
	private @Nullable ResponsesEvent readLeniently(SseEvent event) {
		JsonNode tree;
		try {
			tree = this.reader.readTree(event.data());
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
		if (tree == null || tree.isMissingNode()) {
			throw notJson(null);
		}
		if (!(tree instanceof ObjectNode object)) {
			this.listener.unrecognized("event:" + LenientJson.jsonType(tree));
			return null;
		}
		JsonNode typeNode = tree.get("type");
		String type = (typeNode != null && typeNode.isString()) ? typeNode.stringValue() : event.event();
		if (type != null && isKnown(type)) {
			LenientJson.conform(object, type, EVENT, this.listener::unrecognized);
			try {
				return this.reader.readValue(object);
			}
			catch (JacksonException ex) {
				this.listener.unrecognized("event:" + type + ":unreadable");
			}
		}
		else {
			this.listener.unrecognized("event:" + ((type != null) ? type : "untyped"));
		}
		JsonNode sequenceNumber = tree.get("sequence_number");
		if (sequenceNumber != null && sequenceNumber.isIntegralNumber() && sequenceNumber.canConvertToLong()) {
			this.listener.resumePosition(this.responseId, sequenceNumber.longValue());
		}
		return null;
	}

	/** The text of a text delta: a string, else reported and skipped. */
	private @Nullable String textDelta(String type, @Nullable JsonNode delta) {
		if (delta == null || delta.isNull()) {
			return null;
		}
		if (!delta.isString()) {
			this.listener.unrecognized("field:" + type + ".delta:" + LenientJson.jsonType(delta));
			return null;
		}
		String text = delta.stringValue();
		return text.isEmpty() ? null : text;
	}

	/**
	 * The item of an output item event, or {@code null} (reported) when it is not an
	 * object.
	 */
	private @Nullable JsonNode item(String type, ResponsesEvent data) {
		JsonNode item = data.item();
		if (item == null || !item.isObject()) {
			this.listener.unrecognized("field:" + type + ".item:" + LenientJson.jsonType(item));
			return null;
		}
		return item;
	}

	/** What an output item is to this parser. */
	private enum ItemKind {

		/** Answer text or reasoning, read from their own events. */
		CONTENT,

		/** A call the caller must run. */
		CALLER,

		/** A tool the provider runs. */
		SERVER,

		/**
		 * An unknown {@code *_call} item without {@code call_id}: taken for a
		 * provider-run tool.
		 */
		GUESSED_SERVER,

		/** The output of a provider-run call, e.g. {@code tool_search_output}. */
		SERVER_OUTPUT,

		/** Not understood. */
		UNKNOWN

	}

	private ItemKind kind(@Nullable String itemType, JsonNode item) {
		if (itemType == null) {
			return ItemKind.UNKNOWN;
		}
		if (CONTENT_ITEMS.contains(itemType)) {
			return ItemKind.CONTENT;
		}
		if (itemType.equals("custom_tool_call")) {
			return this.xai ? ItemKind.SERVER : ItemKind.CALLER;
		}
		if (itemType.equals("tool_search_call")) {
			return "client".equals(LenientJson.text(item.get("execution"))) ? ItemKind.CALLER : ItemKind.SERVER;
		}
		if (CALLER_ITEMS.contains(itemType)) {
			return ItemKind.CALLER;
		}
		if (SERVER_ITEMS.contains(itemType)) {
			return ItemKind.SERVER;
		}
		String callId = LenientJson.text(item.get("call_id"));
		if (itemType.endsWith("_output") && callId != null && this.serverByCallId.containsKey(callId)) {
			return ItemKind.SERVER_OUTPUT;
		}
		if (itemType.endsWith("_call") && !item.hasNonNull("call_id")) {
			return ItemKind.GUESSED_SERVER;
		}
		return ItemKind.UNKNOWN;
	}

	private void onItemAdded(String type, ResponsesEvent data) {
		JsonNode item = item(type, data);
		if (item == null) {
			return;
		}
		String itemType = LenientJson.text(item.get("type"));
		String itemId = LenientJson.text(item.get("id"));
		ItemKind kind = kind(itemType, item);
		switch (kind) {
			case CALLER -> {
				ToolState tool = tool(itemId, data.outputIndex());
				tool.idReported = true;
				this.listener.toolCall(0, tool.index, LenientJson.string(item, "call_id", type + ".item", this::report),
						callName(type, itemType, item), "");
			}
			case SERVER, GUESSED_SERVER -> {
				if (kind == ItemKind.GUESSED_SERVER) {
					unknownItem(itemId, data.outputIndex(), itemType);
				}
				ServerState call = server(itemId, data.outputIndex());
				start(call, serverName(itemType, item), "");
				registerCallId(call, item);
			}
			case UNKNOWN -> unknownItem(itemId, data.outputIndex(), itemType);
			default -> {
				// message, reasoning: read from their events; an output: read when done
			}
		}
	}

	private void onItemDone(String type, ResponsesEvent data) {
		JsonNode item = item(type, data);
		if (item == null) {
			return;
		}
		String itemType = LenientJson.text(item.get("type"));
		String itemId = LenientJson.text(item.get("id"));
		Integer outputIndex = data.outputIndex();
		ItemKind kind = kind(itemType, item);
		switch (kind) {
			case CALLER ->
				onCallDone(itemId, outputIndex, LenientJson.string(item, "call_id", type + ".item", this::report),
						callName(type, itemType, item), callInput(type, itemType, item));
			case SERVER, GUESSED_SERVER -> {
				if (kind == ItemKind.GUESSED_SERVER) {
					unknownItem(itemId, outputIndex, itemType);
				}
				ServerState call = server(itemId, outputIndex);
				String input = firstText(item, SERVER_INPUT);
				if (!start(call, serverName(itemType, item), (input != null) ? input : "") && !call.inputReported) {
					input(call, input);
				}
				registerCallId(call, item);
				this.listener.serverToolResult(0, call.index, call.id, status(item, itemType), item);
			}
			case SERVER_OUTPUT -> {
				ServerState call = this.serverByCallId.get(LenientJson.text(item.get("call_id")));
				this.listener.serverToolResult(0, call.index, call.id, status(item, itemType), item);
			}
			case CONTENT -> {
				if ("reasoning".equals(itemType)) {
					onReasoningDone(type, item, itemId);
					return;
				}
				JsonNode content = item.get("content");
				if ("message".equals(itemType) && content != null && content.isArray()) {
					for (int i = 0; i < content.size(); i++) {
						JsonNode part = content.get(i);
						citations(type, partKey(itemId, outputIndex, i),
								(part != null && part.isObject()) ? part.get("annotations") : null);
					}
				}
			}
			case UNKNOWN -> unknownItem(itemId, outputIndex, itemType);
		}
	}

	/**
	 * Keeps a finished {@code reasoning} item (id, summary texts, encrypted content) to
	 * send back, reported as the metadata {@value StreamingResponse#REASONING_ITEMS}.
	 */
	private void onReasoningDone(String type, JsonNode item, @Nullable String itemId) {
		if (itemId == null) {
			report("field:" + type + ".item.id");
			return;
		}
		List<String> summary = new ArrayList<>(1);
		JsonNode parts = item.get("summary");
		if (parts != null && parts.isArray()) {
			for (JsonNode part : parts) {
				String text = (part != null && part.isObject()) ? LenientJson.text(part.get("text")) : null;
				if (text != null) {
					summary.add(text);
				}
			}
		}
		String encrypted = nonEmpty(LenientJson.text(item.get("encrypted_content")));
		if (this.reasoningItems == null) {
			this.reasoningItems = new ArrayList<>(1);
		}
		this.reasoningItems.add(new ResponsesReasoningItem(itemId, summary, encrypted));
		this.listener.metadata(StreamingResponse.REASONING_ITEMS, List.copyOf(this.reasoningItems));
	}

	private void report(String what) {
		this.listener.unrecognized(what);
	}

	/** Reports an item of a type this parser does not know, once per item. */
	private void unknownItem(@Nullable String itemId, @Nullable Integer outputIndex, @Nullable String itemType) {
		if (this.unknownItems.add(itemKey(itemId, outputIndex))) {
			this.listener.unrecognized("output_item:" + ((itemType != null) ? itemType : "untyped"));
		}
	}

	/**
	 * The name of a call the caller runs: the function or custom tool name, else the item
	 * type.
	 */
	private @Nullable String callName(String type, @Nullable String itemType, JsonNode item) {
		if ("function_call".equals(itemType) || "custom_tool_call".equals(itemType)) {
			return LenientJson.string(item, "name", type + ".item", this::report);
		}
		return itemType;
	}

	/**
	 * The input of a call the caller runs, as JSON text: the arguments of a function
	 * call, the input of a custom tool call (both strings, reported when not), else the
	 * action or operation.
	 */
	private @Nullable String callInput(String type, @Nullable String itemType, JsonNode item) {
		if ("function_call".equals(itemType)) {
			return LenientJson.string(item, "arguments", type + ".item", this::report);
		}
		if ("custom_tool_call".equals(itemType)) {
			return LenientJson.string(item, "input", type + ".item", this::report);
		}
		return firstText(item, CALLER_INPUT);
	}

	/**
	 * The name of a provider-run tool: the item's own {@code name}, else the item type.
	 */
	private static String serverName(@Nullable String itemType, JsonNode item) {
		JsonNode name = item.get("name");
		if (name != null && name.isString() && !name.stringValue().isEmpty()) {
			return name.stringValue();
		}
		return (itemType != null) ? itemType : "";
	}

	/** The item's {@code status}, else its type: what its result is reported as. */
	private static String status(JsonNode item, @Nullable String itemType) {
		String status = nonEmpty(LenientJson.text(item.get("status")));
		return (status != null) ? status : ((itemType != null) ? itemType : "");
	}

	/** The first of the fields that is present and not {@code null}, as JSON text. */
	private static @Nullable String firstText(JsonNode item, List<String> fields) {
		for (String field : fields) {
			JsonNode value = item.get(field);
			if (value != null && !value.isNull()) {
				return LenientJson.text(value);
			}
		}
		return null;
	}

	/**
	 * A fragment of a call's input: of a provider-run call when the event belongs to one
	 * (or when {@code serverItemType} says so), else of a call the caller runs.
	 */
	private void onInputDelta(String type, ResponsesEvent data, @Nullable String serverItemType) {
		String fragment = inputText(type, "delta", data.delta());
		ServerState server = (serverItemType != null) ? server(data.itemId(), data.outputIndex())
				: knownServer(data.itemId(), data.outputIndex());
		if (server != null) {
			if (!start(server, (serverItemType != null) ? serverItemType : "", (fragment != null) ? fragment : "")) {
				input(server, fragment);
			}
			return;
		}
		ToolState tool = tool(data.itemId(), data.outputIndex());
		if (fragment != null && !fragment.isEmpty()) {
			tool.argumentsReported = true;
			this.listener.toolCall(0, tool.index, null, null, fragment);
		}
	}

	/** The complete input of a call, reported only when no earlier event carried it. */
	private void onInputDone(String type, ResponsesEvent data, String field, @Nullable JsonNode input,
			@Nullable String serverItemType) {
		String text = inputText(type, field, input);
		ServerState server = (serverItemType != null) ? server(data.itemId(), data.outputIndex())
				: knownServer(data.itemId(), data.outputIndex());
		if (server != null) {
			if (!start(server, (serverItemType != null) ? serverItemType : "", (text != null) ? text : "")
					&& !server.inputReported) {
				input(server, text);
			}
			return;
		}
		onCallDone(data.itemId(), data.outputIndex(), null, null, text);
	}

	/** Input text: a string as is, anything else its JSON text (reported). */
	private @Nullable String inputText(String type, String field, @Nullable JsonNode value) {
		if (value != null && !value.isString() && !value.isNull()) {
			this.listener.unrecognized("field:" + type + "." + field + ":" + LenientJson.jsonType(value));
		}
		return LenientJson.text(value);
	}

	/**
	 * The complete call: its id, name and arguments are reported only when no earlier
	 * event carried them (a provider that sends whole calls), never a second time.
	 */
	private void onCallDone(@Nullable String itemId, @Nullable Integer outputIndex, @Nullable String callId,
			@Nullable String name, @Nullable String arguments) {
		ToolState tool = tool(itemId, outputIndex);
		boolean reportId = !tool.idReported && (callId != null || name != null);
		boolean reportArguments = !tool.argumentsReported && arguments != null && !arguments.isEmpty();
		if (reportId || reportArguments) {
			tool.idReported |= reportId;
			tool.argumentsReported |= reportArguments;
			this.listener.toolCall(0, tool.index, reportId ? callId : null, reportId ? name : null,
					reportArguments ? arguments : "");
		}
	}

	/** The call of an output item, numbered in order of first appearance. */
	private ToolState tool(@Nullable String itemId, @Nullable Integer outputIndex) {
		ToolState tool = (itemId != null) ? this.toolsByItemId.get(itemId) : null;
		if (tool != null) {
			return tool;
		}
		if (outputIndex != null) {
			tool = this.toolsByOutputIndex.get(outputIndex);
		}
		if (tool == null) {
			tool = new ToolState(this.toolCount++);
			if (outputIndex != null) {
				this.toolsByOutputIndex.put(outputIndex, tool);
			}
		}
		if (itemId != null) {
			this.toolsByItemId.put(itemId, tool);
		}
		return tool;
	}

	/** The provider-run call of an output item, if one is known. */
	private @Nullable ServerState knownServer(@Nullable String itemId, @Nullable Integer outputIndex) {
		ServerState call = (itemId != null) ? this.serverByItemId.get(itemId) : null;
		if (call == null && outputIndex != null) {
			call = this.serverByOutputIndex.get(outputIndex);
		}
		return call;
	}

	/** The provider-run call of an output item, indexed by its {@code output_index}. */
	private ServerState server(@Nullable String itemId, @Nullable Integer outputIndex) {
		ServerState call = knownServer(itemId, outputIndex);
		if (call == null) {
			call = new ServerState((outputIndex != null) ? outputIndex : -1, itemId);
			if (outputIndex != null) {
				this.serverByOutputIndex.put(outputIndex, call);
			}
		}
		if (itemId != null) {
			this.serverByItemId.putIfAbsent(itemId, call);
		}
		return call;
	}

	private void registerCallId(ServerState call, JsonNode item) {
		String callId = LenientJson.text(item.get("call_id"));
		if (callId != null) {
			this.serverByCallId.putIfAbsent(callId, call);
		}
	}

	/**
	 * Reports the first fragment of a provider-run call, with its id, name and the input
	 * known so far, unless reported already.
	 * @return {@code true} when this was the first fragment
	 */
	private boolean start(ServerState call, String name, String input) {
		if (call.started) {
			return false;
		}
		call.started = true;
		call.inputReported = !input.isEmpty();
		this.listener.serverToolCall(0, call.index, call.id, name, input);
		return true;
	}

	/** Reports a further fragment of a provider-run call's input. */
	private void input(ServerState call, @Nullable String fragment) {
		if (fragment != null && !fragment.isEmpty()) {
			call.inputReported = true;
			// without an output index the id is what matches the fragment to its call
			this.listener.serverToolCall(0, call.index, (call.index < 0) ? call.id : null, null, fragment);
		}
	}

	/** The annotations of one content part, each reported once. */
	private void citations(String type, String partKey, @Nullable JsonNode annotations) {
		if (annotations == null || annotations.isNull()) {
			return;
		}
		if (!annotations.isArray()) {
			this.listener.unrecognized("field:" + type + ".annotations:" + LenientJson.jsonType(annotations));
			return;
		}
		for (int i = 0; i < annotations.size(); i++) {
			citation(type, partKey, i, annotations.get(i));
		}
	}

	/**
	 * An annotation of the answer text as a citation, unless the annotation with this
	 * index of this content part was reported already. Without an index, the annotation
	 * is taken to follow those reported.
	 */
	private void citation(String type, String partKey, @Nullable Integer index, @Nullable JsonNode annotation) {
		if (annotation == null || !annotation.isObject()) {
			this.listener.unrecognized("field:" + type + ".annotation:" + LenientJson.jsonType(annotation));
			return;
		}
		Set<Integer> reported = this.citations.computeIfAbsent(partKey, (key) -> new HashSet<>(4));
		if (!reported.add((index != null) ? index : reported.size())) {
			return;
		}
		String citationType = LenientJson.text(annotation.get("type"));
		if (citationType == null) {
			this.listener.unrecognized("annotation:untyped");
		}
		String title = LenientJson.text(annotation.get("title"));
		this.listener.citation(0,
				new Citation((citationType != null) ? citationType : "", LenientJson.text(annotation.get("url")),
						(title != null) ? title : LenientJson.text(annotation.get("filename")), null,
						LenientJson.integer(annotation, "start_index"), LenientJson.integer(annotation, "end_index"),
						annotation));
	}

	private static String partKey(@Nullable String itemId, @Nullable Integer outputIndex,
			@Nullable Integer contentIndex) {
		return itemKey(itemId, outputIndex) + "/" + ((contentIndex != null) ? contentIndex : 0);
	}

	private static String itemKey(@Nullable String itemId, @Nullable Integer outputIndex) {
		return (itemId != null) ? itemId : "#" + outputIndex;
	}

	private static @Nullable String nonEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private void onCompleted(ResponsesEvent.@Nullable Response response) {
		this.done = true;
		String status = (response != null && response.status() != null) ? response.status() : "completed";
		end(response, status, null);
	}

	private void onIncomplete(ResponsesEvent.@Nullable Response response) {
		this.done = true;
		String status = (response != null && response.status() != null) ? response.status() : "incomplete";
		ResponsesEvent.IncompleteDetails details = (response != null) ? response.incompleteDetails() : null;
		String reason = (details != null) ? details.reason() : null;
		end(response, status, reason);
		if (reason != null) {
			this.listener.metadata("incomplete_reason", reason);
		}
		throw new ResponsesIncompleteException(this.provider, reason);
	}

	private void onFailed(ResponsesEvent.@Nullable Response response) {
		this.done = true;
		String status = (response != null && response.status() != null) ? response.status() : "failed";
		end(response, status, null);
		ResponsesEvent.ErrorBody error = (response != null) ? response.error() : null;
		if (error == null) {
			throw streamError(null, null, "response failed");
		}
		throw streamError(error.type(), error.code(), error.message());
	}

	private void onError(ResponsesEvent data) {
		this.done = true;
		ResponsesEvent.ErrorBody error = data.error();
		if (error != null) {
			throw streamError(error.type(), error.code(), error.message());
		}
		throw streamError(null, LenientJson.text(data.code()), data.message());
	}

	/** Reports what a terminal response carries: usage, status, service tier. */
	private void end(ResponsesEvent.@Nullable Response response, String status, @Nullable String incompleteReason) {
		if (response != null) {
			if (response.usage() != null) {
				this.listener.usage(usage(response.usage()));
			}
			if (response.serviceTier() != null) {
				this.listener.metadata("service_tier", response.serviceTier());
			}
		}
		this.listener.metadata("status", status);
		FinishReason normalized = FinishReason.fromResponses(status, incompleteReason, this.toolCount > 0);
		this.listener.finishReason(0, status, (normalized != null) ? normalized : FinishReason.OTHER);
	}

	private ProviderStreamException streamError(@Nullable String type, @Nullable Object code,
			@Nullable String message) {
		String codeText = (code != null) ? String.valueOf(code) : null;
		return new ProviderStreamException(this.provider, type, codeText, Secrets.redact(message, this.apiKey),
				ChatCompletionsStreamParser.isRetryable(type) || ChatCompletionsStreamParser.isRetryable(codeText));
	}

	/**
	 * Normalises a Responses API usage object: {@code input_tokens},
	 * {@code output_tokens} (which include reasoning tokens), {@code total_tokens},
	 * {@code input_tokens_details.cached_tokens},
	 * {@code output_tokens_details.reasoning_tokens}.
	 * @param usage the usage object as sent
	 * @return the usage, keeping the object as its raw form
	 */
	static Usage usage(Map<String, Object> usage) {
		int input = UsageMaps.intAt(usage, "input_tokens");
		int output = UsageMaps.intAt(usage, "output_tokens");
		int total = UsageMaps.hasNumber(usage, "total_tokens") ? UsageMaps.intAt(usage, "total_tokens")
				: input + output;
		return new Usage(input, output, total, UsageMaps.intAt(usage, "input_tokens_details", "cached_tokens"), 0,
				UsageMaps.intAt(usage, "output_tokens_details", "reasoning_tokens"), usage);
	}

	@Override
	public boolean isComplete() {
		return this.done;
	}

	@Override
	public void onEndOfBody() {
		if (!this.done) {
			throw new StreamInterruptedException(this.provider,
					this.provider + " stream ended before response.completed", null);
		}
	}

	/** A provider-run call, as its events arrive. */
	private static final class ServerState {

		private final int index;

		private final @Nullable String id;

		private boolean started;

		private boolean inputReported;

		ServerState(int index, @Nullable String id) {
			this.index = index;
			this.id = id;
		}

	}

	/** A call the caller runs, as its events arrive. */
	private static final class ToolState {

		private final int index;

		private boolean idReported;

		private boolean argumentsReported;

		ToolState(int index) {
			this.index = index;
		}

	}

}
