/**
 * Incremental handling of JSON answers and tool-call arguments:
 * {@link io.steer.llm.json.JsonStreamHandler} parses a streamed text with Jackson's
 * non-blocking parser, fed each delta once, and returns repaired
 * {@link io.steer.llm.json.JsonSnapshot}s of the value so far;
 * {@link io.steer.llm.json.JsonOutcome} is what the whole text made, under a
 * {@link io.steer.llm.json.JsonDuplicatePolicy}; {@link io.steer.llm.json.JsonProcessor}
 * is the user's function applied to each JSON value a stream completes.
 */
@NullMarked
package io.steer.llm.json;

import org.jspecify.annotations.NullMarked;
