package io.steer.llm.error;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A configured time limit fired: {@link Limit#CONNECT connection-timeout},
 * {@link Limit#READ read-timeout} or {@link Limit#TOTAL total-timeout}. The partial
 * response holds what arrived before it.
 * <p>
 * Connect and read timeouts are retryable (a retry is made by the client itself while no
 * delta has been delivered, see {@link io.steer.llm.options.StreamingOptions}); the total
 * timeout is not, since a retry could not finish within it either.
 */
public class StreamTimeoutException extends SteerLLMException {

	/** Which limit fired, never {@code null}. */
	private final Limit limit;

	/** Configured value of the limit that fired, never {@code null}. */
	private final Duration timeout;

	/**
	 * Creates the exception.
	 * @param provider provider name, or {@code null} when none was chosen yet
	 * @param limit which limit fired
	 * @param timeout the configured limit
	 * @param cause the underlying failure (e.g. Netty's {@code ReadTimeoutException}), or
	 * {@code null}
	 */
	public StreamTimeoutException(@Nullable String provider, Limit limit, Duration timeout, @Nullable Throwable cause) {
		super(message(provider, limit, timeout), StreamErrorType.TIMEOUT, limit != Limit.TOTAL, provider, cause);
		this.limit = Objects.requireNonNull(limit, "limit must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	private static String message(@Nullable String provider, Limit limit, Duration timeout) {
		String who = (provider != null) ? provider : "provider";
		return switch (limit) {
			case CONNECT ->
				"could not connect to " + who + " within the connection-timeout of " + timeout.toMillis() + " ms";
			case READ -> who + " sent no event for the read-timeout of " + timeout.toMillis() + " ms";
			case TOTAL -> who + " stream did not finish within the total-timeout of " + timeout.toMillis() + " ms";
		};
	}

	/**
	 * Which limit fired.
	 * @return the limit, never {@code null}
	 */
	public Limit getLimit() {
		return this.limit;
	}

	/**
	 * The configured value of the limit that fired.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * The time limits of a stream, as {@link io.steer.llm.options.StreamingOptions} names
	 * them.
	 */
	public enum Limit {

		/**
		 * {@code connection-timeout}: the connection was not ready to send the request in
		 * time (name resolution, connection-pool acquisition, TCP connect, TLS
		 * handshake).
		 */
		CONNECT,

		/**
		 * {@code read-timeout}: the attempt made no progress for this long: from sending
		 * the request to the response headers, from the headers to the first complete SSE
		 * event, or between two complete events. Bytes that complete no event do not
		 * count.
		 */
		READ,

		/** {@code total-timeout}: the whole stream, retries included, took too long. */
		TOTAL

	}

}
