package io.steer.llm.observation;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.steer.llm.model.ChatRequest;
import org.jspecify.annotations.Nullable;

/**
 * The observation side of one client: what its observation tap observes each stream with.
 * Built once per client; {@link #NONE} when there is no observation registry, no meter
 * registry and no {@link StreamStatistics}, so that a stream then costs nothing.
 */
public final class StreamObserver {

	/** Observes nothing: the tap passes the events through untouched. */
	public static final StreamObserver NONE = new StreamObserver(ObservationRegistry.NOOP, null, null,
			DefaultStreamObservationConvention.DEFAULT_MAX_MODELS, false, null, Clock.systemUTC());

	private final ObservationRegistry observationRegistry;

	/**
	 * The GenAI and {@code steer.*} meters, as {@code Object} so that micrometer-core is
	 * optional.
	 */
	private final @Nullable Object meters;

	private final @Nullable Object steerMeters;

	private final @Nullable StreamObservationConvention customConvention;

	private final StreamObservationConvention convention;

	private final boolean recordContent;

	private final @Nullable StreamStatistics statistics;

	private final Clock clock;

	private StreamObserver(ObservationRegistry observationRegistry, @Nullable MeterRegistry meterRegistry,
			@Nullable StreamObservationConvention customConvention, int maxModelTags, boolean recordContent,
			@Nullable StreamStatistics statistics, Clock clock) {
		this.observationRegistry = observationRegistry;
		this.meters = (meterRegistry != null) ? new GenAiMeters(meterRegistry) : null;
		this.steerMeters = (meterRegistry != null) ? new SteerMeters(meterRegistry) : null;
		this.customConvention = customConvention;
		this.convention = (customConvention != null) ? customConvention
				: new DefaultStreamObservationConvention(maxModelTags);
		// content only goes on the observation: without one it is not worth building
		this.recordContent = recordContent && !observationRegistry.isNoop();
		this.statistics = statistics;
		this.clock = clock;
	}

	/**
	 * An observer of streams, with the default convention's model cap, no content and no
	 * statistics.
	 * @param observationRegistry where each stream's observation goes;
	 * {@link ObservationRegistry#NOOP} for none
	 * @param meterRegistry where the GenAI meters go, or {@code null} for none (then
	 * {@code micrometer-core} need not be on the class path)
	 * @param convention the convention to use instead of a
	 * {@link DefaultStreamObservationConvention}, or {@code null}
	 * @return the observer, {@link #NONE} when both registries are absent or no-op
	 */
	public static StreamObserver of(ObservationRegistry observationRegistry, @Nullable MeterRegistry meterRegistry,
			@Nullable StreamObservationConvention convention) {
		return of(observationRegistry, meterRegistry, convention, DefaultStreamObservationConvention.DEFAULT_MAX_MODELS,
				false, null, Clock.systemUTC());
	}

	/**
	 * An observer of streams.
	 * @param observationRegistry where each stream's observation goes;
	 * {@link ObservationRegistry#NOOP} for none
	 * @param meterRegistry where the GenAI and {@code steer.*} meters go, or {@code null}
	 * for none (then {@code micrometer-core} need not be on the class path)
	 * @param convention the convention to use instead of a
	 * {@link DefaultStreamObservationConvention}, or {@code null}
	 * @param maxModelTags the distinct models the default convention tags before the rest
	 * are {@code other} (ignored with a custom {@code convention}), at least 0
	 * @param recordContent whether the observation records the prompt and the completion
	 * ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}, high cardinality:
	 * never meter tags)
	 * @param statistics where each ended stream is recorded, or {@code null} for none
	 * @param clock the clock of the ended streams' end times
	 * @return the observer, {@link #NONE} when both registries are absent or no-op and
	 * there are no statistics
	 * @throws IllegalArgumentException if {@code maxModelTags} is negative
	 */
	public static StreamObserver of(ObservationRegistry observationRegistry, @Nullable MeterRegistry meterRegistry,
			@Nullable StreamObservationConvention convention, int maxModelTags, boolean recordContent,
			@Nullable StreamStatistics statistics, Clock clock) {
		Objects.requireNonNull(observationRegistry, "observationRegistry must not be null");
		Objects.requireNonNull(clock, "clock must not be null");
		if (maxModelTags < 0) {
			throw new IllegalArgumentException("maxModelTags must not be negative: " + maxModelTags);
		}
		if (observationRegistry.isNoop() && meterRegistry == null && statistics == null) {
			return NONE;
		}
		return new StreamObserver(observationRegistry, meterRegistry, convention, maxModelTags, recordContent,
				statistics, clock);
	}

	/**
	 * Whether streams are observed at all.
	 * @return {@code false} for {@link #NONE}
	 */
	public boolean isEnabled() {
		return this != NONE;
	}

	/**
	 * Starts observing one stream, once it is routed (a request that cannot be routed
	 * passes {@code null}s), without its content.
	 * @param provider the client's provider name, or {@code null}
	 * @param requestModel the model asked for, or {@code null}
	 * @param uri the URL of the first attempt, for the server address and port (its path
	 * and query are not kept), or {@code null}
	 * @return the stream's observation, started
	 */
	public ObservedStream start(@Nullable String provider, @Nullable String requestModel, @Nullable String uri) {
		return start(provider, requestModel, uri, null);
	}

	/**
	 * Starts observing one stream, once it is routed (a request that cannot be routed
	 * passes {@code null}s).
	 * @param provider the client's provider name, or {@code null}
	 * @param requestModel the model asked for, or {@code null}
	 * @param uri the URL of the first attempt, for the server address and port (its path
	 * and query are not kept), or {@code null}
	 * @param request the request, whose messages the observation records when the
	 * observer records content, or {@code null}
	 * @return the stream's observation, started
	 */
	public ObservedStream start(@Nullable String provider, @Nullable String requestModel, @Nullable String uri,
			@Nullable ChatRequest request) {
		StreamObservationContext context = new StreamObservationContext();
		context.setProvider(provider);
		context.setRequestModel(requestModel);
		if (uri != null) {
			server(context, uri);
		}
		if (this.recordContent && request != null) {
			context.setInputMessages(ContentJson.input(request));
		}
		return new ObservedStream(context, this.observationRegistry, this.customConvention, this.convention,
				(GenAiMeters) this.meters, (SteerMeters) this.steerMeters, this.statistics, this.recordContent,
				this.clock);
	}

	private static void server(StreamObservationContext context, String uri) {
		try {
			URI parsed = URI.create(uri);
			context.setServerAddress(parsed.getHost());
			int port = parsed.getPort();
			if (port < 0) {
				port = "https".equalsIgnoreCase(parsed.getScheme()) ? 443
						: "http".equalsIgnoreCase(parsed.getScheme()) ? 80 : -1;
			}
			context.setServerPort(port);
		}
		catch (IllegalArgumentException ex) {
			// not a URI: the server stays UNKNOWN
		}
	}

}
