package io.steer.llm.autoconfigure.resume;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of resumable streams, bound from {@code steer.resume.*}: where their events
 * are kept, for how long, and how producers and readers watch each other.
 */
@ConfigurationProperties("steer.resume")
public class SteerResumeProperties {

	/**
	 * Where the events of resumable streams are kept: 'memory' (this instance only) or
	 * 'redis' (Redis Streams, shared by every instance; needs
	 * spring-boot-starter-data-redis-reactive).
	 */
	private Store store = Store.MEMORY;

	/**
	 * How long a finished stream's events are kept for readers, and how long a running
	 * stream goes on with no reader before it is stopped.
	 */
	private Duration ttl = Duration.ofMinutes(5);

	/**
	 * How long a stream whose events expired answers 'gone' (HTTP 204) rather than 'not
	 * found' (404).
	 */
	private Duration goneRetention = Duration.ofHours(1);

	/**
	 * How often a producer with nothing to write says it is alive, and how often a
	 * waiting reader checks on it.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(5);

	/**
	 * How long a reader waits on a running stream whose producer sends nothing, not even
	 * a heartbeat, before it ends with RESUME_PRODUCER_LOST. Longer than
	 * heartbeat-interval.
	 */
	private Duration watchdogTimeout = Duration.ofSeconds(30);

	/**
	 * How often a producer looks for a stop request made on another instance (Redis).
	 */
	private Duration stopPollInterval = Duration.ofSeconds(1);

	/**
	 * Reconnection time a browser is told on the first event it gets; its own default
	 * when unset.
	 */
	private @Nullable Duration retry = Duration.ofSeconds(1);

	/**
	 * Maximum number of streams kept in memory; when full, finished streams are evicted
	 * and, when every stream still runs, a new one is refused (store 'memory').
	 */
	private int maxStreams = 1000;

	/**
	 * Maximum number of events kept per stream; a reader further behind gets
	 * RESUME_OVERFLOW (Redis trims with XADD MAXLEN ~).
	 */
	private int maxEventsPerStream = 10_000;

	/**
	 * Whether event payloads are kept deflated (with a preset dictionary of the SSE JSON
	 * keys) rather than as UTF-8.
	 */
	private boolean enableCompression;

	/**
	 * Redis store settings.
	 */
	private final Redis redis = new Redis();

	/**
	 * Returns {@code steer.resume.store}.
	 * @return where the events are kept
	 */
	public Store getStore() {
		return this.store;
	}

	/**
	 * Sets {@code steer.resume.store}.
	 * @param store where the events are kept
	 */
	public void setStore(Store store) {
		this.store = store;
	}

	/**
	 * Returns {@code steer.resume.ttl}.
	 * @return how long a finished stream's events are kept
	 */
	public Duration getTtl() {
		return this.ttl;
	}

	/**
	 * Sets {@code steer.resume.ttl}.
	 * @param ttl how long a finished stream's events are kept
	 */
	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * Returns {@code steer.resume.gone-retention}.
	 * @return how long an expired stream answers 'gone'
	 */
	public Duration getGoneRetention() {
		return this.goneRetention;
	}

	/**
	 * Sets {@code steer.resume.gone-retention}.
	 * @param goneRetention how long an expired stream answers 'gone'
	 */
	public void setGoneRetention(Duration goneRetention) {
		this.goneRetention = goneRetention;
	}

	/**
	 * Returns {@code steer.resume.heartbeat-interval}.
	 * @return how often a producer says it is alive
	 */
	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	/**
	 * Sets {@code steer.resume.heartbeat-interval}.
	 * @param heartbeatInterval how often a producer says it is alive
	 */
	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	/**
	 * Returns {@code steer.resume.watchdog-timeout}.
	 * @return how long a reader waits on a silent producer
	 */
	public Duration getWatchdogTimeout() {
		return this.watchdogTimeout;
	}

	/**
	 * Sets {@code steer.resume.watchdog-timeout}.
	 * @param watchdogTimeout how long a reader waits on a silent producer
	 */
	public void setWatchdogTimeout(Duration watchdogTimeout) {
		this.watchdogTimeout = watchdogTimeout;
	}

