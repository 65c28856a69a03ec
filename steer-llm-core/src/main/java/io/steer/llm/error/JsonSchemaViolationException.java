package io.steer.llm.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A JSON answer broke the JSON schema of its request's {@code response_format}, and the
 * stream's options ask for that to fail the stream ({@code failOnSchemaViolation}). Not
 * retryable. The partial response keeps the text.
 */
public class JsonSchemaViolationException extends StreamParseException {

	/** What breaks the schema, one message each. */
	private final List<String> violations;

	/**
	 * Creates the exception.
	 * @param provider provider name, or {@code null}
	 * @param violations what breaks the schema, one message each, not empty
	 */
	public JsonSchemaViolationException(@Nullable String provider, List<String> violations) {
		super(provider, "the JSON answer does not conform to its response_format schema: " + violations, null);
		this.violations = List.copyOf(violations);
	}

	/**
	 * What breaks the schema, as the validator words it.
	 * @return the messages, never empty
	 */
	public List<String> violations() {
		return this.violations;
	}

}
