package io.steer.llm.sse;

import org.jspecify.annotations.Nullable;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event:} field, {@code null} when the event had none (a
 * {@code message} event)
 * @param data the {@code data:} lines joined with {@code \n}
 * @param id the last event id seen on the stream so far, {@code null} when none
 * @param retry the {@code retry:} reconnection time sent with this event (ms),
 * {@code null} when none
 * @see <a href=
 * "https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation">WHATWG
 * HTML, 9.2.6 Interpreting an event stream</a>
 */
public record SseEvent(@Nullable String event, String data, @Nullable String id, @Nullable Long retry) {

}
