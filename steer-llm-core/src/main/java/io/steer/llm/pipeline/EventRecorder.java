package io.steer.llm.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.Usage;
import io.steer.llm.support.ClockTicker;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@link EventProcessor} that records the events of recent streams for debugging,
 * passing every event through unchanged, so that a finished stream can be
 * {@linkplain #replay(String) replayed} as a {@code Flux<StreamEvent>} or
 * {@linkplain #jsonLines(String) exported as JSON lines}.
 * <p>
 * Nothing is recorded unless a recorder is created and placed in the options' processor
 * chain (first, to see the events as the stream emits them: {@code
 * recorder.andThen(userProcessor)}). The recordings live in a Caffeine cache keyed by
 * stream id and bounded three ways:
 * <ul>
 * <li>{@linkplain Builder#maxStreams(long) streams}: when full, Caffeine's size eviction
 * removes a stream (the most recently started one is kept);</li>
 * <li>{@linkplain Builder#maxEventsPerStream(int) events per stream}: beyond it, the
 * oldest event after the start event is dropped, and counted in
 * {@link RecordedStream#droppedEvents()}; the {@linkplain RecordedEvent#sequence()
 * sequence number} of each event kept shows where the gap is;</li>
 * <li>{@linkplain Builder#ttl(Duration) TTL}: a stream's recording expires that long
 * after its last event, read on the recorder's {@link Clock}.</li>
 * </ul>
 * Recording costs one cache write per event, on the thread that delivers it; it never
 * delays, drops, reorders or fails the stream (the stream's subscriber sees exactly what
 * it would without the recorder). A recording is keyed by {@link StreamEvent#streamId()}:
 * two subscriptions of the same stream id append to the same recording.
 * <p>
 * Recorded events are the events themselves, so {@link #replay(String)} gives back the
 * text too; the {@linkplain #toJson(RecordedEvent) JSON view}, used by the export and by
 * the {@code steer} actuator endpoint, redacts text (delta text, the text, reasoning,
 * refusal and tool call arguments of a complete or partial response) as
 * {@code "[redacted N chars]"} unless the recorder was built with
 * {@link Builder#includeText(boolean) includeText(true)}. The JSON view never shows a
 * request header or API key: events carry none.
 */
public final class EventRecorder implements EventProcessor {

	/** Default of {@link Builder#maxStreams(long)}. */
	public static final long DEFAULT_MAX_STREAMS = 50;

	/** Default of {@link Builder#maxEventsPerStream(int)}. */
	public static final int DEFAULT_MAX_EVENTS_PER_STREAM = 5000;

	/** Default of {@link Builder#ttl(Duration)}. */
	public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

	private final Cache<String, Recording> recordings;

	private final int maxEventsPerStream;

	private final boolean includeText;

	private final ObjectWriter writer;

	private EventRecorder(Builder builder) {
		this.maxEventsPerStream = builder.maxEventsPerStream;
		this.includeText = builder.includeText;
		this.writer = builder.jsonMapper.writer().without(SerializationFeature.INDENT_OUTPUT);
		this.recordings = Caffeine.newBuilder()
			.maximumSize(builder.maxStreams)
			.expireAfterWrite(builder.ttl)
			.ticker(new ClockTicker(builder.clock))
			.executor(Runnable::run)
			.build();
	}

	/**
	 * A builder with the defaults: {@value #DEFAULT_MAX_STREAMS} streams,
	 * {@value #DEFAULT_MAX_EVENTS_PER_STREAM} events per stream, a TTL of 10 minutes,
	 * text redacted, the system clock.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Records each event of the stream under its stream id, and passes it on unchanged.
	 * Cancellation, errors and backpressure are those of {@code events}: the recorder
	 * requests nothing of its own.
	 * @param events one stream's events
	 * @return the same events
	 */
	@Override
	public Flux<StreamEvent> apply(Flux<StreamEvent> events) {
		return Flux.defer(() -> {
			AtomicLong sequence = new AtomicLong();
			return events.doOnNext((event) -> record(event, sequence.getAndIncrement()));
		});
	}

	private void record(StreamEvent event, long sequence) {
		RecordedEvent recorded = new RecordedEvent(sequence, event);
		this.recordings.asMap().compute(event.streamId(), (streamId, recording) -> {
			Recording target = (recording != null) ? recording : new Recording(this.maxEventsPerStream);
			target.add(recorded);
			return target;
		});
	}

	/**
	 * The recorded events of a stream, replayed in the order they were recorded: a
	 * snapshot taken on subscription, so a stream still in flight replays what it emitted
	 * so far (without its terminal event). Emits on the subscriber's thread, at the pace
	 * it requests; never signals an error.
	 * @param streamId the stream's id
	 * @return the events, empty when no such stream is recorded (never recorded, evicted
	 * or expired)
	 */
	public Flux<StreamEvent> replay(String streamId) {
		Objects.requireNonNull(streamId, "streamId must not be null");
		return Flux
			.defer(() -> Flux.fromIterable(recording(streamId).map(RecordedStream::streamEvents).orElse(List.of())));
	}

	/**
	 * A snapshot of one stream's recording.
	 * @param streamId the stream's id
	 * @return the recording, empty when no such stream is recorded
	 */
	public Optional<RecordedStream> recording(String streamId) {
		Objects.requireNonNull(streamId, "streamId must not be null");
		Recording recording = this.recordings.getIfPresent(streamId);
		return (recording != null) ? Optional.of(recording.snapshot(streamId)) : Optional.empty();
	}

	/**
	 * The ids of the streams recorded now (not yet evicted or expired).
	 * @return the stream ids, an unmodifiable snapshot in no particular order
	 */
	public Set<String> streamIds() {
		this.recordings.cleanUp();
		return Set.copyOf(this.recordings.asMap().keySet());
	}

	/**
	 * One stream's recorded events as JSON lines: one {@linkplain #toJson(RecordedEvent)
	 * JSON object} per event and line, each line ending with {@code \n}.
	 * @param streamId the stream's id
	 * @return the JSON lines, empty when no such stream is recorded
	 */
	public String jsonLines(String streamId) {
		StringBuilder lines = new StringBuilder();
		recording(streamId).ifPresent((recording) -> {
			for (RecordedEvent event : recording.events()) {
				lines.append(this.writer.writeValueAsString(toJson(event))).append('\n');
			}
		});
		return lines.toString();
	}

	/**
	 * Writes one stream's recorded events to {@code out} as
	 * {@linkplain #jsonLines(String) JSON lines}, in UTF-8. The stream is neither flushed
	 * nor closed.
	 * @param streamId the stream's id
	 * @param out where to write
	 * @return the number of events written, 0 when no such stream is recorded
	 * @throws IOException when writing fails
	 */
	public int exportJsonLines(String streamId, OutputStream out) throws IOException {
		Objects.requireNonNull(out, "out must not be null");
		Optional<RecordedStream> recording = recording(streamId);
		if (recording.isEmpty()) {
			return 0;
		}
		for (RecordedEvent event : recording.get().events()) {
			out.write(this.writer.writeValueAsBytes(toJson(event)));
			out.write('\n');
		}
		return recording.get().events().size();
	}

	/**
	 * The JSON view of one recorded event: an ordered map of JSON values (strings,
	 * numbers, booleans, lists and maps; a {@code null} value left out), with its
	 * {@code type} ({@code start}, {@code delta}, {@code usage}, {@code complete},
	 * {@code error}), {@code sequence}, {@code streamId} and {@code timestamp} (ISO-8601)
	 * first, then the fields of its type. Text is redacted as
	 * {@code "[redacted N chars]"} unless the recorder includes text.
	 * @param event the recorded event
	 * @return the JSON object as a map, unmodifiable
	 */
	public Map<String, Object> toJson(RecordedEvent event) {
		Objects.requireNonNull(event, "event must not be null");
		StreamEvent streamEvent = event.event();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("type", type(streamEvent));
		json.put("sequence", event.sequence());
		json.put("streamId", streamEvent.streamId());
		json.put("timestamp", streamEvent.timestamp().toString());
		if (streamEvent instanceof StreamStartEvent start) {
			json.put("provider", start.provider());
			json.put("model", start.model());
			putIfNotNull(json, "requestId", start.requestId());
		}
		else if (streamEvent instanceof StreamDeltaEvent delta) {
			json.put("kind", delta.kind().name().toLowerCase(Locale.ROOT));
			json.put("delta", text(delta.delta()));
			json.put("chunkIndex", delta.chunkIndex());
			json.put("choiceIndex", delta.choiceIndex());
			json.put("json", delta.json());
			ToolCallDelta toolCall = delta.toolCall();
			if (toolCall != null) {
				Map<String, Object> call = new LinkedHashMap<>();
				call.put("index", toolCall.index());
				putIfNotNull(call, "id", toolCall.id());
				putIfNotNull(call, "name", toolCall.name());
				call.put("providerExecuted", toolCall.providerExecuted());
				json.put("toolCall", call);
			}
		}
		else if (streamEvent instanceof StreamUsageEvent usage) {
			json.put("usage", usage(usage.usage()));
			json.put("estimated", usage.estimated());
			json.put("confidence", usage.confidence());
		}
		else if (streamEvent instanceof StreamCompleteEvent complete) {
			json.put("totalChunks", complete.totalChunks());
			json.put("durationMs", complete.durationMs());
			Usage usage = complete.usage();
			if (usage != null) {
				json.put("usage", usage(usage));
			}
			json.put("response", response(complete.response()));
		}
		else if (streamEvent instanceof StreamErrorEvent error) {
			json.put("errorType", error.errorType().name());
			json.put("retryable", error.retryable());
			Map<String, Object> exception = new LinkedHashMap<>();
			exception.put("class", error.error().getClass().getName());
			putIfNotNull(exception, "message", error.error().getMessage());
			json.put("error", exception);
			json.put("partialResponse", response(error.partialResponse()));
		}
		if (!streamEvent.metadata().isEmpty()) {
			Map<String, Object> metadata = new LinkedHashMap<>();
			streamEvent.metadata().forEach((key, value) -> metadata.put(key, jsonValue(value)));
			json.put("metadata", metadata);
		}
		return Collections.unmodifiableMap(json);
	}

	/**
	 * The type name of an event, as in the JSON view: {@code start}, {@code delta},
	 * {@code usage}, {@code complete} or {@code error}.
	 * @param event the event
	 * @return its type name
	 */
	public static String type(StreamEvent event) {
		if (event instanceof StreamStartEvent) {
			return "start";
		}
		if (event instanceof StreamDeltaEvent) {
			return "delta";
		}
		if (event instanceof StreamUsageEvent) {
			return "usage";
		}
		return (event instanceof StreamCompleteEvent) ? "complete" : "error";
	}

	private Map<String, Object> response(StreamingResponse response) {
		Map<String, Object> json = new LinkedHashMap<>();
		putIfNotNull(json, "id", response.id());
		json.put("provider", response.provider());
		json.put("model", response.model());
		json.put("text", text(response.text()));
		if (!response.reasoning().isEmpty()) {
			json.put("reasoning", text(response.reasoning()));
		}
		String refusal = response.refusal();
		if (refusal != null) {
			json.put("refusal", text(refusal));
		}
		putIfNotNull(json, "finishReason", response.finishReason());
		if (response.normalizedFinishReason() != null) {
			json.put("normalizedFinishReason", String.valueOf(response.normalizedFinishReason()));
		}
		if (!response.toolCalls().isEmpty()) {
			List<Map<String, Object>> calls = new ArrayList<>();
			for (ToolCall toolCall : response.toolCalls()) {
				Map<String, Object> call = new LinkedHashMap<>();
				call.put("index", toolCall.index());
				putIfNotNull(call, "id", toolCall.id());
				call.put("name", toolCall.name());
				call.put("arguments", text(toolCall.arguments()));
				calls.add(call);
			}
			json.put("toolCalls", calls);
		}
		Usage usage = response.usage();
		if (usage != null) {
			json.put("usage", usage(usage));
			json.put("usageEstimated", response.usageEstimated());
		}
		if (response.costUsd() != null) {
			json.put("costUsd", response.costUsd());
		}
		json.put("attempts", response.metrics().attempts());
		return json;
	}

	private static Map<String, Object> usage(Usage usage) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("promptTokens", usage.promptTokens());
		json.put("completionTokens", usage.completionTokens());
		json.put("totalTokens", usage.totalTokens());
		json.put("cachedPromptTokens", usage.cachedPromptTokens());
		json.put("cacheCreationTokens", usage.cacheCreationTokens());
		json.put("reasoningTokens", usage.reasoningTokens());
		return json;
	}

	private String text(String text) {
		return (this.includeText || text.isEmpty()) ? text : "[redacted " + text.length() + " chars]";
	}

	private static Object jsonValue(Object value) {
		return (value instanceof String || value instanceof Number || value instanceof Boolean) ? value
				: String.valueOf(value);
	}

	private static void putIfNotNull(Map<String, Object> json, String key, @Nullable Object value) {
		if (value != null) {
			json.put(key, value);
		}
	}

	/**
	 * One stream's recording: the events kept, at most the recorder's maximum, and how
	 * many were dropped to stay within it.
	 *
	 * @param streamId the stream's id
	 * @param events the events kept, oldest first, unmodifiable
	 * @param droppedEvents how many events were dropped (the oldest after the start
	 * event) to keep at most the maximum number of events per stream; 0 when none
	 */
	public record RecordedStream(String streamId, List<RecordedEvent> events, long droppedEvents) {

		/**
		 * Creates the snapshot; the events are copied.
		 * @param streamId the stream's id
		 * @param events the events kept, oldest first
		 * @param droppedEvents how many events were dropped
		 */
		public RecordedStream {
			Objects.requireNonNull(streamId, "streamId must not be null");
			events = List.copyOf(events);
		}

		/**
		 * Whether the stream's terminal event (complete or error) was recorded.
		 * @return whether the stream finished
		 */
		public boolean finished() {
			return !this.events.isEmpty() && this.events.get(this.events.size() - 1).event().isTerminal();
		}

		/**
		 * Whether events were dropped.
		 * @return whether {@link #droppedEvents()} is positive
		 */
		public boolean truncated() {
			return this.droppedEvents > 0;
		}

		/**
		 * The events kept, without their sequence numbers.
		 * @return the events, oldest first
		 */
		public List<StreamEvent> streamEvents() {
			return this.events.stream().map(RecordedEvent::event).toList();
		}

	}

	/**
	 * One recorded event.
	 *
	 * @param sequence the event's position in its stream as the recorder saw it, from 0;
	 * a gap after the start event means events were dropped
	 * @param event the event, as it was emitted
	 */
	public record RecordedEvent(long sequence, StreamEvent event) {

		/**
		 * Creates the recorded event.
		 * @param sequence the event's position in its stream, from 0
		 * @param event the event
		 */
		public RecordedEvent {
			Objects.requireNonNull(event, "event must not be null");
		}

	}

	/**
	 * A builder of {@link EventRecorder}.
	 */
	public static final class Builder {

		private long maxStreams = DEFAULT_MAX_STREAMS;

		private int maxEventsPerStream = DEFAULT_MAX_EVENTS_PER_STREAM;

		private Duration ttl = DEFAULT_TTL;

		private boolean includeText;

		private Clock clock = Clock.systemUTC();

		private JsonMapper jsonMapper = JsonMapper.builder().build();

		private Builder() {
		}

		/**
		 * Most streams recorded at once.
		 * @param maxStreams at least 1
		 * @return this builder
		 * @throws IllegalArgumentException when less than 1
		 */
		public Builder maxStreams(long maxStreams) {
			if (maxStreams < 1) {
				throw new IllegalArgumentException("maxStreams must be at least 1, was " + maxStreams);
			}
			this.maxStreams = maxStreams;
			return this;
		}

		/**
		 * Most events kept per stream; beyond it the oldest after the start event are
		 * dropped and counted.
		 * @param maxEventsPerStream at least 1
		 * @return this builder
		 * @throws IllegalArgumentException when less than 1
		 */
		public Builder maxEventsPerStream(int maxEventsPerStream) {
			if (maxEventsPerStream < 1) {
				throw new IllegalArgumentException("maxEventsPerStream must be at least 1, was " + maxEventsPerStream);
			}
			this.maxEventsPerStream = maxEventsPerStream;
			return this;
		}

		/**
		 * How long a stream's recording is kept after its last event.
		 * @param ttl positive
		 * @return this builder
		 * @throws IllegalArgumentException when zero or negative
		 */
		public Builder ttl(Duration ttl) {
			Objects.requireNonNull(ttl, "ttl must not be null");
			if (ttl.isZero() || ttl.isNegative()) {
				throw new IllegalArgumentException("ttl must be positive, was " + ttl);
			}
			this.ttl = ttl;
			return this;
		}

		/**
		 * Whether the JSON view shows text (delta text, response text, reasoning,
		 * refusal, tool call arguments) rather than {@code "[redacted N chars]"};
		 * {@code false} by default.
		 * @param includeText whether to show text
		 * @return this builder
		 */
		public Builder includeText(boolean includeText) {
			this.includeText = includeText;
			return this;
		}

		/**
		 * The clock the TTL is measured on.
		 * @param clock the clock, not {@code null}
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * The mapper that writes the JSON lines (always one line per event, whatever its
		 * indentation setting).
		 * @param jsonMapper the mapper, not {@code null}
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
			return this;
		}

		/**
		 * Builds the recorder.
		 * @return a new recorder, recording nothing yet
		 */
		public EventRecorder build() {
			return new EventRecorder(this);
		}

	}

	/**
	 * One stream's events, bounded: the start event is kept, the oldest after it dropped
	 * and counted.
	 */
	private static final class Recording {

		private final int maxEvents;

		private final ArrayDeque<RecordedEvent> events = new ArrayDeque<>();

		private long dropped;

		Recording(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		synchronized void add(RecordedEvent event) {
			if (this.events.size() >= this.maxEvents) {
				RecordedEvent oldest = this.events.pollFirst();
				if (oldest != null && oldest.event() instanceof StreamStartEvent && this.maxEvents > 1) {
					this.events.pollFirst();
					this.events.addFirst(oldest);
				}
				this.dropped++;
			}
			this.events.addLast(event);
		}

		synchronized RecordedStream snapshot(String streamId) {
			return new RecordedStream(streamId, new ArrayList<>(this.events), this.dropped);
		}

	}

}
