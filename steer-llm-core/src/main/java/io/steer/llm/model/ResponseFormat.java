package io.steer.llm.model;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Output format asked of the model (OpenAI {@code response_format}).
 *
 * @param type {@code text}, {@code json_object} or {@code json_schema}
 * @param name schema name, for {@code json_schema}
 * @param schema JSON Schema, for {@code json_schema}
 * @param strict whether the schema is strict, for {@code json_schema}
 */
public record ResponseFormat(Type type, @Nullable String name, @Nullable Map<String, Object> schema, boolean strict) {

	public ResponseFormat {
		Objects.requireNonNull(type, "type must not be null");
		if (type == Type.JSON_SCHEMA && (name == null || schema == null)) {
			throw new IllegalArgumentException("a json_schema response format needs a name and a schema");
		}
		schema = (schema != null) ? Map.copyOf(schema) : null;
	}

	public static ResponseFormat text() {
		return new ResponseFormat(Type.TEXT, null, null, false);
	}

	public static ResponseFormat jsonObject() {
		return new ResponseFormat(Type.JSON_OBJECT, null, null, false);
	}

	public static ResponseFormat jsonSchema(String name, Map<String, Object> schema, boolean strict) {
		return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict);
	}

	/**
	 * Whether the model is asked for JSON output.
	 * @return {@code true} for {@code json_object} and {@code json_schema}
	 */
	public boolean isJson() {
		return this.type != Type.TEXT;
	}

	/** Kind of output format. */
	public enum Type {

		TEXT("text"), JSON_OBJECT("json_object"), JSON_SCHEMA("json_schema");

		private final String wireName;

		Type(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return this.wireName;
		}

	}

}
