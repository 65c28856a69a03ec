package io.steer.llm.agent;

import java.util.List;

import io.steer.llm.model.StreamingResponse;
import org.jspecify.annotations.Nullable;

/**
 * Why an agent run failed, with what its completed steps produced. Carried by
 * {@link AgentEvent.AgentFailed}; never signalled as the error of an agent's stream.
 */
public class AgentException extends RuntimeException {

	/** The kind of failure. */
	private final AgentErrorType errorType;

	/** The responses of the completed steps, in order. */
	private final transient List<StreamingResponse> steps;

	/** What the failed step's stream produced, or {@code null}. */
	private final transient @Nullable StreamingResponse partialResponse;

	/**
	 * Creates the exception.
	 * @param message what happened, naming the agent and the step
	 * @param errorType the kind of failure
	 * @param steps the responses of every completed step, in order
	 * @param partialResponse what the failed step's stream produced before it failed, or
	 * {@code null} when the failure was not a step's stream
	 * @param cause the stream's exception, or {@code null}
	 */
	public AgentException(String message, AgentErrorType errorType, List<StreamingResponse> steps,
			@Nullable StreamingResponse partialResponse, @Nullable Throwable cause) {
		super(message, cause);
		this.errorType = errorType;
		this.steps = List.copyOf(steps);
		this.partialResponse = partialResponse;
	}

	/**
	 * The kind of failure.
	 * @return the type
	 */
	public AgentErrorType getErrorType() {
		return this.errorType;
	}

	/**
	 * The responses of the steps that completed before the failure, in order; with
	 * {@link AgentErrorType#MAX_STEPS}, every step's.
	 * @return the responses, unmodifiable, possibly empty
	 */
	public List<StreamingResponse> getSteps() {
		return this.steps;
	}

	/**
	 * What the failed step's stream produced before it failed (text, tool calls, usage so
	 * far).
	 * @return the partial response, or {@code null} when no step's stream failed
	 */
	public @Nullable StreamingResponse getPartialResponse() {
		return this.partialResponse;
	}

}
