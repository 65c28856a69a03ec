package io.steer.llm.agent;

import java.util.function.BiFunction;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A function the model of an agent may call: its name, a description for the model, the
 * JSON Schema of its input, and what it does.
 * <p>
 * The result text is what the model sees as the call's result. A call that fails (signals
 * an error, or throws) does not end the agent: the model gets {@code "Error: <message>"}
 * and an {@link AgentEvent.ToolError} is emitted. The runner cancels a call that outlives
 * {@link AgentDefinition#toolTimeout()} or whose agent stream is cancelled.
 *
 * @see AgentDefinition.Builder#tools(java.util.List)
 */
public interface ToolCallback {

	/**
	 * The name the model calls the tool by, unique among an agent's tools (OpenAI allows
	 * {@code [a-zA-Z0-9_-]{1,64}}).
	 * @return the name
	 */
	String name();

	/**
	 * What the tool does and when to use it, for the model.
	 * @return the description, possibly empty
	 */
	String description();

	/**
	 * The JSON Schema of the tool's input, sent as the tool's parameters.
	 * @return a JSON Schema object, e.g.
	 * {@code {"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}
	 */
	JsonNode inputSchema();

	/**
	 * Runs the tool. Nothing should happen until the result is subscribed to.
	 * @param arguments the arguments, a JSON object (the model's, or those an
	 * {@link ApprovalDecision#edit(JsonNode) approval edited})
	 * @param context the call's id, step, agent and variables
	 * @return the result text the model sees, emitted once (an empty completion is taken
	 * as an empty result); an error becomes a {@link AgentEvent.ToolError}
	 */
	Mono<String> call(JsonNode arguments, ToolContext context);

	/**
	 * Whether {@link #call} blocks the thread that subscribes to it. The runner
	 * subscribes to a blocking tool on its tool scheduler
	 * ({@link reactor.core.scheduler.Schedulers#boundedElastic()} unless
	 * {@link DefaultAgentRunner.Builder#toolScheduler configured}), never on a
	 * connection's event loop.
	 * @return {@code true} for a tool made by {@link #of}, {@code false} by default
	 */
	default boolean blocking() {
		return false;
	}

	/**
	 * A tool backed by blocking code, run on the runner's tool scheduler.
	 * @param name the tool's name
	 * @param description what it does, for the model
	 * @param inputSchema the JSON Schema of its input
	 * @param function computes the result text from the arguments; may block, may throw
	 * (the model then sees {@code "Error: <message>"})
	 * @return the tool
	 * @throws NullPointerException if an argument is {@code null}
	 */
	static ToolCallback of(String name, String description, JsonNode inputSchema, Function<JsonNode, String> function) {
		return new FunctionToolCallback(name, description, inputSchema,
				(arguments, context) -> Mono.fromCallable(() -> function.apply(arguments)), true);
	}

	/**
	 * A reactive tool, subscribed to where the agent's stream runs: it must not block.
	 * @param name the tool's name
	 * @param description what it does, for the model
	 * @param inputSchema the JSON Schema of its input
	 * @param function the result text from the arguments and the call's context
	 * @return the tool
	 * @throws NullPointerException if an argument is {@code null}
	 */
	static ToolCallback ofMono(String name, String description, JsonNode inputSchema,
			BiFunction<JsonNode, ToolContext, Mono<String>> function) {
		return new FunctionToolCallback(name, description, inputSchema, function, false);
	}

}
