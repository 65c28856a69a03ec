package io.steer.llm.json;

import java.util.List;
import java.util.Objects;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The JSON value of a streamed answer (choice 0), as the JSON stream handler (or, with
 * the handler off, a parse of the final text) made it, after the user's
 * {@link JsonProcessor}: the value, typed views of it through the client's mapper, how
 * many duplicated top-level values were dropped, and the JSON schema violations found.
 * Equal to another result with the same value, duplicates and violations.
 */
public final class JsonResult {

	private final JsonNode value;

	private final int duplicates;

	private final List<String> schemaViolations;

	private final ObjectMapper mapper;

	/**
	 * Creates a result.
	 * @param value the value, not {@code null}
	 * @param duplicates top-level values past the first that the duplicate policy dropped
	 * or replaced, not negative
	 * @param schemaViolations what breaks the request's JSON schema, one message each;
	 * empty when none or when there was no schema
	 * @param mapper the mapper that converts the value to types
	 * @throws NullPointerException if an argument is {@code null}
	 * @throws IllegalArgumentException if {@code duplicates} is negative
	 */
	public JsonResult(JsonNode value, int duplicates, List<String> schemaViolations, ObjectMapper mapper) {
		this.value = Objects.requireNonNull(value, "value must not be null");
		if (duplicates < 0) {
			throw new IllegalArgumentException("duplicates must not be negative: " + duplicates);
		}
		this.duplicates = duplicates;
		this.schemaViolations = List.copyOf(schemaViolations);
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
	}

	/**
	 * The value.
	 * @return the JSON value, an object, array or scalar; treat it as read-only
	 */
	public JsonNode value() {
		return this.value;
	}

	/**
	 * The value converted to a type through the client's mapper.
	 * @param <T> the type
	 * @param type the class to convert to
	 * @return the converted value
	 * @throws tools.jackson.core.JacksonException (Jackson's exception) when the value
	 * does not convert
	 */
	public <T> T as(Class<T> type) {
		return this.mapper.treeToValue(this.value, type);
	}

	/**
	 * The value converted to a generic type through the client's mapper.
	 * @param <T> the type
	 * @param type the type to convert to, e.g. {@code new TypeReference<List<Product>>()
	 * {}}
	 * @return the converted value
	 * @throws tools.jackson.core.JacksonException (Jackson's exception) when the value
	 * does not convert
	 */
	public <T> T as(TypeReference<T> type) {
		return this.mapper.treeToValue(this.value, type);
	}

	/**
	 * Top-level values past the first (a repeated object, concatenated objects), which
	 * the duplicate policy dropped (or, with {@link JsonDuplicatePolicy#LAST}, let
	 * replace the earlier one).
	 * @return the count, 0 when the answer held one value
	 */
	public int duplicates() {
		return this.duplicates;
	}

	/**
	 * What breaks the JSON schema of the request's {@code response_format}, as the
	 * validator words it (e.g. {@code $.price: string found, number expected}).
	 * @return the messages, empty when the value conforms or there was no schema
	 */
	public List<String> schemaViolations() {
		return this.schemaViolations;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof JsonResult that && this.value.equals(that.value)
				&& this.duplicates == that.duplicates && this.schemaViolations.equals(that.schemaViolations));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.value, this.duplicates, this.schemaViolations);
	}

	@Override
	public String toString() {
		return "JsonResult[value=" + this.value + ", duplicates=" + this.duplicates + ", schemaViolations="
				+ this.schemaViolations + "]";
	}

}