	/**
	 * Returns {@code steer.resume.stop-poll-interval}.
	 * @return how often a producer looks for a stop request
	 */
	public Duration getStopPollInterval() {
		return this.stopPollInterval;
	}

	/**
	 * Sets {@code steer.resume.stop-poll-interval}.
	 * @param stopPollInterval how often a producer looks for a stop request
	 */
	public void setStopPollInterval(Duration stopPollInterval) {
		this.stopPollInterval = stopPollInterval;
	}

	/**
	 * Returns {@code steer.resume.retry}.
	 * @return the reconnection time a browser is told, or {@code null}
	 */
	public @Nullable Duration getRetry() {
		return this.retry;
	}

	/**
	 * Sets {@code steer.resume.retry}.
	 * @param retry the reconnection time a browser is told
	 */
	public void setRetry(@Nullable Duration retry) {
		this.retry = retry;
	}

	/**
	 * Returns {@code steer.resume.max-streams}.
	 * @return the maximum number of streams kept in memory
	 */
	public int getMaxStreams() {
		return this.maxStreams;
	}

	/**
	 * Sets {@code steer.resume.max-streams}.
	 * @param maxStreams the maximum number of streams kept in memory
	 */
	public void setMaxStreams(int maxStreams) {
		this.maxStreams = maxStreams;
	}

	/**
	 * Returns {@code steer.resume.max-events-per-stream}.
	 * @return the maximum number of events kept per stream
	 */
	public int getMaxEventsPerStream() {
		return this.maxEventsPerStream;
	}

	/**
	 * Sets {@code steer.resume.max-events-per-stream}.
	 * @param maxEventsPerStream the maximum number of events kept per stream
	 */
	public void setMaxEventsPerStream(int maxEventsPerStream) {
		this.maxEventsPerStream = maxEventsPerStream;
	}

	/**
	 * Returns {@code steer.resume.enable-compression}.
	 * @return whether payloads are kept deflated
	 */
	public boolean isEnableCompression() {
		return this.enableCompression;
	}

	/**
	 * Sets {@code steer.resume.enable-compression}.
	 * @param enableCompression whether payloads are kept deflated
	 */
	public void setEnableCompression(boolean enableCompression) {
		this.enableCompression = enableCompression;
	}

	/**
	 * Returns {@code steer.resume.redis.*}.
	 * @return the Redis store settings
	 */
	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Where the events of resumable streams are kept.
	 */
	public enum Store {

		/** In this instance's memory ({@code InMemoryStreamStore}). */
		MEMORY,

		/** In Redis Streams, shared by every instance ({@code RedisStreamStore}). */
		REDIS

	}

	/**
	 * Settings of the Redis store, {@code steer.resume.redis.*}.
	 */
	public static class Redis {

		/**
		 * Prefix of the store's Redis keys.
		 */
		private String keyPrefix = "steer:stream:";

		/**
		 * How long one blocking XREAD of a reader waits for new events before it looks
		 * again.
		 */
		private Duration pollTimeout = Duration.ofSeconds(1);

		/**
		 * Time limit of every other Redis command, after which readers and producers get
		 * RESUME_UNAVAILABLE.
		 */
		private Duration commandTimeout = Duration.ofSeconds(2);

		/**
		 * Returns {@code steer.resume.redis.key-prefix}.
		 * @return the prefix of the store's keys
		 */
		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		/**
		 * Sets {@code steer.resume.redis.key-prefix}.
		 * @param keyPrefix the prefix of the store's keys
		 */
		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		/**
		 * Returns {@code steer.resume.redis.poll-timeout}.
		 * @return how long one blocking read waits
		 */
		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		/**
		 * Sets {@code steer.resume.redis.poll-timeout}.
		 * @param pollTimeout how long one blocking read waits
		 */
		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		/**
		 * Returns {@code steer.resume.redis.command-timeout}.
		 * @return the time limit of every other command
		 */
		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		/**
		 * Sets {@code steer.resume.redis.command-timeout}.
		 * @param commandTimeout the time limit of every other command
		 */
		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

	}

}
