package io.steer.llm.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of a client that are in flight, for an operator: listed and cancelled by
 * the {@code steer} actuator endpoint. A stream is registered when it starts and removed
 * when it ends, whichever way; while it runs, its handle counts its deltas (a plain field
 * write per delta, no allocation).
 * <p>
 * Thread-safe.
 */
public final class LiveStreams {

	private final Clock clock;

	private final Map<String, Handle> streams = new ConcurrentHashMap<>();

	/**
	 * Live streams on the system clock.
	 */
	public LiveStreams() {
		this(Clock.systemUTC());
	}

	/**
	 * Live streams on the given clock (their start times and ages).
	 * @param clock the clock
	 */
	public LiveStreams(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Registers a stream that starts now. Called by the client, once per stream.
	 * @param streamId the stream's id
	 * @param provider the provider's name
	 * @param model the model asked for
	 * @param canceller what cancels the stream for every subscriber (it then ends with an
	 * error event whose partial text is kept); called at most once
	 * @return the stream's handle, to count its deltas and to {@linkplain Handle#close()
	 * close} when it ends
	 */
	public Handle register(String streamId, String provider, String model, Runnable canceller) {
		Handle handle = new Handle(streamId, provider, model, this.clock.instant(), canceller);
		this.streams.put(streamId, handle);
		return handle;
	}

	/**
	 * The streams in flight.
	 * @return a snapshot of each, oldest first; empty when none
	 */
	public List<LiveStream> list() {
		Instant now = this.clock.instant();
		List<LiveStream> result = new ArrayList<>(this.streams.size());
		for (Handle handle : this.streams.values()) {
			result.add(handle.snapshot(now));
		}
		result.sort(Comparator.comparing(LiveStream::startedAt).thenComparing(LiveStream::streamId));
		return result;
	}

	/**
	 * One stream in flight.
	 * @param streamId the stream's id
	 * @return its snapshot, or empty when no such stream is in flight
	 */
	public Optional<LiveStream> get(String streamId) {
		Handle handle = this.streams.get(streamId);
		return (handle != null) ? Optional.of(handle.snapshot(this.clock.instant())) : Optional.empty();
	}

	/**
	 * Cancels one stream in flight: its provider connection is closed (or its wait for a
	 * retry stopped) and its subscriber receives one terminal error event of type
	 * {@link io.steer.llm.error.StreamErrorType#CANCELLED}, not retryable, with the text
	 * and usage so far; its observation ends with the outcome {@code cancelled}.
	 * @param streamId the stream's id
	 * @return {@code true} if the stream was in flight and is now cancelled,
	 * {@code false} when no such stream is in flight
	 */
	public boolean cancel(String streamId) {
		Handle handle = this.streams.remove(streamId);
		if (handle == null) {
			return false;
		}
		handle.canceller.run();
		return true;
	}

	/**
	 * How many streams are in flight.
	 * @return the count
	 */
	public int size() {
		return this.streams.size();
	}

	/**
	 * One registered stream, held by the client while it runs.
	 */
	public final class Handle {

		private final String streamId;

		private final String provider;

		private final String model;

		private final Instant startedAt;

		private final Runnable canceller;

		/** Written by the stream's single delivering thread, read by snapshots. */
		private volatile long chunks;

		private Handle(String streamId, String provider, String model, Instant startedAt, Runnable canceller) {
			this.streamId = streamId;
			this.provider = provider;
			this.model = model;
			this.startedAt = startedAt;
			this.canceller = canceller;
		}

		/**
		 * Counts one delivered delta. Called by the stream's delivering thread only.
		 */
		@SuppressWarnings("NonAtomicOperationOnVolatileField")
		public void chunk() {
			this.chunks++;
		}

		/**
		 * The stream ended: it is no longer listed. Idempotent.
		 */
		public void close() {
			LiveStreams.this.streams.remove(this.streamId, this);
		}

		LiveStream snapshot(Instant now) {
			Duration age = Duration.between(this.startedAt, now);
			return new LiveStream(this.streamId, this.provider, this.model, this.startedAt,
					age.isNegative() ? Duration.ZERO : age, this.chunks);
		}

	}

}
