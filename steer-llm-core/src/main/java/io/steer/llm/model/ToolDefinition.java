package io.steer.llm.model;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A function the model may call.
 *
 * @param name function name
 * @param description what the function does, for the model; may be {@code null}
 * @param parameters JSON Schema of the arguments, as a map
 * @param strict whether to ask for strict schema adherence (OpenAI {@code strict})
 */
public record ToolDefinition(String name, @Nullable String description, Map<String, Object> parameters,
		boolean strict) {

	/**
	 * Creates a tool; the parameters are copied.
	 * @param name function name
	 * @param description what the function does, or {@code null}
	 * @param parameters JSON Schema of the arguments, as nested maps and lists
	 * @param strict whether to ask for strict schema adherence
	 * @throws NullPointerException if {@code name} or {@code parameters} is {@code null},
	 * or the parameters hold a {@code null} key or value
	 */
	public ToolDefinition {
		Objects.requireNonNull(name, "name must not be null");
		parameters = Map.copyOf(parameters);
	}

	/**
	 * A tool without strict schema adherence.
	 * @param name function name
	 * @param description what the function does, for the model; may be {@code null}
	 * @param parameters JSON Schema of the arguments, as nested maps and lists
	 * @return the tool
	 */
	public static ToolDefinition function(String name, @Nullable String description, Map<String, Object> parameters) {
		return new ToolDefinition(name, description, parameters, false);
	}

}
