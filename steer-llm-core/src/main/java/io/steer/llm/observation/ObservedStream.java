package io.steer.llm.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

/**
 * The observation of one stream: started when created, stopped once, at the terminal
 * event (complete or error) or when the subscriber cancels (outcome {@code cancelled},
 * with the usage counted so far, given by {@link #cancelled(StreamingResponse)}). The
 * gaps between deltas are kept as primitive nanoseconds in an array that grows by
 * doubling (no allocation per chunk), and recorded on the meters when the stream ends,
 * with the same tags as its other meters.
 */
public final class ObservedStream {

	private final StreamObservationContext context;

	private final Observation observation;

	private final StreamObservationConvention convention;

	private final @Nullable GenAiMeters meters;

	private long[] gaps;

	private int gapCount;

	/** Epoch nanoseconds of the last delta, -1 before the first. */
	private long lastDelta = -1;

	private boolean stopped;

	private @Nullable StreamingResponse cancelledResponse;

	ObservedStream(StreamObservationContext context, ObservationRegistry registry,
			@Nullable StreamObservationConvention customConvention, StreamObservationConvention convention,
			@Nullable GenAiMeters meters) {
		this.context = context;
		this.convention = convention;
		this.meters = meters;
		this.gaps = (meters != null) ? new long[16] : new long[0];
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
		return events.doOnNext(this::onEvent).doFinally(this::onFinally);
	}

	/**
	 * The subscriber cancelled the stream: what it produced so far, its usage included.
	 * Called before the tap sees the cancel.
	 * @param partial the partial response
	 */
	public synchronized void cancelled(StreamingResponse partial) {
		this.cancelledResponse = partial;
	}

	private void onEvent(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			if (this.meters != null) {
				delta(delta.timestamp());
			}
		}
		else if (event instanceof StreamCompleteEvent complete) {
			stop(StreamOutcome.SUCCESS, complete.response(), null);
		}
		else if (event instanceof StreamErrorEvent error) {
			stop(StreamOutcome.ERROR, error.partialResponse(), error);
		}
	}

	private synchronized void delta(Instant timestamp) {
		long now = timestamp.getEpochSecond() * 1_000_000_000L + timestamp.getNano();
		if (this.lastDelta >= 0) {
			if (this.gapCount == this.gaps.length) {
				this.gaps = Arrays.copyOf(this.gaps, Math.max(16, this.gaps.length * 2));
			}
			this.gaps[this.gapCount++] = Math.max(0, now - this.lastDelta);
		}
		this.lastDelta = now;
	}

	private void onFinally(SignalType signal) {
		StreamingResponse partial;
		synchronized (this) {
			partial = this.cancelledResponse;
		}
		stop((signal == SignalType.CANCEL) ? StreamOutcome.CANCELLED : StreamOutcome.UNKNOWN, partial, null);
	}

	private void stop(StreamOutcome outcome, @Nullable StreamingResponse response, @Nullable StreamErrorEvent error) {
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			this.context.setOutcome(outcome);
			if (response != null) {
				complete(response);
			}
			if (error != null) {
				this.context.setErrorType(error.errorType().name());
				this.observation.error(error.error());
			}
		}
		this.observation.stop();
		if (this.meters != null) {
			this.meters.record(this.convention.getLowCardinalityKeyValues(this.context), this.context, this.gaps,
					this.gapCount);
		}
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
	}

}
