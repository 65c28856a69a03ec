/**
 * OpenAI-compatible Chat Completions streaming (OpenAI and xAI).
 */
@NullMarked
package io.steer.llm.provider.openai;

import org.jspecify.annotations.NullMarked;
