package io.steer.llm.resume;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamStore} knows about one stream.
 *
 * @param streamId the stream's id
 * @param state where the stream is in its life
 * @param nextSequence the sequence the next appended event gets (the number of events
 * ever appended); 0 when none, or when the state is {@link StreamState#GONE} or
 * {@link StreamState#NOT_FOUND}
 * @param firstSequence the sequence of the oldest event still kept (older ones were
 * trimmed to the store's bound), equal to {@code nextSequence} when none is kept
 * @param lastHeartbeat when the producer last appended or sent a heartbeat, on the
 * store's clock, or {@code null} when unknown
 * @param lastRead when a reader last read or touched the stream, or {@code null} when
 * never
 * @param stopRequested whether someone asked the stream to stop
 */
public record StreamInfo(String streamId, StreamState state, long nextSequence, long firstSequence,
		@Nullable Instant lastHeartbeat, @Nullable Instant lastRead, boolean stopRequested) {

	/**
	 * The info of a stream the store has no events of.
	 * @param streamId the id
	 * @param state {@link StreamState#GONE} or {@link StreamState#NOT_FOUND}
	 * @return the info
	 */
	public static StreamInfo absent(String streamId, StreamState state) {
		return new StreamInfo(streamId, state, 0, 0, null, null, false);
	}

}
