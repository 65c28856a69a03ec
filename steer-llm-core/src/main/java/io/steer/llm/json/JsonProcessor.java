package io.steer.llm.json;

import java.util.Objects;
import java.util.function.UnaryOperator;

import tools.jackson.databind.JsonNode;

/**
 * A user function applied to each JSON value that the JSON stream handler completes from
 * a streamed answer, before the value is delivered: to normalise, enrich or redact it
 * (the original SDK's {@code json_processor}).
 * <p>
 * Set with {@code StreamingOptions.Builder#jsonProcessor}; in Spring Boot,
 * {@code steer.streaming.json-processor} names a bean of this type. Applied, with the
 * JSON stream handler on, to each choice's final value once the answer's text ended; the
 * result is the one in {@code StreamingResponse#json()}, {@code Choice#json()} and
 * {@code JsonResult}. A processor must not return {@code null}; an exception it throws
 * (or a {@code null}) fails the stream with an
 * {@link io.steer.llm.error.EventProcessorException}.
 */
@FunctionalInterface
public interface JsonProcessor extends UnaryOperator<JsonNode> {

	/**
	 * Processes one complete JSON value.
	 * @param value the value as parsed, an object, array or scalar
	 * @return the value to deliver, not {@code null}
	 */
	@Override
	JsonNode apply(JsonNode value);

	/**
	 * This processor, then {@code next} on its result.
	 * @param next the processor applied after this one, not {@code null}
	 * @return the composed processor
	 */
	default JsonProcessor andThen(JsonProcessor next) {
		Objects.requireNonNull(next, "next must not be null");
		return (value) -> next.apply(apply(value));
	}

	/**
	 * The processor that returns each value unchanged.
	 * @return the identity processor
	 */
	static JsonProcessor identity() {
		return (value) -> value;
	}

}
