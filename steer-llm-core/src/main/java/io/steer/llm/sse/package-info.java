/**
 * Server-sent events (WHATWG {@code text/event-stream}) decoding.
 */
@NullMarked
package io.steer.llm.sse;

import org.jspecify.annotations.NullMarked;
