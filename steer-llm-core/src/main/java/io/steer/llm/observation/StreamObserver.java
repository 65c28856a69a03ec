package io.steer.llm.observation;

import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observation side of one client: what its observation tap observes each stream with.
 * Built once per client; {@link #NONE} when neither an observation registry nor a meter
 * registry is given, so that a stream then costs nothing.
 */
public final class StreamObserver {

	/** Observes nothing: the tap passes the events through untouched. */
	public static final StreamObserver NONE = new StreamObserver(ObservationRegistry.NOOP, null, null);

	private final ObservationRegistry observationRegistry;

	private final @Nullable Object meters;

	private final @Nullable StreamObservationConvention customConvention;

	private final StreamObservationConvention convention;

	private StreamObserver(ObservationRegistry observationRegistry, @Nullable Object meters,
			@Nullable StreamObservationConvention customConvention) {
		this.observationRegistry = observationRegistry;
		this.meters = meters;
		this.customConvention = customConvention;
		this.convention = (customConvention != null) ? customConvention : new DefaultStreamObservationConvention();
	}

	/**
	 * An observer of streams.
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
		if (observationRegistry.isNoop() && meterRegistry == null) {
			return NONE;
		}
		return new StreamObserver(observationRegistry, (meterRegistry != null) ? new GenAiMeters(meterRegistry) : null,
				convention);
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
	 * passes {@code null}s).
	 * @param provider the client's provider name, or {@code null}
	 * @param requestModel the model asked for, or {@code null}
	 * @param uri the URL of the first attempt, for the server address and port (its path
	 * and query are not kept), or {@code null}
	 * @return the stream's observation, started
	 */
	public ObservedStream start(@Nullable String provider, @Nullable String requestModel, @Nullable String uri) {
		StreamObservationContext context = new StreamObservationContext();
		context.setProvider(provider);
		context.setRequestModel(requestModel);
		if (uri != null) {
			server(context, uri);
		}
		return new ObservedStream(context, this.observationRegistry, this.customConvention, this.convention,
				(GenAiMeters) this.meters);
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
