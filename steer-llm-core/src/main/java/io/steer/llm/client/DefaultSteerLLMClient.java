package io.steer.llm.client;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.assembly.StreamContext;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.pricing.PriceCatalog;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderRouter;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.anthropic.AnthropicMessagesAdapter;
import io.steer.llm.provider.openai.OpenAiCompatibleAdapter;
import io.steer.llm.retry.StreamingRetryManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link SteerLLMClient} built by {@link SteerLLMClient#builder()}: one WebClient
 * shared by every provider adapter.
 */
public final class DefaultSteerLLMClient implements SteerLLMClient {

	private static final Log logger = LogFactory.getLog(DefaultSteerLLMClient.class);

	/**
	 * Clock of the streams' event timestamps, of rejections, and that an HTTP date in a
	 * {@code Retry-After} header is compared with.
	 */
	private static final Clock CLOCK = Clock.systemUTC();

	private final WebClient webClient;

	private final ProviderRouter router;

	private final StreamingOptions defaultOptions;

	private final ObjectMapper mapper;

	private final CostCalculator costCalculator;

	private final StreamingRetryManager retryManager;

	private DefaultSteerLLMClient(WebClient webClient, ProviderRouter router, StreamingOptions defaultOptions,
			ObjectMapper mapper, PriceCatalog priceCatalog, StreamingRetryManager retryManager) {
		this.webClient = webClient;
		this.router = router;
		this.defaultOptions = defaultOptions;
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

	@Override
	public Flux<String> stream(ChatRequest request, StreamingOptions options) {
		return streamEvents(request, options, StreamCallbacks.NONE).handle((event, sink) -> {
			if (event instanceof StreamDeltaEvent delta) {
				if (delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0) {
					sink.next(delta.delta());
				}
			}
			else if (event instanceof StreamErrorEvent error) {
				sink.error(error.error());
			}
		});
	}

	@Override
	public Mono<StreamingResponse> streamWithUsage(ChatRequest request, StreamingOptions options,
			StreamCallbacks callbacks) {
		return streamEvents(request, options, callbacks).filter(StreamEvent::isTerminal)
			.next()
			.handle((event, sink) -> {
				if (event instanceof StreamCompleteEvent complete) {
					sink.next(complete.response());
				}
				else if (event instanceof StreamErrorEvent error) {
					sink.error(error.error());
				}
			});
	}

	@Override
	public Flux<StreamEvent> streamEvents(ChatRequest request, StreamingOptions options, StreamCallbacks callbacks) {
		Objects.requireNonNull(request, "request must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Objects.requireNonNull(callbacks, "callbacks must not be null");
		Flux<StreamEvent> events = Flux.defer(() -> {
			ProviderRouter.Route route;
			ProviderRequest first;
			try {
				route = this.router.route(request);
				first = firstRequest(route, request, options);
			}
			catch (InvalidRequestException ex) {
				return Flux.just(rejected(request, ex));
			}
			return exchange(route, first, request, options);
		});
		events = CallbackInvoker.apply(events, options.callbacks(), callbacks);
		EventProcessor processor = options.eventProcessor();
		return (processor != null) ? processor.apply(events) : events;
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

	private Flux<StreamEvent> exchange(ProviderRouter.Route route, ProviderRequest first, ChatRequest request,
			StreamingOptions options) {
		StreamContext context = new StreamContext(UUID.randomUUID().toString(), route.adapter(), route.model(), request,
				options, this.mapper, this.costCalculator, CLOCK, System::nanoTime);
		return new StreamExchange(this.webClient, context, first, this.retryManager).events();
	}

	private static final class Builder implements SteerLLMClient.Builder {

		private WebClient.@Nullable Builder webClientBuilder;

		private final Map<String, Function<ObjectMapper, ProviderAdapter>> adapters = new LinkedHashMap<>();

		private final List<String> order = new ArrayList<>();

		private @Nullable String defaultProvider;

		private StreamingOptions defaultOptions = StreamingOptions.DEFAULTS;

		private @Nullable ObjectMapper mapper;

		private @Nullable PriceCatalog priceCatalog;

		private @Nullable StreamingRetryManager retryManager;

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
			WebClient.Builder builder = (this.webClientBuilder != null) ? this.webClientBuilder : WebClient.builder();
			return new DefaultSteerLLMClient(builder.build(), new ProviderRouter(all, this.defaultProvider),
					this.defaultOptions, jsonMapper,
					(this.priceCatalog != null) ? this.priceCatalog : PriceCatalog.load(),
					(this.retryManager != null) ? this.retryManager : new StreamingRetryManager());
		}

	}

}
