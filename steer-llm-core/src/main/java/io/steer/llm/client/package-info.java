/**
 * The default client and its stream pipeline, in its fixed order: HTTP exchange, SSE
 * decoding and event assembly, the observation tap, callbacks, and the stage that applies
 * the user's {@link io.steer.llm.pipeline.EventProcessor} and keeps its terminal-event
 * contract.
 */
@NullMarked
package io.steer.llm.client;

import org.jspecify.annotations.NullMarked;
