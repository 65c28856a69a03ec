package io.steer.llm.provider.openai;

import java.util.HashMap;
import java.util.Map;

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
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Parser of an OpenAI Responses API stream (OpenAI and xAI): named events, each with a JSON
 * {@code data} carrying its {@code type} and {@code sequence_number}. The event type is read
 * from the JSON {@code type}, else from the SSE {@code event:} field, so a stream without
 * {@code event:} lines reads the same.
 * <p>
 * What each event becomes:
 * <ul>
 * <li>{@code response.created}, {@code response.in_progress} and every event with a
 * {@code response} object: response id and model;</li>
 * <li>{@code response.output_text.delta}: text; {@code response.refusal.delta}: refusal;
 * {@code response.reasoning_summary_text.delta} and {@code response.reasoning_text.delta}:
 * reasoning (all of choice 0, the Responses API has one output);</li>
 * <li>{@code response.output_item.added} of a {@code function_call} item: the first fragment
 * of a tool call with its {@code call_id} and name; {@code response.function_call_arguments.delta}:
 * argument fragments, matched to their call by {@code item_id} (else {@code output_index}).
 * Tool calls are numbered 0, 1, 2… in order of first appearance;</li>
 * <li>{@code *.done} events and the output of {@code response.completed} repeat what the
 * deltas carried and are not reported again. The one exception: a function call whose
 * id, name or arguments came in no earlier event gets them from
 * {@code response.function_call_arguments.done} or {@code response.output_item.done}, so that
 * a provider sending whole calls loses nothing;</li>
 * <li>{@code response.completed}: usage, the response {@code status} as finish reason and
 * {@code status} metadata; the stream is complete;</li>
 * <li>{@code response.incomplete}: usage, finish reason {@code incomplete} and metadata
 * {@code status} and {@code incomplete_reason} are reported, then a
 * {@link ResponsesIncompleteException} carrying {@code incomplete_details.reason} ends the
 * stream;</li>
 * <li>{@code error} (either the recorded {@code {"error":{type,code,message}}} shape or the
 * documented flat {@code {code,message}}) and {@code response.failed}: a
 * {@link ProviderStreamException} with the provider's type, code and message, retryable for
 * server errors, rate limits, overloads, timeouts and unavailability (not for
 * {@code insufficient_quota}); the first of them ends the stream. {@code response.failed}
 * reports its usage, if any, and finish reason {@code failed} first;</li>
 * <li>every event's {@code sequence_number}: {@link StreamDeltaListener#resumePosition};</li>
 * <li>other event types: ignored.</li>
 * </ul>
 * Each event's data is bound once, to {@link ResponsesEvent}. Data that is not JSON ends the
 * stream with a {@link StreamParseException}, as does an event of a type read here whose
 * fields do not have the documented JSON types.
 *
 * @see <a href="https://platform.openai.com/docs/api-reference/responses-streaming">OpenAI,
 * Responses streaming events</a>
 * @see <a href="https://docs.x.ai/docs/api-reference#create-new-response">xAI, Create new
 * response</a>
 */
final class ResponsesStreamParser implements StreamParser {

	private final String provider;

	private final ObjectReader reader;

	private final StreamDeltaListener listener;

	private final Map<String, ToolState> toolsByItemId = new HashMap<>(4);

	private final Map<Integer, ToolState> toolsByOutputIndex = new HashMap<>(4);

	private final @Nullable String apiKey;

	private int toolCount;

	private @Nullable String responseId;

	private boolean done;

