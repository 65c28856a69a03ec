package io.steer.llm.agent;

import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * What a {@link ToolApproval} decided about a tool call: run it as the model wrote it,
 * refuse it (the model is told why), or run it with other arguments.
 */
public sealed interface ApprovalDecision
		permits ApprovalDecision.Approve, ApprovalDecision.Deny, ApprovalDecision.Edit {

	/**
	 * Run the call as the model wrote it.
	 * @return the decision
	 */
	static ApprovalDecision approve() {
		return Approve.INSTANCE;
	}

	/**
	 * Do not run the call. The model gets {@code "Error: denied: <reason>"} as the call's
	 * result, and a {@link AgentEvent.ToolError} is emitted.
	 * @param reason why, for the model and the events
	 * @return the decision
	 * @throws NullPointerException if {@code reason} is {@code null}
	 */
	static ApprovalDecision deny(String reason) {
		return new Deny(reason);
	}

	/**
	 * Run the call with other arguments (for example a corrected or narrowed query).
	 * @param arguments the arguments to run the tool with, a JSON object
	 * @return the decision
	 * @throws NullPointerException if {@code arguments} is {@code null}
	 */
	static ApprovalDecision edit(JsonNode arguments) {
		return new Edit(arguments);
	}

	/**
	 * Run the call as the model wrote it.
	 */
	final class Approve implements ApprovalDecision {

		private static final Approve INSTANCE = new Approve();

		private Approve() {
		}

		@Override
		public String toString() {
			return "Approve";
		}

	}

	/**
	 * Do not run the call.
	 *
	 * @param reason why, for the model and the events
	 */
	record Deny(String reason) implements ApprovalDecision {

		/**
		 * Creates the decision.
		 * @param reason why, not {@code null}
		 */
		public Deny {
			Objects.requireNonNull(reason, "reason must not be null");
		}

	}

	/**
	 * Run the call with these arguments instead of the model's.
	 *
	 * @param arguments the arguments to run the tool with
	 */
	record Edit(JsonNode arguments) implements ApprovalDecision {

		/**
		 * Creates the decision.
		 * @param arguments the arguments, not {@code null}
		 */
		public Edit {
			Objects.requireNonNull(arguments, "arguments must not be null");
		}

	}

}
