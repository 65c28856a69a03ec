/**
 * OpenAI-compatible streaming (OpenAI and xAI): Chat Completions and the Responses API.
 */
@NullMarked
package io.steer.llm.provider.openai;

import org.jspecify.annotations.NullMarked;
