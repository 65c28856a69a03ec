package io.steer.llm.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;

/**
 * The terminal event of a stream whose request was rejected before anything was sent: its
 * partial response is empty (no text, no usage, no cost, zero metrics and attempts) and
 * its normalized finish reason is {@link FinishReason#ERROR}, as for any stream that
 * failed before a finish reason.
 */
final class RejectedRequests {

	private RejectedRequests() {
	}

	/**
	 * The error event of a rejected request; attaches the empty partial response to the
	 * error.
	 * @param streamId id of the stream
	 * @param request the rejected request
	 * @param error why it was rejected
	 * @param timestamp when it was rejected
	 * @return the event
	 */
	static StreamErrorEvent errorEvent(String streamId, ChatRequest request, InvalidRequestException error,
			Instant timestamp) {
		StreamingResponse partial = emptyResponse(request, error);
		error.attachPartialResponse(partial);
		return new StreamErrorEvent(streamId, error, error.getErrorType(), error.isRetryable(), partial, timestamp);
	}

	/**
	 * An empty response for a rejected request.
	 * @param request the request
	 * @param error why it was rejected
	 * @return the response: the provider it was routed to (else empty) and the model as
	 * the request named it (else empty)
	 */
	static StreamingResponse emptyResponse(ChatRequest request, InvalidRequestException error) {
		String provider = (error.getProvider() != null) ? error.getProvider() : "";
		String model = (request.model() != null) ? request.model() : "";
		return new StreamingResponse(null, provider, model, "", null, "", null, FinishReason.ERROR, List.of(),
				List.of(), List.of(), List.of(), null, false, null, null, new StreamingMetrics(0, 0, 0, null, 0, 0),
				Map.of());
	}

}
