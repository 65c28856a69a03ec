package io.steer.llm.json;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link JsonStreamHandler} made of the whole text once it ended. Stand-in,
 * replaced by J1.
 *
 * @param value the value kept by the duplicate policy, or {@code null} when there is none
 * (no JSON, invalid or truncated JSON)
 * @param duplicates top-level values past the first
 * @param error why there is no valid value, or {@code null} when there is one
 */
public record JsonOutcome(@Nullable JsonNode value, int duplicates, @Nullable JsonStreamException error) {

}
