package io.steer.llm.client;

import java.util.List;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;

/**
 * What reading part of an HTTP attempt's body gave: the events it completed, and whether
 * the attempt ended with it, completed (its last event is the stream's complete event) or
 * failed, with the failure. A failed attempt's events are what it produced before the
 * failure; the stream's error event comes only if no retry follows.
 *
 * @param events the events, in order, possibly empty
 * @param completed whether the stream completed: the last event is its complete event
 * @param failure why the attempt failed, or {@code null} when it did not
 */
record AttemptResult(List<StreamEvent> events, boolean completed, @Nullable SteerLLMException failure) {

	/** Nothing, and the attempt goes on. */
	static final AttemptResult NONE = new AttemptResult(List.of(), false, null);

	static AttemptResult of(List<StreamEvent> events) {
		return events.isEmpty() ? NONE : new AttemptResult(events, false, null);
	}

	static AttemptResult completed(List<StreamEvent> events) {
		return new AttemptResult(events, true, null);
	}

	static AttemptResult failed(List<StreamEvent> events, SteerLLMException failure) {
		return new AttemptResult(events, false, failure);
	}

	/**
	 * Whether the attempt failed with this read.
	 * @return {@code true} when there is a failure
	 */
	boolean failed() {
		return this.failure != null;
	}

	/**
	 * Whether the attempt ended: nothing more of its body is to be read.
	 * @return {@code true} when it completed the stream or failed
	 */
	boolean ended() {
		return this.completed || this.failure != null;
	}

}
