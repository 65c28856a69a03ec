package io.steer.llm.agent;

import java.util.Map;

import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Runs agents: a loop of streamed model turns and the tool calls they ask for, over any
 * provider the client serves.
 *
 * @see DefaultAgentRunner
 */
public interface AgentRunner {

	/**
	 * Streams an agent run whose first user message is the definition's
	 * {@linkplain AgentDefinition#userPrompt() user prompt} (none when it has none). See
	 * {@link #stream(AgentDefinition, Map, String, StreamingOptions)}.
	 * @param definition the agent
	 * @param variables the values of the templates' {@code {variables}}
	 * @param options the streaming options of every step, or {@code null} for the
	 * definition's, else the client's options for each step's request
	 * ({@link io.steer.llm.SteerLLMClient#optionsFor})
	 * @return the run's events
	 * @throws IllegalArgumentException (at call time) when a template names a variable
	 * not given, or there is neither a system nor a user prompt
	 */
	Flux<AgentEvent> stream(AgentDefinition definition, Map<String, Object> variables,
			@Nullable StreamingOptions options);

	/**
	 * Streams an agent run: each step streams a model turn over the conversation so far
	 * (the rendered system prompt, the user message, then every earlier turn and tool
	 * result), runs the tool calls it asks for and sends their results back, until a step
	 * asks for none or {@link AgentDefinition#maxSteps()} steps were made. See
	 * {@link AgentEvent} for the events and their order.
	 * <p>
	 * Lazy: nothing is sent until the flux is subscribed to; each subscription is a new
	 * run. Failures are not signalled as errors: the flux always ends with one
	 * {@link AgentEvent.AgentCompleted} or one {@link AgentEvent.AgentFailed} (whose
	 * {@link AgentException} keeps every completed step's response), then completes.
	 * Cancelling closes the step's connection, cancels running tool calls (their
	 * {@code Mono} sees the cancel) and pending approvals. Backpressure: the step's
	 * stream is read as fast as events are requested, as
	 * {@link io.steer.llm.SteerLLMClient#streamEvents} does.
	 * @param definition the agent
	 * @param variables the values of the templates' {@code {variables}}, also given to
	 * tools in their {@link ToolContext}
	 * @param userMessage the first user message, or {@code null} for the definition's
	 * user prompt
	 * @param options the streaming options of every step, or {@code null} for the
	 * definition's, else the client's options for each step's request
	 * ({@link io.steer.llm.SteerLLMClient#optionsFor})
	 * @return the run's events
	 * @throws IllegalArgumentException (at call time) when a template names a variable
	 * not given, or there is neither a system prompt nor a user message
	 * @throws NullPointerException (at call time) when {@code definition} or
	 * {@code variables} is {@code null}
	 */
	Flux<AgentEvent> stream(AgentDefinition definition, Map<String, Object> variables, @Nullable String userMessage,
			@Nullable StreamingOptions options);

}
