package io.steer.llm.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Choice;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.Cost;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.retry.RetryState;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import io.steer.llm.usage.UsageAggregator;
import io.steer.llm.usage.UsageAggregators;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * State of one stream across its HTTP attempts: turns each attempt's body into events and
 * assembles the response. Delta chunk indexes, the text, usage and metrics run on across
 * attempts, so that a retried, resumed or continued stream reads as one.
 * <p>
 * An attempt that fails does not emit an error event: it records its failure (see
 * {@link #failure()}) and ends its events with {@link #ATTEMPT_FAILED}, so that
 * {@link StreamExchange} can decide to retry or to {@link #finish(SteerLLMException)
 * finish}. The {@link StreamStartEvent} of an attempt is held back until the attempt
 * emits another event, so that a retried stream has one start event.
 * <p>
 * Thread-safe: the entry points are synchronized, since timers (connect and total
 * timeouts) and cancellation act from other threads than the connection's.
 */
final class StreamSession implements StreamDeltaListener, Consumer<SseEvent> {

	private static final Log logger = LogFactory.getLog(StreamSession.class);

	/**
	 * Marks the end of a failed attempt's events; never delivered to a subscriber.
	 */
	static final StreamEvent ATTEMPT_FAILED = new StreamErrorEvent("",
			new StreamInterruptedException(null, "attempt failed", null), StreamErrorType.INTERRUPTED, true,
			new StreamingResponse(null, "", "", "", null, "", null, null, List.of(), List.of(), List.of(), List.of(),
					null, false, null, null, new StreamingMetrics(0, 0, 0, null, 0, 0), Map.of()),
			Instant.EPOCH);

	private final String streamId;

	private final ProviderAdapter adapter;

	private final String model;

	private final ChatRequest request;

	private final StreamingOptions options;

	private final ObjectMapper mapper;

	private final CostCalculator costCalculator;

	private final boolean jsonAnswer;

	private final long startNanos;

	/** Decoder of the current attempt's body. */
	private SseDecoder decoder;

	/** The bytes of the network read being decoded; grown to the largest read. */
	private byte[] bytes = new byte[0];

	private final @Nullable UsageAggregator aggregator;

	/**
	 * Whether deltas are counted as they arrive, rather than only when an estimate is
	 * needed.
	 */
	private final boolean countAsDeltasArrive;

	private @Nullable StreamParser parser;

	private List<StreamEvent> out = new ArrayList<>();

	private final List<ChoiceState> choices = new ArrayList<>(1);

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	private @Nullable String responseId;

	private @Nullable String responseModel;

	private @Nullable Usage usage;

	private boolean usageEstimated;

	/** Whether a usage event carrying {@link #usage} was emitted. */
	private boolean usageEmitted;

	private int chunkIndex;

	private long totalChars;

	private long firstDeltaNanos = -1;

	private long sequenceNumber = -1;

	private @Nullable String lastEventId;

	/** Whether the final event was produced or the subscriber cancelled. */
	private boolean terminated;

	/** HTTP attempts made, the current one included. */
	private int attempts;

	/** Whether the current attempt received a 2xx response. */
	private boolean attemptStarted;

	/** Why the current attempt failed, {@code null} while it has not. */
	private @Nullable SteerLLMException failure;

	/**
	 * The failure that made the stream continue, for when the continuation is refused.
	 */
	private @Nullable SteerLLMException interruption;

	private @Nullable StreamStartEvent pendingStart;

	private boolean startEmitted;

	/** Continuation attempts made (resumes and prefills). */
	private int reconnects;

	/** Text a prefill continuation may repeat at its start, {@code null} once passed. */
	private @Nullable String overlap;

	/**
	 * Usage of the responses a prefill continued (reported or estimated), {@code null} if
	 * none.
	 */
	private @Nullable Usage priorUsage;

	private boolean priorUsageEstimated;

	/**
	 * Usage the provider reported for the current response, {@code null} until it does.
	 */
	private @Nullable Usage segmentUsage;

	/**
	 * Length of the text of choice 0 when the current response began (after a prefill).
	 */
	private int segmentStart;

	/** SSE lines ignored by the decoders of earlier attempts. */
	private int ignoredLines;

	/** Malformed UTF-8 sequences replaced by the decoders of earlier attempts. */
	private int invalidUtf8;

	/** Parts of the stream the parser skipped, by description; logged once at DEBUG. */
	private final Map<String, Integer> unrecognized = new LinkedHashMap<>();

	/** In a resumed attempt, the sequence number it resumes after; else -1. */
	private long resumedAfter = -1;

	/**
	 * Whether the current event repeats one received before the resume (and is skipped).
	 */
	private boolean replayed;

	/**
	 * Whether the parser read the provider's end-of-stream marker in the current attempt:
	 * the stream completes once the buffer that held it is read, whatever the body does
	 * next.
	 */
	private boolean ended;

	/** SSE events that followed the end marker in the buffers read, ignored. */
	private int eventsAfterEnd;

	/** Told of each complete SSE event of the current attempt. */
	private Runnable onEvent = () -> {
	};

	StreamSession(String streamId, ProviderAdapter adapter, String model, ChatRequest request, StreamingOptions options,
			ObjectMapper mapper, CostCalculator costCalculator) {
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

	/**
	 * Begins an HTTP attempt: a fresh body decoder and no failure. For a retry (no
	 * continuation) everything the failed attempt read is forgotten, as no delta was
	 * delivered; a {@linkplain Continuation.Kind#RESUME resume} keeps the parser, which
	 * reads on; a {@linkplain Continuation.Kind#PREFILL prefill} closes the usage of the
	 * response it continues and gets a new parser.
	 * @param continuation how the attempt continues the stream, or {@code null} for the
	 * first attempt and for retries
	 * @param onEvent called for each complete SSE event of the attempt's body (before it
	 * is parsed), and for each buffer that completed a comment line
	 * ({@code : keep-alive}), as activity for the read timeout
	 */
	synchronized void beginAttempt(@Nullable Continuation continuation, Runnable onEvent) {
		this.onEvent = onEvent;
		boolean previousStarted = this.attemptStarted;
		this.attempts++;
		this.attemptStarted = false;
		this.failure = null;
		this.ended = false;
		if (this.attempts == 1) {
			return;
		}
		this.out = new ArrayList<>();
		this.ignoredLines += this.decoder.ignoredLines();
		this.invalidUtf8 += this.decoder.invalidUtf8();
		this.decoder = new SseDecoder(this.options.maxEventSize());
		if (continuation == null) {
			resetForRetry();
		}
		else {
			this.reconnects++;
			this.resumedAfter = (continuation.kind() == Continuation.Kind.RESUME) ? this.sequenceNumber : -1;
			this.replayed = false;
			if (continuation.kind() == Continuation.Kind.PREFILL) {
				if (previousStarted) {
					closeSegment();
				}
				this.parser = null;
				this.overlap = continuation.overlap().isEmpty() ? null : continuation.overlap();
			}
		}
	}

	private void resetForRetry() {
		this.parser = null;
		this.resumedAfter = -1;
		this.replayed = false;
		this.pendingStart = null;
		this.choices.clear();
		this.metadata.clear();
		this.unrecognized.clear();
		this.responseId = null;
		this.responseModel = null;
		this.usage = null;
		this.usageEstimated = false;
		this.usageEmitted = false;
		this.segmentUsage = null;
		this.sequenceNumber = -1;
		this.lastEventId = null;
	}

	/**
	 * Adds the usage of the response a prefill continues to {@link #priorUsage}: as the
	 * provider reported it, else estimated from its text and the prompt.
	 */
	private void closeSegment() {
		Usage segment = this.segmentUsage;
		boolean estimated = false;
		if (segment == null) {
			UsageAggregator estimator = UsageAggregators.create(this.options, this.adapter.name(), this.model,
					this.request);
			if (estimator != null) {
				estimator.addCompletion(0, text().substring(Math.min(this.segmentStart, text().length())));
				segment = estimator.estimate();
				estimated = true;
			}
		}
		if (segment != null) {
			this.priorUsage = (this.priorUsage != null) ? this.priorUsage.plus(segment) : segment;
			this.priorUsageEstimated |= estimated;
		}
		this.segmentUsage = null;
		this.usage = null;
		this.usageEstimated = false;
		this.usageEmitted = false;
		this.segmentStart = text().length();
	}

	/**
	 * The provider answered the current attempt with a 2xx status: its stream begins. The
	 * start event is held back until the attempt emits another event, and emitted once
	 * per stream.
	 * @param requestId the provider's request id, or {@code null}
	 * @param httpStatus the status
	 */
	synchronized void start(@Nullable String requestId, int httpStatus) {
		this.attemptStarted = true;
		if (this.parser == null) {
			this.parser = this.adapter.createParser(this.request, this);
		}
		if (!this.startEmitted) {
			Map<String, Object> meta = new LinkedHashMap<>(this.request.metadata());
			meta.put("http.status", httpStatus);
			this.pendingStart = new StreamStartEvent(this.streamId, this.adapter.name(), this.model, requestId,
					Instant.now(), meta);
		}
	}

	/**
	 * Reads one buffer of the body and releases it. When the buffer holds the provider's
	 * end marker, the stream completes with it: the complete event is the last of the
	 * returned events, and the rest of the buffer is read only to count the SSE events
	 * that followed the marker ({@code stream.events_after_end} in the response
	 * metadata); a failure there (such as an oversized event) is ignored too.
	 * @return the events it completed, ending with the complete event when the stream
	 * ended, or with {@link #ATTEMPT_FAILED} when the attempt failed
	 */
	synchronized List<StreamEvent> onData(DataBuffer buffer) {
		try {
			if (this.terminated || this.failure != null) {
				return List.of();
			}
			int comments = this.decoder.commentLines();
			// copied straight into an array: readableByteBuffers() allocates a view, an
			// array of views and an iterator for every network read
			int length = buffer.readableByteCount();
			if (this.bytes.length < length) {
				this.bytes = new byte[Math.max(length, Math.min(this.bytes.length * 2, 8192))];
			}
			buffer.read(this.bytes, 0, length);
			this.decoder.decode(this.bytes, 0, length, this);
			if (this.decoder.commentLines() != comments) {
				// whole keep-alive comment lines are activity too, as a proxy's way of
				// waiting
				this.onEvent.run();
			}
		}
		catch (RuntimeException ex) {
			if (!this.ended) {
				failAttempt(ex);
			}
			// else: bytes after the end marker, ignored
		}
		finally {
			DataBufferUtils.release(buffer);
		}
		if (this.ended && !this.terminated && this.failure == null) {
			this.out.add(complete());
		}
		return drain();
	}

	@Override
	public void accept(SseEvent event) {
		if (this.terminated || this.failure != null) {
			return;
		}
		if (this.ended) {
			this.eventsAfterEnd++;
			return;
		}
		this.onEvent.run();
		String id = event.id();
		if (id != null) {
			this.lastEventId = id;
		}
		this.parser.onEvent(event);
		if (this.parser.isComplete()) {
			this.ended = true;
		}
	}

	/**
	 * The body ended.
	 * @return the closing events: complete, or {@link #ATTEMPT_FAILED} when the stream
	 * was cut short
	 */
	synchronized List<StreamEvent> onEndOfBody() {
		if (this.terminated || this.failure != null) {
			return List.of();
		}
		try {
			this.decoder.end();
			this.parser.onEndOfBody();
			this.out.add(complete());
		}
		catch (RuntimeException ex) {
			failAttempt(ex);
		}
		return drain();
	}

	/**
	 * The current attempt failed outside the body parsing: an HTTP error, a connection
	 * failure, a timeout. The first failure of an attempt counts.
	 * @param error the failure
	 */
	synchronized void recordFailure(Throwable error) {
		if (!this.terminated && this.failure == null) {
			this.failure = translate(error);
		}
	}

	/**
	 * Why the current attempt failed.
	 * @return the failure, or {@code null} when the attempt has not failed
	 */
	synchronized @Nullable SteerLLMException failure() {
		return this.failure;
	}

	/**
	 * Whether the final event was produced or the subscriber cancelled.
	 * @return {@code true} once the stream has ended
	 */
	synchronized boolean isTerminated() {
		return this.terminated;
	}

	/**
	 * How far the stream got, for a provider to continue it.
	 * @return the progress
	 */
	synchronized StreamProgress progress() {
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
		return new StreamProgress(this.responseId, this.sequenceNumber, text(), this.chunkIndex, withDeltas, toolCalls,
				reasoning, refusal);
	}

	/**
	 * Remembers the failure that made the stream continue (the first one), so that a
	 * refused continuation ends the stream with it.
	 * @param failure the failure
	 */
	synchronized void continuing(SteerLLMException failure) {
		if (this.interruption == null) {
			this.interruption = failure;
		}
	}

	/**
	 * The exception a failed stream ends with: the last failure, except that when a
	 * continuation was refused (an HTTP error answered it) the failure that broke the
	 * stream is reported, with the refusal suppressed.
	 * @param last the last attempt's failure
	 * @return the exception to end the stream with
	 */
	synchronized SteerLLMException finalError(SteerLLMException last) {
		SteerLLMException interruption = this.interruption;
		if (interruption != null && interruption != last && last instanceof ProviderHttpException) {
			interruption.addSuppressed(last);
			return interruption;
		}
		return last;
	}

	/**
	 * Records where the stream got to in its retry state.
	 * @param state the state
	 */
	synchronized void recordProgress(RetryState state) {
		state.recordProgress(this.responseId, this.sequenceNumber, this.lastEventId, text());
	}

	/**
	 * Ends the stream with a failure: the held-back start event, if the last attempt got
	 * a response; then, when the stream began (a start event was emitted), a usage event,
	 * as a complete stream has: the provider's usage if it was not emitted yet, else,
	 * when deltas were delivered, the estimate made now (with its confidence); none when
	 * the provider's was emitted already or nothing was generated; then the error event.
	 * @param error the failure
	 * @return the events, empty when the stream had already ended
	 */
	synchronized List<StreamEvent> finish(SteerLLMException error) {
		if (this.terminated) {
			return List.of();
		}
		List<StreamEvent> events = new ArrayList<>(3);
		if (this.pendingStart != null) {
			events.add(this.pendingStart);
			this.pendingStart = null;
			this.startEmitted = true;
		}
		if (this.startEmitted) {
			StreamUsageEvent usage = usageAtFailure();
			if (usage != null) {
				events.add(usage);
			}
		}
		events.add(errorEvent(error));
		return events;
	}

	/**
	 * The usage event of a failed stream: the usage known (the provider's, or the sum
	 * with an estimate after a prefill) when no event carried it yet; else, once a delta
	 * was delivered (something was generated), the estimate; else none. A stream that
	 * failed before any delta (a rate limit or quota error as its first event, a stall)
	 * gets no estimated usage event: its partial response still carries the estimate.
	 */
	private @Nullable StreamUsageEvent usageAtFailure() {
		if (this.usage == null) {
			estimateUsageIfMissing(false);
			if (this.chunkIndex == 0) {
				return null;
			}
		}
		if (this.usage == null || this.usageEmitted) {
			return null;
		}
		this.usageEmitted = true;
		return new StreamUsageEvent(this.streamId, this.usage, this.usageEstimated, confidence(), Instant.now());
	}

	/** How far {@link #usage} can be trusted: 1 for the provider's own count. */
	private double confidence() {
		return (!this.usageEstimated) ? 1.0 : (this.aggregator != null) ? this.aggregator.confidence() : 0.5;
	}

	/**
	 * The subscriber cancelled: the stream ends without a final event, its usage
	 * estimated when the provider has not reported it.
	 * @return what the stream produced, or {@code null} when it had already ended
	 */
	synchronized @Nullable StreamingResponse onCancel() {
		if (this.terminated) {
			return null;
		}
		this.terminated = true;
		estimateUsageIfMissing(false);
		return response(true);
	}

	private SteerLLMException translate(Throwable error) {
		return Failures.translate(error, this.adapter, this.options, this.attemptStarted);
	}

	/** A failure while reading the body: recorded, and the attempt's events end. */
	private void failAttempt(RuntimeException ex) {
		if (!this.terminated && this.failure == null) {
			this.failure = translate(ex);
			this.out.add(ATTEMPT_FAILED);
		}
	}

	private StreamErrorEvent errorEvent(SteerLLMException error) {
		this.terminated = true;
		estimateUsageIfMissing(false);
		StreamingResponse partial = response(this.options.preservePartialResponse(), true);
		error.attachPartialResponse(partial);
		warnMalformedInput();
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
		if (this.pendingStart != null && this.out.get(0) != ATTEMPT_FAILED) {
			this.out.add(0, this.pendingStart);
			this.pendingStart = null;
			this.startEmitted = true;
		}
		List<StreamEvent> events = this.out;
		this.out = new ArrayList<>();
		return events;
	}

	private StreamCompleteEvent complete() {
		this.terminated = true;
		estimateUsageIfMissing(true);
		StreamingResponse response = response(true);
		warnMalformedInput();
		if (this.options.logStreamingMetrics() && logger.isInfoEnabled()) {
			logger.info("Stream " + this.streamId + " " + this.adapter.name() + "/" + response.model() + ": "
					+ response.metrics());
		}
		return new StreamCompleteEvent(this.streamId, this.chunkIndex, response.metrics().durationMs(), this.usage,
				response, Instant.now());
	}

	/**
	 * Warns, once per stream, that SSE lines with an unknown field were ignored (WHATWG
	 * rules): a malformed {@code data:} line loses what it carried, so this must not pass
	 * silently; and, once per stream too, that malformed UTF-8 was replaced by U+FFFD.
	 */
	private void warnMalformedInput() {
		int ignored = this.ignoredLines + this.decoder.ignoredLines();
		if (ignored > 0 && logger.isWarnEnabled()) {
			logger.warn("Stream " + this.streamId + " from " + this.adapter.name() + ": ignored " + ignored
					+ " SSE line(s) with an unknown field name (malformed lines); whatever they carried is missing."
					+ " The count is in the response metadata 'sse.ignored_lines'");
		}
		int invalid = this.invalidUtf8 + this.decoder.invalidUtf8();
		if (invalid > 0 && logger.isWarnEnabled()) {
			logger.warn("Stream " + this.streamId + " from " + this.adapter.name() + ": replaced " + invalid
					+ " malformed UTF-8 sequence(s) with U+FFFD; the text holds U+FFFD where the provider sent"
					+ " bytes that are not UTF-8. The count is in the response metadata 'sse.invalid_utf8'");
		}
	}

	/**
	 * When the provider sent no usage, takes the aggregator's estimate, and emits it as
	 * an estimated usage event when the stream completed.
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
			this.usageEmitted = true;
			this.out.add(
					new StreamUsageEvent(this.streamId, this.usage, true, this.aggregator.confidence(), Instant.now()));
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
		if (this.replayed) {
			return;
		}
		if (this.overlap != null) {
			text = dropOverlap(text);
			if (text.isEmpty()) {
				return;
			}
		}
		choice(choice).text.append(text);
		delta(DeltaKind.TEXT, text, choice, this.jsonAnswer, null);
	}

	@Override
	public void reasoning(int choice, String text) {
		if (this.replayed) {
			return;
		}
		choice(choice).reasoning.append(text);
		delta(DeltaKind.REASONING, text, choice, false, null);
	}

	@Override
	public void refusal(int choice, String text) {
		if (this.replayed) {
			return;
		}
		ChoiceState state = choice(choice);
		if (state.refusal == null) {
			state.refusal = new StringBuilder();
		}
		state.refusal.append(text);
		delta(DeltaKind.REFUSAL, text, choice, false, null);
	}

	@Override
	public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
		if (this.replayed) {
			return;
		}
		ChoiceState.ToolCallState call = choice(choice).toolCalls.computeIfAbsent(index,
				ChoiceState.ToolCallState::new);
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
	public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
		if (this.replayed) {
			return;
		}
		ChoiceState.ServerToolState call = choice(choice).serverToolCall(index, id);
		if (call.id == null && id != null) {
			call.id = id;
		}
		if (call.name == null && name != null) {
			call.name = name;
		}
		call.input.append(input);
		delta(DeltaKind.TOOL_CALL, input, choice, true, new ToolCallDelta(call.index, id, name, true));
	}

	@Override
	public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
			@Nullable JsonNode content) {
		if (this.replayed) {
			return;
		}
		ChoiceState.ServerToolState call = choice(choice).serverToolCall(index, toolUseId);
		if (call.name == null) {
			call.name = type;
		}
		call.resultType = type;
		call.result = content;
	}

	@Override
	public void citation(int choice, Citation citation) {
		if (this.replayed) {
			return;
		}
		choice(choice).citations.add(citation);
	}

	@Override
	public void finishReason(int choice, String reason, FinishReason normalized) {
		if (this.replayed) {
			return;
		}
		ChoiceState state = choice(choice);
		state.finishReason = reason;
		state.normalizedFinishReason = normalized;
	}

	@Override
	public void unrecognized(String what) {
		if (this.replayed) {
			return;
		}
		if (this.unrecognized.isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Stream " + this.streamId + " from " + this.adapter.name() + ": skipped a part it does not"
					+ " understand (" + what + "); further ones are only counted, in the response metadata"
					+ " 'stream.unrecognized'");
		}
		this.unrecognized.merge(what, 1, Integer::sum);
	}

	@Override
	public void usage(Usage usage) {
		if (this.replayed) {
			return;
		}
		this.segmentUsage = usage;
		if (this.priorUsage != null) {
			this.usage = this.priorUsage.plus(usage);
			this.usageEstimated = this.priorUsageEstimated;
		}
		else {
			this.usage = usage;
			this.usageEstimated = false;
		}
		this.usageEmitted = true;
		this.out.add(new StreamUsageEvent(this.streamId, this.usage, this.usageEstimated, confidence(), Instant.now()));
	}

	/**
	 * Drops the start of a prefill continuation's text that repeats the overlap
	 * (whitespace the prefill left out), as far as it matches.
	 */
	private String dropOverlap(String text) {
		String overlap = this.overlap;
		int i = 0;
		while (i < text.length() && i < overlap.length() && text.charAt(i) == overlap.charAt(i)) {
			i++;
		}
		if (i == text.length() && i < overlap.length()) {
			this.overlap = overlap.substring(i);
			return "";
		}
		this.overlap = null;
		return text.substring(i);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * In a resumed stream, an event at or before the position resumed after is a repeat
	 * (a provider that ignored {@code starting_after}): what it carries is skipped, so
	 * that no delta is delivered twice.
	 */
	@Override
	public void resumePosition(@Nullable String responseId, long sequenceNumber) {
		if (this.resumedAfter >= 0) {
			this.replayed = sequenceNumber <= this.resumedAfter;
			if (this.replayed) {
				return;
			}
		}
		this.sequenceNumber = sequenceNumber;
	}

	@Override
	public void metadata(String key, Object value) {
		if (this.replayed) {
			return;
		}
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

	/** The text of choice 0 so far. */
	private String text() {
		return this.choices.isEmpty() ? "" : this.choices.get(0).text.toString();
	}

	/**
	 * Everything the stream produced so far.
	 * @param withContent whether to include the text, reasoning, refusal and tool calls
	 * ({@code false} for the partial response of an error when
	 * {@link StreamingOptions#preservePartialResponse()} is off)
	 */
	private StreamingResponse response(boolean withContent) {
		return response(withContent, false);
	}

	private StreamingResponse response(boolean withContent, boolean failed) {
		long now = System.nanoTime();
		double durationMs = (now - this.startNanos) / 1_000_000.0;
		Double ttft = (this.firstDeltaNanos >= 0) ? (this.firstDeltaNanos - this.startNanos) / 1_000_000.0 : null;
		double streamingSeconds = (this.firstDeltaNanos >= 0) ? (now - this.firstDeltaNanos) / 1_000_000_000.0 : 0;
		double charsPerSecond = (streamingSeconds > 0) ? this.totalChars / streamingSeconds : 0;
		StreamingMetrics metrics = new StreamingMetrics(this.chunkIndex, this.totalChars, durationMs, ttft,
				charsPerSecond, Math.max(1, this.attempts));
		List<Choice> assembled = new ArrayList<>(this.choices.size());
		if (withContent) {
			for (ChoiceState state : this.choices) {
				assembled.add(state.toChoice(failed));
			}
		}
		Choice first = assembled.isEmpty()
				? new Choice(0, "", null, "", null, failed ? FinishReason.ERROR : null, List.of(), List.of(), List.of())
				: assembled.get(0);
		Map<String, Object> meta = this.metadata;
		int ignored = this.ignoredLines + this.decoder.ignoredLines();
		int invalid = this.invalidUtf8 + this.decoder.invalidUtf8();
		if (this.sequenceNumber >= 0 || this.reconnects > 0 || ignored > 0 || invalid > 0
				|| !this.unrecognized.isEmpty() || this.eventsAfterEnd > 0) {
			meta = new LinkedHashMap<>(this.metadata);
			if (this.sequenceNumber >= 0) {
				meta.put("sequence_number", this.sequenceNumber);
			}
			if (this.reconnects > 0) {
				meta.put("reconnects", this.reconnects);
			}
			if (ignored > 0) {
				meta.put("sse.ignored_lines", ignored);
			}
			if (invalid > 0) {
				meta.put("sse.invalid_utf8", invalid);
			}
			if (!this.unrecognized.isEmpty()) {
				meta.put("stream.unrecognized", Map.copyOf(this.unrecognized));
			}
			if (this.eventsAfterEnd > 0) {
				meta.put("stream.events_after_end", this.eventsAfterEnd);
			}
		}
		String model = (this.responseModel != null) ? this.responseModel : this.model;
		return new StreamingResponse(this.responseId, this.adapter.name(), model, first.text(), first.refusal(),
				first.reasoning(), (withContent) ? first.finishReason() : null,
				(withContent || failed) ? first.normalizedFinishReason() : null, first.toolCalls(),
				first.serverToolCalls(), first.citations(), assembled, this.usage, this.usageEstimated, cost(model),
				parseJson(first.text()), metrics, meta);
	}

	/**
	 * Cost of the usage so far; the model the provider reported first, else the one asked
	 * for.
	 */
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

}
