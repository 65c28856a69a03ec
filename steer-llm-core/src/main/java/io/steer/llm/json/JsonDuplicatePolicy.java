package io.steer.llm.json;

/**
 * What the JSON stream handler does when an answer holds more than one top-level JSON
 * value: a model that emits the same object twice, concatenated objects, or a repeat of
 * the whole text. Whatever the policy, no second value is ever delivered as a second
 * object; the values past the first are counted in the response metadata
 * {@code json.duplicates}.
 */
public enum JsonDuplicatePolicy {

	/** Keep the first value; later ones are ignored (and counted). The default. */
	FIRST,

	/** Keep the last value: each later value replaces the one before. */
	LAST,

	/**
	 * Fail the stream with a {@code StreamParseException} at the first character of the
	 * second value.
	 */
	FAIL

}
