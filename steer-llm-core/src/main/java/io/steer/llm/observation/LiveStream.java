package io.steer.llm.observation;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one stream in flight, as {@link LiveStreams} lists it: no text, no keys.
 *
 * @param streamId the stream's id (the {@code streamId} of its events)
 * @param provider the provider's name
 * @param model the model asked for
 * @param startedAt when the stream started
 * @param age how long it has been running at the snapshot
 * @param chunks deltas delivered so far
 */
public record LiveStream(String streamId, String provider, String model, Instant startedAt, Duration age, long chunks) {

}
