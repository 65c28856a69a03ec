/**
 * Provider-independent requests and results: {@link io.steer.llm.model.ChatRequest},
 * {@link io.steer.llm.model.StreamingResponse}, usage and tool calls.
 */
@NullMarked
package io.steer.llm.model;

import org.jspecify.annotations.NullMarked;
