package io.steer.llm.agent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A typed event of an agent run ({@link AgentRunner#stream}).
 * <p>
 * A run emits, for each step {@code n} (1-based): {@link StepStarted}; the step's text,
 * reasoning and refusal deltas as {@link StepEvent}s, and for each tool call the model
 * streams a {@link ToolCallStarted} then its argument fragments as
 * {@link ToolCallDelta}s; once the step's stream has ended, a {@link ToolCallCompleted}
 * per call, in call order, then {@link StepCompleted}. When the step asked for tools, for
 * each call (several at a time, see {@link AgentDefinition#maxParallelTools()}):
 * {@link ApprovalRequired} (unless the approval hook is
 * {@link ToolApproval#APPROVE_ALL}), {@link ToolExecutionStarted}, then
 * {@link ToolResult} or {@link ToolError}, in the order the calls finish; then step
 * {@code n + 1} begins. The run ends with exactly one {@link AgentCompleted} (a step
 * asked for no tool) or {@link AgentFailed}, after which the flux completes.
 * <p>
 * {@link #type()} names each event as the original SDK's loop reads it:
 * <table>
 * <caption>Event types</caption>
 * <tr>
 * <th>event</th>
 * <th>{@code type()}</th>
 * </tr>
 * <tr>
 * <td>{@link StepStarted}</td>
 * <td>{@code step_start}</td>
 * </tr>
 * <tr>
 * <td>{@link StepEvent}</td>
 * <td>{@code delta}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolCallStarted}</td>
 * <td>{@code tool_call_start}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolCallDelta}</td>
 * <td>{@code tool_call_delta}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolCallCompleted}</td>
 * <td>{@code tool_call}</td>
 * </tr>
 * <tr>
 * <td>{@link ApprovalRequired}</td>
 * <td>{@code approval_required}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolExecutionStarted}</td>
 * <td>{@code tool_execution_start}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolResult}</td>
 * <td>{@code tool_result}</td>
 * </tr>
 * <tr>
 * <td>{@link ToolError}</td>
 * <td>{@code tool_error}</td>
 * </tr>
 * <tr>
 * <td>{@link StepCompleted}</td>
 * <td>{@code step_complete}</td>
 * </tr>
 * <tr>
 * <td>{@link AgentCompleted}</td>
 * <td>{@code complete}</td>
 * </tr>
 * <tr>
 * <td>{@link AgentFailed}</td>
 * <td>{@code error}</td>
 * </tr>
 * </table>
 * Every tool event has the tool's name in {@code metadata().get("tool")}.
 */
public sealed interface AgentEvent permits AgentEvent.StepStarted, AgentEvent.StepEvent, AgentEvent.ToolCallStarted,
		AgentEvent.ToolCallDelta, AgentEvent.ToolCallCompleted, AgentEvent.ApprovalRequired,
		AgentEvent.ToolExecutionStarted, AgentEvent.ToolResult, AgentEvent.ToolError, AgentEvent.StepCompleted,
		AgentEvent.AgentCompleted, AgentEvent.AgentFailed {

	/** The metadata key of the tool's name on tool events. */
	String TOOL = "tool";

	/**
	 * The agent's name.
	 * @return the name
	 */
	String agentName();

	/**
	 * The step the event belongs to: 1-based; tool events carry the step whose model turn
	 * made the call; {@link AgentCompleted} and {@link AgentFailed} the last step.
	 * @return the step, at least 1
	 */
	int step();

	/**
	 * When the runner made the event, on its clock.
	 * @return the timestamp
	 */
	Instant timestamp();

	/**
	 * Extras of this event: {@code tool} (the tool's name) on tool events,
	 * {@code approval} ({@code denied}, {@code edited}) on events of a call an approval
	 * changed, {@code provider_executed} on a {@link StepEvent} of a tool the provider
	 * runs itself.
	 * @return an unmodifiable map
	 */
	Map<String, Object> metadata();

	/**
	 * The event's name, as in the table above.
	 * @return e.g. {@code delta}, {@code tool_call}
	 */
	String type();

	/**
	 * A step's model turn begins.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param request the request the step sends: the conversation so far, the tools, the
	 * model
	 * @param timestamp when the step began
	 * @param metadata extras
	 */
	record StepStarted(String agentName, int step, ChatRequest request, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "step_start";
		}

	}

	/**
	 * A text, reasoning or refusal delta of the step's stream, or a fragment of a tool
	 * the provider runs itself (metadata {@code provider_executed}, never run by the
	 * runner).
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param event the step's stream event
	 * @param timestamp when the runner passed it on
	 * @param metadata extras
	 */
	record StepEvent(String agentName, int step, StreamDeltaEvent event, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		/**
		 * The delta's text.
		 * @return {@code event().delta()}
		 */
		public String text() {
			return this.event.delta();
		}

		/**
		 * What the delta carries.
		 * @return {@code event().kind()}
		 */
		public DeltaKind kind() {
			return this.event.kind();
		}

		@Override
		public String type() {
			return "delta";
		}

	}

	/**
	 * The model began a tool call, as its first fragment arrived.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param timestamp when the first fragment arrived
	 * @param metadata extras, {@code tool}
	 */
	record ToolCallStarted(String agentName, int step, String id, String name, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_call_start";
		}

	}

	/**
	 * A fragment of a tool call's arguments.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param fragment the JSON text fragment as streamed
	 * @param partialArguments the arguments parsed so far (the delta's
	 * {@link io.steer.llm.json.JsonSnapshot}), or {@code null} when the JSON stream
	 * handler is off
	 * ({@link io.steer.llm.options.StreamingOptions#enableJsonStreamHandler()}) or the
	 * fragment did not change them
	 * @param timestamp when it arrived
	 * @param metadata extras, {@code tool}
	 */
	record ToolCallDelta(String agentName, int step, String id, String name, String fragment,
			@Nullable JsonNode partialArguments, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_call_delta";
		}

	}

	/**
	 * A tool call the model made, complete, once the step's stream has ended.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param arguments the arguments parsed, or {@code null} when the model's text is not
	 * a JSON object (a {@link ToolError} follows, and the tool does not run)
	 * @param rawArguments the arguments as the model wrote them
	 * @param timestamp when the step's stream ended
	 * @param metadata extras, {@code tool}
	 */
	record ToolCallCompleted(String agentName, int step, String id, String name, @Nullable JsonNode arguments,
			String rawArguments, Instant timestamp, Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_call";
		}

	}

	/**
	 * A call waits for the approval hook's decision.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param request the call under review
	 * @param timestamp when the review began
	 * @param metadata extras, {@code tool}
	 */
	record ApprovalRequired(String agentName, int step, ToolCallRequest request, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "approval_required";
		}

	}

	/**
	 * A tool begins to run.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param arguments the arguments it runs with (an approval's edit, when there was
	 * one)
	 * @param timestamp when it began
	 * @param metadata extras, {@code tool}, {@code approval}
	 */
	record ToolExecutionStarted(String agentName, int step, String id, String name, JsonNode arguments,
			Instant timestamp, Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_execution_start";
		}

	}

	/**
	 * A tool returned; its result goes back to the model.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param result the result text the model sees
	 * @param durationMs how long the tool ran, on the runner's clock (ms)
	 * @param timestamp when it returned
	 * @param metadata extras, {@code tool}, {@code approval}
	 */
	record ToolResult(String agentName, int step, String id, String name, String result, long durationMs,
			Instant timestamp, Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_result";
		}

	}

	/**
	 * A call did not produce a result: the tool failed or timed out, the approval denied
	 * it, no tool has its name, or its arguments are not a JSON object. The model gets
	 * {@code "Error: " + message} as the call's result and the run goes on.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param id id of the call
	 * @param name the tool's name
	 * @param message what went wrong ({@code timed out after 30000 ms},
	 * {@code denied: <reason>}, the tool's exception message)
	 * @param timestamp when it was seen
	 * @param metadata extras, {@code tool}, {@code approval}
	 */
	record ToolError(String agentName, int step, String id, String name, String message, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "tool_error";
		}

	}

	/**
	 * A step's model turn ended.
	 *
	 * @param agentName the agent's name
	 * @param step the step
	 * @param usage the step's token usage, or {@code null} when none was reported or
	 * estimated
	 * @param finishReason the step's normalized finish reason
	 * ({@link FinishReason#TOOL_CALLS} when it asked for tools), or {@code null}
	 * @param costUsd the step's cost in USD, or {@code null} when unknown
	 * @param response everything the step's stream produced
	 * @param timestamp when it ended
	 * @param metadata extras
	 */
	record StepCompleted(String agentName, int step, @Nullable Usage usage, @Nullable FinishReason finishReason,
			@Nullable BigDecimal costUsd, StreamingResponse response, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "step_complete";
		}

	}

	/**
	 * The run ended: a step answered without asking for tools.
	 *
	 * @param agentName the agent's name
	 * @param step the last step, the number of steps made
	 * @param totalUsage every step's usage added, or {@code null} when no step had any
	 * @param totalCostUsd every step's cost added (USD), or {@code null} when a step's
	 * cost is unknown
	 * @param steps every step's response, in order
	 * @param text the last step's text, the agent's answer
	 * @param timestamp when it ended
	 * @param metadata extras
	 */
	record AgentCompleted(String agentName, int step, @Nullable Usage totalUsage, @Nullable BigDecimal totalCostUsd,
			List<StreamingResponse> steps, String text, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		@Override
		public String type() {
			return "complete";
		}

	}

	/**
	 * The run failed; the exception holds every completed step's response.
	 *
	 * @param agentName the agent's name
	 * @param step the step that failed, or the last step for
	 * {@link AgentErrorType#MAX_STEPS}
	 * @param error the failure
	 * @param timestamp when it failed
	 * @param metadata extras
	 */
	record AgentFailed(String agentName, int step, AgentException error, Instant timestamp,
			Map<String, Object> metadata) implements AgentEvent {

		/**
		 * The kind of failure.
		 * @return {@code error().getErrorType()}
		 */
		public AgentErrorType errorType() {
			return this.error.getErrorType();
		}

		@Override
		public String type() {
			return "error";
		}

	}

}
