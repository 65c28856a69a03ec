package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

/**
 * A typed event of one stream. A stream emits exactly one {@link StreamStartEvent} first
 * (unless it fails before the provider answered), then any number of
 * {@link StreamDeltaEvent}s and {@link StreamUsageEvent}s, and ends with exactly one
 * terminal event: a {@link StreamCompleteEvent} or a {@link StreamErrorEvent}.
 * <p>
 * Events are immutable. Each carries {@link #metadata()}, extras keyed by name that an
 * {@link io.steer.llm.pipeline.EventProcessor} can add to:
 * {@link #withMetadata(String, Object)} returns a copy of the same type with every field
 * kept and the entry added.
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
	 * Extras of this event, keyed by name: for a {@link StreamStartEvent} the provider's
	 * and the request's ({@code http.status}, …), and whatever processors added (for
	 * example {@code correlation_id}, {@code processed_at}, a user's {@code user_id}).
	 * @return an unmodifiable map, never {@code null}, empty (the shared
	 * {@code Map.of()}) unless something was added; its iteration order is unspecified
	 */
	Map<String, Object> metadata();

	/**
	 * A copy of this event, of the same type and with every field kept, whose metadata
	 * has {@code key} set to {@code value} (replacing a value it had).
	 * @param key the metadata key, not {@code null}
	 * @param value the value, not {@code null}
	 * @return the copy; this event is unchanged
	 * @throws NullPointerException if {@code key} or {@code value} is {@code null}
	 */
	StreamEvent withMetadata(String key, Object value);

	/**
	 * A copy of this event, of the same type and with every field kept, whose metadata
	 * has the given entries added (replacing values it had for their keys).
	 * @param entries the entries, not {@code null}, without {@code null} keys or values
	 * @return the copy (this event itself when {@code entries} is empty)
	 * @throws NullPointerException if {@code entries} is {@code null} or holds a
	 * {@code null} key or value
	 */
	StreamEvent withMetadata(Map<String, ?> entries);

	/**
	 * Whether this event ends the stream.
	 * @return {@code true} for {@link StreamCompleteEvent} and {@link StreamErrorEvent}
	 */
	default boolean isTerminal() {
		return false;
	}

}
