package io.steer.llm.client;

import java.util.List;

import io.steer.llm.assembly.StreamAssembly;
import io.steer.llm.assembly.StreamContext;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.retry.RetryState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The lifecycle of one stream across its HTTP attempts: each attempt begins with a new
 * {@link StreamAssembly}, starts when the provider answers, reads its body, and ends
 * completed or failed; the stream ends once, with its final event, or by cancellation.
 * Reading a buffer gives an {@link AttemptResult}: its events, and whether the attempt
 * ended with it.
 * <p>
 * Thread-safe: the entry points are synchronized (one lock entry per network buffer),
 * since timers (connect and total timeouts) and cancellation act from other threads than
 * the connection's.
 */
final class StreamSession {

	private static final Log logger = LogFactory.getLog(StreamSession.class);

	private final StreamContext context;

	/** The current attempt's assembly. */
	private StreamAssembly assembly;

	/** Why the current attempt failed, {@code null} while it has not. */
	private @Nullable SteerLLMException failure;

	/** Whether the final event was produced or the subscriber cancelled. */
	private boolean terminated;

	StreamSession(StreamContext context) {
		this.context = context;
		this.assembly = StreamAssembly.begin(context);
	}

	/**
	 * Begins the attempt after a failed one: a retry starts the answer afresh, as no
	 * delta was delivered; a continuation carries it on.
	 * @param continuation how the attempt continues the stream, or {@code null} for a
	 * retry
	 */
	synchronized void beginAttempt(@Nullable Continuation continuation) {
		this.failure = null;
		this.assembly = (continuation != null) ? this.assembly.continueWith(continuation) : this.assembly.retry();
	}

	/**
	 * The provider answered the current attempt with an event stream: its body is read
	 * next.
	 * @param requestId the provider's request id, or {@code null}
	 * @param httpStatus the status
	 * @param onActivity told of each complete SSE event and comment line, as activity for
	 * the read timeout
	 */
	synchronized void start(@Nullable String requestId, int httpStatus, Runnable onActivity) {
		this.assembly.start(requestId, httpStatus, onActivity);
	}

	/**
	 * Reads one buffer of the current attempt's body and releases it.
	 * @param buffer the buffer
	 * @return its events, ending with the complete event when the stream completed;
	 * nothing once the attempt ended
	 */
	synchronized AttemptResult read(DataBuffer buffer) {
		if (this.terminated || this.failure != null) {
			DataBufferUtils.release(buffer);
			return AttemptResult.NONE;
		}
		try {
			if (!this.assembly.read(buffer)) {
				return AttemptResult.of(this.assembly.drain());
			}
			// a JSON answer that is not valid fails here, as the attempt's failure
			this.assembly.endOfAnswer();
		}
		catch (RuntimeException ex) {
			return failed(ex);
		}
		return complete();
	}

	/**
	 * The current attempt's body ended.
	 * @return the closing events: complete, or a failure when the stream was cut short
	 */
	synchronized AttemptResult endOfBody() {
		if (this.terminated || this.failure != null) {
			return AttemptResult.NONE;
		}
		try {
			this.assembly.endOfBody();
			this.assembly.endOfAnswer();
		}
		catch (RuntimeException ex) {
			return failed(ex);
		}
		return complete();
	}

	private AttemptResult failed(RuntimeException ex) {
		SteerLLMException failure = translate(ex);
		this.failure = failure;
		return AttemptResult.failed(this.assembly.drain(), failure);
	}

	private AttemptResult complete() {
		this.terminated = true;
		StreamCompleteEvent complete = this.assembly.complete();
		warnMalformedInput();
		if (this.context.options().logStreamingMetrics() && logger.isInfoEnabled()) {
			logger.info("Stream " + this.context.streamId() + " " + this.context.provider() + "/"
					+ complete.response().model() + ": " + complete.response().metrics());
		}
		return AttemptResult.of(this.assembly.drain());
	}

