package io.steer.llm.resume;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the events of resumable streams are kept, so that a reader on any instance that
 * shares the store gets every event after the last one it saw, then the live rest: no
 * gap, no duplicate, in order.
 * <p>
 * One producer writes each stream ({@link #create}, {@link #append} in sequence order,
 * {@link #heartbeat}, then {@link #complete}); any number of readers {@link #read} it. A
 * store is bounded: it keeps at most a number of events per stream (the oldest are
 * trimmed; a reader that needs a trimmed one gets {@link ResumeErrorType#OVERFLOW}), and
 * a completed stream's events for its time to live, after which the stream is
 * {@link StreamState#GONE} (for a while longer, so that a late reader is told "gone"
 * rather than "not found").
 * <p>
 * Every method is non-blocking and lazy (nothing happens until subscription); failures
 * are signalled as {@link ResumeException}s ({@link ResumeErrorType#UNAVAILABLE} when the
 * store cannot be reached), never thrown. Implementations: {@code InMemoryStreamStore}
 * (the default) and {@code RedisStreamStore} (Redis Streams through Spring Data Redis).
 */
public interface StreamStore {

	/**
	 * Registers a new stream, {@link StreamState#RUNNING}, with no events.
	 * @param streamId the stream's id (letters, digits, {@code -} and {@code _}, at most
	 * 128 characters)
	 * @param ttl how long the events are kept after the stream completes, and how long a
	 * running stream with no reader is kept going
	 * @return completes when registered; {@link ResumeErrorType#INVALID_ID} when the id
	 * is not of that form or already exists, {@link ResumeErrorType#OVERFLOW} when the
	 * store may hold no more streams
	 */
	Mono<Void> create(String streamId, Duration ttl);

	/**
	 * Appends events of a running stream, in order; their sequences must follow the last
	 * appended one with no gap (the first is 0). Trims the oldest events beyond the
	 * store's bound. Counts as a heartbeat.
	 * @param streamId the stream
	 * @param events the events, possibly one
	 * @return completes when stored; {@link ResumeErrorType#NOT_FOUND} or
	 * {@link ResumeErrorType#GONE} when the stream is not running there,
	 * {@link ResumeErrorType#UNAVAILABLE} when the store failed
	 */
	Mono<Void> append(String streamId, List<StoredEvent> events);

	/**
	 * Says the producer is alive although it has no event to append.
	 * @param streamId the stream
	 * @return completes when recorded
	 */
	Mono<Void> heartbeat(String streamId);

	/**
	 * Marks a stream {@link StreamState#COMPLETED} after its last event: readers end
	 * after reading it, and the time to live starts.
	 * @param streamId the stream
	 * @return completes when recorded
	 */
	Mono<Void> complete(String streamId);

	/**
	 * The events of a stream with a sequence greater than {@code afterSequence}, then,
	 * while the stream runs, each new one as it is appended; completes after the last
	 * event of a completed stream. Records the reader ({@link StreamInfo#lastRead()}) as
	 * it reads.
	 * <p>
	 * Signals {@link ResumeErrorType#NOT_FOUND} or {@link ResumeErrorType#GONE} at once
	 * for a stream that is not there; {@link ResumeErrorType#OVERFLOW} when the next
	 * event the reader needs was trimmed (before or while reading);
	 * {@link ResumeErrorType#UNAVAILABLE} when the store fails while reading. Cancelling
	 * stops the reading and nothing else.
	 * @param streamId the stream
	 * @param afterSequence the sequence of the last event the reader has, or {@code -1}
	 * for all
	 * @return the events, in sequence order, without gap or duplicate
	 */
	Flux<StoredEvent> read(String streamId, long afterSequence);

	/**
	 * What the store knows about a stream.
	 * @param streamId the stream
	 * @return the info; {@link StreamState#NOT_FOUND} or {@link StreamState#GONE} rather
	 * than an error when it is not there
	 */
	Mono<StreamInfo> info(String streamId);

	/**
	 * Asks a stream's producer, on whichever instance it runs, to stop: it cancels the
	 * provider stream and completes the stream.
	 * @param streamId the stream
	 * @return {@code true} when the stream was running, {@code false} when it had already
	 * completed; {@link ResumeErrorType#NOT_FOUND} or {@link ResumeErrorType#GONE} when
	 * it is not there
	 */
	Mono<Boolean> requestStop(String streamId);

	/**
	 * Completes when someone asked the stream to stop ({@link #requestStop}), on any
	 * instance; the producer listens to it. A store may poll, at most every
	 * {@code pollInterval}.
	 * @param streamId the stream
	 * @param pollInterval how often a polling store looks
	 * @return completes on the stop request, never when there is none
	 */
	Mono<Void> stopRequested(String streamId, Duration pollInterval);

}
