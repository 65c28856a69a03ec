package io.steer.llm.error;

import io.steer.llm.model.StreamingResponse;
import org.jspecify.annotations.Nullable;

/**
 * Base of every failure a stream can end with. It carries what arrived before the
 * failure, so that nothing the provider sent is lost.
 * <p>
 * Messages never contain API keys or request bodies.
 */
public abstract class SteerLLMException extends RuntimeException {

	/** Kind of failure, never {@code null}. */
	private final StreamErrorType errorType;

	/** Whether sending the same request again may succeed. */
	private final boolean retryable;

	/**
	 * Provider that failed; {@code null} when the failure happened before one was chosen.
	 */
	private final @Nullable String provider;

	/**
	 * What the stream produced before it failed; set once, by
	 * {@link #attachPartialResponse}.
	 */
	private volatile @Nullable StreamingResponse partialResponse;

	/**
	 * Creates the exception, without a partial response yet.
	 * @param message what failed; never an API key or a request body
	 * @param errorType kind of failure
	 * @param retryable whether sending the same request again may succeed
	 * @param provider provider that failed, or {@code null} when none was chosen yet
	 * @param cause the underlying failure, or {@code null}
	 */
	protected SteerLLMException(String message, StreamErrorType errorType, boolean retryable, @Nullable String provider,
			@Nullable Throwable cause) {
		super(message, cause);
		this.errorType = errorType;
		this.retryable = retryable;
		this.provider = provider;
	}

	/**
	 * Kind of failure.
	 * @return the error type, never {@code null}
	 */
	public StreamErrorType getErrorType() {
		return this.errorType;
	}

	/**
	 * Whether sending the same request again may succeed.
	 * @return {@code true} for rate limits, overloads, server errors and connection
	 * failures
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * Provider that failed.
	 * @return the provider name, {@code null} when the failure happened before one was
	 * chosen
	 */
	public @Nullable String getProvider() {
		return this.provider;
	}

	/**
	 * What the stream produced before it failed.
	 * @return the partial response, {@code null} only while the exception has not yet
	 * left the client
	 */
	public @Nullable StreamingResponse getPartialResponse() {
		return this.partialResponse;
	}

	/**
	 * The text received before the failure.
	 * @return the partial text of choice 0, empty when nothing arrived
	 */
	public String getPartialText() {
		StreamingResponse partial = this.partialResponse;
		return (partial != null) ? partial.text() : "";
	}

	/**
	 * Attaches what the stream produced before it failed. Called once by the client
	 * before the exception is delivered; later calls are ignored.
	 * @param partialResponse the partial response
	 */
	public void attachPartialResponse(StreamingResponse partialResponse) {
		if (this.partialResponse == null) {
			this.partialResponse = partialResponse;
		}
	}

}
