package io.steer.llm.resume;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Streams a browser can resume: each stream runs detached from the HTTP connection that
 * started it, its server-sent events are written with increasing sequences to a
 * {@link StreamStore}, and readers, on any instance that shares the store, tail it.
 * <p>
 * {@link #start} subscribes once to the events (for example
 * {@code ServerSentEvents.builder().build().apply(client.streamEvents(request))}): the
 * provider stream is consumed once, whoever reads, and as fast as it comes: a slow reader
 * never slows it (the store absorbs, within its bounds). {@link #events} serves a reader
 * from the event after its {@code Last-Event-ID}, then live, each event with the id
 * {@code streamId:sequence}. {@link #stop} cancels the provider stream for everyone; a
 * reader that goes away does not.
 * <p>
 * How a stream ends, as its readers see it: the events' own {@code done} (after
 * {@code complete} or {@code error}); on {@link #stop}, a {@code stopped} event
 * {@code {"reason": "requested"}} then {@code done}; with no reader for the time to live,
 * {@code stopped} {@code {"reason": "abandoned"}} then {@code done}. A reader whose
 * stream cannot be served to the end gets an {@code error} event {@code {"type":
 * "RESUME_<ResumeErrorType>", "message", "retryable", "partialText": ""}} without an id
 * (so that the browser's last event id stays the last real event), then {@code done}:
 * {@code RESUME_OVERFLOW} when it fell further behind than the store keeps,
 * {@code RESUME_UNAVAILABLE} when the store fails, {@code RESUME_PRODUCER_LOST} when the
 * stream is still marked running but its producer has sent nothing, not even a heartbeat,
 * for the watchdog timeout.
 */
public final class ResumableStreams {

	/** Name of the event written when a stream is stopped. */
	public static final String STOPPED = "stopped";

	private final StreamStore store;

	private final ResumeSettings settings;

	private final Scheduler scheduler;

	/**
	 * Creates the service on {@link Schedulers#parallel()}.
	 * @param store where the events are kept
	 * @param settings time to live, heartbeat, watchdog, retry
	 */
	public ResumableStreams(StreamStore store, ResumeSettings settings) {
		this(store, settings, Schedulers.parallel());
	}

	/**
	 * Creates the service on a scheduler (its clock times the heartbeats, the watchdog
	 * and the time to live; a virtual-time scheduler in tests).
	 * @param store where the events are kept
	 * @param settings time to live, heartbeat, watchdog, retry
	 * @param scheduler the scheduler
	 */
	public ResumableStreams(StreamStore store, ResumeSettings settings, Scheduler scheduler) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
	}

	/**
	 * Starts a stream with a new random id (URL-safe, 22 characters).
	 * @param events the stream's server-sent events, subscribed to once, detached from
	 * the caller (their ids are replaced by {@code streamId:sequence}); an error signal
	 * becomes an {@code error} event then {@code done}
	 * @return the stream's id, once the store registered it;
	 * {@link ResumeErrorType#OVERFLOW} or {@link ResumeErrorType#UNAVAILABLE} from the
	 * store, in which case {@code events} is not subscribed to
	 */
	public Mono<String> start(Flux<ServerSentEvent<String>> events) {
		throw new UnsupportedOperationException("TODO (issue 15)");
	}

	/**
	 * Starts a stream with a given id, see {@link #start(Flux)}.
	 * @param streamId the id (letters, digits, {@code -} and {@code _}, at most 128
	 * characters)
	 * @param events the stream's server-sent events
	 * @return the id; {@link ResumeErrorType#INVALID_ID} when it is not of that form or
	 * already exists
	 */
	public Mono<String> start(String streamId, Flux<ServerSentEvent<String>> events) {
		throw new UnsupportedOperationException("TODO (issue 15)");
	}

	/**
	 * A reader's events: every event after {@code lastEventId}, then the live rest,
	 * ending with the stream's last event ({@code done}); ids {@code streamId:sequence};
	 * the first event carries the settings' retry.
	 * <p>
	 * Signals {@link ResumeException} before any event when the stream is
	 * {@link ResumeErrorType#NOT_FOUND} (HTTP 404), {@link ResumeErrorType#GONE} (its
	 * time to live passed; HTTP 204 stops a browser's reconnecting), or the id is
	 * {@link ResumeErrorType#INVALID_ID} (HTTP 400); any later failure is an
	 * {@code error} event then {@code done} (see the class comment). Cancelling (the
	 * browser went away) stops this reader only.
	 * @param streamId the stream
	 * @param lastEventId the {@code Last-Event-ID} header or {@code lastEventId}
	 * parameter: {@code streamId:sequence} of the last event the reader has, or a bare
	 * sequence; {@code null} or empty for every event
	 * @return the events
	 */
	public Flux<ServerSentEvent<String>> events(String streamId, @Nullable String lastEventId) {
		throw new UnsupportedOperationException("TODO (issue 15)");
	}

	/**
	 * Stops a stream for everyone, on whichever instance its producer runs: the provider
	 * stream is cancelled, readers get {@code stopped} then {@code done}.
	 * @param streamId the stream
	 * @return {@code true} when it was running, {@code false} when it had already ended;
	 * {@link ResumeErrorType#NOT_FOUND} or {@link ResumeErrorType#GONE} when not there
	 */
	public Mono<Boolean> stop(String streamId) {
		throw new UnsupportedOperationException("TODO (issue 15)");
	}

	/**
	 * What the store knows about a stream.
	 * @param streamId the stream
	 * @return the info
	 */
	public Mono<StreamInfo> info(String streamId) {
		return this.store.info(streamId);
	}

	/**
	 * The SSE id of an event.
	 * @param streamId the stream
	 * @param sequence the event's sequence
	 * @return {@code streamId:sequence}
	 */
	public static String eventId(String streamId, long sequence) {
		return streamId + ":" + sequence;
	}

}
