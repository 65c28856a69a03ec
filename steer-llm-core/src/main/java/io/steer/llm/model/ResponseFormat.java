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

	/**
	 * Creates a format; the schema is copied.
	 * @param type kind of output format
	 * @param name schema name, required for {@link Type#JSON_SCHEMA}, else ignored
	 * @param schema JSON Schema, required for {@link Type#JSON_SCHEMA}, else ignored
	 * @param strict whether the schema is strict, for {@link Type#JSON_SCHEMA}
	 * @throws NullPointerException if {@code type} is {@code null}, or the schema holds a
	 * {@code null} key or value
	 * @throws IllegalArgumentException if a {@link Type#JSON_SCHEMA} format lacks its
	 * name or schema
	 */
	public ResponseFormat {
		Objects.requireNonNull(type, "type must not be null");
		if (type == Type.JSON_SCHEMA && (name == null || schema == null)) {
			throw new IllegalArgumentException("a json_schema response format needs a name and a schema");
		}
		schema = (schema != null) ? Map.copyOf(schema) : null;
	}

	/**
	 * Plain text output, the providers' default.
	 * @return the format
	 */
	public static ResponseFormat text() {
		return new ResponseFormat(Type.TEXT, null, null, false);
	}

	/**
	 * Any JSON object ({@code json_object}); the messages should still ask for JSON.
	 * @return the format
	 */
	public static ResponseFormat jsonObject() {
		return new ResponseFormat(Type.JSON_OBJECT, null, null, false);
	}

	/**
	 * JSON that follows a schema ({@code json_schema}).
	 * @param name schema name, e.g. {@code weather}
	 * @param schema the JSON Schema, as nested maps and lists; copied
	 * @param strict whether the provider must follow the schema exactly
	 * @return the format
	 * @throws IllegalArgumentException if {@code name} or {@code schema} is {@code null}
	 * @throws NullPointerException if the schema holds a {@code null} key or value
	 */
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

		/** Plain text ({@code text}). */
		TEXT("text"),

		/** Any JSON object ({@code json_object}). */
		JSON_OBJECT("json_object"),

		/** JSON that follows the format's schema ({@code json_schema}). */
		JSON_SCHEMA("json_schema");

		private final String wireName;

		Type(String wireName) {
			this.wireName = wireName;
		}

		/**
		 * Name of the type in the provider's request body.
		 * @return {@code text}, {@code json_object} or {@code json_schema}
		 */
		public String wireName() {
			return this.wireName;
		}

	}

}
