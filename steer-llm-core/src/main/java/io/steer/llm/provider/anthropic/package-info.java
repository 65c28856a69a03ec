/**
 * Anthropic Messages streaming.
 */
@NullMarked
package io.steer.llm.provider.anthropic;

import org.jspecify.annotations.NullMarked;
