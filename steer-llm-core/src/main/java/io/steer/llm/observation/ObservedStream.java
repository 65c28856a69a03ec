package io.steer.llm.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

/**
 * The observation of one stream: started when created, stopped once, at the terminal
 * event (complete or error), when an operator cancels it (its terminal error event of
 * type {@link StreamErrorType#CANCELLED}) or when the subscriber cancels (both with
 * outcome {@code cancelled} and the usage counted so far, given by
 * {@link #cancelled(StreamingResponse)} for the subscriber's cancel). The gaps between
 * deltas are kept per bucket in fixed space ({@code ChunkGaps}: no growth or allocation
 * per chunk, whatever the stream's length), and recorded on the meters when the stream
 * ends, with the same tags as its other meters; the {@code steer.*} meters, the active
 * streams gauge and the {@link StreamStatistics} are updated there too, once.
 */
public final class ObservedStream {

	private static final String SUBSCRIBER = "subscriber";

	private static final String OPERATOR = "operator";

	private final StreamObservationContext context;

	private final Observation observation;

	private final StreamObservationConvention convention;

	private final @Nullable GenAiMeters meters;

	private final @Nullable SteerMeters steerMeters;

	private final @Nullable StreamStatistics statistics;

	private final boolean recordContent;

	private final Clock clock;

	/** The active streams of the provider, incremented at the start. */
	private final @Nullable AtomicInteger active;

	private final @Nullable ChunkGaps gaps;

	/** Epoch nanoseconds of the last delta, -1 before the first. */
	private long lastDelta = -1;

	private boolean stopped;

	private @Nullable StreamingResponse cancelledResponse;

	ObservedStream(StreamObservationContext context, ObservationRegistry registry,
			@Nullable StreamObservationConvention customConvention, StreamObservationConvention convention,
			@Nullable GenAiMeters meters, @Nullable SteerMeters steerMeters, @Nullable StreamStatistics statistics,
			boolean recordContent, Clock clock) {
		this.context = context;
		this.convention = convention;
		this.meters = meters;
		this.steerMeters = steerMeters;
		this.statistics = statistics;
		this.recordContent = recordContent;
		this.clock = clock;
		this.gaps = (meters != null) ? new ChunkGaps() : null;
		if (steerMeters != null) {
			this.active = steerMeters
				.active(SteerMeters.value(convention.getLowCardinalityKeyValues(context), SteerMeters.PROVIDER));
			this.active.incrementAndGet();
		}
		else {
			this.active = null;
		}
		this.observation = StreamObservationDocumentation.STREAM
			.observation(customConvention, convention, () -> context, registry)
			.start();
	}

	/**
	 * The stream's context.
	 * @return the context, completed once the stream ended
	 */
	public StreamObservationContext context() {
		return this.context;
	}

	/**
	 * The events, observed as they pass, unchanged; a cancel stops the observation after
	 * it reached the upstream (which reports the usage so far through
	 * {@link #cancelled(StreamingResponse)}).
	 * @param events the stream's events
	 * @return the same events
	 */
	public Flux<StreamEvent> tap(Flux<StreamEvent> events) {
		return tap(events, this, null);
	}

	/**
	 * The events, observed as they pass, unchanged, by one operator: each shown to the
	 * observed stream (as {@link #tap(Flux)} does), then counted on the live stream's
	 * handle, which is closed at the terminal event or when the stream ends otherwise.
	 * @param events the stream's events
	 * @param observed the stream's observation, or {@code null} when it is not observed
	 * @param live its handle in the {@link LiveStreams}, or {@code null} when there are
	 * none
	 * @return the same events
	 */
	public static Flux<StreamEvent> tap(Flux<StreamEvent> events, @Nullable ObservedStream observed,
			LiveStreams.@Nullable Handle live) {
		return (observed == null && live == null) ? events : new StreamTap(events, observed, live);
	}

	/**
	 * The subscriber cancelled the stream: what it produced so far, its usage included.
	 * Called before the tap sees the cancel.
	 * @param partial the partial response
	 */
	public synchronized void cancelled(StreamingResponse partial) {
		this.cancelledResponse = partial;
	}

