package io.steer.llm.assembly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Makes a stream's events, in the order the stages produce them, and hands them out by
 * {@link #drain()}: delta chunk indexes run on without gaps across attempts; the start
 * event is held back until an attempt emits another event, and emitted once per stream,
 * before all others.
 * <p>
 * A retry gets a new emitter that continues the chunk indexes and knows whether the start
 * event was emitted, without the start event the failed attempt held back; a continuation
 * keeps the emitter. Not thread-safe: used under the lock of its stream.
 */
final class EventEmitter {

	private final StreamContext context;

	private int chunkIndex;

	private boolean startEmitted;

	private @Nullable StreamStartEvent heldStart;

	private List<StreamEvent> out = new ArrayList<>();

	/**
	 * Creates the emitter of a stream's first attempt.
	 * @param context the stream
	 */
	EventEmitter(StreamContext context) {
		this.context = context;
	}

	/**
	 * Creates the emitter of a retry.
	 * @param previous the emitter of the failed attempt
	 */
	EventEmitter(EventEmitter previous) {
		this.context = previous.context;
		this.chunkIndex = previous.chunkIndex;
		this.startEmitted = previous.startEmitted;
	}

	/**
	 * An attempt got a response: unless the stream's start event was emitted, its start
	 * event is held back (replacing one held back before) until the attempt emits another
	 * event.
	 * @param requestId the provider's request id, or {@code null}
	 * @param httpStatus the response status
	 */
	void start(@Nullable String requestId, int httpStatus) {
		if (this.startEmitted) {
			return;
		}
		Map<String, Object> meta = new LinkedHashMap<>(this.context.request().metadata());
		meta.put("http.status", httpStatus);
		this.heldStart = new StreamStartEvent(this.context.streamId(), this.context.provider(), this.context.model(),
				requestId, this.context.now(), meta);
	}

	/**
	 * Whether the stream began for its subscriber: its start event was emitted, or is
	 * held back and will be with the next event.
	 * @return {@code true} once an attempt got a response
	 */
	boolean began() {
		return this.startEmitted || this.heldStart != null;
	}

	/**
	 * Emits a delta with the next chunk index.
	 * @param kind the kind
	 * @param text the fragment
	 * @param choice the choice index
	 * @param json whether the fragment is JSON text
	 * @param toolCall the tool call a tool call fragment belongs to, else {@code null}
	 */
	void delta(DeltaKind kind, String text, int choice, boolean json, @Nullable ToolCallDelta toolCall) {
		delta(kind, text, choice, json, toolCall, null);
	}

	/**
	 * Emits a delta with the next chunk index and the JSON snapshot it made.
	 * @param kind the kind
	 * @param text the fragment
	 * @param choice the choice index
	 * @param json whether the fragment is JSON text
	 * @param toolCall the tool call a tool call fragment belongs to, else {@code null}
	 * @param snapshot the JSON value so far when the fragment changed it, else
	 * {@code null}
	 */
	void delta(DeltaKind kind, String text, int choice, boolean json, @Nullable ToolCallDelta toolCall,
			@Nullable JsonSnapshot snapshot) {
		this.out.add(new StreamDeltaEvent(this.context.streamId(), kind, text, this.chunkIndex++, choice, json,
				toolCall, snapshot, this.context.now(), Map.of()));
	}

	/**
	 * Emits a usage event.
	 * @param usage the usage
	 * @param estimated whether it is an estimate
	 * @param confidence how far it can be trusted, from 0 to 1
	 */
	void usage(Usage usage, boolean estimated, double confidence) {
		this.out.add(new StreamUsageEvent(this.context.streamId(), usage, estimated, confidence, this.context.now()));
	}

	/**
	 * Emits the complete event, after any event emitted before.
	 * @param response the assembled response
	 * @return the event
	 */
	StreamCompleteEvent complete(StreamingResponse response) {
		StreamCompleteEvent complete = new StreamCompleteEvent(this.context.streamId(), this.chunkIndex,
				response.metrics().durationMs(), response.usage(), response, this.context.now());
		this.out.add(complete);
		return complete;
	}

	/**
	 * Emits the error event, after any event emitted before.
	 * @param error the failure
	 * @param partial the partial response, as the failure carries it
	 */
	void error(SteerLLMException error, StreamingResponse partial) {
		this.out.add(new StreamErrorEvent(this.context.streamId(), error, error.getErrorType(), error.isRetryable(),
				partial, this.context.now()));
	}

	/**
	 * The deltas emitted so far, across attempts.
	 * @return the next chunk index
	 */
	int chunks() {
		return this.chunkIndex;
	}

	/**
	 * Hands out the events emitted since the last call, after the start event held back,
	 * if any: an attempt that emits nothing does not emit its start event.
	 * @return the events in order, empty when there were none
	 */
	List<StreamEvent> drain() {
		if (this.out.isEmpty()) {
			return List.of();
		}
		List<StreamEvent> events = this.out;
		if (this.heldStart != null) {
			events.add(0, this.heldStart);
			this.heldStart = null;
			this.startEmitted = true;
		}
		this.out = new ArrayList<>();
		return events;
	}

}
