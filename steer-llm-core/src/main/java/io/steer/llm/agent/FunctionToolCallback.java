package io.steer.llm.agent;

import java.util.Objects;
import java.util.function.BiFunction;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The {@link ToolCallback} of {@link ToolCallback#of} and {@link ToolCallback#ofMono}.
 */
final class FunctionToolCallback implements ToolCallback {

	private final String name;

	private final String description;

	private final JsonNode inputSchema;

	private final BiFunction<JsonNode, ToolContext, Mono<String>> function;

	private final boolean blocking;

	FunctionToolCallback(String name, String description, JsonNode inputSchema,
			BiFunction<JsonNode, ToolContext, Mono<String>> function, boolean blocking) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.description = Objects.requireNonNull(description, "description must not be null");
		this.inputSchema = Objects.requireNonNull(inputSchema, "inputSchema must not be null");
		this.function = Objects.requireNonNull(function, "function must not be null");
		this.blocking = blocking;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public JsonNode inputSchema() {
		return this.inputSchema;
	}

	@Override
	public Mono<String> call(JsonNode arguments, ToolContext context) {
		return Mono.defer(() -> this.function.apply(arguments, context));
	}

	@Override
	public boolean blocking() {
		return this.blocking;
	}

	@Override
	public String toString() {
		return "ToolCallback[" + this.name + "]";
	}

}
