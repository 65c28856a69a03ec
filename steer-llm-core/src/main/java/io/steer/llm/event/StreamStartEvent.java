package io.steer.llm.event;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The provider accepted the request and its stream begins.
 *
 * @param streamId id this client gave the stream
 * @param provider provider name ({@code openai}, {@code xai}, {@code anthropic})
 * @param model model asked for
 * @param requestId the provider's request id from its response headers
 * ({@code x-request-id}, Anthropic {@code request-id}); {@code null} when it sent none
 * @param timestamp when the response headers arrived
 * @param metadata extras: {@code http.status}, the request's own metadata, and what
 * processors added (see {@link StreamEvent#metadata()})
 */
public record StreamStartEvent(String streamId, String provider, String model, @Nullable String requestId,
		Instant timestamp, Map<String, Object> metadata) implements StreamEvent {

	/**
	 * Creates the event; the metadata is copied.
	 * @param streamId id this client gave the stream
	 * @param provider provider name
	 * @param model model asked for
	 * @param requestId the provider's request id from its response headers, or
	 * {@code null}
	 * @param timestamp when the response headers arrived
	 * @param metadata extras: {@code http.status}, and the request's own metadata
	 * @throws NullPointerException if {@code metadata} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public StreamStartEvent {
		metadata = Map.copyOf(metadata);
	}

	@Override
	public StreamStartEvent withMetadata(String key, Object value) {
		return new StreamStartEvent(this.streamId, this.provider, this.model, this.requestId, this.timestamp,
				EventMetadata.with(this.metadata, key, value));
	}

	@Override
	public StreamStartEvent withMetadata(Map<String, ?> entries) {
		Map<String, Object> metadata = EventMetadata.with(this.metadata, entries);
		return (metadata == this.metadata) ? this : new StreamStartEvent(this.streamId, this.provider, this.model,
				this.requestId, this.timestamp, metadata);
	}

}
