package io.steer.llm.assembly;

import java.util.List;
import java.util.function.Consumer;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import io.steer.llm.usage.UsageMeter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One HTTP attempt of a stream, from the bytes of its body to the stream's events: the
 * attempt's {@link SseDecoder} frames the body into SSE events for the provider's
 * {@link StreamParser}, whose calls go through a guard that drops what a continued
 * attempt repeats to the assembler of the answer, which times, meters and emits each
 * delta.
 * <p>
 * A new assembly is made for each attempt: {@link #begin(StreamContext)} for the first,
 * then {@link #retry()} or {@link #continueWith(Continuation)}. A retry (made before any
 * delta) starts the answer afresh, keeping only what spans the stream's attempts (the
 * stream's timings, whether its start event was emitted, the attempt and reconnection
 * counts, the SSE framing's counts). A continuation takes the answer over: its choices
 * and text, chunk indexes and usage, and, for a resume, the parser, which reads on.
 * <p>
 * Not thread-safe: its stream's session calls it under one lock, once per network buffer.
 * Events are collected as they are made and handed out by {@link #drain()}.
 */
public final class StreamAssembly {

	private static final Runnable NO_ACTIVITY = () -> {
	};

	private final StreamContext context;

	/** The attempt's number, 1 for the first. */
	private final int attempt;

	/** Continuation attempts made, this one included (resumes and prefills). */
	private final int reconnects;

	private final StreamTimings timings;

	private final EventEmitter emitter;

	private final UsageMeter usage;

	private final ResponseAssembler response;

	/** The first listener of the parser's chain, made with the parser. */
	private final ContinuationGuard guard;

	/**
	 * The parser, made when the attempt's response begins unless a resume took it over.
	 */
	private @Nullable StreamParser parser;

	private final SseDecoder decoder;

	/** The bytes of the network read being decoded; grown to the largest read. */
	private byte[] bytes = new byte[0];

	/** Feeds the decoder's events to the parser. */
	private final Consumer<SseEvent> toParser = this::accept;

	/** SSE lines ignored by the decoders of earlier attempts. */
	private final int earlierIgnoredLines;

	/** Malformed UTF-8 sequences replaced by the decoders of earlier attempts. */
	private final int earlierInvalidUtf8;

	private Runnable onActivity = NO_ACTIVITY;

	/** Whether the attempt got a response, so that its body is read. */
	private boolean started;

	/**
	 * Whether the parser read the provider's end-of-stream marker: the stream completes
	 * once the buffer that held it is read, whatever the body does next.
	 */
	private boolean ended;

	/** SSE events that followed the end marker in the buffers read, ignored. */
	private int eventsAfterEnd;

	private StreamAssembly(StreamContext context, int attempt, int reconnects, StreamTimings timings,
			EventEmitter emitter, UsageMeter usage, ResponseAssembler response, ContinuationGuard guard,
			@Nullable StreamParser parser, int earlierIgnoredLines, int earlierInvalidUtf8) {
		this.context = context;
		this.attempt = attempt;
		this.reconnects = reconnects;
		this.timings = timings;
		this.emitter = emitter;
		this.usage = usage;
		this.response = response;
		this.guard = guard;
		this.parser = parser;
		this.decoder = new SseDecoder(context.options().maxEventSize());
		this.earlierIgnoredLines = earlierIgnoredLines;
		this.earlierInvalidUtf8 = earlierInvalidUtf8;
	}

	/**
	 * The assembly of a stream's first attempt; the stream's duration is measured from
	 * now.
	 * @param context the stream
	 * @return the assembly
	 */
	public static StreamAssembly begin(StreamContext context) {
		StreamTimings timings = new StreamTimings(context.nanoClock());
		return answer(context, 1, 0, timings, new EventEmitter(context), 0, 0);
	}

	/**
	 * The assembly of the attempt after this one failed before any delta: the answer
	 * starts afresh.
	 * @return the next attempt's assembly
	 */
	public StreamAssembly retry() {
		return answer(this.context, this.attempt + 1, this.reconnects, this.timings, new EventEmitter(this.emitter),
				ignoredLines(), invalidUtf8());
	}

	private static StreamAssembly answer(StreamContext context, int attempt, int reconnects, StreamTimings timings,
			EventEmitter emitter, int ignoredLines, int invalidUtf8) {
		UsageMeter usage = new UsageMeter(context.options(), context.provider(), context.model(), context.request(),
				context.adapter().reportsUsage(context.request()));
		ResponseAssembler response = new ResponseAssembler(context, timings, emitter, usage);
		return new StreamAssembly(context, attempt, reconnects, timings, emitter, usage, response,
				new ContinuationGuard(response), null, ignoredLines, invalidUtf8);
	}

	/**
	 * The assembly of the attempt that continues the answer after this one failed. A
	 * {@linkplain Continuation.Kind#RESUME resume} keeps the parser, which reads on, past
	 * the events it repeats; a {@linkplain Continuation.Kind#PREFILL prefill} gets a new
	 * parser, drops the overlap its text repeats, and, when this attempt got a response,
	 * closes the usage of the response it continues.
	 * @param continuation how the next attempt continues the answer
	 * @return the next attempt's assembly
	 */
	public StreamAssembly continueWith(Continuation continuation) {
		ContinuationGuard guard;
		StreamParser parser;
		if (continuation.kind() == Continuation.Kind.RESUME) {
			this.guard.resumeAfter(this.response.sequenceNumber());
			guard = this.guard;
			parser = this.parser;
		}
		else {
			if (this.started) {
				this.usage.closeSegment(this.response.text());
			}
			guard = new ContinuationGuard(this.response, continuation.overlap());
			parser = null;
		}
		return new StreamAssembly(this.context, this.attempt + 1, this.reconnects + 1, this.timings, this.emitter,
				this.usage, this.response, guard, parser, ignoredLines(), invalidUtf8());
	}

	/**
	 * The attempt got a response (a 2xx status with an event stream): its body is read
	 * next. The stream's start event is held back until the attempt emits another event.
	 * @param requestId the provider's request id, or {@code null}
	 * @param httpStatus the status
	 * @param onActivity called for each complete SSE event of the body (before it is
	 * parsed), and for each buffer that completed a comment line ({@code : keep-alive}),
	 * as activity for the read timeout
	 */
	public void start(@Nullable String requestId, int httpStatus, Runnable onActivity) {
		this.started = true;
		this.onActivity = onActivity;
		if (this.parser == null) {
			this.parser = this.context.adapter().createParser(this.context.request(), this.guard);
		}
		this.emitter.start(requestId, httpStatus);
	}

	/**
	 * Whether the attempt got a response.
	 * @return {@code true} once {@link #start} was called
	 */
	public boolean isStarted() {
		return this.started;
	}

	/**
	 * Reads one buffer of the body and releases it; its events are then
	 * {@linkplain #drain() drained}. When the buffer holds the provider's end marker, the
	 * rest of it is read only to count the SSE events that followed the marker
	 * ({@code stream.events_after_end} in the response metadata); a failure there (such
	 * as an oversized event) is ignored.
	 * @param buffer the buffer
	 * @return {@code true} when the end marker was read: the stream is to
	 * {@linkplain #complete() complete}
	 * @throws RuntimeException when the attempt broke: the data cannot be read (an
	 * oversized event, unreadable JSON) or is the provider's error
	 */
	public boolean read(DataBuffer buffer) {
		try {
			int comments = this.decoder.commentLines();
			// copied straight into an array: readableByteBuffers() allocates a view, an
			// array of views and an iterator for every network read
			int length = buffer.readableByteCount();
			if (this.bytes.length < length) {
				this.bytes = new byte[Math.max(length, Math.min(this.bytes.length * 2, 8192))];
			}
			buffer.read(this.bytes, 0, length);
			this.decoder.decode(this.bytes, 0, length, this.toParser);
			if (this.decoder.commentLines() != comments) {
				// whole keep-alive comment lines are activity too, as a proxy's way of
				// waiting
				this.onActivity.run();
			}
		}
		catch (RuntimeException ex) {
			if (!this.ended) {
				throw ex;
			}
			// else: bytes after the end marker, ignored
		}
		finally {
			DataBufferUtils.release(buffer);
		}
		return this.ended;
	}

	private void accept(SseEvent event) {
		if (this.ended) {
			this.eventsAfterEnd++;
			return;
		}
		this.onActivity.run();
		String id = event.id();
		if (id != null) {
			this.response.eventId(id);
		}
		StreamParser parser = parser();
		parser.onEvent(event);
		if (parser.isComplete()) {
			this.ended = true;
		}
	}

	/**
	 * The body ended: the stream is to {@linkplain #complete() complete}.
	 * @throws RuntimeException when the stream was cut short (the provider's end marker
	 * never came) or its last event cannot be read
	 */
	public void endOfBody() {
		this.decoder.end();
		parser().onEndOfBody();
	}

	/**
	 * The answer's text ended (the end marker was read, or the body ended): with the JSON
	 * stream handler on, each choice's JSON value is finished, before the stream
	 * {@linkplain #complete() completes}.
	 * @throws io.steer.llm.error.StreamParseException when a JSON answer is not valid
	 * JSON or breaks its schema with {@code failOnSchemaViolation}
	 * @throws io.steer.llm.error.EventProcessorException when the options'
	 * {@code JsonProcessor} fails
	 */
	public void endOfAnswer() {
		this.response.finishJson();
	}

	private StreamParser parser() {
		StreamParser parser = this.parser;
		if (parser == null) {
			throw new IllegalStateException("The attempt's response has not started");
		}
		return parser;
	}

	/**
	 * Completes the stream: when the provider sent no usage, the estimate is emitted as a
	 * usage event, then the complete event.
	 * @return the complete event, the last of the events to {@linkplain #drain() drain}
	 */
	public StreamCompleteEvent complete() {
		this.usage.estimateIfMissing(this.response::countInto);
		Usage estimate = this.usage.takeUnemitted();
		if (estimate != null) {
			this.emitter.usage(estimate, this.usage.estimated(), this.usage.confidence());
		}
		return this.emitter.complete(response(true, false));
	}

	/**
	 * Ends the stream with a failure, which gets the partial response attached (its
	 * content only when the options preserve it). The events: the start event held back,
	 * if any; then, when the stream began, a usage event, as a complete stream has: the
	 * usage known if no event carried it yet, else, once a delta was delivered, the
	 * estimate made now (none when nothing was generated: a stream that failed before any
	 * delta still carries the estimate in its partial response); then the error event.
	 * @param error the failure
	 * @return the events, ending with the error event
	 */
	public List<StreamEvent> fail(SteerLLMException error) {
		if (this.emitter.began()) {
			boolean known = this.usage.usage() != null;
			this.usage.estimateIfMissing(this.response::countInto);
			Usage unemitted = (known || this.emitter.chunks() > 0) ? this.usage.takeUnemitted() : null;
			if (unemitted != null) {
				this.emitter.usage(unemitted, this.usage.estimated(), this.usage.confidence());
			}
		}
		this.usage.estimateIfMissing(this.response::countInto);
		StreamingResponse partial = response(this.context.options().preservePartialResponse(), true);
		error.attachPartialResponse(partial);
		this.emitter.error(error, partial);
		return this.emitter.drain();
	}

	/**
	 * The subscriber cancelled: the stream ends without a final event, its usage
	 * estimated when the provider has not reported it.
	 * @return what the stream produced
	 */
	public StreamingResponse cancel() {
		this.usage.estimateIfMissing(this.response::countInto);
		return response(true, false);
	}

	/**
	 * Hands out the events made since the last call, after the stream's start event if it
	 * was held back (an attempt that made no event does not emit it).
	 * @return the events in order, empty when there were none
	 */
	public List<StreamEvent> drain() {
		return this.emitter.drain();
	}

	/**
	 * How far the answer got, for a provider to continue it.
	 * @return the progress
	 */
	public StreamProgress progress() {
		return this.response.progress(this.emitter.chunks());
	}

	/**
	 * The last SSE event id the answer's stream carried.
	 * @return the id, or {@code null} when none did
	 */
	public @Nullable String lastEventId() {
		return this.response.lastEventId();
	}

	/**
	 * The deltas delivered, across attempts.
	 * @return the count
	 */
	public int deltas() {
		return this.emitter.chunks();
	}

	/**
	 * SSE lines with an unknown field name that the stream's decoders ignored (WHATWG
	 * rules), across attempts.
	 * @return the count
	 */
	public int ignoredLines() {
		return this.earlierIgnoredLines + this.decoder.ignoredLines();
	}

	/**
	 * Malformed UTF-8 sequences that the stream's decoders replaced with U+FFFD, across
	 * attempts.
	 * @return the count
	 */
	public int invalidUtf8() {
		return this.earlierInvalidUtf8 + this.decoder.invalidUtf8();
	}

	private StreamingResponse response(boolean withContent, boolean failed) {
		return this.response.response(withContent, failed, this.timings.metrics(this.emitter.chunks(), this.attempt),
				new ResponseAssembler.Reading(this.reconnects, ignoredLines(), invalidUtf8(), this.eventsAfterEnd));
	}

}
