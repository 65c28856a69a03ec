/**
 * Exceptions a stream can end with; each carries the partial response.
 */
@NullMarked
package io.steer.llm.error;

import org.jspecify.annotations.NullMarked;
