package io.steer.llm.resume;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How {@link ResumableStreams} runs streams and serves readers.
 *
 * @param ttl how long a completed stream's events are kept, and how long a running stream
 * is kept going with no reader (then it is stopped, reason {@code abandoned})
 * @param heartbeatInterval how often the producer says it is alive when it has no event
 * to write, and how often a reader waiting for events checks the producer
 * @param watchdogTimeout how long a reader waits on a running stream whose producer sends
 * neither events nor heartbeats before it ends with
 * {@link ResumeErrorType#PRODUCER_LOST}; longer than {@code heartbeatInterval}
 * @param stopPollInterval how often a producer looks for a stop request, for stores that
 * poll
 * @param retry the reconnection time a browser is told on the first event it gets, or
 * {@code null} for the browser's default
 */
public record ResumeSettings(Duration ttl, Duration heartbeatInterval, Duration watchdogTimeout,
		Duration stopPollInterval, @Nullable Duration retry) {

	/**
	 * The defaults: 5 minutes to live, a heartbeat every 5 s, a 30 s watchdog, stop
	 * requests looked for every second, a 1 s browser retry.
	 */
	public static final ResumeSettings DEFAULTS = new ResumeSettings(Duration.ofMinutes(5), Duration.ofSeconds(5),
			Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1));

	/**
	 * Creates settings, checking them.
	 * @param ttl how long a completed stream's events are kept, and a running stream with
	 * no reader kept going
	 * @param heartbeatInterval how often the producer says it is alive
	 * @param watchdogTimeout how long a reader waits on a silent producer
	 * @param stopPollInterval how often a producer looks for a stop request
	 * @param retry the reconnection time a browser is told, or {@code null}
	 * @throws IllegalArgumentException if a duration is not positive, or the watchdog is
	 * not longer than the heartbeat interval
	 */
	public ResumeSettings {
		positive("ttl", ttl);
		positive("heartbeatInterval", heartbeatInterval);
		positive("watchdogTimeout", watchdogTimeout);
		positive("stopPollInterval", stopPollInterval);
		if (watchdogTimeout.compareTo(heartbeatInterval) <= 0) {
			throw new IllegalArgumentException("watchdogTimeout (" + watchdogTimeout
					+ ") must be longer than heartbeatInterval (" + heartbeatInterval + ")");
		}
		if (retry != null && retry.isNegative()) {
			throw new IllegalArgumentException("retry must not be negative: " + retry);
		}
	}

	/**
	 * Checks a duration of the resume package's settings and builders.
	 * @param name the setting, for the message
	 * @param value the duration
	 * @return {@code value}
	 * @throws NullPointerException if {@code value} is {@code null}
	 * @throws IllegalArgumentException if it is zero or negative
	 */
	static Duration positive(String name, Duration value) {
		Objects.requireNonNull(value, name + " must not be null");
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(name + " must be positive: " + value);
		}
		return value;
	}

}
