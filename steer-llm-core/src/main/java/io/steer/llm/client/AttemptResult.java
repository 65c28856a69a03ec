package io.steer.llm.client;

import java.util.List;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;

/**
 * What reading part of an HTTP attempt's body gave: the events it completed, and whether
 * the attempt failed with it, with the failure. The events of a failed read are what the
 * attempt produced before the failure (the stream's error event comes only if no retry
 * follows); a read that completed the stream ends with its complete event.
 *
 * @param events the events, in order, possibly empty
 * @param failure why the attempt failed, or {@code null} when it did not
 */
record AttemptResult(List<StreamEvent> events, @Nullable SteerLLMException failure) {

	/** Nothing, and the attempt goes on. */
	static final AttemptResult NONE = new AttemptResult(List.of(), null);

	static AttemptResult of(List<StreamEvent> events) {
		return events.isEmpty() ? NONE : new AttemptResult(events, null);
	}

	static AttemptResult failed(List<StreamEvent> events, SteerLLMException failure) {
		return new AttemptResult(events, failure);
	}

	/**
	 * Whether the attempt failed with this read.
	 * @return {@code true} when there is a failure
	 */
	boolean failed() {
		return this.failure != null;
	}

}
