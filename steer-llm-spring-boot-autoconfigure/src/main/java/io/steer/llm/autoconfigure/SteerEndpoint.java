package io.steer.llm.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.steer.llm.observation.LiveStream;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.ModelStatistics;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.adaptive.AdaptiveStreamingOptions;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code steer} actuator endpoint: what an operator needs to watch the client's
 * streams, and to cancel one. Exposed over HTTP like any endpoint, with
 * {@code management.endpoints.web.exposure.include=steer}:
 * <ul>
 * <li>{@code GET /actuator/steer}: the {@linkplain SteerDescriptor configuration and
 * recent activity};</li>
 * <li>{@code GET /actuator/steer/{streamId}}: {@linkplain StreamDescriptor one stream},
 * in flight or recently ended (its retry state), 404 when neither;</li>
 * <li>{@code GET /actuator/steer/{streamId}/events}: {@linkplain RecordedEventsDescriptor
 * the recorded events} of one recent stream, text redacted unless
 * {@code steer.streaming.events.replay.include-text}; 404 when the stream is not recorded
 * or replay is off ({@code steer.streaming.events.replay.enabled}, off by default);</li>
 * <li>{@code DELETE /actuator/steer/{streamId}}: cancels a stream in flight
 * ({@link LiveStreams#cancel(String)}); 404 when it is not in flight (through
 * {@link SteerEndpointWebExtension}: the operation itself returns {@code null}, which the
 * actuator would answer with 204).</li>
 * </ul>
 * The read operation answers this shape (a value that is {@code null} is left out by the
 * actuator's JSON mapper):
 *
 * <pre class="code">
 * {
 *   "providers": [
 *     { "name": "openai", "host": "api.openai.com", "api": "chat-completions",
 *       "defaultModel": "gpt-4o-mini", "apiKeySet": true },
 *     { "name": "xai", "host": "api.x.ai", "api": "chat-completions", "apiKeySet": false },
 *     { "name": "anthropic", "host": "api.anthropic.com", "api": "messages", "apiKeySet": false }
 *   ],
 *   "presets": {
 *     "steerStreamingOptions": { "enable-usage-aggregation": true, "aggregator-type": "auto",
 *       "connection-timeout": "5s", "read-timeout": "30s", "total-timeout": "5m",
 *       "reconnect-delay": "500ms", "buffer-type": "none", "rate-limit": 0.0, ... },
 *     "debugOptions": { ... },
 *     "jsonModeOptions": { ... }
 *   },
 *   "statistics": [
 *     { "provider": "openai", "model": "gpt-4o-mini", "streams": 12, "completed": 10,
 *       "cancelled": 1, "errors": { "HTTP": 1 }, "timeToFirstChunkP50Ms": 412.0,
 *       "timeToFirstChunkP95Ms": 980.0, "inputTokens": 5400, "outputTokens": 8100,
 *       "costUsd": 0.0057, "lastStreamAt": "2026-12-01T14:02:11.120Z" }
 *   ],
 *   "liveStreams": [
 *     { "streamId": "3f6c…", "provider": "openai", "model": "gpt-4o-mini",
 *       "startedAt": "2026-12-01T14:02:30.004Z", "ageMs": 2150, "chunks": 87 }
 *   ],
 *   "networkQuality": { "anthropic": "good", "openai": "fair" }
 * }
 * </pre>
 *
 * {@code presets} maps the bean name of each {@link StreamingOptions} bean (the primary
 * {@code steerStreamingOptions} first, then the others by name: the built-in presets and
 * each {@code steer.streaming.presets.<name>} as {@code <name>Options}) to its effective
 * options, keyed by their property names under {@code steer.streaming} in kebab case, so
 * that a value can be copied into {@code application.yml}: a {@link Duration} is written
 * in Boot's simple form with the largest unit that holds it exactly ({@code 30s},
 * {@code 500ms}, {@code 5m}), an enum in lower case, an {@code event-processor} or
 * {@code json-processor} as its class name (left out when none). {@code statistics} is
 * {@link StreamStatistics#models()}; {@code liveStreams} is {@link LiveStreams#list()},
 * oldest first. {@code networkQuality}, present only with adaptive options
 * ({@code steer.streaming.adaptive.enabled=true}), maps each provider that has had a
 * stream to its current {@linkplain AdaptiveStreamingOptions#qualities() network quality}
 * ({@code good}, {@code fair} or {@code poor}; a provider without a stream yet is
 * {@code good}), sorted by provider.
 * <p>
 * Nothing secret is shown: whether an API key is set, never the key; no header, prompt or
 * text (of a stream, only the length of the text received so far).
 */
@Endpoint(id = SteerEndpoint.ID)
public class SteerEndpoint {

	/** The endpoint's id, and its path under the actuator's base path. */
	public static final String ID = "steer";

	/** The path segment after a stream's id that reads its recorded events. */
	static final String EVENTS = "events";

	private final SteerProvidersProperties providers;

	private final Supplier<Map<String, StreamingOptions>> options;

	private final LiveStreams liveStreams;

	private final StreamStatistics statistics;

	private final @Nullable StreamingRetryManager retryManager;

	private final @Nullable EventRecorder recorder;

	private final @Nullable AdaptiveStreamingOptions adaptiveOptions;

	/**
	 * Create the endpoint.
	 * @param providers the providers' settings
	 * @param options the {@link StreamingOptions} beans by bean name, read on every
	 * request
	 * @param liveStreams the client's streams in flight
	 * @param statistics the client's recent streams
	 * @param retryManager the retry states of the client's streams, or {@code null} when
	 * there is none (a stream is then only found while in flight)
	 */
	public SteerEndpoint(SteerProvidersProperties providers, Supplier<Map<String, StreamingOptions>> options,
			LiveStreams liveStreams, StreamStatistics statistics, @Nullable StreamingRetryManager retryManager) {
		this(providers, options, liveStreams, statistics, retryManager, null);
	}

	/**
	 * Create the endpoint, with the recorded events of recent streams.
	 * @param providers the providers' settings
	 * @param options the {@link StreamingOptions} beans by bean name, read on every
	 * request
	 * @param liveStreams the client's streams in flight
	 * @param statistics the client's recent streams
	 * @param retryManager the retry states of the client's streams, or {@code null} when
	 * there is none (a stream is then only found while in flight)
	 * @param recorder the recorder of recent streams' events, or {@code null} when replay
	 * is off ({@link #events(String, String)} then finds no stream)
	 */
	public SteerEndpoint(SteerProvidersProperties providers, Supplier<Map<String, StreamingOptions>> options,
			LiveStreams liveStreams, StreamStatistics statistics, @Nullable StreamingRetryManager retryManager,
			@Nullable EventRecorder recorder) {
		this(providers, options, liveStreams, statistics, retryManager, recorder, null);
	}

	/**
	 * Create the endpoint, with the recorded events of recent streams and the network
	 * quality of each provider.
	 * @param providers the providers' settings
	 * @param options the {@link StreamingOptions} beans by bean name, read on every
	 * request
	 * @param liveStreams the client's streams in flight
	 * @param statistics the client's recent streams
	 * @param retryManager the retry states of the client's streams, or {@code null} when
	 * there is none (a stream is then only found while in flight)
	 * @param recorder the recorder of recent streams' events, or {@code null} when replay
	 * is off ({@link #events(String, String)} then finds no stream)
	 * @param adaptiveOptions the adaptive options whose network quality per provider
	 * {@link #steer()} shows as {@code networkQuality}, or {@code null} when they are off
	 * ({@code networkQuality} is then left out)
	 */
	public SteerEndpoint(SteerProvidersProperties providers, Supplier<Map<String, StreamingOptions>> options,
			LiveStreams liveStreams, StreamStatistics statistics, @Nullable StreamingRetryManager retryManager,
			@Nullable EventRecorder recorder, @Nullable AdaptiveStreamingOptions adaptiveOptions) {
		this.providers = Objects.requireNonNull(providers, "providers must not be null");
		this.options = Objects.requireNonNull(options, "options must not be null");
		this.liveStreams = Objects.requireNonNull(liveStreams, "liveStreams must not be null");
		this.statistics = Objects.requireNonNull(statistics, "statistics must not be null");
		this.retryManager = retryManager;
		this.recorder = recorder;
		this.adaptiveOptions = adaptiveOptions;
	}

	/**
	 * The providers, the options of each preset, the recent statistics per provider and
	 * model, and the streams in flight.
	 * @return the descriptor, never {@code null}
	 */
	@ReadOperation
	public SteerDescriptor steer() {
		List<ProviderDescriptor> providers = List.of(
				ProviderDescriptor.of("openai", this.providers.getOpenai(),
						this.providers.getOpenai().getApi().value()),
				ProviderDescriptor.of("xai", this.providers.getXai(), this.providers.getXai().getApi().value()),
				ProviderDescriptor.of("anthropic", this.providers.getAnthropic(), "messages"));
		List<LiveStreamDescriptor> live = this.liveStreams.list().stream().map(LiveStreamDescriptor::of).toList();
		return new SteerDescriptor(providers, presets(), this.statistics.models(), live, networkQuality());
	}

	/**
	 * One stream: its snapshot while in flight and its retry state while the retry
	 * manager keeps it (until {@code steer.streaming.state-ttl} after its last activity).
	 * @param streamId the stream's id (the {@code streamId} of its events)
	 * @return the stream, or {@code null} (HTTP 404) when it is neither in flight nor has
	 * a retry state
	 */
	@ReadOperation
	public @Nullable StreamDescriptor stream(@Selector String streamId) {
		Optional<LiveStream> live = this.liveStreams.get(streamId);
		Optional<RetryState> state = (this.retryManager != null) ? this.retryManager.state(streamId) : Optional.empty();
		if (live.isEmpty() && state.isEmpty()) {
			return null;
		}
		return new StreamDescriptor(streamId, live.isPresent(), live.map(LiveStreamDescriptor::of).orElse(null),
				state.map(RetryStateDescriptor::of).orElse(null));
	}

	/**
	 * The recorded events of one stream, {@code GET /actuator/steer/{streamId}/events}:
	 * the events the {@link EventRecorder} keeps (with
	 * {@code steer.streaming.events.replay.enabled=true}), each as its
	 * {@linkplain EventRecorder#toJson JSON view}, text redacted unless
	 * {@code steer.streaming.events.replay.include-text=true}.
	 * @param streamId the stream's id (the {@code streamId} of its events)
	 * @param segment the second path segment, {@code events}
	 * @return the recorded events, or {@code null} (HTTP 404) when replay is off, the
	 * stream is not recorded (never, or evicted or expired), or {@code segment} is not
	 * {@code events}
	 */
	@ReadOperation
	public @Nullable RecordedEventsDescriptor events(@Selector String streamId, @Selector String segment) {
		if (!EVENTS.equals(segment) || this.recorder == null) {
			return null;
		}
		EventRecorder recorder = this.recorder;
		return recorder.recording(streamId)
			.map((recording) -> new RecordedEventsDescriptor(streamId, recording.finished(), recording.droppedEvents(),
					recording.events().stream().map(recorder::toJson).toList()))
			.orElse(null);
	}

	/**
	 * Cancels a stream in flight: its provider connection is closed and its subscriber
	 * receives a terminal error event with the text so far. The stream is no longer
	 * listed once this returns.
	 * @param streamId the stream's id
	 * @return {@code {streamId, cancelled: true}}, or {@code null} when no such stream is
	 * in flight (HTTP 404 through {@link SteerEndpointWebExtension})
	 */
	@DeleteOperation
	public @Nullable CancelledStream cancel(@Selector String streamId) {
		return this.liveStreams.cancel(streamId) ? new CancelledStream(streamId, true) : null;
	}

	private @Nullable Map<String, String> networkQuality() {
		if (this.adaptiveOptions == null) {
			return null;
		}
		Map<String, String> qualities = new LinkedHashMap<>();
		this.adaptiveOptions.qualities().forEach((provider, quality) -> qualities.put(provider, quality.value()));
		return qualities;
	}

	private Map<String, Map<String, Object>> presets() {
		Map<String, StreamingOptions> beans = this.options.get();
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		StreamingOptions defaults = beans.get(SteerLLMAutoConfiguration.STREAMING_OPTIONS_BEAN_NAME);
		if (defaults != null) {
			presets.put(SteerLLMAutoConfiguration.STREAMING_OPTIONS_BEAN_NAME, properties(defaults));
		}
		new TreeMap<>(beans).forEach((name, options) -> presets.putIfAbsent(name, properties(options)));
		return presets;
	}

	/**
	 * The effective options as their {@code steer.streaming.*} properties.
	 * @param options the options
	 * @return property name (kebab case, without the prefix) to value, in declaration
	 * order
	 */
	static Map<String, Object> properties(StreamingOptions options) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("enable-usage-aggregation", options.enableUsageAggregation());
		map.put("aggregator-type", lowerCase(options.aggregatorType()));
		map.put("prefer-tiktoken", options.preferTiktoken());
		map.put("enable-json-stream-handler", options.enableJsonStreamHandler());
		map.put("validate-json-incrementally", options.validateJsonIncrementally());
		map.put("json-duplicate-policy", lowerCase(options.jsonDuplicatePolicy()));
		map.put("fail-on-schema-violation", options.failOnSchemaViolation());
		if (options.jsonProcessor() != null) {
			map.put("json-processor", options.jsonProcessor().getClass().getName());
		}
		if (options.eventProcessor() != null) {
			map.put("event-processor", options.eventProcessor().getClass().getName());
		}
		map.put("connection-timeout", duration(options.connectionTimeout()));
		map.put("read-timeout", duration(options.readTimeout()));
		map.put("total-timeout", duration(options.totalTimeout()));
		map.put("retry-on-connection-error", options.retryOnConnectionError());
		map.put("max-reconnect-attempts", options.maxReconnectAttempts());
		map.put("reconnect-delay", duration(options.reconnectDelay()));
		map.put("max-retry-delay", duration(options.maxRetryDelay()));
		map.put("preserve-partial-response", options.preservePartialResponse());
		map.put("buffer-size", options.bufferSize());
		map.put("max-event-size", options.maxEventSize());
		map.put("enable-compression", options.enableCompression());
		map.put("buffer-type", lowerCase(options.bufferType()));
		map.put("chunk-size", options.chunkSize());
		map.put("buffer-timeout", duration(options.bufferTimeout()));
		map.put("progress-interval", duration(options.progressInterval()));
		map.put("rate-limit", options.rateLimit());
		map.put("max-added-latency", duration(options.maxAddedLatency()));
		map.put("track-metrics", options.trackMetrics());
		map.put("log-streaming-metrics", options.logStreamingMetrics());
		return map;
	}

	/**
	 * A duration in Boot's simple form, in the largest unit that holds it exactly.
	 * @param duration the duration, not negative
	 * @return for example {@code 30s}, {@code 500ms}, {@code 5m}, {@code 0s}
	 */
	static String duration(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		String[] suffixes = { "d", "h", "m", "s", "ms", "us" };
		ChronoUnit[] units = { ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS,
				ChronoUnit.MILLIS, ChronoUnit.MICROS };
		for (int i = 0; i < units.length; i++) {
			Duration unit = units[i].getDuration();
			if (duration.toNanos() % unit.toNanos() == 0) {
				return (duration.toNanos() / unit.toNanos()) + suffixes[i];
			}
		}
		return duration.toNanos() + "ns";
	}

	private static String lowerCase(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * What {@code GET /actuator/steer} answers.
	 *
	 * @param providers the three providers, in the order openai, xai, anthropic
	 * @param presets the effective options of each {@link StreamingOptions} bean, by bean
	 * name: property name under {@code steer.streaming} to value
	 * @param statistics the recent streams per provider and model,
	 * {@link StreamStatistics#models()}
	 * @param liveStreams the streams in flight, oldest first
	 * @param networkQuality provider to its network quality ({@code good}, {@code fair},
	 * {@code poor}), sorted by provider; {@code null} (left out) without adaptive options
	 */
	public record SteerDescriptor(List<ProviderDescriptor> providers, Map<String, Map<String, Object>> presets,
			List<ModelStatistics> statistics, List<LiveStreamDescriptor> liveStreams,
			@Nullable Map<String, String> networkQuality) implements OperationResponseBody {

		/**
		 * A descriptor without network quality.
		 * @param providers the three providers, in the order openai, xai, anthropic
		 * @param presets the effective options of each {@link StreamingOptions} bean
		 * @param statistics the recent streams per provider and model
		 * @param liveStreams the streams in flight, oldest first
		 */
		public SteerDescriptor(List<ProviderDescriptor> providers, Map<String, Map<String, Object>> presets,
				List<ModelStatistics> statistics, List<LiveStreamDescriptor> liveStreams) {
			this(providers, presets, statistics, liveStreams, null);
		}

	}

	/**
	 * One configured provider.
	 *
	 * @param name {@code openai}, {@code xai} or {@code anthropic}
	 * @param host the host of its base URL, or {@code null} when the URL has none
	 * @param api the API of requests that name none: {@code chat-completions},
	 * {@code responses} or {@code messages}
	 * @param defaultModel the model of requests that name none, or {@code null}
	 * @param apiKeySet whether an API key is set (the key is never shown)
	 */
	public record ProviderDescriptor(String name, @Nullable String host, String api, @Nullable String defaultModel,
			boolean apiKeySet) {

		static ProviderDescriptor of(String name, SteerProvidersProperties.Provider settings, String api) {
			String model = settings.getDefaultModel();
			return new ProviderDescriptor(name, host(settings.getBaseUrl()), api,
					(model != null && !model.isBlank()) ? model.strip() : null, settings.hasApiKey());
		}

		private static @Nullable String host(@Nullable String baseUrl) {
			if (baseUrl == null) {
				return null;
			}
			try {
				return URI.create(baseUrl.strip()).getHost();
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

	/**
	 * One stream in flight.
	 *
	 * @param streamId the stream's id
	 * @param provider the provider's name
	 * @param model the model asked for
	 * @param startedAt when it started
	 * @param ageMs how long it has been running (ms)
	 * @param chunks deltas delivered so far
	 */
	public record LiveStreamDescriptor(String streamId, String provider, String model, Instant startedAt, long ageMs,
			long chunks) {

		static LiveStreamDescriptor of(LiveStream stream) {
			return new LiveStreamDescriptor(stream.streamId(), stream.provider(), stream.model(), stream.startedAt(),
					stream.age().toMillis(), stream.chunks());
		}

	}

	/**
	 * What {@code GET /actuator/steer/{streamId}} answers.
	 *
	 * @param streamId the stream's id
	 * @param live whether it is in flight
	 * @param stream its snapshot while in flight, else {@code null}
	 * @param retry its retry state while the retry manager keeps it, else {@code null}
	 */
	public record StreamDescriptor(String streamId, boolean live, @Nullable LiveStreamDescriptor stream,
			@Nullable RetryStateDescriptor retry) implements OperationResponseBody {

	}

	/**
	 * The retry state of one stream, {@link RetryState} without its text.
	 *
	 * @param provider the provider's name
	 * @param model the model asked for
	 * @param attempts the HTTP attempts made so far (1 without retry)
	 * @param lastSequenceNumber the Responses API {@code sequence_number} of the last
	 * event, or {@code -1}
	 * @param lastEventId the SSE id of the last event that had one, or {@code null}
	 * @param responseId the provider's response id, or {@code null} until known
	 * @param partialTextLength the length of the text received so far (chars; the text is
	 * not shown)
	 * @param firstActivity when the state was created
	 * @param lastActivity when it was last updated
	 * @param completed whether the stream ended and will not be retried again
	 * @param lastError the message of the last failure (redacted of keys), or
	 * {@code null}
	 */
	public record RetryStateDescriptor(String provider, String model, int attempts, long lastSequenceNumber,
			@Nullable String lastEventId, @Nullable String responseId, int partialTextLength, Instant firstActivity,
			Instant lastActivity, boolean completed, @Nullable String lastError) {

		static RetryStateDescriptor of(RetryState state) {
			return new RetryStateDescriptor(state.provider(), state.model(), state.attempts(),
					state.lastSequenceNumber(), state.lastEventId(), state.responseId(), state.partialText().length(),
					state.firstActivity(), state.lastActivity(), state.completed(), state.lastError());
		}

	}

	/**
	 * What {@code GET /actuator/steer/{streamId}/events} answers: one stream's recorded
	 * events.
	 *
	 * @param streamId the stream's id
	 * @param finished whether its terminal event (complete or error) was recorded
	 * @param droppedEvents how many of its events were dropped to keep at most
	 * {@code steer.streaming.events.replay.max-events-per-stream} (the oldest after the
	 * start event; the {@code sequence} of the events kept shows the gap)
	 * @param events the events kept, oldest first, each a JSON object with its
	 * {@code type}, {@code sequence}, {@code streamId}, {@code timestamp} and the fields
	 * of its type
	 */
	public record RecordedEventsDescriptor(String streamId, boolean finished, long droppedEvents,
			List<Map<String, Object>> events) implements OperationResponseBody {

	}

	/**
	 * What {@code DELETE /actuator/steer/{streamId}} answers when the stream was in
	 * flight.
	 *
	 * @param streamId the stream's id
	 * @param cancelled always {@code true}
	 */
	public record CancelledStream(String streamId, boolean cancelled) implements OperationResponseBody {

	}

}
