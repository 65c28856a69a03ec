package io.steer.llm.resume;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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
		// STAND-IN (replaced at merge)
		return Mono.defer(() -> start(randomId(), events));
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
		// STAND-IN (replaced at merge)
		return Mono.defer(() -> {
			if (!ID.matcher(streamId).matches()) {
				return Mono.error(invalidId(streamId));
			}
			StandInStream stream = new StandInStream(streamId);
			if (this.standIn.putIfAbsent(streamId, stream) != null) {
				return Mono.error(invalidId(streamId));
			}
			stream.run(events);
			return Mono.just(streamId);
		});
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
		// STAND-IN (replaced at merge)
		return Flux.defer(() -> {
			if (!ID.matcher(streamId).matches()) {
				return Flux.error(invalidId(streamId));
			}
			long after;
			try {
				after = afterSequence(streamId, lastEventId);
			}
			catch (IllegalArgumentException ex) {
				return Flux.error(new ResumeException(ResumeErrorType.INVALID_ID, streamId,
						"Event id of stream " + streamId + " is not streamId:sequence", null));
			}
			StandInStream stream = this.standIn.get(streamId);
			if (stream == null) {
				return Flux
					.error(new ResumeException(ResumeErrorType.NOT_FOUND, streamId, "No stream " + streamId, null));
			}
			Duration retry = this.settings.retry();
			return stream.sink.asFlux().skip(after + 1).index().map((indexed) -> {
				ServerSentEvent<String> event = indexed.getT2();
				if (indexed.getT1() == 0 && retry != null) {
					return ServerSentEvent.builder(event.data())
						.id(event.id())
						.event(event.event())
						.retry(retry)
						.build();
				}
				return event;
			});
		});
	}

	/**
	 * Stops a stream for everyone, on whichever instance its producer runs: the provider
	 * stream is cancelled, readers get {@code stopped} then {@code done}.
	 * @param streamId the stream
	 * @return {@code true} when it was running, {@code false} when it had already ended;
	 * {@link ResumeErrorType#NOT_FOUND} or {@link ResumeErrorType#GONE} when not there
	 */
	public Mono<Boolean> stop(String streamId) {
		// STAND-IN (replaced at merge)
		return Mono.defer(() -> {
			StandInStream stream = this.standIn.get(streamId);
			if (stream == null) {
				return Mono
					.error(new ResumeException(ResumeErrorType.NOT_FOUND, streamId, "No stream " + streamId, null));
			}
			return Mono.just(stream.stop());
		});
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

	// STAND-IN (replaced at merge): everything below, an in-memory stand-in that ignores
	// the store, no time to live, no watchdog

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private final Map<String, StandInStream> standIn = new ConcurrentHashMap<>();

	private static String randomId() {
		byte[] bytes = new byte[16];
		ThreadLocalRandom.current().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static ResumeException invalidId(String streamId) {
		return new ResumeException(ResumeErrorType.INVALID_ID, streamId,
				"Stream id '" + streamId + "' is not of the form [A-Za-z0-9_-]{1,128} or already exists", null);
	}

	private static long afterSequence(String streamId, @Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isEmpty()) {
			return -1;
		}
		String sequence = lastEventId;
		int colon = lastEventId.lastIndexOf(':');
		if (colon >= 0) {
			if (!lastEventId.substring(0, colon).equals(streamId)) {
				throw new IllegalArgumentException("not of this stream");
			}
			sequence = lastEventId.substring(colon + 1);
		}
		long value = Long.parseLong(sequence);
		if (value < -1) {
			throw new IllegalArgumentException("negative");
		}
		return value;
	}

	private static final class StandInStream {

		private final String streamId;

		private final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many().replay().all();

		private final Sinks.Empty<Void> stopRequested = Sinks.empty();

		private long sequence;

		private boolean ended;

		StandInStream(String streamId) {
			this.streamId = streamId;
		}

		void run(Flux<ServerSentEvent<String>> events) {
			events.takeUntilOther(this.stopRequested.asMono())
				.subscribe(this::emit, (ex) -> end("error",
						"{\"type\":\"PROCESSOR\",\"message\":\"The stream failed\",\"retryable\":false,\"partialText\":\"\"}"),
						() -> end(null, null));
		}

		synchronized boolean stop() {
			if (this.ended) {
				return false;
			}
			emit(ServerSentEvent.builder("{\"reason\":\"requested\"}").event(STOPPED).build());
			end(null, null);
			this.stopRequested.tryEmitEmpty();
			return true;
		}

		private synchronized void emit(ServerSentEvent<String> event) {
			if (this.ended) {
				return;
			}
			String name = (event.event() != null) ? event.event() : "message";
			String data = (event.data() != null) ? event.data() : "";
			this.sink.tryEmitNext(
					ServerSentEvent.builder(data).id(eventId(this.streamId, this.sequence++)).event(name).build());
			if ("done".equals(name)) {
				this.ended = true;
				this.sink.tryEmitComplete();
			}
		}

		private synchronized void end(@Nullable String name, @Nullable String data) {
			if (this.ended) {
				return;
			}
			if (name != null && data != null) {
				emit(ServerSentEvent.builder(data).event(name).build());
			}
			emit(ServerSentEvent.builder("{}").event("done").build());
		}

	}

}
