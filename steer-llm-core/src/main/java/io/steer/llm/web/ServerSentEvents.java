package io.steer.llm.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.shaping.OutputShaping;
import io.steer.llm.shaping.ProgressTracker;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Maps a stream's events to WebFlux {@link ServerSentEvent}s for a browser: return
 * {@code ServerSentEvents.builder().build().apply(client.streamEvents(request))} from a
 * {@code text/event-stream} controller method.
 * <p>
 * Event names are fixed, and every data is one line of JSON (written with the builder's
 * {@link JsonMapper}):
 * <ul>
 * <li>{@code start}: {@code {"streamId", "provider", "model", "requestId"?, "metadata"?}}
 * — {@code requestId} only when the provider sent one, {@code metadata} (the start
 * event's metadata) only when not empty;</li>
 * <li>{@code delta}: {@code {"text", "kind", "chunkIndex", "choiceIndex", "toolCall"?,
 * "json"?}} — {@code kind} is {@code text}, {@code reasoning}, {@code tool_call} or
 * {@code refusal}; {@code toolCall} {@code {"index", "id"?, "name"?, "providerExecuted"}}
 * on tool call fragments; {@code json} the JSON value so far when the JSON stream handler
 * changed it;</li>
 * <li>{@code usage}: {@code {"promptTokens", "completionTokens", "totalTokens",
 * "estimated", "confidence"}} (tokens; confidence from 0 to 1), unless
 * {@link Builder#includeUsage(boolean) includeUsage(false)};</li>
 * <li>{@code progress}: each value of the {@link Builder#progress(Flux) progress} flux as
 * the mapper writes it (for example a progress tracker's snapshot), or, with
 * {@link Builder#progress(boolean) progress(true)}, the stream's own
 * {@link io.steer.llm.shaping.Progress}:
 * {@code {"tokensReceived", "estimatedTotalTokens", "elapsed", "percentage",
 * "estimatedTimeLeft", "complete"}} as the mapper writes the record (tokens; percentage
 * from 0 to 100; with the default mapper the durations are ISO-8601 strings such as
 * {@code "PT0.3S"} and unknown values {@code null});</li>
 * <li>{@code complete}: {@code {"text", "finishReason", "normalizedFinishReason",
 * "model", "usage", "costUsd", "durationMs", "ttftMs", "chunks"}} — {@code text} the
 * whole answer text, {@code finishReason} the provider's ({@code stop}, {@code end_turn},
 * …) and {@code normalizedFinishReason} the same for every provider, {@code model} the
 * model that answered, {@code usage} as in {@code usage} without {@code confidence},
 * {@code costUsd} in USD; each of these {@code null} when unknown; {@code durationMs} and
 * {@code ttftMs} (time to first token, {@code null} without a delta) in milliseconds,
 * {@code chunks} the number of deltas;</li>
 * <li>{@code error}: {@code {"type", "message", "retryable", "partialText"}} —
 * {@code type} a {@link io.steer.llm.error.StreamErrorType} name ({@code PROCESSOR} for a
 * failure that is not the client's), {@code message} with anything shaped like an API key
 * masked, {@code partialText} the text received before the failure;</li>
 * <li>{@code done}: {@code {}}, always the last event: after {@code complete}, after
 * {@code error}, or when the events end without a terminal event.</li>
 * </ul>
 * Each event has the id {@code streamId:sequence}, the sequence counting the events
 * written from 0, so that a browser's {@code Last-Event-ID} names the last event it got;
 * an event written before any stream event arrived (only an {@code error} and
 * {@code done} for a flux that failed at once) has no id. The first event carries the
 * {@link Builder#retry(Duration) retry} time, when one is set.
 * <p>
 * A failure does not fail the HTTP response: a {@link StreamErrorEvent}, or an error
 * signal of the events flux, becomes an {@code error} event then {@code done}, and the
 * flux completes normally, so the response stays 200 and the browser sees why the stream
 * ended. Anything after the terminal event (a progress value racing it) is dropped.
 * Cancelling the returned flux (the browser went away) cancels the events and the
 * progress flux. Backpressure is passed through to the events; the progress flux is
 * merged and should be throttled by its producer.
 * <p>
 * Given {@link Builder#options(StreamingOptions) options}, the events are shaped as those
 * options ask before they are written ({@link OutputShaping#events}: a text buffer, then
 * the pacer, then a rate limit per stream, each only when set; text and reasoning deltas
 * are re-chunked and renumbered, every other event passes in order), and
 * {@link Builder#progress(boolean) progress(true)} reports progress at the options'
 * {@link StreamingOptions#progressInterval() progress interval}, tracked on the shaped
 * events (what the browser got) from the same subscription: the events are subscribed to
 * once, so the provider sees one request.
 * <p>
 * An instance holds no per-stream state and can be applied to any number of streams; one
 * with a {@link Builder#progress(Flux) progress} flux is meant for the one stream that
 * flux follows.
 */
public final class ServerSentEvents implements Function<Flux<StreamEvent>, Flux<ServerSentEvent<String>>> {

	/** Name of the event of a {@link StreamStartEvent}. */
	public static final String START = "start";

	/** Name of the event of a {@link StreamDeltaEvent}. */
	public static final String DELTA = "delta";

	/** Name of the event of a {@link StreamUsageEvent}. */
	public static final String USAGE = "usage";

	/** Name of the event of a progress value. */
	public static final String PROGRESS = "progress";

	/** Name of the event of a {@link StreamCompleteEvent}. */
	public static final String COMPLETE = "complete";

	/** Name of the event of a {@link StreamErrorEvent} or of an error signal. */
	public static final String ERROR = "error";

	/** Name of the last event of every stream; its data is {@code {}}. */
	public static final String DONE = "done";

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

	private final SsePayloads payloads;

	private final @Nullable Duration retry;

	private final boolean includeUsage;

	private final @Nullable Flux<?> progress;

	private final Function<Flux<StreamEvent>, Flux<StreamEvent>> shaping;

	private final boolean shapes;

	private final boolean trackProgress;

	private final Duration progressInterval;

	private final Supplier<ProgressTracker> trackers;

	private ServerSentEvents(Builder builder) {
		this.payloads = new SsePayloads(builder.mapper);
		this.retry = builder.retry;
		this.includeUsage = builder.includeUsage;
		this.progress = builder.progress;
		StreamingOptions options = builder.options;
		this.shapes = options != null && OutputShaping.shapes(options);
		this.shaping = (options != null) ? OutputShaping.events(options, builder.model) : Function.identity();
		this.trackProgress = builder.trackProgress;
		this.progressInterval = ((options != null) ? options : StreamingOptions.DEFAULTS).progressInterval();
		this.trackers = builder.trackers;
	}

	/**
	 * A builder with the defaults: a default {@link JsonMapper}, no retry, usage events
	 * included, no progress, no shaping.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The server-sent events of a stream, as documented on this class.
	 * <p>
	 * Cancellation cancels {@code events} (and the progress flux); an error signal of
	 * {@code events} becomes an {@code error} event then {@code done}, and the returned
	 * flux completes normally; requests are passed to {@code events}.
	 * @param events the stream's events, for example
	 * {@link io.steer.llm.SteerLLMClient#streamEvents}
	 * @return the server-sent events, ending with {@code done}
	 */
	@Override
	public Flux<ServerSentEvent<String>> apply(Flux<StreamEvent> events) {
		Objects.requireNonNull(events, "events must not be null");
		Flux<StreamEvent> shaped = this.shapes ? events.transform(this.shaping) : events;
		return Flux.defer(() -> {
			Writer writer = new Writer();
			return withProgress(shaped).concatMapIterable(writer::next)
				.onErrorResume((failure) -> Flux.fromIterable(writer.failed(failure)))
				.concatWith(Flux.defer(() -> Flux.fromIterable(writer.end())));
		});
	}

	private Flux<Object> withProgress(Flux<StreamEvent> events) {
		Flux<?> progress = this.progress;
		if (progress == null && this.trackProgress) {
			// the tracker subscribes first, so that it sees the terminal event (and
			// reports its final snapshot) before the writer writes complete and done
			return events.publish((shared) -> Flux.merge(
					ProgressTracker.progress(shared, this.progressInterval, this.trackers).map(Progress::new), shared));
		}
		if (progress == null) {
			return events.cast(Object.class);
		}
		return events.publish((shared) -> Flux.merge(shared,
				progress.map(Progress::new).takeUntilOther(shared.then().onErrorResume((failure) -> Mono.empty()))));
	}

	/** A value of the progress flux, told apart from a stream event. */
	private record Progress(Object value) {
	}

	/**
	 * The state of one subscription: the stream id, the next sequence number, the text so
	 * far (the partial text of an error signal) and whether the stream ended.
	 */
	private final class Writer {

		private @Nullable String streamId;

		private long sequence;

		private boolean terminated;

		private boolean done;

		private @Nullable Progress pending;

		private final StringBuilder text = new StringBuilder();

		List<ServerSentEvent<String>> next(Object item) {
			if (this.terminated) {
				return List.of();
			}
			if (item instanceof Progress progress) {
				if (this.streamId == null) {
					this.pending = progress;
					return List.of();
				}
				return List.of(sse(PROGRESS, ServerSentEvents.this.payloads.json(progress.value())));
			}
			StreamEvent event = (StreamEvent) item;
			boolean first = this.streamId == null;
			this.streamId = event.streamId();
			List<ServerSentEvent<String>> out = new ArrayList<>(2);
			if (event instanceof StreamDeltaEvent delta) {
				if (delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0) {
					this.text.append(delta.delta());
				}
				out.add(sse(DELTA, ServerSentEvents.this.payloads.delta(delta)));
			}
			else if (event instanceof StreamStartEvent start) {
				out.add(sse(START, ServerSentEvents.this.payloads.start(start)));
			}
			else if (event instanceof StreamUsageEvent usage) {
				if (ServerSentEvents.this.includeUsage) {
					out.add(sse(USAGE, ServerSentEvents.this.payloads.usage(usage)));
				}
			}
			else if (event instanceof StreamCompleteEvent complete) {
				out.add(sse(COMPLETE, ServerSentEvents.this.payloads.complete(complete)));
			}
			else if (event instanceof StreamErrorEvent error) {
				out.add(sse(ERROR, ServerSentEvents.this.payloads.error(error)));
			}
			if (first && this.pending != null && !event.isTerminal()) {
				out.add(sse(PROGRESS, ServerSentEvents.this.payloads.json(this.pending.value())));
				this.pending = null;
			}
			if (event.isTerminal()) {
				this.terminated = true;
				out.add(done());
			}
			return out;
		}

		List<ServerSentEvent<String>> failed(Throwable failure) {
			if (this.terminated) {
				return end();
			}
			this.terminated = true;
			return List.of(sse(ERROR, ServerSentEvents.this.payloads.error(failure, this.text.toString())), done());
		}

		List<ServerSentEvent<String>> end() {
			return this.done ? List.of() : List.of(done());
		}

		private ServerSentEvent<String> done() {
			this.done = true;
			return sse(DONE, SsePayloads.DONE);
		}

		private ServerSentEvent<String> sse(String name, String data) {
			ServerSentEvent.Builder<String> builder = ServerSentEvent.builder(data).event(name);
			if (this.streamId != null) {
				builder.id(this.streamId + ":" + this.sequence);
			}
			if (this.sequence == 0 && ServerSentEvents.this.retry != null) {
				builder.retry(ServerSentEvents.this.retry);
			}
			this.sequence++;
			return builder.build();
		}

	}

	/**
	 * Builds {@link ServerSentEvents}.
	 */
	public static final class Builder {

		private JsonMapper mapper = DEFAULT_MAPPER;

		private @Nullable Duration retry;

		private boolean includeUsage = true;

		private @Nullable Flux<?> progress;

		private @Nullable StreamingOptions options;

		private @Nullable String model;

		private boolean trackProgress;

		private Supplier<ProgressTracker> trackers = () -> ProgressTracker.create(null);

		private Builder() {
		}

		/**
		 * Sets the options whose output shaping applies to the events before they are
		 * written ({@code buffer-type}, {@code buffer-timeout}, {@code chunk-size},
		 * {@code max-added-latency}, {@code rate-limit}; see {@link OutputShaping}) and
		 * whose {@code progress-interval} throttles the progress events of
		 * {@link #progress(boolean) progress(true)}. In Spring, pass the client's
		 * {@code defaultOptions()} (bound from {@code steer.streaming.*}) or a copy of
		 * them.
		 * @param options the options, {@code null} for none (the default: events written
		 * as they arrive, progress every 100 ms)
		 * @return this builder
		 */
		public Builder options(@Nullable StreamingOptions options) {
			this.options = options;
			return this;
		}

		/**
		 * Sets the model whose jtokkit encoding a {@code token} buffer counts with.
		 * @param model the model name, {@code null} for {@code cl100k_base} (the default)
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * Sets whether to write the stream's own progress as {@code progress} events:
		 * tracked on the (shaped) events of the same subscription, at most one per
		 * {@link StreamingOptions#progressInterval() progress interval} of the
		 * {@link #options(StreamingOptions) options} (100 ms without options, every event
		 * at zero), the first at once and a final one ({@code "complete": true}) just
		 * before {@code complete} or {@code error}. A {@link #progress(Flux) progress
		 * flux}, when set, is written instead.
		 * @param progress whether to write progress events; {@code false} by default
		 * @return this builder
		 */
		public Builder progress(boolean progress) {
			this.trackProgress = progress;
			return this;
		}

		/**
		 * Sets where the trackers of {@link #progress(boolean) progress(true)} come from,
		 * one per stream, for an estimated total: for example
		 * {@code () -> ProgressTracker.forRequest(request)} (the request's
		 * {@code max_tokens}). Implies {@code progress(true)}.
		 * @param trackers a fresh tracker per subscription; by default one of unknown
		 * total on {@code Schedulers.parallel()}
		 * @return this builder
		 */
		public Builder progressTrackers(Supplier<ProgressTracker> trackers) {
			this.trackers = Objects.requireNonNull(trackers, "trackers must not be null");
			this.trackProgress = true;
			return this;
		}

		/**
		 * Sets the mapper that writes the JSON payloads and the progress values.
		 * @param mapper the mapper, not {@code null}; by default a
		 * {@code JsonMapper.builder().build()}
		 * @return this builder
		 */
		public Builder mapper(JsonMapper mapper) {
			this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
			return this;
		}

		/**
		 * Sets the reconnection time the first event tells the browser ({@code retry:} in
		 * milliseconds).
		 * @param retry the time, {@code null} for none (the default: the browser's own, a
		 * few seconds)
		 * @return this builder
		 * @throws IllegalArgumentException if {@code retry} is negative
		 */
		public Builder retry(@Nullable Duration retry) {
			if (retry != null && retry.isNegative()) {
				throw new IllegalArgumentException("retry must not be negative, was " + retry);
			}
			this.retry = retry;
			return this;
		}

		/**
		 * Sets whether usage events become {@code usage} events; the {@code complete}
		 * event has the final usage either way.
		 * @param includeUsage whether to write usage events; {@code true} by default
		 * @return this builder
		 */
		public Builder includeUsage(boolean includeUsage) {
			this.includeUsage = includeUsage;
			return this;
		}

		/**
		 * Sets progress values to merge in as {@code progress} events, each written with
		 * the mapper. The flux is subscribed with the events and cancelled when they end;
		 * values before the stream's first event wait for it (only the latest is kept),
		 * values after its terminal event are dropped, and an error of this flux is
		 * written as an {@code error} event like an error of the events.
		 * @param progress the progress values of the stream, {@code null} for none
		 * @return this builder
		 */
		public Builder progress(@Nullable Flux<?> progress) {
			this.progress = progress;
			return this;
		}

		/**
		 * Builds the mapping.
		 * @return the mapping, a
		 * {@code Function<Flux<StreamEvent>, Flux<ServerSentEvent<String>>>}
		 */
		public ServerSentEvents build() {
			return new ServerSentEvents(this);
		}

	}

}
