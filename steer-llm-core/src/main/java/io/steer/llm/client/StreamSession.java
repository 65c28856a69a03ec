package io.steer.llm.client;

import java.net.ConnectException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.steer.llm.error.StreamConnectionException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Choice;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.Cost;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import io.steer.llm.usage.UsageAggregator;
import io.steer.llm.usage.UsageAggregators;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * State of one stream: turns the body's bytes into events and assembles the response. Used
 * from one thread at a time, as Reactor delivers signals serially.
 */
final class StreamSession implements StreamDeltaListener, Consumer<SseEvent> {

	private static final Log logger = LogFactory.getLog(StreamSession.class);

	private final String streamId;

	private final ProviderAdapter adapter;

	private final String model;

	private final ChatRequest request;

	private final StreamingOptions options;

	private final ObjectMapper mapper;

	private final CostCalculator costCalculator;

	private final boolean jsonAnswer;

	private final long startNanos;

	private final SseDecoder decoder;

	private final @Nullable UsageAggregator aggregator;

	/** Whether deltas are counted as they arrive, rather than only when an estimate is needed. */
	private final boolean countAsDeltasArrive;

	private @Nullable StreamParser parser;

	private List<StreamEvent> out = new ArrayList<>();

	private final List<ChoiceState> choices = new ArrayList<>(1);

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	private @Nullable String responseId;

	private @Nullable String responseModel;

	private @Nullable Usage usage;

	private boolean usageEstimated;

	private int chunkIndex;

	private long totalChars;

	private long firstDeltaNanos = -1;

	private long sequenceNumber = -1;

	private boolean started;

	private boolean terminated;

	StreamSession(String streamId, ProviderAdapter adapter, String model, ChatRequest request,
			StreamingOptions options, ObjectMapper mapper, CostCalculator costCalculator) {
		this.costCalculator = costCalculator;
		this.streamId = streamId;
		this.adapter = adapter;
		this.model = model;
		this.request = request;
		this.options = options;
		this.mapper = mapper;
		this.jsonAnswer = request.wantsJson();
		this.decoder = new SseDecoder(options.maxEventSize());
		this.aggregator = UsageAggregators.create(options, adapter.name(), model, request);
		this.countAsDeltasArrive = this.aggregator != null && !adapter.reportsUsage(request);
		this.startNanos = System.nanoTime();
	}

	String streamId() {
		return this.streamId;
	}

	StreamStartEvent start(@Nullable String requestId, int httpStatus) {
		this.started = true;
		this.parser = this.adapter.createParser(this.request, this);
		Map<String, Object> meta = new LinkedHashMap<>(this.request.metadata());
		meta.put("http.status", httpStatus);
		return new StreamStartEvent(this.streamId, this.adapter.name(), this.model, requestId, Instant.now(), meta);
	}

