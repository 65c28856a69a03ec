package io.steer.llm.agent;

/**
 * Why an agent run failed ({@link AgentException#getErrorType()}).
 */
public enum AgentErrorType {

	/**
	 * The last allowed step still asked for tools ({@link AgentDefinition#maxSteps()}).
	 */
	MAX_STEPS,

	/**
	 * A step's stream failed (HTTP error, provider error, timeout, broken stream, a
	 * request the client could not send); the cause is the stream's
	 * {@link io.steer.llm.error.SteerLLMException}.
	 */
	PROVIDER,

	/**
	 * The tool phase failed unexpectedly (a tool's own failure is a tool error, not
	 * this).
	 */
	TOOL,

	/**
	 * A step's stream was cancelled by an operator (the {@code steer} actuator endpoint).
	 */
	CANCELLED

}
