/**
 * Server-sent events for browsers: {@link io.steer.llm.web.ServerSentEvents} maps a
 * stream's events to WebFlux {@code ServerSentEvent}s with fixed event names, ids, an
 * optional retry, progress, an {@code error} event for a failure and a final
 * {@code done}; {@link io.steer.llm.web.SseWriter} writes the same wire format (WHATWG
 * {@code text/event-stream}) to any {@link java.lang.Appendable} or
 * {@link java.io.OutputStream}; {@link io.steer.llm.web.AgentServerSentEvents} maps an
 * agent run's events the same way.
 */
@NullMarked
package io.steer.llm.web;

import org.jspecify.annotations.NullMarked;
