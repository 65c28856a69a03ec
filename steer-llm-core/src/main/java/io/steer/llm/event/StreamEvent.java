package io.steer.llm.event;

import java.time.Instant;

/**
 * A typed event of one stream. A stream emits exactly one {@link StreamStartEvent} first
 * (unless it fails before the provider answered), then any number of
 * {@link StreamDeltaEvent}s and {@link StreamUsageEvent}s, and ends with exactly one
 * terminal event: a {@link StreamCompleteEvent} or a {@link StreamErrorEvent}.
 */
public sealed interface StreamEvent
		permits StreamStartEvent, StreamDeltaEvent, StreamUsageEvent, StreamCompleteEvent, StreamErrorEvent {

	/**
	 * Id this client gave the stream, shared by all its events.
	 * @return the stream id, never {@code null}
	 */
	String streamId();

	/**
	 * When the event was created, on the wall clock.
	 * @return the timestamp, never {@code null}
	 */
	Instant timestamp();

	/**
	 * Whether this event ends the stream.
	 * @return {@code true} for {@link StreamCompleteEvent} and {@link StreamErrorEvent}
	 */
	default boolean isTerminal() {
		return false;
	}

}
