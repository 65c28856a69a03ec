package io.steer.llm.observation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The passive health signals of one provider: what its recent streams met, over the
 * window of {@link StreamStatistics}. A provider health indicator combines them with its
 * own probe.
 *
 * @param provider the provider's name
 * @param streams recent streams
 * @param rateLimited of which answered HTTP 429
 * @param serverErrors of which met an HTTP 5xx or a mid-stream provider error
 * @param timeouts of which timed out
 * @param connectionErrors of which could not connect or were interrupted
 * @param lastErrorType the latest failure's {@link io.steer.llm.error.StreamErrorType}
 * name, or {@code null} when none failed
 * @param lastErrorMessage the latest failure's message (redacted), or {@code null}
 * @param lastErrorAt when the latest failure happened, or {@code null}
 */
public record ProviderSignals(String provider, int streams, int rateLimited, int serverErrors, int timeouts,
		int connectionErrors, @Nullable String lastErrorType, @Nullable String lastErrorMessage,
		@Nullable Instant lastErrorAt) {

	/**
	 * The share of recent streams that met a provider-side or network problem (429, 5xx,
	 * provider error, timeout, connection).
	 * @return 0 to 1; 0 without recent streams
	 */
	public double failureRate() {
		if (this.streams == 0) {
			return 0;
		}
		return (double) (this.rateLimited + this.serverErrors + this.timeouts + this.connectionErrors) / this.streams;
	}

}
