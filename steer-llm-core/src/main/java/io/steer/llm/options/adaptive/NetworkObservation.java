package io.steer.llm.options.adaptive;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What one finished stream tells about the network to its provider: how long the provider
 * took to answer, and whether a time limit fired or the connection failed. No text, ids
 * or keys.
 *
 * @param provider the provider's name ({@code openai}, {@code xai}, {@code anthropic}, or
 * a custom adapter's name)
 * @param timeToResponseMs time from subscribing to the stream to its start event, that
 * is, to the response headers and first SSE event (ms); {@code null} when the stream
 * failed before the provider answered
 * @param timeToFirstTokenMs time from sending the request to the first delta (ms), the
 * stream's {@link io.steer.llm.model.StreamingMetrics#timeToFirstTokenMs()}; {@code null}
 * when no delta arrived
 * @param timedOut whether a time limit fired
 * ({@link io.steer.llm.error.StreamErrorType#TIMEOUT})
 * @param connectionError whether the connection could not be opened or broke
 * ({@link io.steer.llm.error.StreamErrorType#CONNECTION},
 * {@link io.steer.llm.error.StreamErrorType#INTERRUPTED})
 * @param ok whether the stream completed
 */
public record NetworkObservation(String provider, @Nullable Double timeToResponseMs,
		@Nullable Double timeToFirstTokenMs, boolean timedOut, boolean connectionError, boolean ok) {

	/**
	 * Creates an observation.
	 * @param provider the provider's name
	 * @param timeToResponseMs time to the start event (ms), or {@code null}
	 * @param timeToFirstTokenMs time to the first delta (ms), or {@code null}
	 * @param timedOut whether a time limit fired
	 * @param connectionError whether the connection failed or broke
	 * @param ok whether the stream completed
	 * @throws NullPointerException if {@code provider} is {@code null}
	 */
	public NetworkObservation {
		Objects.requireNonNull(provider, "provider must not be null");
	}

	/**
	 * A completed stream.
	 * @param provider the provider's name
	 * @param timeToFirstChunkMs time to the first chunk (ms), used as both times
	 * @return the observation
	 */
	public static NetworkObservation completed(String provider, double timeToFirstChunkMs) {
		return new NetworkObservation(provider, timeToFirstChunkMs, timeToFirstChunkMs, false, false, true);
	}

	/**
	 * A stream that timed out before any chunk.
	 * @param provider the provider's name
	 * @return the observation
	 */
	public static NetworkObservation timeout(String provider) {
		return new NetworkObservation(provider, null, null, true, false, false);
	}

	/**
	 * A stream whose connection failed before any chunk.
	 * @param provider the provider's name
	 * @return the observation
	 */
	public static NetworkObservation connectionFailure(String provider) {
		return new NetworkObservation(provider, null, null, false, true, false);
	}

	/**
	 * Whether the stream met a network failure: a timeout or a connection error.
	 * @return {@code timedOut() || connectionError()}
	 */
	public boolean failed() {
		return this.timedOut || this.connectionError;
	}

	/**
	 * The time to the first chunk the estimator compares: the time to the first delta,
	 * else the time to the start event.
	 * @return the time (ms), or {@code null} when neither is known
	 */
	public @Nullable Double timeToFirstChunkMs() {
		return (this.timeToFirstTokenMs != null) ? this.timeToFirstTokenMs : this.timeToResponseMs;
	}

}
