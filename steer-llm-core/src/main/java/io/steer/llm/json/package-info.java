/**
 * Incremental handling of JSON answers: {@link io.steer.llm.json.JsonProcessor}, the
 * user's function applied to each JSON value a stream completes.
 */
@NullMarked
package io.steer.llm.json;

import org.jspecify.annotations.NullMarked;
