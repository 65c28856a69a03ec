/**
 * Steer LLM: one streaming client for OpenAI, Anthropic and xAI. Start at
 * {@link io.steer.llm.SteerLLMClient}.
 */
@NullMarked
package io.steer.llm;

import org.jspecify.annotations.NullMarked;
