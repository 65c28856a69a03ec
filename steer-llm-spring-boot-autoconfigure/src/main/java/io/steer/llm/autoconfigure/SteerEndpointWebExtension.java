package io.steer.llm.autoconfigure;

import java.util.Objects;

import io.steer.llm.autoconfigure.SteerEndpoint.CancelledStream;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of {@link SteerEndpoint}'s cancel: {@code DELETE
 * /actuator/steer/{streamId}} answers 200 with {@code {"streamId": "…", "cancelled":
 * true}} when the stream was in flight, and 404 when it was not (the actuator answers a
 * {@code null} from a delete operation with 204, which would not tell an operator that
 * nothing was cancelled).
 */
@EndpointWebExtension(endpoint = SteerEndpoint.class)
public class SteerEndpointWebExtension {

	private final SteerEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint it extends
	 */
	public SteerEndpointWebExtension(SteerEndpoint endpoint) {
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
	}

	/**
	 * Cancels a stream in flight, as {@link SteerEndpoint#cancel(String)} does.
	 * @param streamId the stream's id
	 * @return 200 with the {@link CancelledStream}, or 404 without a body when no such
	 * stream is in flight
	 */
	@DeleteOperation
	public WebEndpointResponse<CancelledStream> cancel(@Selector String streamId) {
		CancelledStream cancelled = this.endpoint.cancel(streamId);
		return (cancelled != null) ? new WebEndpointResponse<>(cancelled)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
