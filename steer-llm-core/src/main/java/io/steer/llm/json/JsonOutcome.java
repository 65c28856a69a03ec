package io.steer.llm.json;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link JsonStreamHandler} made of a whole text, from
 * {@link JsonStreamHandler#finish()}.
 *
 * @param value the delivered top-level value (an object or an array) per the
 * {@link JsonDuplicatePolicy}, or {@code null} when no value completed (an empty text, a
 * text without JSON, a broken or unfinished value)
 * @param duplicates how many top-level values followed the first one (whatever the
 * policy), each counted when it closed or when the text ended inside it; a broken later
 * value is not counted
 * @param error the first error of the first value that was not thrown: an invalid token
 * when not validating incrementally, or, whatever the validation setting, the text ending
 * inside the value (reason {@code "unexpected end of the JSON text"}, offset the text's
 * length); {@code null} when none
 */
public record JsonOutcome(@Nullable JsonNode value, int duplicates, @Nullable JsonStreamException error) {

}
