package io.steer.llm.model;

import org.jspecify.annotations.Nullable;

/**
 * Timing figures of one stream, measured on the client's monotonic clock from the moment
 * the request was sent.
 *
 * @param chunks number of delta events delivered (text, reasoning, refusal and tool-call
 * deltas)
 * @param totalChars characters delivered in those deltas
 * @param durationMs time from sending the request to the end of the stream (ms)
 * @param timeToFirstTokenMs time from sending the request to the first delta (ms);
 * {@code null} when no delta arrived
 * @param charsPerSecond {@code totalChars} divided by the time from first delta to end of
 * stream; 0 when that time is zero or no delta arrived
 * @param attempts number of HTTP attempts made, 1 when the first attempt succeeded, 0
 * when the request was rejected before it was sent
 * @param meanInterChunkMs mean time between two consecutive deltas (ms), the inter-token
 * latency; {@code null} with fewer than two deltas
 * @param maxInterChunkMs longest time between two consecutive deltas (ms); {@code null}
 * with fewer than two deltas
 */
public record StreamingMetrics(int chunks, long totalChars, double durationMs, @Nullable Double timeToFirstTokenMs,
		double charsPerSecond, int attempts, @Nullable Double meanInterChunkMs, @Nullable Double maxInterChunkMs) {

	/**
	 * Metrics without inter-chunk figures (fewer than two deltas).
	 * @param chunks number of delta events delivered
	 * @param totalChars characters delivered in those deltas
	 * @param durationMs time from sending the request to the end of the stream (ms)
	 * @param timeToFirstTokenMs time from sending the request to the first delta (ms), or
	 * {@code null}
	 * @param charsPerSecond characters per second from the first delta on
	 * @param attempts number of HTTP attempts made
	 */
	public StreamingMetrics(int chunks, long totalChars, double durationMs, @Nullable Double timeToFirstTokenMs,
			double charsPerSecond, int attempts) {
		this(chunks, totalChars, durationMs, timeToFirstTokenMs, charsPerSecond, attempts, null, null);
	}

}
