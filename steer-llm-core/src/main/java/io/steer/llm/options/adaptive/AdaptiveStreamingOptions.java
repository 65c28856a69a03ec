package io.steer.llm.options.adaptive;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamRoute;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.pipeline.EventProcessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Options that adapt to the network (the original SDK's
 * {@code AdaptiveStreamingOptions}): a {@link StreamingOptionsResolver} that sets the
 * connection options of each stream from the current {@link NetworkQuality} of its
 * provider, and learns that quality from the streams it configures.
 * <p>
 * For a stream routed to a provider whose quality is {@code q},
 * {@link #resolve(ChatRequest, StreamRoute, StreamingOptions) resolve} returns the
 * options it is given with {@code connectionTimeout}, {@code readTimeout} and
 * {@code maxReconnectAttempts} of the {@linkplain Level level} of {@code q} (defaults:
 * {@link #DEFAULT_LEVELS}, the seed's values), and an event processor that, for that
 * stream:
 * <ol>
 * <li>adds {@value #QUALITY_METADATA} (the level's {@link NetworkQuality#value() value},
 * {@code good}, {@code fair} or {@code poor}) to the metadata of the start event;</li>
 * <li>at the terminal event, records a {@link NetworkObservation} into the
 * {@link NetworkQualityEstimator}: the time to the start event (measured on the injected
 * nano clock from the subscription), the time to first token of the stream's metrics,
 * {@code timedOut} for a {@link StreamErrorType#TIMEOUT} error, {@code connectionError}
 * for a {@link StreamErrorType#CONNECTION} or {@link StreamErrorType#INTERRUPTED} one. A
 * request rejected before it was sent ({@link StreamErrorType#REQUEST}), a stream an
 * operator cancelled ({@link StreamErrorType#CANCELLED}) and a subscriber's cancel record
 * nothing.</li>
 * </ol>
 * An event processor already in the options is kept and runs <em>after</em> this one
 * ({@code adaptive.andThen(existing)}): it sees the start event with
 * {@value #QUALITY_METADATA}, and this one sees the stream's own terminal event, whatever
 * the existing processor does with it.
 * <p>
 * Resolvers run only for calls that give no options (see
 * {@link StreamingOptionsResolver}); options given on the call are used as they are, and
 * such a stream is not observed. Thread-safe; {@code resolve} does not block.
 */
public final class AdaptiveStreamingOptions implements StreamingOptionsResolver {

	/** The metadata key of the start event that names the level applied. */
	public static final String QUALITY_METADATA = "adaptive.quality";

	/**
	 * The seed's options per level: poor 10 s connect, 60 s read, 5 reconnects; fair 5 s,
	 * 30 s, 3; good 3 s, 20 s, 1.
	 */
	public static final Map<NetworkQuality, Level> DEFAULT_LEVELS = Map.of(NetworkQuality.GOOD,
			new Level(Duration.ofSeconds(3), Duration.ofSeconds(20), 1), NetworkQuality.FAIR,
			new Level(Duration.ofSeconds(5), Duration.ofSeconds(30), 3), NetworkQuality.POOR,
			new Level(Duration.ofSeconds(10), Duration.ofSeconds(60), 5));

	private final NetworkQualityEstimator estimator;

	private final Map<NetworkQuality, Level> levels;

	private final LongSupplier nanoTime;

	/**
	 * Adaptive options with the {@linkplain #DEFAULT_LEVELS default levels}.
	 * @param estimator the estimator the streams feed and the levels are read from
	 */
	public AdaptiveStreamingOptions(NetworkQualityEstimator estimator) {
		this(estimator, DEFAULT_LEVELS, System::nanoTime);
	}

	/**
	 * Adaptive options.
	 * @param estimator the estimator the streams feed and the levels are read from
	 * @param levels the options of each level; a level left out takes its
	 * {@linkplain #DEFAULT_LEVELS default}
	 * @param nanoTime the monotonic clock (ns) the time to the start event is measured on
	 */
	public AdaptiveStreamingOptions(NetworkQualityEstimator estimator, Map<NetworkQuality, Level> levels,
			LongSupplier nanoTime) {
		this.estimator = Objects.requireNonNull(estimator, "estimator must not be null");
		Map<NetworkQuality, Level> all = new EnumMap<>(DEFAULT_LEVELS);
		all.putAll(Objects.requireNonNull(levels, "levels must not be null"));
		this.levels = Map.copyOf(all);
		this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime must not be null");
	}

	@Override
	public StreamingOptions resolve(ChatRequest request, StreamRoute route, StreamingOptions options) {
		NetworkQuality quality = this.estimator.quality(route.provider());
		Level level = this.levels.get(quality);
		EventProcessor adaptive = new Observing(route.provider(), quality);
		EventProcessor existing = options.eventProcessor();
		return options.toBuilder()
			.connectionTimeout(level.connectionTimeout())
			.readTimeout(level.readTimeout())
			.maxReconnectAttempts(level.maxReconnectAttempts())
			.eventProcessor((existing != null) ? adaptive.andThen(existing) : adaptive)
			.build();
	}

	/**
	 * The current quality of one provider.
	 * @param provider the provider's name
	 * @return its quality, {@link NetworkQuality#GOOD} before any stream
	 */
	public NetworkQuality quality(String provider) {
		return this.estimator.quality(provider);
	}

	/**
	 * The current quality of every provider that has had a stream.
	 * @return provider name to quality, sorted by name; unmodifiable
	 */
	public Map<String, NetworkQuality> qualities() {
		return this.estimator.qualities();
	}

	/**
	 * The options of one level.
	 * @param quality the level
	 * @return its options
	 */
	public Level level(NetworkQuality quality) {
		return this.levels.get(quality);
	}

	/**
	 * The estimator the streams feed.
	 * @return the estimator
	 */
	public NetworkQualityEstimator estimator() {
		return this.estimator;
	}

	/**
	 * The connection options of one {@link NetworkQuality} level.
	 *
	 * @param connectionTimeout time to open the connection, positive
	 * @param readTimeout longest wait for the next SSE event, positive
	 * @param maxReconnectAttempts retries after a failed attempt, 0 or more
	 */
	public record Level(Duration connectionTimeout, Duration readTimeout, int maxReconnectAttempts) {

		/**
		 * Creates a level.
		 * @param connectionTimeout time to open the connection, positive
		 * @param readTimeout longest wait for the next SSE event, positive
		 * @param maxReconnectAttempts retries after a failed attempt, 0 or more
		 * @throws IllegalArgumentException if a timeout is not positive or
		 * {@code maxReconnectAttempts} is negative
		 */
		public Level {
			Objects.requireNonNull(connectionTimeout, "connectionTimeout must not be null");
			Objects.requireNonNull(readTimeout, "readTimeout must not be null");
			if (connectionTimeout.isNegative() || connectionTimeout.isZero() || readTimeout.isNegative()
					|| readTimeout.isZero() || maxReconnectAttempts < 0) {
				throw new IllegalArgumentException(
						"timeouts must be positive and maxReconnectAttempts not negative, were " + connectionTimeout
								+ ", " + readTimeout + " and " + maxReconnectAttempts);
			}
		}

	}

	/**
	 * The processor of one stream: tags its start event with the level applied and
	 * records what its terminal event says. Its state is per subscription.
	 */
	private final class Observing implements EventProcessor {

		private final String provider;

		private final NetworkQuality quality;

		Observing(String provider, NetworkQuality quality) {
			this.provider = provider;
			this.quality = quality;
		}

		@Override
		public Flux<StreamEvent> apply(Flux<StreamEvent> events) {
			return Flux.defer(() -> {
				long subscribed = AdaptiveStreamingOptions.this.nanoTime.getAsLong();
				Double[] timeToResponse = new Double[1];
				return events.map((event) -> {
					if (event instanceof StreamStartEvent start) {
						timeToResponse[0] = (AdaptiveStreamingOptions.this.nanoTime.getAsLong() - subscribed)
								/ 1_000_000.0;
						return start.withMetadata(QUALITY_METADATA, this.quality.value());
					}
					if (event.isTerminal()) {
						NetworkObservation observation = observation(event, timeToResponse[0]);
						if (observation != null) {
							AdaptiveStreamingOptions.this.estimator.record(observation);
						}
					}
					return event;
				});
			});
		}

		private @Nullable NetworkObservation observation(StreamEvent terminal, @Nullable Double timeToResponse) {
			if (terminal instanceof StreamCompleteEvent complete) {
				return observation(complete.response(), timeToResponse, false, false, true);
			}
			if (terminal instanceof StreamErrorEvent error) {
				StreamErrorType type = error.errorType();
				if (type == StreamErrorType.REQUEST || type == StreamErrorType.CANCELLED) {
					return null;
				}
				return observation(error.partialResponse(), timeToResponse, type == StreamErrorType.TIMEOUT,
						type == StreamErrorType.CONNECTION || type == StreamErrorType.INTERRUPTED, false);
			}
			return null;
		}

		private NetworkObservation observation(StreamingResponse response, @Nullable Double timeToResponse,
				boolean timedOut, boolean connectionError, boolean ok) {
			return new NetworkObservation(this.provider, timeToResponse, response.metrics().timeToFirstTokenMs(),
					timedOut, connectionError, ok);
		}

	}

}
