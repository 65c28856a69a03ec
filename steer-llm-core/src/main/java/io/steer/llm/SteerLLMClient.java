package io.steer.llm;

import java.util.Objects;

import io.steer.llm.client.DefaultSteerLLMClient;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.PriceCatalog;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.anthropic.AnthropicMessagesAdapter;
import io.steer.llm.retry.StreamingRetryManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Streaming client for LLM providers: OpenAI and xAI (Chat Completions and the Responses
 * API) and Anthropic (Messages).
 * <p>
 * Every method is lazy: nothing is sent until the result is subscribed to, and each
 * subscription streams one answer. Cancelling the subscription closes the connection.
 * Models are routed by name ({@code gpt-*}, {@code o3*}, {@code grok-*}, …) or as
 * {@code provider:model}.
 * <p>
 * No streaming method throws for a request that cannot be sent: a model no configured
 * provider serves ({@code llama-3}), an unknown provider ({@code foo:bar}), no model
 * after the provider ({@code openai:}), an API the provider does not speak. Such a
 * request is rejected before anything is sent, when the result is subscribed to:
 * {@link #streamEvents} ends with a {@link io.steer.llm.event.StreamErrorEvent} of type
 * {@link io.steer.llm.error.StreamErrorType#REQUEST}, and {@link #stream} and
 * {@link #streamWithUsage} fail, with an {@link InvalidRequestException} whose message
 * names what was wrong and what is accepted. {@link #validate(ChatRequest)} makes the
 * same checks up front, and throws. {@code null} arguments throw
 * {@link NullPointerException} at call time.
 * <p>
 * Reliability, as {@link StreamingOptions} configure it: the connection, read and total
 * timeouts each end a stream with a {@link io.steer.llm.error.StreamTimeoutException}
 * naming the limit; a failure before the first delta (connection refused or reset, a
 * timeout, HTTP 408, 409, 429, 5xx, a retryable provider error as the first event) is
 * retried after the wait the provider asks for ({@code x-should-retry},
 * {@code retry-after-ms}, {@code retry-after}) or an exponential backoff; after a delta,
 * the same answer is resumed (OpenAI Responses API in background mode) or continued
 * (Anthropic, with the partial text as a prefill), and otherwise the stream ends with the
 * failure and the partial response. No delta is ever delivered twice: chunk indexes run
 * on across attempts without gaps. The number of attempts is in
 * {@link StreamingResponse#attempts()}.
 * <p>
 * Each stream's events pass through stages in a fixed order: exchange (the HTTP attempts,
 * retries, resumption) → assembly (decoding, parsing, the response, usage and cost) →
 * observation tap (metrics) → callbacks (those of the options, then those of the call) →
 * the options' {@link io.steer.llm.pipeline.EventProcessor} → subscriber. Whatever the
 * processor filters or adds, exactly one terminal event reaches a subscriber of
 * {@link #streamEvents}. {@link #stream} and {@link #streamWithUsage} are the stream's
 * own result: they read the events before the processor, which still sees every event for
 * its side effects (a batch handler, a background delivery), so a processor can neither
 * rewrite their text nor make them complete empty; only its failure, an
 * {@link io.steer.llm.error.EventProcessorException}, fails them.
 */
public interface SteerLLMClient {

	/**
	 * Streams the answer text to a prompt.
	 * <p>
	 * Emits the text deltas of choice 0 as they arrive, across retries and reconnections,
	 * each once, as the stream produced them: read before the options'
	 * {@link io.steer.llm.pipeline.EventProcessor}, which sees each event first, and
	 * completing once its processed flux has completed too. Cancelling closes the
	 * connection. Fails with a {@link io.steer.llm.error.SteerLLMException} (HTTP error,
	 * provider error, broken stream, timeout, unreadable data) carrying the partial text,
	 * once retries are exhausted or not allowed, or at once, before sending, with an
	 * {@link InvalidRequestException} for a request that cannot be sent. Backpressure is
	 * honoured: the connection is read only as fast as deltas are requested, at most
	 * {@code buffer-size} events ahead.
	 * <p>
	 * The options' output shaping applies to this text, and only when set
	 * ({@link io.steer.llm.shaping.OutputShaping}): a text buffer ({@code buffer-type}
	 * other than {@code none}, held at most {@code buffer-timeout}), then the pacer
	 * ({@code max-added-latency} positive), then a rate limit ({@code rate-limit}
	 * positive, one limiter per stream); the text is unchanged, only its chunks and their
	 * timing differ. With the defaults, nothing is added. {@link #streamEvents} is never
	 * shaped by the options.
	 * @param prompt the user prompt
	 * @param model the model, or {@code null} for the default model
	 * @return the text chunks
	 */
	default Flux<String> stream(String prompt, @Nullable String model) {
		return stream(ChatRequest.of(prompt, model));
	}

	/**
	 * Streams the answer text of a request with the default options. See
	 * {@link #stream(String, String)}.
	 * @param request the request
	 * @return the text chunks
	 */
	default Flux<String> stream(ChatRequest request) {
		return stream(request, optionsFor(request));
	}

	/**
	 * Streams the answer text of a request. See {@link #stream(String, String)}.
	 * @param request the request
	 * @param options the streaming options
	 * @return the text chunks
	 */
	Flux<String> stream(ChatRequest request, StreamingOptions options);

	/**
	 * Streams an answer and emits it whole once the stream completes: text, usage, finish
	 * reason, tool calls, metrics and the number of attempts.
	 * <p>
	 * The response is the stream's own, read before the options'
	 * {@link io.steer.llm.pipeline.EventProcessor}: a processor that filters or rewrites
	 * events does not change it and cannot make the result empty; it is emitted once the
	 * processed flux has completed too, and a processor's failure fails the result with
	 * an {@link io.steer.llm.error.EventProcessorException} holding the response as its
	 * partial response.
	 * <p>
	 * Cancelling closes the connection; the usage so far is recorded in the stream's
	 * retry state. Fails with a {@link io.steer.llm.error.SteerLLMException} whose
	 * {@code getPartialResponse()} holds what arrived (empty for an
	 * {@link InvalidRequestException}: the request could not be sent).
	 * @param prompt the user prompt
	 * @param model the model, or {@code null} for the default model
	 * @return the response
	 */
	default Mono<StreamingResponse> streamWithUsage(String prompt, @Nullable String model) {
		return streamWithUsage(ChatRequest.of(prompt, model));
	}

	/**
	 * See {@link #streamWithUsage(String, String)}.
	 * @param request the request
	 * @return the response
	 */
	default Mono<StreamingResponse> streamWithUsage(ChatRequest request) {
		return streamWithUsage(request, optionsFor(request), StreamCallbacks.NONE);
	}

	/**
	 * See {@link #streamWithUsage(String, String)}.
	 * @param request the request
	 * @param options the streaming options
	 * @return the response
	 */
	default Mono<StreamingResponse> streamWithUsage(ChatRequest request, StreamingOptions options) {
		return streamWithUsage(request, options, StreamCallbacks.NONE);
	}

	/**
	 * See {@link #streamWithUsage(String, String)}; the callbacks see every event as it
	 * passes.
	 * @param request the request
	 * @param options the streaming options
	 * @param callbacks callbacks for this call, run after those of the options
	 * @return the response
	 */
	Mono<StreamingResponse> streamWithUsage(ChatRequest request, StreamingOptions options, StreamCallbacks callbacks);

	/**
	 * See {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)}.
	 * @param request the request
	 * @return the events
	 */
	default Flux<StreamEvent> streamEvents(ChatRequest request) {
		return streamEvents(request, optionsFor(request), StreamCallbacks.NONE);
	}

	/**
	 * See {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)}.
	 * @param request the request
	 * @param options the streaming options
	 * @return the events
	 */
	default Flux<StreamEvent> streamEvents(ChatRequest request, StreamingOptions options) {
		return streamEvents(request, options, StreamCallbacks.NONE);
	}

	/**
	 * Streams typed events: a {@link io.steer.llm.event.StreamStartEvent}, then delta and
	 * usage events, then exactly one terminal event.
	 * <p>
	 * The events are those of the options' {@link io.steer.llm.pipeline.EventProcessor},
	 * when there is one, applied after the callbacks. Whatever it does, exactly one
	 * terminal event is delivered: the first it emits (what it emits after that is
	 * dropped), else the stream's own, appended when the processed flux completes without
	 * one; the flux completes when the processed flux does. A processor does not shorten
	 * the stream: when it completes or cancels its input early, or emits a terminal event
	 * of its own, the rest is still read. A processor that fails ends the stream with a
	 * {@link io.steer.llm.event.StreamErrorEvent} of type
	 * {@link io.steer.llm.error.StreamErrorType#PROCESSOR}, once the stream's own
	 * terminal event is known, with an {@link io.steer.llm.error.EventProcessorException}
	 * (cause: the failure) whose partial response is the stream's response.
	 * <p>
	 * A retried, resumed or continued stream reads as one: one start event, delta chunk
	 * indexes 0, 1, 2… without gaps or repeats, and a complete event whose
	 * {@link io.steer.llm.event.StreamCompleteEvent#attempts()} counts the attempts.
	 * <p>
	 * Failures are not signalled as errors: they arrive as a final
	 * {@link io.steer.llm.event.StreamErrorEvent} carrying the typed exception and the
	 * partial response, after which the flux completes. A request that cannot be sent
	 * (see {@link #validate(ChatRequest)}) is not sent: its stream is that error event
	 * alone, of type {@link io.steer.llm.error.StreamErrorType#REQUEST}, with an
	 * {@link InvalidRequestException} and an empty partial response, and the
	 * {@code onError} callbacks see it. A stream that fails after deltas has a
	 * {@link io.steer.llm.event.StreamUsageEvent} before its error event too, as a
	 * complete stream has before its complete event: the provider's usage (emitted once),
	 * else the estimate made at the failure, flagged estimated, with its confidence.
	 * Cancelling closes the connection promptly (or stops a retry's wait) and records the
	 * usage so far in the stream's {@link io.steer.llm.retry.RetryState}. Backpressure is
	 * honoured: at most {@code buffer-size} events are read ahead of the subscriber, then
	 * the connection's reads pause, so a slow subscriber does not make memory grow.
	 * <p>
	 * The events are raw: the options' output shaping ({@code buffer-type},
	 * {@code max-added-latency}, {@code rate-limit}) is not applied to them, so that the
	 * deltas are the provider's own. Shaping them is explicit:
	 * {@code events.transform(OutputShaping.events(options, model))}, the single
	 * operators of {@code io.steer.llm.shaping}, or
	 * {@code io.steer.llm.web.ServerSentEvents} given the options. The {@code onProgress}
	 * callback is the one shaping option read here.
	 * @param request the request
	 * @param options the streaming options
	 * @param callbacks callbacks for this call, run after those of the options
	 * @return the events
	 */
	Flux<StreamEvent> streamEvents(ChatRequest request, StreamingOptions options, StreamCallbacks callbacks);

	/**
	 * Streams the elements of a JSON answer's top-level array, each converted to
	 * {@code type} through the client's JSON mapper as soon as it is complete in the
	 * stream (from the {@link io.steer.llm.json.JsonSnapshot#completedElements()} of the
	 * answer's snapshots), before the rest of the array has arrived. The JSON stream
	 * handler is turned on for this call; the request must ask for a JSON response format
	 * ({@link ChatRequest#wantsJson()}). Only choice 0 is read; an answer whose value is
	 * not an array gives no element.
	 * <p>
	 * The stream's failure (invalid JSON with {@code validateJsonIncrementally}, a
	 * provider error, a timeout) is signalled as the flux's error, the typed
	 * {@link io.steer.llm.error.SteerLLMException}, after the elements that completed
	 * before it; an element that does not convert signals Jackson's exception and cancels
	 * the stream. Cancelling closes the connection. Backpressure is honoured as for
	 * {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)}.
	 * @param <T> the element type
	 * @param request the request, asking for a JSON response format
	 * @param options the streaming options; the JSON stream handler is turned on
	 * @param type the class each element is converted to
	 * @return the elements, in order
	 * @throws IllegalArgumentException (signalled) when the request does not ask for JSON
	 */
	<T> Flux<T> streamElements(ChatRequest request, StreamingOptions options, Class<T> type);

	/**
	 * Checks, without sending anything, that a request can be sent: the checks
	 * {@link #streamEvents(ChatRequest, StreamingOptions, StreamCallbacks)} makes before
	 * it sends, for a caller that must answer before it starts streaming (a web layer
	 * answering 400 rather than an error event inside a 200 stream).
	 * <p>
	 * The client built by {@link #builder()} routes the model (a known name, or
	 * {@code provider:model} with a configured provider and a model after the colon, or
	 * no model and a default model), checks that its provider serves the
	 * {@linkplain ChatRequest#api() API} the request names and can take the request (tool
	 * call arguments), and builds the HTTP request. This default accepts every request.
	 * @param request the request
	 * @throws InvalidRequestException when the request cannot be sent; its
	 * {@link InvalidRequestException#getField() field} names the part at fault
	 * ({@code model}, {@code api}, a tool call's arguments, or {@code request}) and its
	 * message what was wrong and what is accepted
	 * @throws NullPointerException when the request is {@code null}
	 */
	default void validate(ChatRequest request) {
		Objects.requireNonNull(request, "request must not be null");
	}

	/**
	 * The options that start every call without options: the base of
	 * {@link #optionsFor(ChatRequest)}.
	 * @return the default options
	 */
	StreamingOptions defaultOptions();

	/**
	 * The options a request is streamed with when the call gives none: the
	 * {@linkplain #defaultOptions() default options} as the client's
	 * {@link io.steer.llm.options.StreamingOptionsResolver} changes them for the request
	 * and its route (by provider, by model, by response format, by network quality). The
	 * methods without a {@link StreamingOptions} argument use it.
	 * @param request the request
	 * @return the options; {@link #defaultOptions()} when the client has no resolver or
	 * the request cannot be routed (the stream then fails with the routing error)
	 */
	default StreamingOptions optionsFor(ChatRequest request) {
		return defaultOptions();
	}

	/**
	 * A builder of the default client.
	 * @return the builder
	 */
	static Builder builder() {
		return DefaultSteerLLMClient.builder();
	}

	/**
	 * Builder of a {@link SteerLLMClient}.
	 */
	interface Builder {

		/**
		 * The WebClient builder to build the HTTP client from, so that its customizations
		 * (codecs, filters, connector) apply. Defaults to {@link WebClient#builder()}
		 * with a Reactor Netty connector that decodes gzip responses but does not ask for
		 * them: only a stream whose {@link StreamingOptions#enableCompression()} is on
		 * sends {@code Accept-Encoding: gzip}.
		 * <p>
		 * A connector given here must decode a gzip response itself when compression is
		 * enabled. Spring's and Spring Boot's Reactor Netty connectors do, and they ask
		 * for gzip on every request ({@code HttpClient.compress(true)}), whatever the
		 * option.
		 * <p>
		 * The time limits of {@link StreamingOptions} work with any connector, as
		 * follows. {@code connection-timeout} is timed by the client, from subscribing
		 * until the connector is ready to write the request; a connector's own connect
		 * timeout (Reactor Netty's {@code CONNECT_TIMEOUT_MILLIS}, 30 s by default) still
		 * applies when it is shorter. {@code read-timeout} is set on each request as
		 * Reactor Netty's {@code responseTimeout}, replacing one set on the connector's
		 * {@code HttpClient}; with a connector other than Reactor Netty's it applies
		 * between body buffers only, and the wait for the response headers is bounded by
		 * {@code total-timeout}.
		 * @param webClientBuilder the builder; it is cloned
		 * @return this builder
		 */
		Builder webClientBuilder(WebClient.Builder webClientBuilder);

		/**
		 * Adds OpenAI, using Chat Completions unless a request names another API.
		 * @param settings connection settings
		 * @return this builder
		 */
		default Builder openAi(ProviderSettings settings) {
			return openAi(settings, ProviderApi.CHAT_COMPLETIONS);
		}

		/**
		 * Adds OpenAI.
		 * @param settings connection settings
		 * @param defaultApi API of requests that name none
		 * @return this builder
		 */
		Builder openAi(ProviderSettings settings, ProviderApi defaultApi);

		/**
		 * Adds xAI, using Chat Completions unless a request names another API.
		 * @param settings connection settings
		 * @return this builder
		 */
		default Builder xai(ProviderSettings settings) {
			return xai(settings, ProviderApi.CHAT_COMPLETIONS);
		}

		/**
		 * Adds xAI.
		 * @param settings connection settings
		 * @param defaultApi API of requests that name none
		 * @return this builder
		 */
		Builder xai(ProviderSettings settings, ProviderApi defaultApi);

		/**
		 * Adds Anthropic (Messages) with {@code anthropic-version: 2023-06-01} and 4096
		 * as the {@code max_tokens} of requests that give none.
		 * @param settings connection settings
		 * @return this builder
		 */
		default Builder anthropic(ProviderSettings settings) {
			return anthropic(settings, AnthropicMessagesAdapter.DEFAULT_VERSION,
					AnthropicMessagesAdapter.DEFAULT_MAX_TOKENS);
		}

		/**
		 * Adds Anthropic (Messages).
		 * @param settings connection settings
		 * @param version {@code anthropic-version} header
		 * @param defaultMaxTokens {@code max_tokens} of requests that give none (tokens)
		 * @return this builder
		 */
		Builder anthropic(ProviderSettings settings, String version, int defaultMaxTokens);

		/**
		 * Adds a provider adapter, replacing one of the same name.
		 * @param adapter the adapter
		 * @return this builder
		 */
		Builder provider(ProviderAdapter adapter);

		/**
		 * Provider of requests without a model; defaults to the first one added.
		 * @param provider the provider name
		 * @return this builder
		 */
		Builder defaultProvider(String provider);

		/**
		 * Options used when a call gives none; defaults to
		 * {@link StreamingOptions#DEFAULTS}.
		 * @param options the options
		 * @return this builder
		 */
		Builder defaultOptions(StreamingOptions options);

		/**
		 * Chooses the options of calls that give none, from the request and its route,
		 * starting from the default options; defaults to
		 * {@link io.steer.llm.options.StreamingOptionsResolver#identity()}.
		 * @param resolver the resolver
		 * @return this builder
		 */
		Builder optionsResolver(io.steer.llm.options.StreamingOptionsResolver resolver);

		/**
		 * The JSON mapper for request bodies and chunks; defaults to a plain
		 * {@code JsonMapper}.
		 * @param mapper the mapper
		 * @return this builder
		 */
		Builder jsonMapper(ObjectMapper mapper);

		/**
		 * Prices used to compute the cost in USD of each response; defaults to
		 * {@link PriceCatalog#load()}, the bundled prices (USD per million tokens).
		 * @param catalog the prices, e.g. {@code PriceCatalog.load().withOverrides(…)}
		 * @return this builder
		 */
		Builder priceCatalog(PriceCatalog catalog);

		/**
		 * Where the client keeps the {@link io.steer.llm.retry.RetryState} of each stream
		 * that failed an attempt, timed out or was cancelled (attempts, resume position,
		 * partial text, last error, the usage so far of a cancelled stream); defaults to
		 * a new {@link StreamingRetryManager} with its default TTL (900 s) and size
		 * (10,000 states). Share one manager to inspect the states or to clean them up on
		 * a schedule.
		 * @param retryManager the manager
		 * @return this builder
		 */
		Builder retryManager(StreamingRetryManager retryManager);

		/**
		 * Where each stream's {@link io.micrometer.observation.Observation} goes: one per
		 * stream (whatever its retries), named
		 * {@value io.steer.llm.observation.DefaultStreamObservationConvention#NAME} with
		 * the contextual name {@code chat {model}}, started when the request is routed
		 * and stopped at its terminal event or when it is cancelled, by the subscriber or
		 * by an operator through the {@linkplain #liveStreams live streams} (outcome
		 * {@code cancelled}, with the usage so far). Only streams whose
		 * {@link StreamingOptions#trackMetrics()} is on are observed. Defaults to
		 * {@link io.micrometer.observation.ObservationRegistry#NOOP}: with it and no
		 * {@linkplain #meterRegistry(io.micrometer.core.instrument.MeterRegistry) meter
		 * registry} the events are not touched at all.
		 * @param observationRegistry the registry
		 * @return this builder
		 * @see io.steer.llm.observation.StreamObservationDocumentation
		 */
		Builder observationRegistry(io.micrometer.observation.ObservationRegistry observationRegistry);

		/**
		 * Where the OpenTelemetry GenAI client meters (semantic conventions v1.41) of
		 * each stream whose {@link StreamingOptions#trackMetrics()} is on go, recorded
		 * when the stream ends: {@code gen_ai.client.operation.duration},
		 * {@code gen_ai.client.token.usage} (by {@code gen_ai.token.type} {@code input},
		 * cached tokens included, and {@code output}),
		 * {@code gen_ai.client.operation.time_to_first_chunk} and
		 * {@code gen_ai.client.operation.time_per_output_chunk} (one value per gap
		 * between consecutive deltas), with the observation convention's low-cardinality
		 * key values as tags and the conventions' bucket boundaries. Our own meters go
		 * there too, recorded once when a stream ends, tagged
		 * {@code gen_ai.provider.name} and {@code gen_ai.request.model} (as the GenAI
		 * meters have them): {@code steer.streams} (a counter, also by {@code outcome}
		 * and {@code steer.usage.estimated}), {@code steer.stream.errors} (by
		 * {@code error.type}), {@code steer.stream.cost} (USD),
		 * {@code steer.stream.retries} (attempts after the first),
		 * {@code steer.stream.cancellations} (by {@code steer.cancelled.by}:
		 * {@code subscriber} or {@code operator}), and the gauge
		 * {@code steer.streams.active} (streams in flight, by provider only). Needs
		 * {@code micrometer-core}; none by default.
		 * @param meterRegistry the registry
		 * @return this builder
		 */
		Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry meterRegistry);

		/**
		 * The convention naming each stream's observation and the tags of its meters,
		 * instead of a
		 * {@link io.steer.llm.observation.DefaultStreamObservationConvention} (which tags
		 * at most 100 distinct models, the rest {@code other}).
		 * @param convention the convention
		 * @return this builder
		 */
		Builder observationConvention(io.steer.llm.observation.StreamObservationConvention convention);

		/**
		 * How many distinct model names (request and response models together) the
		 * default observation convention, and so the meters, tag before the rest are
		 * tagged {@code other}: a model name comes from user input, so its tag values
		 * must stay bounded. Ignored by a custom {@linkplain #observationConvention
		 * convention}. The
		 * {@linkplain #streamStatistics(io.steer.llm.observation.StreamStatistics)
		 * statistics} are given the raw model and cap it themselves. 100 by default.
		 * @param maxModelTags the distinct models tagged, at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxModelTags} is less than 1
		 */
		Builder maxModelTags(int maxModelTags);

		/**
		 * Whether each stream's observation records the prompt and the completion (the
		 * high-cardinality {@code gen_ai.input.messages} and
		 * {@code gen_ai.output.messages} of the OpenTelemetry GenAI conventions, so only
		 * on spans, never on meters). Off by default: content is private and may be
		 * large.
		 * @param recordContent {@code true} to record the content
		 * @return this builder
		 */
		Builder recordContent(boolean recordContent);

		/**
		 * Where the client registers its streams in flight, so that an operator can list
		 * and cancel them (the {@code steer} actuator endpoint). Every stream is
		 * registered when it starts, whatever its
		 * {@link StreamingOptions#trackMetrics()}, its deltas counted, and removed when
		 * it ends, whichever way (a request rejected before sending is never in flight,
		 * so never registered). An operator's
		 * {@link io.steer.llm.observation.LiveStreams#cancel(String) cancel} closes the
		 * provider connection (or stops a retry's wait) and ends the stream with one
		 * terminal {@link io.steer.llm.event.StreamErrorEvent} of type
		 * {@link io.steer.llm.error.StreamErrorType#CANCELLED}, not retryable, whose
		 * partial response keeps the text and usage so far. None by default: then a
		 * stream costs nothing for it.
		 * @param liveStreams the registry of streams in flight
		 * @return this builder
		 */
		Builder liveStreams(io.steer.llm.observation.LiveStreams liveStreams);

		/**
		 * Where the client records each ended stream whose
		 * {@link StreamingOptions#trackMetrics()} is on, for the recent statistics per
		 * provider and model and the providers' passive health signals: one
		 * {@link io.steer.llm.observation.EndedStream} per stream, when it ends, with the
		 * raw provider and model names, the HTTP status of an HTTP error and the error's
		 * (redacted) message. Needs no Micrometer. None by default.
		 * @param statistics the statistics
		 * @return this builder
		 */
		Builder streamStatistics(io.steer.llm.observation.StreamStatistics statistics);

		/**
		 * Builds the client.
		 * @return the client
		 * @throws IllegalStateException when no provider was added
		 */
		SteerLLMClient build();

	}

}
