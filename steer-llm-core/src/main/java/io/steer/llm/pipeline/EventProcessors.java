package io.steer.llm.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Ready-made {@link EventProcessor}s: filters, transformers, the correlation id,
 * timestamp and metrics metadata, and a {@link #builder() builder} that chains them in a
 * fixed order, in the spirit of the original SDK's {@code create_event_processor}.
 * <p>
 * Every processor here decorates one stream's events, keeps their order and keeps
 * per-stream state (a correlation id, counts) per subscription, so one instance serves
 * any number of streams, concurrently. None of them ever removes a terminal event
 * ({@link StreamCompleteEvent} or {@link StreamErrorEvent}): a filter lets it through
 * whatever it tests. Errors: a filter's predicate or a transformer that throws, or a
 * transformer that returns {@code null}, fails the processor, and the client ends the
 * stream with a {@link StreamErrorEvent} of type
 * {@link io.steer.llm.error.StreamErrorType#PROCESSOR}. Backpressure and cancellation
 * pass through unchanged; the asynchronous transformer requests one event at a time.
 * <p>
 * Example, the text of OpenAI deltas in upper case, with a {@code user_id} and a
 * correlation id on every event: <pre>{@code
 * EventProcessor processor = EventProcessors.builder()
 *     .providers("openai")
 *     .transformer((event) -> (event instanceof StreamDeltaEvent delta)
 *         ? new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta().toUpperCase(),
 *             delta.chunkIndex(), delta.choiceIndex(), delta.json(), delta.toolCall(),
 *             delta.timestamp(), delta.metadata())
 *         : event)
 *     .transformer((event) -> event.withMetadata("user_id", userId))
 *     .addCorrelation(true)
 *     .build();
 * client.streamEvents(request, options.withEventProcessor(processor));
 * }</pre>
 */
public final class EventProcessors {

	/**
	 * Reactor context key whose value {@link #correlationId()} uses as the correlation id
	 * of the streams subscribed with it: {@value}.
	 */
	public static final String CORRELATION_ID_KEY = "steer.correlation-id";

	/** Metadata key of the correlation id, a {@code String}: {@value}. */
	public static final String CORRELATION_ID = "correlation_id";

	/**
	 * Metadata key of the instant the {@link #timestamp()} processor saw the event, an
	 * {@link java.time.Instant}: {@value}.
	 */
	public static final String PROCESSED_AT = "processed_at";

	/**
	 * Metadata key of the {@link #metrics()} processor's 1-based count of the stream's
	 * events up to this one, an {@code Integer}: {@value}.
	 */
	public static final String EVENT_COUNT = "event_count";

	/**
	 * Metadata key, on the terminal event only, of the {@link #metrics()} processor's
	 * counts of the stream's events by type name ({@code start}, {@code delta},
	 * {@code usage}, {@code complete}, {@code error}), a {@code Map<String, Integer>}:
	 * {@value}.
	 */
	public static final String EVENTS_BY_TYPE = "events_by_type";

	/**
	 * Metadata key of the {@link #metrics()} processor's time from the event's
	 * {@link StreamEvent#timestamp() timestamp} to when it saw the event, in
	 * milliseconds, a {@code Double}: {@value}.
	 */
	public static final String PROCESSING_TIME_MS = "processing_time_ms";

	/** The seed's event type names, in stream order, and their types. */
	private static final Map<String, Class<? extends StreamEvent>> TYPE_NAMES = typeNames();

	/** The lookup of {@link #correlationId()}: none. */
	private static final Function<ContextView, @Nullable String> NO_LOOKUP = (context) -> null;

	private EventProcessors() {
	}

	private static Map<String, Class<? extends StreamEvent>> typeNames() {
		Map<String, Class<? extends StreamEvent>> names = new LinkedHashMap<>();
		names.put("start", StreamStartEvent.class);
		names.put("delta", StreamDeltaEvent.class);
		names.put("usage", StreamUsageEvent.class);
		names.put("complete", StreamCompleteEvent.class);
		names.put("error", StreamErrorEvent.class);
		return names;
	}

	/**
	 * A filter that passes the events of the given types, and the terminal event whatever
	 * its type.
	 * @param types the types passed, e.g. {@code StreamDeltaEvent.class}; an event passes
	 * when it is an instance of one
	 * @return the filter
	 * @throws IllegalArgumentException if no type is given
	 * @throws NullPointerException if a type is {@code null}
	 */
	@SafeVarargs
	public static EventProcessor types(Class<? extends StreamEvent>... types) {
		return filter(typePredicate(Arrays.asList(types)));
	}

	/**
	 * A filter that passes the events of the given types, named as in the original SDK,
	 * and the terminal event whatever its type.
	 * @param names the type names: {@code start}, {@code delta}, {@code usage},
	 * {@code complete}, {@code error} (case-insensitive)
	 * @return the filter
	 * @throws IllegalArgumentException if no name is given, or a name is none of these
	 * (the message names it and the accepted names)
	 * @throws NullPointerException if a name is {@code null}
	 */
	public static EventProcessor types(String... names) {
		return filter(typePredicate(typesNamed(Arrays.asList(names))));
	}

	/**
	 * The event types of the given names.
	 * @param names the seed's type names
	 * @return the types, in the order of the names
	 * @throws IllegalArgumentException if a name is unknown
	 */
	static List<Class<? extends StreamEvent>> typesNamed(List<String> names) {
		List<Class<? extends StreamEvent>> types = new ArrayList<>(names.size());
		for (String name : names) {
			Objects.requireNonNull(name, "event type name must not be null");
			Class<? extends StreamEvent> type = TYPE_NAMES.get(name.trim().toLowerCase(Locale.ROOT));
			if (type == null) {
				throw new IllegalArgumentException(
						"Unknown event type '" + name + "'; accepted: " + String.join(", ", TYPE_NAMES.keySet()));
			}
			types.add(type);
		}
		return types;
	}

	/**
	 * The predicate of a type filter: an instance of one of the types.
	 */
	static Predicate<StreamEvent> typePredicate(List<Class<? extends StreamEvent>> types) {
		if (types.isEmpty()) {
			throw new IllegalArgumentException("at least one event type is required");
		}
		Class<?>[] accepted = types.stream()
			.map((type) -> Objects.requireNonNull(type, "event type must not be null"))
			.distinct()
			.toArray(Class<?>[]::new);
		return (event) -> {
			for (Class<?> type : accepted) {
				if (type.isInstance(event)) {
					return true;
				}
			}
			return false;
		};
	}

	/**
	 * A filter that passes the events of the streams of the given providers, and the
	 * terminal event of every stream. A stream's provider is that of its
	 * {@link StreamStartEvent}, so this filter must see it: chain it before a filter that
	 * drops start events (as the {@link #builder() builder} does). A stream that fails
	 * before it started passes only its error event.
	 * @param providers the provider names ({@code openai}, {@code xai},
	 * {@code anthropic}, or the name of a provider added to the client), compared without
	 * case
	 * @return the filter
	 * @throws IllegalArgumentException if no provider is given
	 * @throws NullPointerException if a provider is {@code null}
	 */
	public static EventProcessor providers(String... providers) {
		Set<String> accepted = providerSet(Arrays.asList(providers));
		if (accepted.isEmpty()) {
			throw new IllegalArgumentException("at least one provider is required");
		}
		return (events) -> Flux.defer(() -> {
			ProviderMatch match = new ProviderMatch(accepted);
			return events.filter(match);
		});
	}

	static Set<String> providerSet(List<String> providers) {
		return providers.stream()
			.map((provider) -> Objects.requireNonNull(provider, "provider must not be null").toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * A filter that passes the events the predicate accepts (the original SDK's
	 * {@code PredicateFilter}), and the terminal event whatever the predicate says (it is
	 * not asked).
	 * @param predicate the test of each non-terminal event, not {@code null}; what it
	 * throws fails the processor
	 * @return the filter
	 */
	public static EventProcessor filter(Predicate<? super StreamEvent> predicate) {
		Objects.requireNonNull(predicate, "predicate must not be null");
		return (events) -> events.filter((event) -> event.isTerminal() || predicate.test(event));
	}

	/**
	 * A transformer that replaces each event, terminal ones included, by what the
	 * function returns for it, in order. Events are immutable: a transformer returns a
	 * copy, for example {@link StreamEvent#withMetadata(String, Object)}.
	 * @param transformer the function, not {@code null}; returning {@code null} or
	 * throwing fails the processor
	 * @return the transformer
	 */
	public static EventProcessor transform(UnaryOperator<StreamEvent> transformer) {
		Objects.requireNonNull(transformer, "transformer must not be null");
		return (events) -> events.map(transformer);
	}

	/**
	 * An asynchronous transformer: each event is replaced by what the function's
	 * {@code Mono} emits, one event at a time, so the order is kept whatever each
	 * {@code Mono} takes. A {@code Mono} that completes empty drops its event, except a
	 * terminal event, which then passes unchanged. Cancelling the stream cancels the
	 * {@code Mono} in flight; a {@code Mono} that fails, or a function that throws or
	 * returns {@code null}, fails the processor.
	 * @param transformer the function, not {@code null}
	 * @return the transformer
	 */
	public static EventProcessor transformAsync(Function<StreamEvent, Mono<StreamEvent>> transformer) {
		Objects.requireNonNull(transformer, "transformer must not be null");
		return (events) -> events.concatMap((event) -> {
			Mono<StreamEvent> transformed = transformer.apply(event);
			Objects.requireNonNull(transformed, "transformer returned null");
			return event.isTerminal() ? transformed.defaultIfEmpty(event) : transformed;
		}, 1);
	}

	/**
	 * Adds the stream's correlation id as metadata {@value #CORRELATION_ID} to every
	 * event: the value of the Reactor context key {@value #CORRELATION_ID_KEY} of the
	 * subscriber when it has one (its {@code toString()}), else a random UUID generated
	 * once per stream.
	 * @return the processor
	 * @see #correlationId(Function)
	 */
	public static EventProcessor correlationId() {
		return correlationId(NO_LOOKUP);
	}

	/**
	 * Adds the stream's correlation id as metadata {@value #CORRELATION_ID} to every
	 * event: the value of the Reactor context key {@value #CORRELATION_ID_KEY} when the
	 * subscriber's context has one, else what {@code lookup} finds in that context (for
	 * example a trace id), else a random UUID generated once per stream. The id is chosen
	 * once, when the stream is subscribed, on the subscribing thread: {@code lookup} is
	 * called once per stream, and every event of the stream carries the same id.
	 * <p>
	 * Example, the trace id of the subscriber's current observation with Micrometer
	 * Tracing, as the Spring Boot starter's {@code TraceIdLookup} does: <pre>{@code
	 * EventProcessor correlation = EventProcessors.correlationId((context) -> {
	 *     Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
	 *     TracingObservationHandler.TracingContext tracing = (observation != null)
	 *         ? observation.getContextView().get(TracingObservationHandler.TracingContext.class) : null;
	 *     Span span = (tracing != null) ? tracing.getSpan() : null;
	 *     return (span != null) ? span.context().traceId() : null;
	 * });
	 * }</pre>
	 * @param lookup finds a correlation id in the subscriber's context, or returns
	 * {@code null} (an empty id counts as none); not {@code null}; what it throws fails
	 * the processor
	 * @return the processor
	 */
	public static EventProcessor correlationId(Function<ContextView, @Nullable String> lookup) {
		Objects.requireNonNull(lookup, "lookup must not be null");
		return (events) -> Flux.deferContextual((context) -> {
			String id = correlationIdOf(context, lookup);
			return events.map((event) -> event.withMetadata(CORRELATION_ID, id));
		});
	}

	private static String correlationIdOf(ContextView context, Function<ContextView, @Nullable String> lookup) {
		Object given = context.getOrDefault(CORRELATION_ID_KEY, null);
		if (given != null) {
			return given.toString();
		}
		String found = lookup.apply(context);
		return (found != null && !found.isEmpty()) ? found : UUID.randomUUID().toString();
	}

	/**
	 * Adds metadata {@value #PROCESSED_AT}, the instant on the system UTC clock when the
	 * processor saw the event, to every event.
	 * @return the processor
	 */
	public static EventProcessor timestamp() {
		return timestamp(Clock.systemUTC());
	}

	/**
	 * Adds metadata {@value #PROCESSED_AT}, the clock's instant when the processor saw
	 * the event, to every event.
	 * @param clock the clock, not {@code null}
	 * @return the processor
	 */
	public static EventProcessor timestamp(Clock clock) {
		Objects.requireNonNull(clock, "clock must not be null");
		return (events) -> events.map((event) -> event.withMetadata(PROCESSED_AT, clock.instant()));
	}

	/**
	 * Adds per-event metrics as metadata, on the system UTC clock; see
	 * {@link #metrics(Clock)}.
	 * @return the processor
	 */
	public static EventProcessor metrics() {
		return metrics(Clock.systemUTC());
	}

	/**
	 * Adds per-event metrics as metadata: {@value #EVENT_COUNT} (the 1-based count of the
	 * stream's events this processor saw, up to this one) and
	 * {@value #PROCESSING_TIME_MS} (the milliseconds from the event's timestamp to when
	 * this processor saw it: how long the stages before it took, so place it last) on
	 * every event, and, on the terminal event only, {@value #EVENTS_BY_TYPE} (the counts
	 * by type name, the terminal event included). It keeps five counters per stream; the
	 * map is made once, at the end.
	 * @param clock the clock, the same as the client's so that the event timestamps
	 * compare; not {@code null}
	 * @return the processor
	 */
	public static EventProcessor metrics(Clock clock) {
		Objects.requireNonNull(clock, "clock must not be null");
		return (events) -> Flux.defer(() -> {
			EventCounts counts = new EventCounts(clock);
			return events.map(counts);
		});
	}

	/**
	 * A builder of a processor chained from the pieces of this class, in the original
	 * SDK's {@code create_event_processor} way.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The per-stream state of a provider filter.
	 */
	private static final class ProviderMatch implements Predicate<StreamEvent> {

		private final Set<String> accepted;

		private boolean matches;

		ProviderMatch(Set<String> accepted) {
			this.accepted = accepted;
		}

		@Override
		public boolean test(StreamEvent event) {
			if (event instanceof StreamStartEvent start) {
				this.matches = this.accepted.contains(start.provider().toLowerCase(Locale.ROOT));
			}
			return this.matches || event.isTerminal();
		}

	}

	/**
	 * The per-stream state of the metrics processor.
	 */
	private static final class EventCounts implements UnaryOperator<StreamEvent> {

		private final Clock clock;

		private final int[] byType = new int[TYPE_NAMES.size()];

		private int count;

		EventCounts(Clock clock) {
			this.clock = clock;
		}

		@Override
		public StreamEvent apply(StreamEvent event) {
			this.count++;
			this.byType[typeIndex(event)]++;
			double processingMs = Duration.between(event.timestamp(), this.clock.instant()).toNanos() / 1e6;
			if (!event.isTerminal()) {
				return event.withMetadata(Map.of(EVENT_COUNT, this.count, PROCESSING_TIME_MS, processingMs));
			}
			Map<String, Integer> byName = new LinkedHashMap<>();
			int i = 0;
			for (String name : TYPE_NAMES.keySet()) {
				byName.put(name, this.byType[i++]);
			}
			return event.withMetadata(Map.of(EVENT_COUNT, this.count, PROCESSING_TIME_MS, processingMs, EVENTS_BY_TYPE,
					Collections.unmodifiableMap(byName)));
		}

		private static int typeIndex(StreamEvent event) {
			if (event instanceof StreamDeltaEvent) {
				return 1;
			}
			if (event instanceof StreamStartEvent) {
				return 0;
			}
			if (event instanceof StreamUsageEvent) {
				return 2;
			}
			return (event instanceof StreamCompleteEvent) ? 3 : 4;
		}

	}

	/**
	 * Builds a processor chained from filters, transformers, the metadata built-ins and
	 * any processors, in this fixed order, whatever the order of the builder's calls:
	 * <ol>
	 * <li>the filters, all of which an event must pass (the terminal event always does):
	 * the {@link #providers(String...) providers} (first, as they need the start event),
	 * the {@link #eventTypes(String...) event types}, then each {@link #filter(Predicate)
	 * predicate};</li>
	 * <li>the {@link #addCorrelation(boolean) correlation id}, so that the transformers
	 * see it;</li>
	 * <li>the {@link #transformer(UnaryOperator) transformers} and
	 * {@link #asyncTransformer(Function) asynchronous transformers}, in the order
	 * added;</li>
	 * <li>the {@link #addTimestamp(boolean) timestamp}, then the
	 * {@link #addMetrics(boolean) metrics}, so that their times include the
	 * transformers';</li>
	 * <li>the processors added with {@link #then(EventProcessor)}, in the order added (a
	 * batching processor, a recorder), so that they see the events as the subscriber
	 * does.</li>
	 * </ol>
	 * A builder with nothing set builds {@link EventProcessor#identity()}. Not
	 * thread-safe; the processor it builds is, and serves any number of streams.
	 */
	public static final class Builder {

		private final List<Class<? extends StreamEvent>> types = new ArrayList<>();

		private final List<String> providers = new ArrayList<>();

		private final List<Predicate<? super StreamEvent>> filters = new ArrayList<>();

		private final List<EventProcessor> transformers = new ArrayList<>();

		private final List<EventProcessor> then = new ArrayList<>();

		private @Nullable Function<ContextView, @Nullable String> correlation;

		private boolean timestamp;

		private boolean metrics;

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		/**
		 * Passes only events of these types (and the terminal event); added to the types
		 * of earlier calls.
		 * @param types the types, e.g. {@code StreamDeltaEvent.class}
		 * @return this builder
		 * @throws NullPointerException if a type is {@code null}
		 */
		@SafeVarargs
		public final Builder eventTypes(Class<? extends StreamEvent>... types) {
			for (Class<? extends StreamEvent> type : types) {
				this.types.add(Objects.requireNonNull(type, "event type must not be null"));
			}
			return this;
		}

		/**
		 * Passes only events of these types (and the terminal event), named as in the
		 * original SDK; added to the types of earlier calls.
		 * @param names {@code start}, {@code delta}, {@code usage}, {@code complete},
		 * {@code error} (case-insensitive)
		 * @return this builder
		 * @throws IllegalArgumentException if a name is none of these
		 * @throws NullPointerException if a name is {@code null}
		 */
		public Builder eventTypes(String... names) {
			this.types.addAll(typesNamed(Arrays.asList(names)));
			return this;
		}

		/**
		 * Passes only the events of these providers' streams (and every terminal event);
		 * added to the providers of earlier calls.
		 * @param providers provider names, compared without case
		 * @return this builder
		 * @throws NullPointerException if a provider is {@code null}
		 * @see EventProcessors#providers(String...)
		 */
		public Builder providers(String... providers) {
			for (String provider : providers) {
				this.providers.add(Objects.requireNonNull(provider, "provider must not be null"));
			}
			return this;
		}

		/**
		 * Passes only the events the predicate accepts (and the terminal event); all
		 * predicates added must accept an event.
		 * @param predicate the test, not {@code null}
		 * @return this builder
		 */
		public Builder filter(Predicate<? super StreamEvent> predicate) {
			this.filters.add(Objects.requireNonNull(predicate, "predicate must not be null"));
			return this;
		}

		/**
		 * Adds a transformer, applied after those added before.
		 * @param transformer the function; see {@link EventProcessors#transform}
		 * @return this builder
		 */
		public Builder transformer(UnaryOperator<StreamEvent> transformer) {
			this.transformers.add(transform(transformer));
			return this;
		}

		/**
		 * Adds an asynchronous transformer, applied after the transformers added before;
		 * the order of the events is kept.
		 * @param transformer the function; see {@link EventProcessors#transformAsync}
		 * @return this builder
		 */
		public Builder asyncTransformer(Function<StreamEvent, Mono<StreamEvent>> transformer) {
			this.transformers.add(transformAsync(transformer));
			return this;
		}

		/**
		 * Whether to add the correlation id metadata; see
		 * {@link EventProcessors#correlationId()}. Off by default.
		 * @param correlation whether to add it
		 * @return this builder
		 */
		public Builder addCorrelation(boolean correlation) {
			this.correlation = correlation ? NO_LOOKUP : null;
			return this;
		}

		/**
		 * Adds the correlation id metadata, found in the subscriber's Reactor context by
		 * {@code lookup} when the context has no
		 * {@value EventProcessors#CORRELATION_ID_KEY} (for example the current trace id);
		 * see {@link EventProcessors#correlationId(Function)}. Replaces what an earlier
		 * call of either {@code addCorrelation} set.
		 * @param lookup finds a correlation id in the subscriber's context, or returns
		 * {@code null}; not {@code null}
		 * @return this builder
		 */
		public Builder addCorrelation(Function<ContextView, @Nullable String> lookup) {
			this.correlation = Objects.requireNonNull(lookup, "lookup must not be null");
			return this;
		}

		/**
		 * Whether to add the {@value EventProcessors#PROCESSED_AT} metadata; see
		 * {@link EventProcessors#timestamp(Clock)}. Off by default.
		 * @param timestamp whether to add it
		 * @return this builder
		 */
		public Builder addTimestamp(boolean timestamp) {
			this.timestamp = timestamp;
			return this;
		}

		/**
		 * Whether to add the per-event metrics metadata; see
		 * {@link EventProcessors#metrics(Clock)}. Off by default.
		 * @param metrics whether to add them
		 * @return this builder
		 */
		public Builder addMetrics(boolean metrics) {
			this.metrics = metrics;
			return this;
		}

		/**
		 * The clock of the timestamp and metrics metadata; the system UTC clock by
		 * default. Give the client's clock so that the times compare with the events'.
		 * @param clock the clock, not {@code null}
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Appends a processor, run after everything else this builder adds and after the
		 * processors appended before, for example a batching processor.
		 * @param processor the processor, not {@code null}
		 * @return this builder
		 */
		public Builder then(EventProcessor processor) {
			this.then.add(Objects.requireNonNull(processor, "processor must not be null"));
			return this;
		}

		/**
		 * Builds the processor.
		 * @return the chained processor, {@link EventProcessor#identity()} when nothing
		 * was set
		 */
		public EventProcessor build() {
			List<EventProcessor> chain = new ArrayList<>();
			if (!this.providers.isEmpty()) {
				chain.add(EventProcessors.providers(this.providers.toArray(String[]::new)));
			}
			if (!this.types.isEmpty()) {
				chain.add(EventProcessors.filter(typePredicate(this.types)));
			}
			for (Predicate<? super StreamEvent> predicate : this.filters) {
				chain.add(EventProcessors.filter(predicate));
			}
			if (this.correlation != null) {
				chain.add(correlationId(this.correlation));
			}
			chain.addAll(this.transformers);
			if (this.timestamp) {
				chain.add(EventProcessors.timestamp(this.clock));
			}
			if (this.metrics) {
				chain.add(EventProcessors.metrics(this.clock));
			}
			chain.addAll(this.then);
			return chain.stream().reduce(EventProcessor::andThen).orElseGet(EventProcessor::identity);
		}

	}

}
