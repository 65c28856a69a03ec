package io.steer.llm.autoconfigure.agent;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import io.steer.llm.agent.ToolContext;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generates the input schema of a {@link SteerTool} method with victools
 * {@code jsonschema-generator}: an object whose properties are the method's parameters
 * (but a {@link ToolContext} one), each schema inlined, without {@code $schema}, and with
 * {@code additionalProperties: false}. Only loaded when the generator is on the class
 * path.
 */
final class ToolMethodSchemas {

	private final JsonMapper mapper;

	private final SchemaGenerator generator;

	ToolMethodSchemas(JsonMapper mapper) {
		this.mapper = mapper;
		this.generator = new SchemaGenerator(
				new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
					.without(Option.SCHEMA_VERSION_INDICATOR)
					.with(Option.INLINE_ALL_SCHEMAS)
					.build());
	}

	/**
	 * The input schema of a method.
	 * @param method the method
	 * @return {@code {"type":"object","properties":{...},"required":[...],
	 * "additionalProperties":false}}
	 * @throws IllegalArgumentException if a parameter's name was not compiled in
	 * ({@code -parameters})
	 */
	ObjectNode inputSchema(Method method) {
		ObjectNode schema = this.mapper.createObjectNode();
		schema.put("type", "object");
		ObjectNode properties = schema.putObject("properties");
		ArrayNode required = this.mapper.createArrayNode();
		for (Parameter parameter : method.getParameters()) {
			if (parameter.getType() == ToolContext.class) {
				continue;
			}
			if (!parameter.isNamePresent()) {
				throw new IllegalArgumentException("The parameter names of @SteerTool method " + method
						+ " were not compiled in: compile with '-parameters'");
			}
			properties.set(parameter.getName(), this.generator.generateSchema(parameter.getParameterizedType()));
			if (!nullable(parameter)) {
				required.add(parameter.getName());
			}
		}
		if (!required.isEmpty()) {
			schema.set("required", required);
		}
		schema.put("additionalProperties", false);
		return schema;
	}

	static boolean nullable(Parameter parameter) {
		for (Annotation annotation : parameter.getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		for (Annotation annotation : parameter.getAnnotatedType().getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

}