	void onEvent(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			if (this.gaps != null) {
				delta(this.gaps, delta.timestamp());
			}
		}
		else if (event instanceof StreamCompleteEvent complete) {
			stop(StreamOutcome.SUCCESS, complete.response(), null, null);
		}
		else if (event instanceof StreamErrorEvent error) {
			if (error.errorType() == StreamErrorType.CANCELLED) {
				stop(StreamOutcome.CANCELLED, error.partialResponse(), null, OPERATOR);
			}
			else {
				stop(StreamOutcome.ERROR, error.partialResponse(), error, null);
			}
		}
	}

	private synchronized void delta(ChunkGaps gaps, Instant timestamp) {
		long now = timestamp.getEpochSecond() * 1_000_000_000L + timestamp.getNano();
		if (this.lastDelta >= 0) {
			gaps.record(Math.max(0, now - this.lastDelta));
		}
		this.lastDelta = now;
	}

	void onFinally(SignalType signal) {
		StreamingResponse partial;
		synchronized (this) {
			partial = this.cancelledResponse;
		}
		if (signal == SignalType.CANCEL) {
			stop(StreamOutcome.CANCELLED, partial, null, SUBSCRIBER);
		}
		else {
			stop(StreamOutcome.UNKNOWN, partial, null, null);
		}
	}

	private void stop(StreamOutcome outcome, @Nullable StreamingResponse response, @Nullable StreamErrorEvent error,
			@Nullable String cancelledBy) {
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			this.context.setOutcome(outcome);
			this.context.setCancelledBy(cancelledBy);
			if (response != null) {
				complete(response);
			}
			if (error != null) {
				this.context.setErrorType(error.errorType().name());
				this.observation.error(error.error());
			}
		}
		if (this.active != null) {
			this.active.decrementAndGet();
		}
		this.observation.stop();
		if (this.meters != null || this.steerMeters != null) {
			KeyValues keyValues = this.convention.getLowCardinalityKeyValues(this.context);
			if (this.meters != null && this.gaps != null) {
				this.meters.record(keyValues, this.context, this.gaps);
			}
			if (this.steerMeters != null) {
				this.steerMeters.record(SteerMeters.value(keyValues, SteerMeters.PROVIDER),
						SteerMeters.value(keyValues, SteerMeters.REQUEST_MODEL), this.context,
						SteerMeters.value(keyValues, SteerMeters.ERROR_TYPE));
			}
		}
		if (this.statistics != null) {
			this.statistics.record(ended(error));
		}
	}

	/** What the statistics keep of the ended stream: no text, ids or keys. */
	private EndedStream ended(@Nullable StreamErrorEvent error) {
		StreamObservationContext context = this.context;
		String provider = orUnknown(context.getProvider());
		String model = orUnknown(
				(context.getRequestModel() != null) ? context.getRequestModel() : context.getResponseModel());
		StreamErrorType errorType = (error != null) ? error.errorType() : null;
		Integer httpStatus = (error != null && error.error() instanceof ProviderHttpException http)
				? http.getStatusCode() : null;
		Duration ttfc = context.getTimeToFirstChunk();
		Usage usage = context.getUsage();
		return new EndedStream(provider, model, context.getOutcome(), errorType, httpStatus,
				(error != null) ? error.error().getMessage() : null, (ttfc != null) ? ttfc.toNanos() / 1e6 : null,
				(usage != null) ? usage.promptTokens() : 0, (usage != null) ? usage.completionTokens() : 0,
				context.getCostUsd(), this.clock.instant());
	}

	private static String orUnknown(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : "UNKNOWN";
	}

	private void complete(StreamingResponse response) {
		StreamObservationContext context = this.context;
		if (context.getProvider() == null) {
			context.setProvider(response.provider());
		}
		if (context.getRequestModel() == null && !response.model().isEmpty()) {
			context.setRequestModel(response.model());
		}
		context.setResponseModel(response.model().isEmpty() ? null : response.model());
		context.setResponseId(response.id());
		context.setFinishReason(response.finishReason());
		context.setUsage(response.usage());
		context.setUsageEstimated(response.usageEstimated());
		context.setCostUsd(response.costUsd());
		StreamingMetrics metrics = response.metrics();
		context.setAttempts(metrics.attempts());
		context.setChunks(metrics.chunks());
		context.setDuration(Duration.ofNanos(Math.round(metrics.durationMs() * 1_000_000)));
		Double ttft = metrics.timeToFirstTokenMs();
		context.setTimeToFirstChunk((ttft != null) ? Duration.ofNanos(Math.round(ttft * 1_000_000)) : null);
		if (this.recordContent) {
			context.setOutputMessages(ContentJson.output(response));
		}
	}

}
