package io.steer.llm.provider;

import io.steer.llm.sse.SseEvent;

/**
 * Reads one provider stream's SSE events and reports what they carry to a
 * {@link StreamDeltaListener}. One parser per stream; not thread-safe.
 */
public interface StreamParser {

	/**
	 * Reads one event.
	 * @param event the event
	 * @throws io.steer.llm.error.ProviderStreamException when the event is a provider
	 * error
	 * @throws io.steer.llm.error.StreamParseException when the event cannot be read
	 */
	void onEvent(SseEvent event);

	/**
	 * Whether the provider's end-of-stream marker was read; later bytes are ignored.
	 * @return {@code true} once the stream is complete
	 */
	boolean isComplete();

	/**
	 * Called when the body ended.
	 * @throws io.steer.llm.error.StreamInterruptedException when the body ended before
	 * the stream was complete
	 */
	void onEndOfBody();

}
