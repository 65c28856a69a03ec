package io.steer.llm.resume;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A resumable stream could not be started, read or written; {@link #getErrorType()} says
 * why. Its message names the stream and never holds an API key.
 */
public class ResumeException extends RuntimeException {

	/** Why. */
	private final ResumeErrorType errorType;

	/** The stream, as given. */
	private final String streamId;

	/**
	 * Creates an exception.
	 * @param errorType why
	 * @param streamId the stream, as given
	 * @param message what happened, naming the stream
	 * @param cause the store's failure, or {@code null}
	 */
	public ResumeException(ResumeErrorType errorType, String streamId, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.errorType = Objects.requireNonNull(errorType, "errorType must not be null");
		this.streamId = Objects.requireNonNull(streamId, "streamId must not be null");
	}

	/**
	 * Why.
	 * @return the type
	 */
	public ResumeErrorType getErrorType() {
		return this.errorType;
	}

	/**
	 * The stream.
	 * @return its id, as given
	 */
	public String getStreamId() {
		return this.streamId;
	}

}