	/**
	 * Reads one buffer of the body and releases it.
	 * @return the events it completed, ending with an error event when the stream failed
	 */
	List<StreamEvent> onData(DataBuffer buffer) {
		try {
			if (this.terminated || this.parser.isComplete()) {
				return List.of();
			}
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				while (iterator.hasNext() && !this.terminated) {
					ByteBuffer byteBuffer = iterator.next();
					this.decoder.decode(byteBuffer, this);
				}
			}
		}
		catch (RuntimeException ex) {
			fail(ex);
		}
		finally {
			DataBufferUtils.release(buffer);
		}
		return drain();
	}

	@Override
	public void accept(SseEvent event) {
		if (this.terminated || this.parser.isComplete()) {
			return;
		}
		this.parser.onEvent(event);
	}

	/**
	 * The body ended.
	 * @return the closing events: complete, or error when the stream was cut short
	 */
	List<StreamEvent> onEndOfBody() {
		if (this.terminated) {
			return List.of();
		}
		try {
			this.decoder.end();
			this.parser.onEndOfBody();
			this.out.add(complete());
		}
		catch (RuntimeException ex) {
			fail(ex);
		}
		return drain();
	}

	/**
	 * The exchange failed outside the body parsing (connection, HTTP error, cancellation by a
	 * timeout).
	 * @return the error event
	 */
	StreamErrorEvent onError(Throwable error) {
		return errorEvent(translate(error));
	}

	private SteerLLMException translate(Throwable error) {
		if (error instanceof SteerLLMException ex) {
			return ex;
		}
		String provider = this.adapter.name();
		if (hasCause(error, PrematureCloseException.class) || (this.started && isIoError(error))) {
			return new StreamInterruptedException(provider,
					provider + " connection closed before the stream completed", error);
		}
		if (hasCause(error, ConnectException.class) || isIoError(error)) {
			return new StreamConnectionException(provider, "could not connect to " + provider + " at "
					+ this.adapter.settings().baseUrl() + ": " + rootMessage(error), error);
		}
		if (error instanceof JacksonException) {
			return new StreamParseException(provider, "could not read the " + provider + " stream", error);
		}
		return new StreamInterruptedException(provider, provider + " stream failed: " + rootMessage(error), error);
	}

	private static boolean isIoError(Throwable error) {
		return hasCause(error, java.io.IOException.class)
				|| error instanceof org.springframework.web.reactive.function.client.WebClientRequestException;
	}

	private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private void fail(RuntimeException ex) {
		if (!this.terminated) {
			this.out.add(errorEvent(translate(ex)));
		}
	}

	private StreamErrorEvent errorEvent(SteerLLMException error) {
		this.terminated = true;
		estimateUsageIfMissing(false);
		StreamingResponse partial = response();
		error.attachPartialResponse(partial);
		if (logger.isDebugEnabled()) {
			logger.debug("Stream " + this.streamId + " to " + this.adapter.name() + " failed after " + this.chunkIndex
					+ " deltas: " + error.getMessage());
		}
		return new StreamErrorEvent(this.streamId, error, error.getErrorType(), error.isRetryable(), partial,
				Instant.now());
	}

	private List<StreamEvent> drain() {
		if (this.out.isEmpty()) {
			return List.of();
		}
		List<StreamEvent> events = this.out;
		this.out = new ArrayList<>();
		return events;
	}

	private StreamCompleteEvent complete() {
		this.terminated = true;
		estimateUsageIfMissing(true);
		StreamingResponse response = response();
		if (this.options.logStreamingMetrics() && logger.isInfoEnabled()) {
			logger.info("Stream " + this.streamId + " " + this.adapter.name() + "/" + response.model() + ": "
					+ response.metrics());
		}
		return new StreamCompleteEvent(this.streamId, this.chunkIndex, response.metrics().durationMs(), this.usage,
				response, Instant.now());
	}

	/**
	 * When the provider sent no usage, takes the aggregator's estimate, and emits it as an
	 * estimated usage event when the stream completed.
	 */
	private void estimateUsageIfMissing(boolean emit) {
		if (this.usage != null || this.aggregator == null) {
			return;
		}
		if (!this.countAsDeltasArrive) {
			// the provider was expected to report usage: count what arrived, once
			for (ChoiceState choice : this.choices) {
				choice.countInto(this.aggregator);
			}
		}
		this.usage = this.aggregator.estimate();
		this.usageEstimated = true;
		if (emit) {
			this.out.add(new StreamUsageEvent(this.streamId, this.usage, true, this.aggregator.confidence(),
					Instant.now()));
		}
	}

	// StreamDeltaListener

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
		choice(choice).text.append(text);
		delta(DeltaKind.TEXT, text, choice, this.jsonAnswer, null);
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
		ToolCallState call = choice(choice).toolCalls.computeIfAbsent(index, ToolCallState::new);
		if (call.id == null && id != null) {
			call.id = id;
		}
		if (call.name == null && name != null) {
			call.name = name;
		}
		call.arguments.append(arguments);
		delta(DeltaKind.TOOL_CALL, arguments, choice, true, new ToolCallDelta(index, id, name));
	}

	@Override
	public void finishReason(int choice, String reason) {
		choice(choice).finishReason = reason;
	}

	@Override
	public void usage(Usage usage) {
		this.usage = usage;
		this.usageEstimated = false;
		this.out.add(new StreamUsageEvent(this.streamId, usage, false, 1.0, Instant.now()));
	}

	@Override
	public void resumePosition(@Nullable String responseId, long sequenceNumber) {
		this.sequenceNumber = sequenceNumber;
	}

	@Override
	public void metadata(String key, Object value) {
		this.metadata.put(key, value);
	}

	private void delta(DeltaKind kind, String text, int choice, boolean json, @Nullable ToolCallDelta toolCall) {
		if (this.firstDeltaNanos < 0) {
			this.firstDeltaNanos = System.nanoTime();
		}
		if (this.countAsDeltasArrive) {
			if (kind == DeltaKind.REASONING) {
				this.aggregator.addReasoning(choice, text);
			}
			else {
				if (toolCall != null && toolCall.name() != null) {
					this.aggregator.addToolCall(toolCall.name());
				}
				this.aggregator.addCompletion(choice, text);
			}
		}
		this.totalChars += text.length();
		this.out.add(new StreamDeltaEvent(this.streamId, kind, text, this.chunkIndex++, choice, json, toolCall,
				Instant.now()));
	}

	private ChoiceState choice(int index) {
		if (index < 0 || index > 127) {
			throw new StreamParseException(this.adapter.name(), "choice index out of range: " + index, null);
		}
		while (this.choices.size() <= index) {
			this.choices.add(new ChoiceState(this.choices.size()));
		}
		return this.choices.get(index);
	}

	// Assembly

	StreamingResponse response() {
		long now = System.nanoTime();
		double durationMs = (now - this.startNanos) / 1_000_000.0;
		Double ttft = (this.firstDeltaNanos >= 0) ? (this.firstDeltaNanos - this.startNanos) / 1_000_000.0 : null;
		double streamingSeconds = (this.firstDeltaNanos >= 0) ? (now - this.firstDeltaNanos) / 1_000_000_000.0 : 0;
		double charsPerSecond = (streamingSeconds > 0) ? this.totalChars / streamingSeconds : 0;
		StreamingMetrics metrics = new StreamingMetrics(this.chunkIndex, this.totalChars, durationMs, ttft,
				charsPerSecond, 1);
		List<Choice> assembled = new ArrayList<>(this.choices.size());
		for (ChoiceState state : this.choices) {
			assembled.add(state.toChoice());
		}
		Choice first = assembled.isEmpty() ? new Choice(0, "", null, "", null, List.of()) : assembled.get(0);
		Map<String, Object> meta = this.metadata;
		if (this.sequenceNumber >= 0) {
			meta = new LinkedHashMap<>(this.metadata);
			meta.put("sequence_number", this.sequenceNumber);
		}
		String model = (this.responseModel != null) ? this.responseModel : this.model;
		return new StreamingResponse(this.responseId, this.adapter.name(), model, first.text(), first.refusal(),
				first.reasoning(), first.finishReason(), first.toolCalls(), assembled, this.usage, this.usageEstimated,
				cost(model), parseJson(first.text()), metrics, meta);
	}

	/** Cost of the usage so far; the model the provider reported first, else the one asked for. */
	private @Nullable BigDecimal cost(String model) {
		if (this.usage == null) {
			return null;
		}
		Optional<Cost> cost = this.costCalculator.cost(this.adapter.name(), model, this.usage, this.usageEstimated);
		if (cost.isEmpty() && !model.equals(this.model)) {
			cost = this.costCalculator.cost(this.adapter.name(), this.model, this.usage, this.usageEstimated);
		}
		return cost.map(Cost::usd).orElse(null);
	}

	private @Nullable JsonNode parseJson(String text) {
		if (!this.jsonAnswer || text.isBlank()) {
			return null;
		}
		try {
			return this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static final class ChoiceState {

		private final int index;

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder reasoning = new StringBuilder(0);

		private @Nullable StringBuilder refusal;

		private @Nullable String finishReason;

		private final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();

		ChoiceState(int index) {
			this.index = index;
		}

		void countInto(UsageAggregator aggregator) {
			aggregator.addReasoning(this.index, this.reasoning.toString());
			aggregator.addCompletion(this.index, this.text.toString());
			if (this.refusal != null) {
				aggregator.addCompletion(this.index, this.refusal.toString());
			}
			for (ToolCallState call : this.toolCalls.values()) {
				if (call.name != null) {
					aggregator.addToolCall(call.name);
				}
				aggregator.addCompletion(this.index, call.arguments.toString());
			}
		}

		Choice toChoice() {
			List<ToolCall> calls = new ArrayList<>(this.toolCalls.size());
			for (ToolCallState call : this.toolCalls.values()) {
				calls.add(new ToolCall(call.index, call.id, (call.name != null) ? call.name : "",
						call.arguments.toString()));
			}
			return new Choice(this.index, this.text.toString(),
					(this.refusal != null) ? this.refusal.toString() : null, this.reasoning.toString(),
					this.finishReason, calls);
		}

	}

	private static final class ToolCallState {

		private final int index;

		private @Nullable String id;

		private @Nullable String name;

		private final StringBuilder arguments = new StringBuilder();

		ToolCallState(int index) {
			this.index = index;
		}

	}

}
