package io.steer.llm.assembly;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.steer.llm.error.EventProcessorException;
import io.steer.llm.error.JsonSchemaViolationException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.json.JsonOutcome;
import io.steer.llm.json.JsonProcessor;
import io.steer.llm.json.JsonResult;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.json.JsonStreamException;
import io.steer.llm.json.JsonStreamHandler;
import io.steer.llm.model.Choice;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.pricing.Cost;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.usage.UsageAggregator;
import io.steer.llm.usage.UsageMeter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Assembles the answer a parser reads: the text, reasoning, refusal, tool calls, server
 * tool calls, citations and finish reason of each choice, the response's id, model and
 * metadata, and where the stream got to (sequence number, SSE event id). Each delta is
 * timed, metered and emitted as it is assembled; the provider's usage is metered and
 * emitted.
 * <p>
 * With the JSON stream handler on ({@code enableJsonStreamHandler}), each choice of a
 * JSON answer gets a {@link JsonStreamHandler} fed each text delta once, and each tool
 * call one for its arguments; the snapshots they make go on the deltas. Invalid JSON in
 * an answer fails the stream with a {@link StreamParseException}: at the bad delta when
 * validating incrementally (the delta is emitted, then the stream fails), else when the
 * text ends ({@link #finishJson()}). The final value goes through the options'
 * {@link JsonProcessor} and, for a JSON schema request, the schema.
 * <p>
 * One per answer: a retry gets a new one, a continuation keeps it, so that the text runs
 * on. Not thread-safe: used under the lock of its stream.
 */
final class ResponseAssembler implements StreamDeltaListener {

	private static final Log logger = LogFactory.getLog(ResponseAssembler.class);

	/** Most choices a stream may have: a choice index beyond fails the stream. */
	private static final int MAX_CHOICE_INDEX = 127;

	private final StreamContext context;

	private final StreamTimings timings;

	private final EventEmitter emitter;

	private final UsageMeter usage;

	private final boolean jsonAnswer;

	/** Whether each choice's text goes through a JSON stream handler. */
	private final boolean answerHandlers;

	/** Whether each tool call's arguments go through a JSON stream handler. */
	private final boolean toolHandlers;

	private final JsonStreamHandler.Settings answerSettings;

	/** The request's JSON schema, built once when the answer is finished. */
	private @Nullable Schema schema;

	/** Whether the handlers finished the choices' text. */
	private boolean jsonFinished;

	private final List<ChoiceState> choices = new ArrayList<>(1);

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	/** Parts of the stream the parser skipped, by description; logged once at DEBUG. */
	private final Map<String, Integer> unrecognized = new LinkedHashMap<>();

	private @Nullable String responseId;

	private @Nullable String responseModel;

	private long sequenceNumber = -1;

	private @Nullable String lastEventId;

	/**
	 * Creates the assembler of an answer.
	 * @param context the stream
	 * @param timings the stream's timings, told of each delta
	 * @param emitter the emitter of the deltas and usage events
	 * @param usage the answer's usage, told of each delta and of the provider's usage
	 */
	ResponseAssembler(StreamContext context, StreamTimings timings, EventEmitter emitter, UsageMeter usage) {
		this.context = context;
		this.timings = timings;
		this.emitter = emitter;
		this.usage = usage;
		this.jsonAnswer = context.request().wantsJson();
		this.toolHandlers = context.options().enableJsonStreamHandler();
		this.answerHandlers = this.toolHandlers && this.jsonAnswer;
		this.answerSettings = new JsonStreamHandler.Settings(context.options().validateJsonIncrementally(),
				context.options().jsonDuplicatePolicy(), true);
	}

	@Override
	public void responseInfo(@Nullable String id, @Nullable String model) {
		if (this.responseId == null && id != null) {
			this.responseId = id;
		}
		if (this.responseModel == null && model != null) {
			this.responseModel = model;
		}
	}

	@Override
	public void text(int choice, String text) {
		ChoiceState state = choice(choice);
		state.text.append(text);
		if (!this.answerHandlers) {
			delta(DeltaKind.TEXT, text, choice, this.jsonAnswer, null, null);
			return;
		}
		JsonStreamHandler handler = state.json;
		if (handler == null) {
			handler = new JsonStreamHandler(this.context.mapper(), this.answerSettings);
			state.json = handler;
		}
		JsonSnapshot snapshot;
		try {
			snapshot = handler.append(text);
		}
		catch (JsonStreamException ex) {
			// the bad delta is delivered, so that the deltas add up to the partial text
			delta(DeltaKind.TEXT, text, choice, true, null, null);
			throw invalidJson(choice, ex);
		}
		delta(DeltaKind.TEXT, text, choice, true, null, snapshot);
	}

	@Override
	public void reasoning(int choice, String text) {
		choice(choice).reasoning.append(text);
		delta(DeltaKind.REASONING, text, choice, false, null);
	}

	@Override
	public void refusal(int choice, String text) {
		ChoiceState state = choice(choice);
		if (state.refusal == null) {
			state.refusal = new StringBuilder();
		}
		state.refusal.append(text);
		delta(DeltaKind.REFUSAL, text, choice, false, null);
	}

	@Override
	public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
		ChoiceState.ToolCallState call = choice(choice).toolCalls.computeIfAbsent(index,
				ChoiceState.ToolCallState::new);
		if (call.id == null && id != null) {
			call.id = id;
		}
		if (call.name == null && name != null) {
			call.name = name;
		}
		call.arguments.append(arguments);
		JsonSnapshot snapshot = null;
		if (this.toolHandlers) {
			if (call.json == null) {
				call.json = new JsonStreamHandler(this.context.mapper(), JsonStreamHandler.Settings.TOOL_ARGUMENTS);
			}
			snapshot = argumentsSnapshot(call.json, arguments);
		}
		delta(DeltaKind.TOOL_CALL, arguments, choice, true, new ToolCallDelta(index, id, name), snapshot);
	}

	@Override
	public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
		ChoiceState.ServerToolState call = choice(choice).serverToolCall(index, id);
		if (call.id == null && id != null) {
			call.id = id;
		}
		if (call.name == null && name != null) {
			call.name = name;
		}
		call.input.append(input);
		JsonSnapshot snapshot = null;
		if (this.toolHandlers) {
			if (call.json == null) {
				call.json = new JsonStreamHandler(this.context.mapper(), JsonStreamHandler.Settings.TOOL_ARGUMENTS);
			}
			snapshot = argumentsSnapshot(call.json, input);
		}
		delta(DeltaKind.TOOL_CALL, input, choice, true, new ToolCallDelta(call.index, id, name, true), snapshot);
	}

	@Override
	public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
			@Nullable JsonNode content) {
		ChoiceState.ServerToolState call = choice(choice).serverToolCall(index, toolUseId);
		if (call.name == null) {
			call.name = type;
		}
		call.resultType = type;
		call.result = content;
	}

	@Override
	public void citation(int choice, Citation citation) {
		choice(choice).citations.add(citation);
	}

	@Override
	public void finishReason(int choice, String reason, FinishReason normalized) {
		ChoiceState state = choice(choice);
		state.finishReason = reason;
		state.normalizedFinishReason = normalized;
	}

	@Override
	public void unrecognized(String what) {
		if (this.unrecognized.isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Stream " + this.context.streamId() + " from " + this.context.provider()
					+ ": skipped a part it does not understand (" + what + "); further ones are only counted, in the"
					+ " response metadata 'stream.unrecognized'");
		}
		this.unrecognized.merge(what, 1, Integer::sum);
	}

	@Override
	public void usage(Usage usage) {
		Usage total = this.usage.report(usage);
		this.emitter.usage(total, this.usage.estimated(), this.usage.confidence());
	}

	@Override
	public void resumePosition(@Nullable String responseId, long sequenceNumber) {
		this.sequenceNumber = sequenceNumber;
	}

	@Override
	public void metadata(String key, Object value) {
		this.metadata.put(key, value);
	}

	/**
	 * The SSE event id of an event the stream carried, kept as where the stream got to.
	 * @param id the event's id
	 */
	void eventId(String id) {
		this.lastEventId = id;
	}

	private void delta(DeltaKind kind, String text, int choice, boolean json, @Nullable ToolCallDelta toolCall) {
		delta(kind, text, choice, json, toolCall, null);
	}

	private void delta(DeltaKind kind, String text, int choice, boolean json, @Nullable ToolCallDelta toolCall,
			@Nullable JsonSnapshot snapshot) {
		this.timings.delta(text);
		this.usage.delta(kind, choice, text, (toolCall != null) ? toolCall.name() : null);
		this.emitter.delta(kind, text, choice, json, toolCall, snapshot);
	}

	/** A snapshot of a tool call's arguments: never fails the stream. */
	private static @Nullable JsonSnapshot argumentsSnapshot(JsonStreamHandler handler, String arguments) {
		try {
			return handler.append(arguments);
		}
		catch (JsonStreamException ex) {
			// the arguments are delivered as text whatever they are
			return null;
		}
	}

	private StreamParseException invalidJson(int choice, JsonStreamException ex) {
		return new StreamParseException(this.context.provider(),
				"the JSON answer" + ((this.choices.size() > 1) ? " of choice " + choice : "")
						+ " is not valid JSON at char offset " + ex.offset() + ": " + ex.reason(),
				null, ex.offset());
	}

	/**
	 * The answer's text ended (the provider's end marker, or the end of the body): with
	 * the JSON stream handler on, each choice's value is finished, processed by the
	 * options' {@link JsonProcessor} and checked against the request's JSON schema. Done
	 * once; nothing to do with the handler off.
	 * @throws StreamParseException when a choice's text is not valid JSON (invalid,
	 * truncated or without a value) or, with {@code failOnSchemaViolation}, a
	 * {@link JsonSchemaViolationException}
	 * @throws EventProcessorException when the options' {@link JsonProcessor} throws or
	 * returns {@code null}
	 */
	void finishJson() {
		if (!this.answerHandlers || this.jsonFinished) {
			return;
		}
		this.jsonFinished = true;
		for (ChoiceState state : this.choices) {
			JsonStreamHandler handler = state.json;
			if (handler == null) {
				// a choice without text (a refusal, tool calls only)
				continue;
			}
			JsonOutcome outcome = handler.finish();
			JsonStreamException error = outcome.error();
			if (error != null || outcome.value() == null) {
				throw invalidJson(state.index,
						(error != null) ? error : new JsonStreamException("no JSON value", handler.length()));
			}
			state.jsonDuplicates = outcome.duplicates();
			state.jsonValue = process(outcome.value());
			state.schemaViolations = violations(state.jsonValue);
			if (!state.schemaViolations.isEmpty() && this.context.options().failOnSchemaViolation()) {
				throw new JsonSchemaViolationException(this.context.provider(), state.schemaViolations);
			}
		}
	}

	private JsonNode process(JsonNode value) {
		JsonProcessor processor = this.context.options().jsonProcessor();
		if (processor == null) {
			return value;
		}
		JsonNode processed;
		try {
			processed = processor.apply(value);
		}
		catch (RuntimeException ex) {
			throw new EventProcessorException(this.context.provider(), this.context.streamId(), ex);
		}
		if (processed == null) {
			throw new EventProcessorException(this.context.provider(), this.context.streamId(),
					new NullPointerException("the JsonProcessor returned null"));
		}
		return processed;
	}

	/** What breaks the request's JSON schema, empty without one. */
	private List<String> violations(JsonNode value) {
		ResponseFormat format = this.context.request().responseFormat();
		if (format == null || format.type() != ResponseFormat.Type.JSON_SCHEMA || format.schema() == null) {
			return List.of();
		}
		Schema schema = this.schema;
		if (schema == null) {
			try {
				JsonNode node = this.context.mapper().valueToTree(format.schema());
				schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
			}
			catch (RuntimeException ex) {
				// the provider accepted the schema; a validator that cannot read it
				// reports nothing rather than failing the answer
				if (logger.isDebugEnabled()) {
					logger.debug("Stream " + this.context.streamId() + ": the response_format schema could not be"
							+ " read for validation (" + ex.getClass().getName() + ")");
				}
				return List.of();
			}
			this.schema = schema;
		}
		List<Error> errors = schema.validate(value);
		if (errors.isEmpty()) {
			return List.of();
		}
		List<String> messages = new ArrayList<>(errors.size());
		for (Error error : errors) {
			messages.add(error.toString());
		}
		return messages;
	}

	private ChoiceState choice(int index) {
		if (index < 0 || index > MAX_CHOICE_INDEX) {
			throw new StreamParseException(this.context.provider(), "choice index out of range: " + index, null);
		}
		while (this.choices.size() <= index) {
			this.choices.add(new ChoiceState(this.choices.size()));
		}
		return this.choices.get(index);
	}

	/**
	 * The text of choice 0 so far.
	 * @return the text, empty when none arrived
	 */
	String text() {
		return this.choices.isEmpty() ? "" : this.choices.get(0).text.toString();
	}

	/**
	 * The last sequence number received.
	 * @return the sequence number, or -1 when none arrived
	 */
	long sequenceNumber() {
		return this.sequenceNumber;
	}

	/**
	 * The last SSE event id received.
	 * @return the id, or {@code null} when none arrived
	 */
	@Nullable String lastEventId() {
		return this.lastEventId;
	}

	/**
	 * Counts what the choices gathered, for a usage estimate made at the end.
	 * @param aggregator the aggregator
	 */
	void countInto(UsageAggregator aggregator) {
		for (ChoiceState choice : this.choices) {
			choice.countInto(aggregator);
		}
	}

	/**
	 * How far the answer got, for a provider to continue it.
	 * @param deltas the deltas delivered
	 * @return the progress
	 */
	StreamProgress progress(int deltas) {
		boolean toolCalls = false;
		boolean reasoning = false;
		boolean refusal = false;
		int withDeltas = 0;
		for (ChoiceState choice : this.choices) {
			// a tool the provider ran is a tool call delta too: a text prefill cannot
			// continue it
			boolean calls = !choice.toolCalls.isEmpty() || !choice.serverToolCalls.isEmpty();
			toolCalls |= calls;
			reasoning |= choice.reasoning.length() > 0;
			refusal |= choice.refusal != null;
			if (choice.text.length() > 0 || calls || choice.reasoning.length() > 0 || choice.refusal != null) {
				withDeltas++;
			}
		}
		return new StreamProgress(this.responseId, this.sequenceNumber, text(), deltas, withDeltas, toolCalls,
				reasoning, refusal);
	}

	/**
	 * The response as assembled so far.
	 * @param withContent whether to include the text, reasoning, refusal and tool calls
	 * ({@code false} for the partial response of an error when the options do not
	 * preserve it)
	 * @param failed whether the stream failed, so that a choice without a finish reason
	 * gets {@link FinishReason#ERROR}
	 * @param metrics the stream's timing figures
	 * @param reading what the stream's SSE framing counted
	 * @return the response
	 */
	StreamingResponse response(boolean withContent, boolean failed, StreamingMetrics metrics, Reading reading) {
		List<Choice> assembled = new ArrayList<>(this.choices.size());
		if (withContent) {
			for (ChoiceState state : this.choices) {
				assembled.add(state.toChoice(failed, json(state)));
			}
		}
		Choice first = assembled.isEmpty()
				? new Choice(0, "", null, "", null, failed ? FinishReason.ERROR : null, List.of(), List.of(), List.of())
				: assembled.get(0);
		String model = (this.responseModel != null) ? this.responseModel : this.context.model();
		Usage usage = this.usage.usage();
		boolean estimated = this.usage.estimated();
		return new StreamingResponse(this.responseId, this.context.provider(), model, first.text(), first.refusal(),
				first.reasoning(), (withContent) ? first.finishReason() : null,
				(withContent || failed) ? first.normalizedFinishReason() : null, first.toolCalls(),
				first.serverToolCalls(), first.citations(), assembled, usage, estimated, cost(model, usage, estimated),
				first.json(), metrics, metadata(reading), jsonResult(first));
	}

	/** A choice's JSON value: the handler's, else the final text parsed. */
	private @Nullable JsonNode json(ChoiceState state) {
		if (this.answerHandlers) {
			return state.jsonValue;
		}
		return parseJson(state.text.toString());
	}

	private @Nullable JsonResult jsonResult(Choice first) {
		JsonNode value = first.json();
		if (value == null) {
			return null;
		}
		ChoiceState state = this.choices.get(0);
		return new JsonResult(value, state.jsonDuplicates, state.schemaViolations, this.context.mapper());
	}

	/**
	 * The provider's metadata, with the stream's own counts where there are any:
	 * {@code sequence_number}, {@code reconnects}, {@code sse.ignored_lines},
	 * {@code sse.invalid_utf8}, {@code stream.unrecognized},
	 * {@code stream.events_after_end}, and, for a JSON answer, {@code json.duplicates}
	 * (all choices) and {@code json.schema_violations} (choice 0).
	 */
	private Map<String, Object> metadata(Reading reading) {
		int duplicates = 0;
		for (ChoiceState state : this.choices) {
			duplicates += state.jsonDuplicates;
		}
		List<String> violations = this.choices.isEmpty() ? List.of() : this.choices.get(0).schemaViolations;
		if (this.sequenceNumber < 0 && reading.reconnects() == 0 && reading.ignoredLines() == 0
				&& reading.invalidUtf8() == 0 && this.unrecognized.isEmpty() && reading.eventsAfterEnd() == 0
				&& duplicates == 0 && violations.isEmpty()) {
			return this.metadata;
		}
		Map<String, Object> meta = new LinkedHashMap<>(this.metadata);
		if (duplicates > 0) {
			meta.put("json.duplicates", duplicates);
		}
		if (!violations.isEmpty()) {
			meta.put("json.schema_violations", violations);
		}
		if (this.sequenceNumber >= 0) {
			meta.put("sequence_number", this.sequenceNumber);
		}
		if (reading.reconnects() > 0) {
			meta.put("reconnects", reading.reconnects());
		}
		if (reading.ignoredLines() > 0) {
			meta.put("sse.ignored_lines", reading.ignoredLines());
		}
		if (reading.invalidUtf8() > 0) {
			meta.put("sse.invalid_utf8", reading.invalidUtf8());
		}
		if (!this.unrecognized.isEmpty()) {
			meta.put("stream.unrecognized", Map.copyOf(this.unrecognized));
		}
		if (reading.eventsAfterEnd() > 0) {
			meta.put("stream.events_after_end", reading.eventsAfterEnd());
		}
		return meta;
	}

	/**
	 * Cost of the usage so far; the model the provider reported first, else the one asked
	 * for.
	 */
	private @Nullable BigDecimal cost(String model, @Nullable Usage usage, boolean estimated) {
		if (usage == null) {
			return null;
		}
		String provider = this.context.provider();
		Optional<Cost> cost = this.context.costCalculator().cost(provider, model, usage, estimated);
		if (cost.isEmpty() && !model.equals(this.context.model())) {
			cost = this.context.costCalculator().cost(provider, this.context.model(), usage, estimated);
		}
		return cost.map(Cost::usd).orElse(null);
	}

	private @Nullable JsonNode parseJson(String text) {
		if (!this.jsonAnswer || text.isBlank()) {
			return null;
		}
		try {
			return this.context.mapper().readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * What the SSE framing of a stream's attempts counted, for the response metadata.
	 *
	 * @param reconnects continuation attempts made (resumes and prefills)
	 * @param ignoredLines SSE lines with an unknown field name, ignored
	 * @param invalidUtf8 malformed UTF-8 sequences replaced by U+FFFD
	 * @param eventsAfterEnd SSE events that followed the provider's end marker, ignored
	 */
	record Reading(int reconnects, int ignoredLines, int invalidUtf8, int eventsAfterEnd) {

	}

}
