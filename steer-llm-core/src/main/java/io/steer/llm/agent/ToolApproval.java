package io.steer.llm.agent;

import reactor.core.publisher.Mono;

/**
 * A hook that reviews each tool call before it runs (human in the loop, policy checks).
 * <p>
 * The runner emits an {@link AgentEvent.ApprovalRequired} for the call, subscribes to
 * {@link #review(ToolCallRequest)} and waits for its decision; reviews of the calls of
 * one step run concurrently, bounded by {@link AgentDefinition#maxParallelTools()}. A
 * review that completes empty or fails denies the call (the reason says so); cancelling
 * the agent's stream cancels a pending review. {@link #APPROVE_ALL}, the default, emits
 * no approval event.
 */
@FunctionalInterface
public interface ToolApproval {

	/**
	 * Approves every call without an {@link AgentEvent.ApprovalRequired} event.
	 */
	ToolApproval APPROVE_ALL = (request) -> Mono.just(ApprovalDecision.approve());

	/**
	 * Reviews a call.
	 * @param request the call the model made
	 * @return the decision, emitted once; may arrive on any thread, at any later time
	 */
	Mono<ApprovalDecision> review(ToolCallRequest request);

}
