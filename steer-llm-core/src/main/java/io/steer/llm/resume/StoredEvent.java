package io.steer.llm.resume;

import java.util.Objects;

/**
 * One server-sent event of a resumable stream, as a {@link StreamStore} keeps it.
 *
 * @param sequence the event's place in its stream: 0 for the first, then 1, 2, … with no
 * gap; the SSE id a browser sees is {@code streamId:sequence}
 * @param name the SSE event name ({@code start}, {@code delta}, …, {@code done})
 * @param data the SSE data, one line of JSON as {@link io.steer.llm.web.ServerSentEvents}
 * writes it
 */
public record StoredEvent(long sequence, String name, String data) {

	/**
	 * Creates an event, checking it.
	 * @param sequence the event's place in its stream, 0 or more
	 * @param name the SSE event name
	 * @param data the SSE data
	 * @throws IllegalArgumentException if {@code sequence} is negative
	 * @throws NullPointerException if {@code name} or {@code data} is {@code null}
	 */
	public StoredEvent {
		if (sequence < 0) {
			throw new IllegalArgumentException("sequence must not be negative: " + sequence);
		}
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(data, "data must not be null");
	}

}
