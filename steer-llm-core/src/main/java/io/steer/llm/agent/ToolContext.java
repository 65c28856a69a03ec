package io.steer.llm.agent;

import java.util.Map;

/**
 * What a {@link ToolCallback} knows about the call it answers.
 *
 * @param callId the provider's id of the call ({@code call_…}, {@code toolu_…}), or one
 * the runner made up ({@code <name>_<index>}) when the provider sent none
 * @param step the 1-based step whose model turn made the call
 * @param agentName the agent's {@linkplain AgentDefinition#name() name}
 * @param variables the variables the run was started with, unmodifiable
 */
public record ToolContext(String callId, int step, String agentName, Map<String, Object> variables) {

	/**
	 * Creates the context; the variables are copied.
	 * @param callId id of the call
	 * @param step the 1-based step
	 * @param agentName the agent's name
	 * @param variables the run's variables
	 * @throws NullPointerException if a variable key or value is {@code null}
	 */
	public ToolContext {
		variables = Map.copyOf(variables);
	}

}
