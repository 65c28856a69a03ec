package io.steer.llm.error;

/**
 * Why a stream failed.
 */
public enum StreamErrorType {

	/** The provider answered with an HTTP error status before streaming. */
	HTTP,

	/**
	 * The provider sent an error inside the stream (a mid-stream {@code error} object or
	 * event).
	 */
	PROVIDER,

	/** The stream could not be read: malformed SSE, invalid JSON, an oversized event. */
	PARSE,

	/** The connection could not be opened, or failed before any response. */
	CONNECTION,

	/** A configured time limit fired. */
	TIMEOUT,

	/** The connection ended before the provider's end-of-stream marker. */
	INTERRUPTED,

	/**
	 * The request was rejected before anything was sent: no configured provider serves
	 * its model, its {@code provider:} prefix names no configured provider, it has no
	 * model after the prefix, it asks for an API its provider does not speak, or its
	 * provider cannot build it (tool call arguments it cannot take, a body that cannot be
	 * written). Never retryable; see {@link io.steer.llm.error.InvalidRequestException}.
	 */
	REQUEST,

	/**
	 * The stream itself ran, but the user's {@link io.steer.llm.pipeline.EventProcessor}
	 * failed while processing its events. Never retryable; see
	 * {@link io.steer.llm.error.EventProcessorException}.
	 */
	PROCESSOR,

	/**
	 * An operator cancelled the stream while it ran (the {@code steer} actuator endpoint,
	 * through {@link io.steer.llm.observation.LiveStreams#cancel(String)}): the provider
	 * connection was closed, and the error event carries the partial text and usage so
	 * far. Never retryable; see {@link io.steer.llm.error.StreamCancelledException}. A
	 * subscriber's own cancel ends the stream without any event, so never has this type.
	 */
	CANCELLED

}
