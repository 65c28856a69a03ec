package io.steer.llm.observation;

import java.math.BigDecimal;
import java.time.Instant;

import io.steer.llm.error.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * What {@link StreamStatistics} keeps of one ended stream: no text, no ids, no keys.
 *
 * @param provider the provider's name ({@code openai}, {@code anthropic}, {@code xai}, or
 * a custom one), {@code UNKNOWN} for a request that could not be routed
 * @param model the model asked for (else the model that answered), {@code UNKNOWN} when
 * neither is known
 * @param outcome how the stream ended
 * @param errorType why it failed, or {@code null} unless {@code outcome} is
 * {@link StreamOutcome#ERROR}
 * @param httpStatus the provider's HTTP status for an {@link StreamErrorType#HTTP} error
 * (for example 429 or 503), or {@code null}
 * @param errorMessage the error's message, already redacted of keys, or {@code null}
 * @param timeToFirstChunkMs time from sending the request to the first delta (ms), or
 * {@code null} when no delta arrived
 * @param inputTokens prompt tokens, cached ones included (0 when unknown)
 * @param outputTokens completion tokens (0 when unknown)
 * @param costUsd the stream's cost in USD, or {@code null} when the model has no price
 * @param endedAt when the stream ended
 */
public record EndedStream(String provider, String model, StreamOutcome outcome, @Nullable StreamErrorType errorType,
		@Nullable Integer httpStatus, @Nullable String errorMessage, @Nullable Double timeToFirstChunkMs,
		long inputTokens, long outputTokens, @Nullable BigDecimal costUsd, Instant endedAt) {

	/**
	 * Whether the provider limited the rate: an HTTP 429.
	 * @return {@code true} for a 429
	 */
	public boolean rateLimited() {
		return this.httpStatus != null && this.httpStatus == 429;
	}

	/**
	 * Whether the provider failed on its side: an HTTP 5xx or a mid-stream provider
	 * error.
	 * @return {@code true} for a 5xx or a {@link StreamErrorType#PROVIDER} error
	 */
	public boolean serverError() {
		return (this.httpStatus != null && this.httpStatus >= 500) || this.errorType == StreamErrorType.PROVIDER;
	}

	/**
	 * Whether a time limit fired.
	 * @return {@code true} for a {@link StreamErrorType#TIMEOUT}
	 */
	public boolean timedOut() {
		return this.errorType == StreamErrorType.TIMEOUT;
	}

	/**
	 * Whether the connection failed or broke.
	 * @return {@code true} for {@link StreamErrorType#CONNECTION} and
	 * {@link StreamErrorType#INTERRUPTED}
	 */
	public boolean connectionFailed() {
		return this.errorType == StreamErrorType.CONNECTION || this.errorType == StreamErrorType.INTERRUPTED;
	}

}