	ResponsesStreamParser(String provider, ObjectReader reader, StreamDeltaListener listener, @Nullable String apiKey) {
		this.provider = provider;
		this.reader = reader;
		this.listener = listener;
		this.apiKey = apiKey;
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
			if (response.id() != null) {
				this.responseId = response.id();
			}
			this.listener.responseInfo(response.id(), response.model());
		}
		Long sequenceNumber = data.sequenceNumber();
		if (sequenceNumber != null) {
			this.listener.resumePosition(this.responseId, sequenceNumber);
		}
		String type = (data.type() != null) ? data.type() : event.event();
		if (type == null) {
			return;
		}
		switch (type) {
			case "response.output_text.delta" -> {
				if (data.delta() instanceof String text && !text.isEmpty()) {
					this.listener.text(0, text);
				}
			}
			case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
				if (data.delta() instanceof String text && !text.isEmpty()) {
					this.listener.reasoning(0, text);
				}
			}
			case "response.refusal.delta" -> {
				if (data.delta() instanceof String text && !text.isEmpty()) {
					this.listener.refusal(0, text);
				}
			}
			case "response.output_item.added" -> onItemAdded(data);
			case "response.function_call_arguments.delta" -> onArgumentsDelta(data);
			case "response.function_call_arguments.done" -> onArgumentsDone(data.itemId(), data.outputIndex(), null,
					null, data.arguments());
			case "response.output_item.done" -> onItemDone(data);
			case "response.completed" -> onCompleted(response);
			case "response.incomplete" -> onIncomplete(response);
			case "response.failed" -> onFailed(response);
			case "error" -> onError(data);
			default -> {
				// not needed to assemble the answer (content_part, *.done, web search, …)
			}
		}
	}

	private @Nullable ResponsesEvent read(SseEvent event) {
		try {
			ResponsesEvent data = this.reader.readValue(event.data());
			if (data == null) {
				throw new StreamParseException(this.provider, this.provider + " sent a null Responses API event", null);
			}
			return data;
		}
		catch (StreamReadException ex) {
			throw notJson(ex);
		}
		catch (DatabindException ex) {
			return readUnexpectedShape(event, ex);
		}
		catch (JacksonException ex) {
			throw new StreamParseException(this.provider,
					this.provider + " sent an unreadable Responses API event: " + ex.getOriginalMessage(), ex);
		}
	}

	private StreamParseException notJson(JacksonException ex) {
		return new StreamParseException(this.provider,
				this.provider + " sent a Responses API event that is not valid JSON: " + ex.getOriginalMessage(), ex);
	}

	/**
	 * Valid JSON that does not bind: fatal for an event type this parser reads, ignored (after
	 * noting its sequence number) for any other, since new event types may carry fields of any
	 * shape.
	 */
	private @Nullable ResponsesEvent readUnexpectedShape(SseEvent event, DatabindException cause) {
		JsonNode tree;
		try {
			tree = this.reader.readTree(event.data());
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
		JsonNode typeNode = tree.get("type");
		String type = (typeNode != null && typeNode.isString()) ? typeNode.stringValue() : event.event();
		if (type == null || type.equals("error") || type.startsWith("response.output_text.")
				|| type.startsWith("response.function_call_arguments.") || type.startsWith("response.output_item.")
				|| type.startsWith("response.reasoning_") || type.startsWith("response.refusal.")
				|| type.equals("response.created") || type.equals("response.in_progress")
				|| type.equals("response.completed") || type.equals("response.incomplete")
				|| type.equals("response.failed")) {
			throw new StreamParseException(this.provider, this.provider + " sent a Responses API event of type "
					+ type + " with an unexpected shape: " + cause.getOriginalMessage(), cause);
		}
		JsonNode sequenceNumber = tree.get("sequence_number");
		if (sequenceNumber != null && sequenceNumber.isIntegralNumber()) {
			this.listener.resumePosition(this.responseId, sequenceNumber.longValue());
		}
		return null;
	}

	private void onItemAdded(ResponsesEvent data) {
		ResponsesEvent.Item item = data.item();
		if (item == null || !"function_call".equals(item.type())) {
			return;
		}
		ToolState tool = tool(item.id(), data.outputIndex());
		tool.idReported = true;
		this.listener.toolCall(0, tool.index, item.callId(), item.name(), "");
	}

	private void onArgumentsDelta(ResponsesEvent data) {
		ToolState tool = tool(data.itemId(), data.outputIndex());
		if (data.delta() instanceof String arguments && !arguments.isEmpty()) {
			tool.argumentsReported = true;
			this.listener.toolCall(0, tool.index, null, null, arguments);
		}
	}

	private void onItemDone(ResponsesEvent data) {
		ResponsesEvent.Item item = data.item();
		if (item != null && "function_call".equals(item.type())) {
			onArgumentsDone(item.id(), data.outputIndex(), item.callId(), item.name(), item.arguments());
		}
	}

	/**
	 * The complete call: its id, name and arguments are reported only when no earlier event
	 * carried them (a provider that sends whole calls), never a second time.
	 */
	private void onArgumentsDone(@Nullable String itemId, @Nullable Integer outputIndex, @Nullable String callId,
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
		throw streamError(null, data.code(), data.message());
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
				ChatCompletionsStreamParser.isRetryable(type)
						|| ChatCompletionsStreamParser.isRetryable(codeText));
	}

	/**
	 * Normalises a Responses API usage object: {@code input_tokens},
	 * {@code output_tokens} (which include reasoning tokens), {@code total_tokens},
	 * {@code input_tokens_details.cached_tokens}, {@code output_tokens_details.reasoning_tokens}.
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

	private static final class ToolState {

		private final int index;

		private boolean idReported;

		private boolean argumentsReported;

		ToolState(int index) {
			this.index = index;
		}

	}

}
