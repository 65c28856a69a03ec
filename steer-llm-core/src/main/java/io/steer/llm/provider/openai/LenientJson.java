package io.steer.llm.provider.openai;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lenient path of the OpenAI-compatible parsers: brings a JSON tree that did not bind
 * to its record into the JSON types the record expects, so that a field of an unexpected
 * type loses that field only, never the event. Used only after binding failed, so the
 * common case never builds a tree.
 * <p>
 * What {@link #conform} does with a field of a {@link Shape} whose JSON type is not the
 * expected one (a JSON {@code null} is always accepted):
 * <ul>
 * <li>string expected: a number or boolean becomes its text, an object or array its JSON
 * text;</li>
 * <li>integer expected: a number or a string that holds an integer becomes that integer,
 * anything else is removed;</li>
 * <li>object or array expected: anything else is removed; the elements of an array that
 * do not have the element's type are removed;</li>
 * <li>error object expected: a string becomes {@code {"message": string}};</li>
 * <li>text or parts expected (Chat Completions {@code content}): an array of content
 * parts, or one part, becomes the concatenated {@code text} of its {@code text} parts,
 * and each part of another type is reported as {@code content_part:<type>}.</li>
 * </ul>
 * Each change is reported as {@code field:<where>.<path>:<JSON type>} (for example
 * {@code field:chunk.choices[].delta.content:array}); fields that the shape does not name
 * are left as they are.
 */
final class LenientJson {

	private LenientJson() {
	}

	/** The JSON type a field must have to bind. */
	static final class Shape {

		enum Kind {

			STRING, INTEGER, OBJECT, ARRAY, ERROR, TEXT_OR_PARTS

		}

		final Kind kind;

		final Map<String, Shape> fields;

		final @Nullable Shape element;

		private Shape(Kind kind, Map<String, Shape> fields, @Nullable Shape element) {
			this.kind = kind;
			this.fields = fields;
			this.element = element;
		}

	}

	/** A JSON string. */
	static Shape string() {
		return new Shape(Shape.Kind.STRING, Map.of(), null);
	}

	/** A JSON integer that fits a {@code long}. */
	static Shape integer() {
		return new Shape(Shape.Kind.INTEGER, Map.of(), null);
	}

	/**
	 * A JSON object.
	 * @param namesAndShapes field names, each followed by its shape
	 */
	static Shape object(Object... namesAndShapes) {
		Map<String, Shape> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndShapes.length; i += 2) {
			fields.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
		}
		return new Shape(Shape.Kind.OBJECT, fields, null);
	}

	/** A JSON array whose elements have the given shape. */
	static Shape arrayOf(Shape element) {
		return new Shape(Shape.Kind.ARRAY, Map.of(), element);
	}

	/**
	 * An OpenAI error object ({@code type}, {@code message}; {@code code} of any type).
	 */
	static Shape error() {
		return new Shape(Shape.Kind.ERROR, Map.of("type", string(), "message", string()), null);
	}

	/** A string, or content parts whose text is joined. */
	static Shape textOrParts() {
		return new Shape(Shape.Kind.TEXT_OR_PARTS, Map.of(), null);
	}

	/**
	 * Brings the fields of an object that {@code shape} names into their expected JSON
	 * types.
	 * @param node the object, changed in place
	 * @param where how reports name the object, e.g. {@code chunk} or an event type
	 * @param shape the object's shape
	 * @param report receives a description of each change
	 */
	static void conform(ObjectNode node, String where, Shape shape, Consumer<String> report) {
		for (Map.Entry<String, Shape> field : shape.fields.entrySet()) {
			String name = field.getKey();
			JsonNode value = node.get(name);
			if (value != null && !value.isNull()) {
				conformField(node, name, value, where + "." + name, field.getValue(), report);
			}
		}
	}

	private static void conformField(ObjectNode parent, String name, JsonNode value, String path, Shape shape,
			Consumer<String> report) {
		switch (shape.kind) {
			case STRING -> {
				if (!value.isString()) {
					report.accept(changed(path, value));
					parent.put(name, text(value));
				}
			}
			case INTEGER -> {
				if (!value.isIntegralNumber() || !value.canConvertToLong()) {
					report.accept(changed(path, value));
					Long number = integerOf(value);
					if (number != null) {
						parent.put(name, number.longValue());
					}
					else {
						parent.remove(name);
					}
				}
			}
			case OBJECT -> {
				if (value instanceof ObjectNode object) {
					conform(object, path, shape, report);
				}
				else {
					report.accept(changed(path, value));
					parent.remove(name);
				}
			}
			case ERROR -> {
				if (value instanceof ObjectNode object) {
					conform(object, path, shape, report);
				}
				else {
					report.accept(changed(path, value));
					parent.putObject(name).put("message", text(value));
				}
			}
			case ARRAY -> {
				if (value instanceof ArrayNode array) {
					conformElements(array, path + "[]", shape.element, report);
				}
				else {
					report.accept(changed(path, value));
					parent.remove(name);
				}
			}
			case TEXT_OR_PARTS -> {
				if (!value.isString()) {
					report.accept(changed(path, value));
					parent.put(name, partsText(value, report));
				}
			}
		}
	}

	private static void conformElements(ArrayNode array, String path, @Nullable Shape element,
			Consumer<String> report) {
		if (element == null) {
			return;
		}
		for (int i = array.size() - 1; i >= 0; i--) {
			JsonNode value = array.get(i);
			if (element.kind == Shape.Kind.OBJECT) {
				if (value instanceof ObjectNode object) {
					conform(object, path, element, report);
				}
				else {
					report.accept(changed(path, value));
					array.remove(i);
				}
			}
		}
	}

	/**
	 * The text of content parts: a string as is; the {@code text} of each part of type
	 * {@code text} (or without a type), in order; other parts are reported and skipped.
	 */
	private static String partsText(JsonNode value, Consumer<String> report) {
		if (value.isObject()) {
			return partText(value, report);
		}
		if (!value.isArray()) {
			return text(value);
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : value) {
			text.append(partText(part, report));
		}
		return text.toString();
	}

	private static String partText(JsonNode part, Consumer<String> report) {
		if (part.isString()) {
			return part.stringValue();
		}
		JsonNode type = part.get("type");
		String typeText = (type != null && type.isString()) ? type.stringValue() : null;
		JsonNode text = part.get("text");
		if ((typeText == null || typeText.equals("text")) && text != null && text.isString()) {
			return text.stringValue();
		}
		report.accept("content_part:" + ((typeText != null) ? typeText : jsonType(part)));
		return "";
	}

	private static @Nullable Long integerOf(JsonNode value) {
		if (value.isNumber()) {
			return value.canConvertToLong() ? value.longValue() : null;
		}
		if (value.isString()) {
			try {
				return Long.parseLong(value.stringValue().strip());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private static String changed(String path, JsonNode value) {
		return "field:" + path + ":" + jsonType(value);
	}

	/**
	 * A field's value as text, whatever its JSON type.
	 * @param node the value, may be {@code null}
	 * @return a string as is; the text of a number or boolean; the JSON text of an object
	 * or array; {@code null} for {@code null}, a JSON {@code null} or a missing node
	 */
	static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (node.isString()) {
			return node.stringValue();
		}
		if (node.isContainer()) {
			return node.toString();
		}
		return node.asString();
	}

	/**
	 * A string field of an object, read leniently: {@link #text} of the field, reporting
	 * a value that is not a string.
	 * @param node the object, may be {@code null} or not an object
	 * @param field the field name
	 * @param where how a report names the field, e.g.
	 * {@code response.output_item.added.item}
	 * @param report receives {@code field:<where>.<field>:<JSON type>} for a value that
	 * is not a string
	 * @return the text, or {@code null} when absent
	 */
	static @Nullable String string(@Nullable JsonNode node, String field, String where, Consumer<String> report) {
		JsonNode value = (node != null) ? node.get(field) : null;
		if (value != null && !value.isString() && !value.isNull()) {
			report.accept(changed(where + "." + field, value));
		}
		return text(value);
	}

	/**
	 * An integer field of an object, or {@code null} when absent or not an integer.
	 * @param node the object, may be {@code null}
	 * @param field the field name
	 * @return the value
	 */
	static @Nullable Integer integer(@Nullable JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isIntegralNumber() && value.canConvertToInt()) ? value.intValue() : null;
	}

	/**
	 * The lower-case JSON type of a node, as reports name it.
	 * @param node the node
	 * @return {@code string}, {@code number}, {@code boolean}, {@code object},
	 * {@code array}, {@code null}, …
	 */
	static String jsonType(@Nullable JsonNode node) {
		return (node == null) ? "missing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
	}

}
