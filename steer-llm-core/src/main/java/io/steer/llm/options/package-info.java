/**
 * {@link io.steer.llm.options.StreamingOptions}, its presets, and stream callbacks.
 */
@NullMarked
package io.steer.llm.options;

import org.jspecify.annotations.NullMarked;
