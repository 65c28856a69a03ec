package io.steer.llm.resume;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.steer.llm.provider.Secrets;
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

	private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");

	private static final String ERROR = "error";

	private static final String DONE = "done";

	private final SecureRandom random = new SecureRandom();

	private final Map<String, StreamProducer> producers = new ConcurrentHashMap<>();

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
	 * <p>
	 * The events are requested unbounded and appended to the store as they come, in
	 * order, batched while an append runs; cancelling the returned {@code Mono} after it
	 * emitted does not stop the stream: only the events' own {@code done}, {@link #stop},
	 * abandonment (no reader for the time to live), a store failure while appending (one
	 * WARN, readers get the store's error) or {@link #close} do.
	 * @param events the stream's server-sent events, subscribed to once, detached from
	 * the caller (their ids are replaced by {@code streamId:sequence}); an error signal
	 * becomes an {@code error} event then {@code done}
	 * @return the stream's id, once the store registered it;
	 * {@link ResumeErrorType#OVERFLOW} or {@link ResumeErrorType#UNAVAILABLE} from the
	 * store, in which case {@code events} is not subscribed to
	 */
	public Mono<String> start(Flux<ServerSentEvent<String>> events) {
		return Mono.defer(() -> start(newId(), events));
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
		Objects.requireNonNull(streamId, "streamId must not be null");
		Objects.requireNonNull(events, "events must not be null");
		if (!STREAM_ID.matcher(streamId).matches()) {
			return Mono.error(invalidStreamId(streamId));
		}
		return this.store.create(streamId, this.settings.ttl()).then(Mono.fromSupplier(() -> {
			StreamProducer producer = new StreamProducer(this.store, streamId, this.settings, this.scheduler,
					() -> this.producers.remove(streamId));
			this.producers.put(streamId, producer);
			producer.start(events);
			return streamId;
		}));
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
		Objects.requireNonNull(streamId, "streamId must not be null");
		return Flux.<ServerSentEvent<String>>defer(() -> {
			if (!STREAM_ID.matcher(streamId).matches()) {
				return Flux.error(invalidStreamId(streamId));
			}
			long after;
			try {
				after = afterSequence(streamId, lastEventId);
			}
			catch (ResumeException ex) {
				return Flux.error(ex);
			}
			return this.store.info(streamId)
				.onErrorResume((ex) -> !absent(ex), (ex) -> Mono.empty())
				.<ServerSentEvent<String>>flatMapMany((info) -> switch (info.state()) {
					case NOT_FOUND -> Flux.error(absent(streamId, ResumeErrorType.NOT_FOUND));
					case GONE -> Flux.error(absent(streamId, ResumeErrorType.GONE));
					default -> Flux.empty();
				})
				.concatWith(Flux.defer(() -> read(streamId, after)));
		});
	}

	/**
	 * Reads from the store after {@code after}, watched, as server-sent events; a failure
	 * after the first event (or any but not-there) becomes {@code error} then
	 * {@code done}.
	 */
	private Flux<ServerSentEvent<String>> read(String streamId, long after) {
		AtomicBoolean emitted = new AtomicBoolean();
		AtomicLong lastEventAt = new AtomicLong(now());
		Flux<ServerSentEvent<String>> events = this.store.read(streamId, after).map((event) -> {
			lastEventAt.set(now());
			return ServerSentEvent.builder(event.data())
				.id(eventId(streamId, event.sequence()))
				.event(event.name())
				.build();
		});
		return events.takeUntilOther(watchdog(streamId, lastEventAt))
			.doOnNext((event) -> emitted.set(true))
			.onErrorResume((ex) -> emitted.get() || !absent(ex), (ex) -> readFailed(streamId, ex))
			.index((index, event) -> (index == 0 && this.settings.retry() != null) ? withRetry(event) : event);
	}

	/**
	 * Signals {@link ResumeErrorType#PRODUCER_LOST} when, at a heartbeat interval with no
	 * event for this reader in it, the store says the stream runs but its producer's last
	 * heartbeat is older than the watchdog timeout; never completes otherwise.
	 */
	private Flux<Void> watchdog(String streamId, AtomicLong lastEventAt) {
		Duration interval = this.settings.heartbeatInterval();
		long intervalMillis = interval.toMillis();
		return Flux.interval(interval, interval, this.scheduler)
			.onBackpressureDrop()
			.filter((tick) -> now() - lastEventAt.get() >= intervalMillis)
			.concatMap((tick) -> this.store.info(streamId).onErrorResume((ex) -> Mono.empty()), 1)
			.filter(this::producerLost)
			.take(1)
			.flatMap(
					(info) -> Flux.error(
							new ResumeException(ResumeErrorType.PRODUCER_LOST, streamId,
									"The producer of resumable stream " + streamId
											+ " sent no event and no heartbeat for " + this.settings.watchdogTimeout(),
									null)));
	}

	private boolean producerLost(StreamInfo info) {
		return info.state() == StreamState.RUNNING && info.lastHeartbeat() != null
				&& now() - info.lastHeartbeat().toEpochMilli() > this.settings.watchdogTimeout().toMillis();
	}

	private Flux<ServerSentEvent<String>> readFailed(String streamId, Throwable failure) {
		ResumeErrorType type = (failure instanceof ResumeException resume) ? resume.getErrorType()
				: ResumeErrorType.UNAVAILABLE;
		String message = (failure instanceof ResumeException) ? failure.getMessage()
				: "Resumable stream " + streamId + " could not be read (" + failure.getClass().getSimpleName() + ")";
		return Flux.just(ServerSentEvent.builder(ResumePayloads.readFailed(type, message)).event(ERROR).build(),
				ServerSentEvent.builder(ResumePayloads.DONE).event(DONE).build());
	}

	private ServerSentEvent<String> withRetry(ServerSentEvent<String> event) {
		ServerSentEvent.Builder<String> builder = ServerSentEvent.builder(event.data()).event(event.event());
		if (event.id() != null) {
			builder.id(event.id());
		}
		return builder.retry(this.settings.retry()).build();
	}

	private long now() {
		return this.scheduler.now(TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops a stream for everyone, on whichever instance its producer runs: the provider
	 * stream is cancelled, readers get {@code stopped} then {@code done}.
	 * @param streamId the stream
	 * @return {@code true} when it was running, {@code false} when it had already ended;
	 * {@link ResumeErrorType#NOT_FOUND} or {@link ResumeErrorType#GONE} when not there
	 */
	public Mono<Boolean> stop(String streamId) {
		Objects.requireNonNull(streamId, "streamId must not be null");
		if (!STREAM_ID.matcher(streamId).matches()) {
			return Mono.error(invalidStreamId(streamId));
		}
		return this.store.requestStop(streamId).doOnNext((running) -> {
			StreamProducer producer = this.producers.get(streamId);
			if (running && producer != null) {
				producer.stopRequested();
			}
		});
	}

	/**
	 * Cancels every stream this instance produces (the instance shuts down; Spring calls
	 * it on destroy): their provider streams are cancelled and nothing more is written,
	 * so their readers end with {@code RESUME_PRODUCER_LOST} after the watchdog timeout.
	 * Readers, and streams produced by other instances, are left alone.
	 */
	public void close() {
		for (StreamProducer producer : new ArrayList<>(this.producers.values())) {
			producer.cancel();
		}
		this.producers.clear();
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

	private String newId() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * The sequence of the last event a reader has: {@code -1} for none, from
	 * {@code streamId:sequence} or a bare sequence.
	 * @throws ResumeException {@link ResumeErrorType#INVALID_ID} for anything else
	 */
	private static long afterSequence(String streamId, @Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return -1;
		}
		String id = lastEventId.strip();
		int colon = id.lastIndexOf(':');
		String sequence = id;
		if (colon >= 0) {
			if (!id.substring(0, colon).equals(streamId)) {
				throw invalidEventId(streamId, "is of another stream");
			}
			sequence = id.substring(colon + 1);
		}
		if (!SEQUENCE.matcher(sequence).matches()) {
			throw invalidEventId(streamId, "is not streamId:sequence or a sequence");
		}
		return Long.parseLong(sequence);
	}

	private static ResumeException invalidEventId(String streamId, String why) {
		return new ResumeException(ResumeErrorType.INVALID_ID, streamId,
				"The last event id given for resumable stream " + streamId + " " + why, null);
	}

	private static ResumeException invalidStreamId(String streamId) {
		String shown = (streamId.length() > 40) ? streamId.substring(0, 40) + "…" : streamId;
		return new ResumeException(ResumeErrorType.INVALID_ID, streamId,
				"Not a resumable stream id (letters, digits, - and _, at most 128): '"
						+ Secrets.redact(shown.replaceAll("[^A-Za-z0-9_\\-]", "?"), null) + "'",
				null);
	}

	private static ResumeException absent(String streamId, ResumeErrorType type) {
		String what = (type == ResumeErrorType.GONE) ? "is gone (its time to live passed)" : "does not exist";
		// a valid id may still be shaped like an API key: never echo one
		return new ResumeException(type, streamId, "Resumable stream " + Secrets.redact(streamId, null) + " " + what,
				null);
	}

	/** Whether a failure says the stream is not there (NOT_FOUND or GONE). */
	private static boolean absent(Throwable failure) {
		return failure instanceof ResumeException resume && (resume.getErrorType() == ResumeErrorType.NOT_FOUND
				|| resume.getErrorType() == ResumeErrorType.GONE);
	}

}
