package io.steer.llm.agent;

import tools.jackson.databind.JsonNode;

/**
 * A tool call the model made, as a {@link ToolApproval} reviews it before it runs.
 *
 * @param agentName the agent's name
 * @param step the 1-based step whose model turn made the call
 * @param callId id of the call
 * @param name the tool's name
 * @param arguments the arguments the model wrote, parsed (a JSON object)
 */
public record ToolCallRequest(String agentName, int step, String callId, String name, JsonNode arguments) {

}
