package io.steer.llm.client;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.assembly.StreamContext;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.observation.DefaultStreamObservationConvention;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.ObservedStream;
import io.steer.llm.observation.StreamObservationConvention;
import io.steer.llm.observation.StreamObserver;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamRoute;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.pricing.PriceCatalog;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderRouter;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.anthropic.AnthropicMessagesAdapter;
import io.steer.llm.provider.openai.OpenAiCompatibleAdapter;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.shaping.OutputShaping;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link SteerLLMClient} built by {@link SteerLLMClient#builder()}: one WebClient
 * shared by every provider adapter.
 * <p>
 * Every stream runs through the same stages in a fixed order: exchange → assembly →
 * observation tap → callbacks → event processor → subscriber (see
 * {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)}).
 * {@link #stream(ChatRequest, StreamingOptions) stream} and
 * {@link #streamWithUsage(ChatRequest, StreamingOptions, StreamCallbacks)
 * streamWithUsage} read the events before the event processor.
 */
public final class DefaultSteerLLMClient implements SteerLLMClient {

	private static final Log logger = LogFactory.getLog(DefaultSteerLLMClient.class);

	/**
	 * Clock of the streams' event timestamps, of rejections, and that an HTTP date in a
	 * {@code Retry-After} header is compared with.
	 */
	private static final Clock CLOCK = Clock.systemUTC();

	private static final Consumer<StreamingResponse> NO_LISTENER = (partial) -> {
	};

	private final WebClient webClient;

	private final ProviderRouter router;

	private static final StreamingOptionsResolver IDENTITY = StreamingOptionsResolver.identity();

	private final StreamingOptions defaultOptions;

	private final StreamingOptionsResolver optionsResolver;

	private final ObjectMapper mapper;

	private final CostCalculator costCalculator;

	private final StreamingRetryManager retryManager;

	private final StreamObserver observer;

	private final @Nullable LiveStreams liveStreams;

	private DefaultSteerLLMClient(WebClient webClient, ProviderRouter router, StreamingOptions defaultOptions,
			StreamingOptionsResolver optionsResolver, ObjectMapper mapper, PriceCatalog priceCatalog,
			StreamingRetryManager retryManager, StreamObserver observer, @Nullable LiveStreams liveStreams) {
		this.observer = observer;
		this.liveStreams = liveStreams;
		this.webClient = webClient;
		this.router = router;
		this.defaultOptions = defaultOptions;
		this.optionsResolver = optionsResolver;
		this.mapper = mapper;
		this.costCalculator = new CostCalculator(priceCatalog);
		this.retryManager = retryManager;
	}

	/**
	 * A new builder of this client, with no provider yet;
	 * {@link SteerLLMClient#builder()} delegates here.
	 * @return the builder, whose {@code build()} returns a {@code DefaultSteerLLMClient}
	 */
	public static SteerLLMClient.Builder builder() {
		return new Builder();
	}

	@Override
	public StreamingOptions defaultOptions() {
		return this.defaultOptions;
	}

	@Override
	public StreamingOptions optionsFor(ChatRequest request) {
		Objects.requireNonNull(request, "request must not be null");
		if (this.optionsResolver == IDENTITY) {
			return this.defaultOptions;
		}
		ProviderRouter.Route route;
		try {
			route = this.router.route(request);
		}
		catch (InvalidRequestException ex) {
			return this.defaultOptions;
		}
		StreamRoute streamRoute = new StreamRoute(route.adapter().name(), route.model(), request.api());
		return Objects.requireNonNull(this.optionsResolver.resolve(request, streamRoute, this.defaultOptions),
				"the options resolver returned null");
	}

	/**
	 * The prices this client computes costs with.
	 * @return the catalog given to the builder, else {@link PriceCatalog#load()}
	 */
	public PriceCatalog priceCatalog() {
		return this.costCalculator.catalog();
	}

	/**
	 * The retry states of this client's streams: one for each stream that failed an
	 * attempt, timed out or was cancelled (a stream whose first attempt succeeds needs
	 * none), keyed by its stream id (the {@code streamId} of its events) and kept for the
	 * manager's TTL after their last activity.
	 * @return the manager given to the builder, else the one the client created
	 */
	public StreamingRetryManager retryManager() {
		return this.retryManager;
	}

	/**
	 * The cost calculator of this client's streams, over {@link #priceCatalog()}; it
	 * warns once per unknown model for the client's lifetime.
	 * @return the calculator
	 */
	CostCalculator costCalculator() {
		return this.costCalculator;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The text is read before the {@linkplain StreamingOptions#eventProcessor() event
	 * processor}: see
	 * {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)} for the order
	 * of the stages.
	 */
	@Override
	public Flux<String> stream(ChatRequest request, StreamingOptions options) {
		Flux<String> text = result(request, options, StreamCallbacks.NONE).handle((event, sink) -> {
			if (event instanceof StreamDeltaEvent delta) {
				if (delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0) {
					sink.next(delta.delta());
				}
			}
			else if (event instanceof StreamErrorEvent error) {
				sink.error(error.error());
			}
		});
		return OutputShaping.shapes(options) ? text.transform(OutputShaping.text(options, request.model())) : text;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The response is read before the {@linkplain StreamingOptions#eventProcessor() event
	 * processor}: see
	 * {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)} for the order
	 * of the stages.
	 */
	@Override
	public Mono<StreamingResponse> streamWithUsage(ChatRequest request, StreamingOptions options,
			StreamCallbacks callbacks) {
		return result(request, options, callbacks).filter(StreamEvent::isTerminal).next().handle((event, sink) -> {
			if (event instanceof StreamCompleteEvent complete) {
				sink.next(complete.response());
			}
			else if (event instanceof StreamErrorEvent error) {
				sink.error(error.error());
			}
		});
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each stream runs through these stages, in this fixed order:
	 * <ol>
	 * <li><b>exchange</b>: routing, the HTTP attempts, their timeouts, retries,
	 * resumption and continuation;</li>
	 * <li><b>assembly</b>: SSE decoding, the provider's parser, the assembled response,
	 * usage, cost and the typed events;</li>
	 * <li><b>observation tap</b>: the one place the observation, the meters, the
	 * statistics and the live streams see the events as they arrive, before anything
	 * user-supplied can delay, drop or rewrite them;</li>
	 * <li><b>callbacks</b>: those of the options, then those of the call, each event
	 * passing on once they returned (an asynchronous callback is awaited);</li>
	 * <li><b>event processor</b>: {@link StreamingOptions#eventProcessor()}, if any,
	 * applied to the events after the callbacks;</li>
	 * <li>the <b>subscriber</b>.</li>
	 * </ol>
	 * Whatever the processor does, exactly one terminal event reaches the subscriber: the
	 * first the processor emits (what it emits after that is dropped), else the stream's
	 * own, appended once the processed flux completes; the subscriber completes when the
	 * processed flux does, so a processor that flushes a batch when its input completes
	 * still does. A processor cannot end the stream early: when it completes or cancels
	 * its input before the end, emits a terminal event of its own, or fails, the rest of
	 * the stream is still read; only the subscriber's cancel stops it. A processor that
	 * fails (throws, returns {@code null} or signals an error) makes the stream end with
	 * a {@link StreamErrorEvent} of type
	 * {@link io.steer.llm.error.StreamErrorType#PROCESSOR} and an
	 * {@link io.steer.llm.error.EventProcessorException} whose partial response is the
	 * stream's response; the {@code onError} callbacks do not see it, as they run before
	 * the processor (a failure after the processor delivered a terminal event of its own
	 * cannot be delivered, and is logged at WARN). The result waits for the processed
	 * flux to complete, so a processor whose flux never completes holds the stream open
	 * until it is cancelled.
	 * <p>
	 * {@link #stream(ChatRequest, StreamingOptions)} and
	 * {@link #streamWithUsage(ChatRequest, StreamingOptions, StreamCallbacks)} read the
	 * events before the processor: their text and response are the stream's own, whatever
	 * the processor filters or rewrites, and a processor never makes them complete empty.
	 * The processed flux is still subscribed and drained, so its side effects (a batch
	 * handler, a background delivery) happen; their terminal signal waits for it, each
	 * event reaches the processor before it reaches their subscriber, and a processor's
	 * failure fails them with the {@link io.steer.llm.error.EventProcessorException}.
	 * Cancelling their subscription cancels the processor and the stream.
	 */
	@Override
	public Flux<StreamEvent> streamEvents(ChatRequest request, StreamingOptions options, StreamCallbacks callbacks) {
		Flux<StreamEvent> events = beforeProcessor(request, options, callbacks);
		EventProcessor processor = options.eventProcessor();
		return (processor != null) ? new ProcessorStage(processor, CLOCK).events(events) : events;
	}

	@Override
	public <T> Flux<T> streamElements(ChatRequest request, StreamingOptions options, Class<T> type) {
		Objects.requireNonNull(type, "type must not be null");
		if (!request.wantsJson()) {
			return Flux.error(new IllegalArgumentException(
					"streamElements needs a request that asks for a JSON response format (responseFormat)"));
		}
		StreamingOptions json = options.enableJsonStreamHandler() ? options
				: options.toBuilder().enableJsonStreamHandler(true).build();
		return Flux.defer(() -> {
			JsonElements<T> elements = new JsonElements<>(this.mapper, type);
			return result(request, json, StreamCallbacks.NONE).concatMapIterable(elements::of);
		});
	}

	/**
	 * The elements of the top-level array of choice 0 that each event completes; one per
	 * subscription.
	 */
	private static final class JsonElements<T> {

		private final ObjectMapper mapper;

		private final Class<T> type;

		private int emitted;

		JsonElements(ObjectMapper mapper, Class<T> type) {
			this.mapper = mapper;
			this.type = type;
		}

		List<T> of(StreamEvent event) {
			if (event instanceof StreamDeltaEvent delta && delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0
					&& delta.jsonSnapshot() != null) {
				JsonSnapshot snapshot = delta.jsonSnapshot();
				return take(snapshot.value(), snapshot.completedElements());
			}
			if (event instanceof StreamCompleteEvent complete) {
				JsonNode value = complete.response().json();
				return (value != null) ? take(value, value.size()) : List.of();
			}
			if (event instanceof StreamErrorEvent error) {
				throw error.error();
			}
			return List.of();
		}

		private List<T> take(JsonNode value, int completed) {
			if (!value.isArray() || completed <= this.emitted) {
				return List.of();
			}
			List<T> elements = new ArrayList<>(completed - this.emitted);
			for (int i = this.emitted; i < completed && i < value.size(); i++) {
				elements.add(this.mapper.treeToValue(value.get(i), this.type));
			}
			this.emitted += elements.size();
			return elements;
		}

	}

	/**
	 * The events {@code stream} and {@code streamWithUsage} read: the stream's own, the
	 * processor, if any, subscribed alongside.
	 */
	private Flux<StreamEvent> result(ChatRequest request, StreamingOptions options, StreamCallbacks callbacks) {
		Flux<StreamEvent> events = beforeProcessor(request, options, callbacks);
		EventProcessor processor = options.eventProcessor();
		return (processor != null) ? new ProcessorStage(processor, CLOCK).result(events) : events;
	}

	/**
	 * The stages before the user's processor: exchange → assembly → observation tap →
	 * callbacks.
	 */
	private Flux<StreamEvent> beforeProcessor(ChatRequest request, StreamingOptions options,
			StreamCallbacks callbacks) {
		Objects.requireNonNull(request, "request must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Objects.requireNonNull(callbacks, "callbacks must not be null");
		Flux<StreamEvent> assembled = Flux.defer(() -> {
			ProviderRouter.Route route;
			ProviderRequest first;
			try {
				route = this.router.route(request);
				first = firstRequest(route, request, options);
			}
			catch (InvalidRequestException ex) {
				return rejectedTap(request, options, ex);
			}
			return observationTap(route, first, request, options);
		});
		Flux<StreamEvent> called = CallbackInvoker.apply(assembled, options.callbacks(), callbacks);
		return CallbackInvoker.progress(called, options.callbacks(), callbacks, options.progressInterval(), request);
	}

	/**
	 * The observation tap: the one place between assembly and the callbacks where the
	 * observation, the meters, the {@linkplain StreamStatistics statistics} and the
	 * {@linkplain LiveStreams live streams} see each stream's events as they arrive,
	 * before a callback can delay them or a processor drop or rewrite them. The events
	 * pass through unchanged.
	 * <p>
	 * A stream is observed when the client has an observation registry, a meter registry
	 * or statistics, and its {@link StreamingOptions#trackMetrics()} is on: one
	 * observation per stream, whatever its retries, started here (once the request is
	 * routed) and stopped at its terminal event or cancel. Whatever its
	 * {@code trackMetrics()}, a stream is registered with the client's
	 * {@link LiveStreams}, if any, from here until it ends, its deltas counted, and an
	 * operator can cancel it through them. Without either, the events are not touched at
	 * all.
	 * @param route the route
	 * @param first the first attempt's request
	 * @param request the request
	 * @param options the stream's options
	 * @return the stream's events
	 */
	private Flux<StreamEvent> observationTap(ProviderRouter.Route route, ProviderRequest first, ChatRequest request,
			StreamingOptions options) {
		String provider = route.adapter().name();
		StreamContext context = new StreamContext(UUID.randomUUID().toString(), route.adapter(), route.model(), request,
				options, this.mapper, this.costCalculator, CLOCK, System::nanoTime);
		ObservedStream observed = (this.observer.isEnabled() && options.trackMetrics())
				? this.observer.start(provider, route.model(), first.uri(), request) : null;
		StreamExchange exchange = new StreamExchange(this.webClient, context, first, this.retryManager,
				(observed != null) ? observed::cancelled : NO_LISTENER);
		LiveStreams liveStreams = this.liveStreams;
		LiveStreams.Handle handle = (liveStreams != null)
				? liveStreams.register(context.streamId(), provider, route.model(), exchange::cancelByOperator) : null;
		return ObservedStream.tap(exchange.events(), observed, handle);
	}

	/**
	 * The tap of a request rejected before anything was sent: observed like any stream
	 * (one observation, the meters, the statistics), but never in flight, so never
	 * registered with the {@link LiveStreams}.
	 */
	private Flux<StreamEvent> rejectedTap(ChatRequest request, StreamingOptions options, InvalidRequestException ex) {
		Flux<StreamEvent> rejected = Flux.just(rejected(request, ex));
		if (!this.observer.isEnabled() || !options.trackMetrics()) {
			return rejected;
		}
		return this.observer.start(null, null, null).tap(rejected);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Routes the model as {@link ProviderRouter#route(ChatRequest)} does, checks that the
	 * provider serves the API the request names and can send it, and builds its HTTP
	 * request (with the {@linkplain #defaultOptions() default options}), as a stream does
	 * before it sends; field {@code request} when the request cannot be built (a provider
	 * option that cannot be written as JSON).
	 */
	@Override
	public void validate(ChatRequest request) {
		Objects.requireNonNull(request, "request must not be null");
		firstRequest(this.router.route(request), request, this.defaultOptions);
	}

	/**
	 * The HTTP request of the first attempt, built before the stream starts so that a
	 * request the adapter cannot build (a provider option JSON cannot write) is rejected
	 * like any request that cannot be sent, rather than failing the flux.
	 */
	private static ProviderRequest firstRequest(ProviderRouter.Route route, ChatRequest request,
			StreamingOptions options) {
		ProviderAdapter adapter = route.adapter();
		try {
			return adapter.createRequest(request, route.model(), options);
		}
		catch (InvalidRequestException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			String reason = (ex instanceof JacksonException json) ? json.getOriginalMessage() : ex.getMessage();
			throw new InvalidRequestException("request", adapter.name(),
					adapter.name() + " could not build the request: " + ((reason != null) ? reason : ex.toString()));
		}
	}

	private StreamErrorEvent rejected(ChatRequest request, InvalidRequestException ex) {
		String streamId = UUID.randomUUID().toString();
		if (logger.isDebugEnabled()) {
			logger.debug("Stream " + streamId + " rejected before sending: " + ex.getMessage());
		}
		return RejectedRequests.errorEvent(streamId, request, ex, CLOCK.instant());
	}

	private static final class Builder implements SteerLLMClient.Builder {

		private WebClient.@Nullable Builder webClientBuilder;

		private final Map<String, Function<ObjectMapper, ProviderAdapter>> adapters = new LinkedHashMap<>();

		private final List<String> order = new ArrayList<>();

		private @Nullable String defaultProvider;

		private StreamingOptions defaultOptions = StreamingOptions.DEFAULTS;

		private StreamingOptionsResolver optionsResolver = IDENTITY;

		private @Nullable ObjectMapper mapper;

		private @Nullable PriceCatalog priceCatalog;

		private @Nullable StreamingRetryManager retryManager;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable MeterRegistry meterRegistry;

		private @Nullable StreamObservationConvention observationConvention;

		private int maxModelTags = DefaultStreamObservationConvention.DEFAULT_MAX_MODELS;

		private boolean recordContent;

		private @Nullable LiveStreams liveStreams;

		private @Nullable StreamStatistics statistics;

		@Override
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry,
					"observationRegistry must not be null");
			return this;
		}

		@Override
		public Builder meterRegistry(MeterRegistry meterRegistry) {
			this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
			return this;
		}

		@Override
		public Builder observationConvention(StreamObservationConvention convention) {
			this.observationConvention = Objects.requireNonNull(convention, "convention must not be null");
			return this;
		}

		@Override
		public Builder maxModelTags(int maxModelTags) {
			if (maxModelTags < 1) {
				throw new IllegalArgumentException("maxModelTags must be at least 1, was " + maxModelTags);
			}
			this.maxModelTags = maxModelTags;
			return this;
		}

		@Override
		public Builder recordContent(boolean recordContent) {
			this.recordContent = recordContent;
			return this;
		}

		@Override
		public Builder liveStreams(LiveStreams liveStreams) {
			this.liveStreams = Objects.requireNonNull(liveStreams, "liveStreams must not be null");
			return this;
		}

		@Override
		public Builder streamStatistics(StreamStatistics statistics) {
			this.statistics = Objects.requireNonNull(statistics, "statistics must not be null");
			return this;
		}

		@Override
		public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
			this.webClientBuilder = webClientBuilder.clone();
			return this;
		}

		@Override
		public Builder openAi(ProviderSettings settings, ProviderApi defaultApi) {
			Objects.requireNonNull(settings, "settings must not be null");
			return add("openai", (mapper) -> OpenAiCompatibleAdapter.openAi(settings, mapper, defaultApi));
		}

		@Override
		public Builder xai(ProviderSettings settings, ProviderApi defaultApi) {
			Objects.requireNonNull(settings, "settings must not be null");
			return add("xai", (mapper) -> OpenAiCompatibleAdapter.xai(settings, mapper, defaultApi));
		}

		@Override
		public Builder anthropic(ProviderSettings settings, String version, int defaultMaxTokens) {
			Objects.requireNonNull(settings, "settings must not be null");
			return add("anthropic",
					(mapper) -> AnthropicMessagesAdapter.create(settings, version, defaultMaxTokens, mapper));
		}

		@Override
		public Builder provider(ProviderAdapter adapter) {
			return add(adapter.name(), (mapper) -> adapter);
		}

		private Builder add(String name, Function<ObjectMapper, ProviderAdapter> factory) {
			this.adapters.put(name, factory);
			if (!this.order.contains(name)) {
				this.order.add(name);
			}
			return this;
		}

		@Override
		public Builder defaultProvider(String provider) {
			this.defaultProvider = provider;
			return this;
		}

		@Override
		public Builder defaultOptions(StreamingOptions options) {
			this.defaultOptions = Objects.requireNonNull(options, "options must not be null");
			return this;
		}

		@Override
		public Builder optionsResolver(StreamingOptionsResolver resolver) {
			this.optionsResolver = Objects.requireNonNull(resolver, "resolver must not be null");
			return this;
		}

		@Override
		public Builder jsonMapper(ObjectMapper mapper) {
			this.mapper = mapper;
			return this;
		}

		@Override
		public Builder priceCatalog(PriceCatalog catalog) {
			this.priceCatalog = Objects.requireNonNull(catalog, "catalog must not be null");
			return this;
		}

		@Override
		public Builder retryManager(StreamingRetryManager retryManager) {
			this.retryManager = Objects.requireNonNull(retryManager, "retryManager must not be null");
			return this;
		}

		/**
		 * Reactor Netty's connector as Spring makes it by default, with gzip responses
		 * decoded ({@code compress(true)}) but without the {@code Accept-Encoding: gzip}
		 * that {@code compress(true)} adds to every request: a request asks for gzip
		 * itself, when its {@link StreamingOptions#enableCompression()} is on.
		 */
		private static ClientHttpConnector defaultConnector() {
			HttpClient httpClient = HttpClient.create()
				.compress(true)
				.headers((headers) -> headers.remove(HttpHeaderNames.ACCEPT_ENCODING));
			return new ReactorClientHttpConnector(httpClient);
		}

		@Override
		public SteerLLMClient build() {
			if (this.order.isEmpty()) {
				throw new IllegalStateException("No provider configured: add at least one (openAi, xai, provider)");
			}
			ObjectMapper jsonMapper = (this.mapper != null) ? this.mapper
					: JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
			List<ProviderAdapter> all = new ArrayList<>();
			for (String name : this.order) {
				all.add(this.adapters.get(name).apply(jsonMapper));
			}
			WebClient.Builder builder = (this.webClientBuilder != null) ? this.webClientBuilder
					: WebClient.builder().clientConnector(defaultConnector());
			return new DefaultSteerLLMClient(builder.build(), new ProviderRouter(all, this.defaultProvider),
					this.defaultOptions, this.optionsResolver, jsonMapper,
					(this.priceCatalog != null) ? this.priceCatalog : PriceCatalog.load(),
					(this.retryManager != null) ? this.retryManager : new StreamingRetryManager(),
					StreamObserver.of(this.observationRegistry, this.meterRegistry, this.observationConvention,
							this.maxModelTags, this.recordContent, this.statistics, CLOCK),
					this.liveStreams);
		}

	}

}
