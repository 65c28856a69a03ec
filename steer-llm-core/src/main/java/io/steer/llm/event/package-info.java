/**
 * Typed stream events: start, delta, usage, complete and error.
 */
@NullMarked
package io.steer.llm.event;

import org.jspecify.annotations.NullMarked;
