/**
 * Output shaping: text buffers, pacing, rate limits and progress for people and browsers.
 */
@NullMarked
package io.steer.llm.shaping;

import org.jspecify.annotations.NullMarked;