	/**
	 * The current attempt failed outside the body: an HTTP error, a connection failure, a
	 * timeout. The first failure of an attempt counts; none counts once the stream ended.
	 * @param error the failure
	 */
	synchronized void fail(Throwable error) {
		if (!this.terminated && this.failure == null) {
			this.failure = translate(error);
		}
	}

	/**
	 * Why the current attempt failed.
	 * @return the failure, or {@code null} when it has not (yet)
	 */
	synchronized @Nullable SteerLLMException failure() {
		return this.failure;
	}

	/**
	 * The current attempt's events ended.
	 * @return why the attempt failed (an attempt that ended with neither the stream's
	 * final event nor a failure failed as interrupted), or {@code null} when the stream
	 * completed
	 */
	synchronized @Nullable SteerLLMException endAttempt() {
		if (this.terminated) {
			return null;
		}
		if (this.failure == null) {
			// defensive: an attempt that ended with neither its final event nor a failure
			this.failure = new StreamInterruptedException(this.context.provider(),
					this.context.provider() + " stream ended without a result", null);
		}
		return this.failure;
	}

	/**
	 * How far the stream got, for a provider to continue it.
	 * @return the progress
	 */
	synchronized StreamProgress progress() {
		return this.assembly.progress();
	}

	/**
	 * Records where the stream got to in its retry state.
	 * @param state the state
	 */
	synchronized void recordProgress(RetryState state) {
		StreamProgress progress = this.assembly.progress();
		state.recordProgress(progress.responseId(), progress.sequenceNumber(), this.assembly.lastEventId(),
				progress.text());
	}

	/**
	 * Ends the stream with a failure (see {@link StreamAssembly#fail}).
	 * @param error the failure
	 * @return the events, ending with the error event; empty when the stream had already
	 * ended
	 */
	synchronized List<StreamEvent> finish(SteerLLMException error) {
		if (this.terminated) {
			return List.of();
		}
		this.terminated = true;
		List<StreamEvent> events = this.assembly.fail(error);
		warnMalformedInput();
		if (logger.isDebugEnabled()) {
			logger.debug("Stream " + this.context.streamId() + " to " + this.context.provider() + " failed after "
					+ this.assembly.deltas() + " deltas: " + error.getMessage());
		}
		return events;
	}

	/**
	 * The subscriber cancelled: the stream ends without a final event, its usage
	 * estimated when the provider has not reported it.
	 * @return what the stream produced, or {@code null} when it had already ended
	 */
	synchronized @Nullable StreamingResponse cancel() {
		if (this.terminated) {
			return null;
		}
		this.terminated = true;
		return this.assembly.cancel();
	}

	private SteerLLMException translate(Throwable error) {
		return Failures.translate(error, this.context.adapter(), this.context.options(), this.assembly.isStarted());
	}

	/**
	 * Warns, once per stream, that SSE lines with an unknown field were ignored (WHATWG
	 * rules): a malformed {@code data:} line loses what it carried, so this must not pass
	 * silently; and, once per stream too, that malformed UTF-8 was replaced by U+FFFD.
	 */
	private void warnMalformedInput() {
		int ignored = this.assembly.ignoredLines();
		if (ignored > 0 && logger.isWarnEnabled()) {
			logger.warn("Stream " + this.context.streamId() + " from " + this.context.provider() + ": ignored "
					+ ignored + " SSE line(s) with an unknown field name (malformed lines); whatever they carried is"
					+ " missing. The count is in the response metadata 'sse.ignored_lines'");
		}
		int invalid = this.assembly.invalidUtf8();
		if (invalid > 0 && logger.isWarnEnabled()) {
			logger.warn("Stream " + this.context.streamId() + " from " + this.context.provider() + ": replaced "
					+ invalid + " malformed UTF-8 sequence(s) with U+FFFD; the text holds U+FFFD where the provider"
					+ " sent bytes that are not UTF-8. The count is in the response metadata 'sse.invalid_utf8'");
		}
	}

}
