package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * How streams are read, measured and shaped, bound from {@code steer.streaming.*}.
 * <p>
 * Every field of {@link StreamingOptions} has a property here, with the defaults of
 * {@link StreamingOptions#DEFAULTS}; they make the {@code steerStreamingOptions} bean.
 * {@link #getPresets() Presets} make further named beans whose unset fields inherit from
 * these. Values are checked when the options are built: an invalid one fails start-up
 * with an
 * {@link org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException}
 * naming the property.
 * <p>
 * {@code state-ttl}, {@code max-states} and {@code state-cleanup-interval} configure the
 * client's {@link io.steer.llm.retry.StreamingRetryManager}, shared by all streams; they
 * have no per-preset value.
 */
@ConfigurationProperties("steer.streaming")
public class SteerStreamingProperties {

	/**
	 * Whether to estimate usage when the provider does not send it.
	 */
	private boolean enableUsageAggregation = true;

	/**
	 * How usage is estimated when the provider does not send it.
	 */
	private AggregatorType aggregatorType = AggregatorType.AUTO;

	/**
	 * Whether the 'auto' aggregator counts OpenAI-family models with tiktoken rather than
	 * characters.
	 */
	private boolean preferTiktoken = true;

	/**
	 * Whether JSON answers are parsed incrementally as they stream. Not acted on yet:
	 * stored for the JSON stream handler.
	 */
	private boolean enableJsonStreamHandler = false;

	/**
	 * Whether the JSON stream handler rejects invalid JSON as soon as it streams rather
	 * than at the end. Not acted on yet: stored for the JSON stream handler.
	 */
	private boolean validateJsonIncrementally = false;

	/**
	 * Name of an EventProcessor bean applied to the events of every stream.
	 */
	private @Nullable String eventProcessor;

	/**
	 * Longest wait to open the connection.
	 */
	private Duration connectionTimeout = Duration.ofSeconds(5);

	/**
	 * Longest gap between two complete SSE events, and longest wait for the response
	 * headers; bytes that complete no event do not count.
	 */
	private Duration readTimeout = Duration.ofSeconds(30);

	/**
	 * Longest time for a whole stream.
	 */
	private Duration totalTimeout = Duration.ofMinutes(5);

	/**
	 * Whether to retry a failure that happens before the first delta.
	 */
	private boolean retryOnConnectionError = true;

	/**
	 * Most retries or reconnections of one stream. 0 for none.
	 */
	private int maxReconnectAttempts = 3;

	/**
	 * First backoff delay before a retry; later ones grow exponentially.
	 */
	private Duration reconnectDelay = Duration.ofMillis(500);

	/**
	 * Whether the error of a broken stream carries the partial response that arrived.
	 */
	private boolean preservePartialResponse = true;

	/**
	 * Longest wait before a retry, also when a provider's Retry-After asks for more.
	 */
	private Duration maxRetryDelay = Duration.ofSeconds(60);

	/**
	 * Characters per chunk released by output buffers. 0 to release text as received. Not
	 * acted on yet: stored for output shaping.
	 */
	private int chunkSize = 0;

	/**
	 * Most events held between the connection and a slow subscriber.
	 */
	private int bufferSize = 256;

	/**
	 * Largest server-sent event accepted, in bytes; a larger one fails the stream.
	 */
	private int maxEventSize = 1048576;

	/**
	 * How output buffers group text before they release it. Not acted on yet: stored for
	 * output shaping.
	 */
	private BufferType bufferType = BufferType.WORD;

	/**
	 * Shortest time between two progress reports. Not acted on yet: stored for output
	 * shaping.
	 */
	private Duration progressInterval = Duration.ofMillis(100);

	/**
	 * Most tokens per second released to the subscriber. 0 for unlimited. Not acted on
	 * yet: stored for output shaping.
	 */
	private double rateLimit = 0;

	/**
	 * Whether to log the metrics of each stream at INFO level when it ends.
	 */
	private boolean logStreamingMetrics = false;

	/**
	 * How long the state of a stream is kept for reconnection after its last activity. A
	 * plain number is in seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration stateTtl = Duration.ofSeconds(900);

	/**
	 * Most stream states kept for reconnection at once; when full, expired states and
	 * then the least recently active one make room.
	 */
	private int maxStates = 10000;

	/**
	 * Time between two removals of expired stream states. A plain number is in seconds; 0
	 * to remove them only when the state store is full.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration stateCleanupInterval = Duration.ofSeconds(60);

	/**
	 * Named option sets, each exposed as a StreamingOptions bean named '<name>Options'
	 * (kebab-case names become camelCase: 'fast-ui' gives 'fastUiOptions'). Unset fields
	 * inherit from 'steer.streaming'. Each entry, 'steer.streaming.presets.<name>.*',
	 * takes the keys of 'steer.streaming' except state-ttl, max-states and
	 * state-cleanup-interval, e.g. 'steer.streaming.presets.fast-ui.read-timeout=10s'.
	 * The names of the built-in presets (json-mode, debug, high-performance,
	 * high-throughput, low-latency) are reserved.
	 */
	private final Map<String, Preset> presets = new LinkedHashMap<>();

	/**
	 * Returns {@code steer.streaming.enable-usage-aggregation}.
	 * @return whether to estimate usage when the provider does not send it
	 */
	public boolean isEnableUsageAggregation() {
		return this.enableUsageAggregation;
	}

	/**
	 * Sets {@code steer.streaming.enable-usage-aggregation}.
	 * @param enableUsageAggregation whether to estimate usage when the provider does not
	 * send it
	 */
	public void setEnableUsageAggregation(boolean enableUsageAggregation) {
		this.enableUsageAggregation = enableUsageAggregation;
	}

	/**
	 * Returns {@code steer.streaming.aggregator-type}.
	 * @return how usage is estimated when the provider does not send it
	 */
	public AggregatorType getAggregatorType() {
		return this.aggregatorType;
	}

	/**
	 * Sets {@code steer.streaming.aggregator-type}.
	 * @param aggregatorType how usage is estimated when the provider does not send it
	 */
	public void setAggregatorType(AggregatorType aggregatorType) {
		this.aggregatorType = aggregatorType;
	}

	/**
	 * Returns {@code steer.streaming.prefer-tiktoken}.
	 * @return whether the 'auto' aggregator counts OpenAI-family models with tiktoken
	 */
	public boolean isPreferTiktoken() {
		return this.preferTiktoken;
	}

	/**
	 * Sets {@code steer.streaming.prefer-tiktoken}.
	 * @param preferTiktoken whether the 'auto' aggregator counts OpenAI-family models
	 * with tiktoken
	 */
	public void setPreferTiktoken(boolean preferTiktoken) {
		this.preferTiktoken = preferTiktoken;
	}

	/**
	 * Returns {@code steer.streaming.enable-json-stream-handler}.
	 * @return whether JSON answers are parsed incrementally as they stream
	 */
	public boolean isEnableJsonStreamHandler() {
		return this.enableJsonStreamHandler;
	}

	/**
	 * Sets {@code steer.streaming.enable-json-stream-handler}.
	 * @param enableJsonStreamHandler whether JSON answers are parsed incrementally as
	 * they stream
	 */
	public void setEnableJsonStreamHandler(boolean enableJsonStreamHandler) {
		this.enableJsonStreamHandler = enableJsonStreamHandler;
	}

	/**
	 * Returns {@code steer.streaming.validate-json-incrementally}.
	 * @return whether the JSON stream handler rejects invalid JSON as soon as it streams
	 */
	public boolean isValidateJsonIncrementally() {
		return this.validateJsonIncrementally;
	}

	/**
	 * Sets {@code steer.streaming.validate-json-incrementally}.
	 * @param validateJsonIncrementally whether the JSON stream handler rejects invalid
	 * JSON as soon as it streams
	 */
	public void setValidateJsonIncrementally(boolean validateJsonIncrementally) {
		this.validateJsonIncrementally = validateJsonIncrementally;
	}

	/**
	 * Returns {@code steer.streaming.event-processor}.
	 * @return name of an EventProcessor bean applied to the events of every stream. Empty
	 * for none, overriding an inherited one
	 */
	public @Nullable String getEventProcessor() {
		return this.eventProcessor;
	}

	/**
	 * Sets {@code steer.streaming.event-processor}.
	 * @param eventProcessor name of an EventProcessor bean applied to the events of every
	 * stream. Empty for none, overriding an inherited one
	 */
	public void setEventProcessor(@Nullable String eventProcessor) {
		this.eventProcessor = eventProcessor;
	}

	/**
	 * Returns {@code steer.streaming.connection-timeout}.
	 * @return longest wait to open the connection
	 */
	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	/**
	 * Sets {@code steer.streaming.connection-timeout}.
	 * @param connectionTimeout longest wait to open the connection
	 */
	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	/**
	 * Returns {@code steer.streaming.read-timeout}.
	 * @return longest gap between two complete SSE events, and longest wait for the
	 * response headers
	 */
	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	/**
	 * Sets {@code steer.streaming.read-timeout}.
	 * @param readTimeout longest gap between two complete SSE events, and longest wait
	 * for the response headers
	 */
	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	/**
	 * Returns {@code steer.streaming.total-timeout}.
	 * @return longest time for a whole stream
	 */
	public Duration getTotalTimeout() {
		return this.totalTimeout;
	}

	/**
	 * Sets {@code steer.streaming.total-timeout}.
	 * @param totalTimeout longest time for a whole stream
	 */
	public void setTotalTimeout(Duration totalTimeout) {
		this.totalTimeout = totalTimeout;
	}

	/**
	 * Returns {@code steer.streaming.retry-on-connection-error}.
	 * @return whether to retry a failure that happens before the first delta
	 */
	public boolean isRetryOnConnectionError() {
		return this.retryOnConnectionError;
	}

	/**
	 * Sets {@code steer.streaming.retry-on-connection-error}.
	 * @param retryOnConnectionError whether to retry a failure that happens before the
	 * first delta
	 */
	public void setRetryOnConnectionError(boolean retryOnConnectionError) {
		this.retryOnConnectionError = retryOnConnectionError;
	}

	/**
	 * Returns {@code steer.streaming.max-reconnect-attempts}.
	 * @return most retries or reconnections of one stream. 0 for none
	 */
	public int getMaxReconnectAttempts() {
		return this.maxReconnectAttempts;
	}

	/**
	 * Sets {@code steer.streaming.max-reconnect-attempts}.
	 * @param maxReconnectAttempts most retries or reconnections of one stream. 0 for none
	 */
	public void setMaxReconnectAttempts(int maxReconnectAttempts) {
		this.maxReconnectAttempts = maxReconnectAttempts;
	}

	/**
	 * Returns {@code steer.streaming.reconnect-delay}.
	 * @return first backoff delay before a retry; later ones grow exponentially
	 */
	public Duration getReconnectDelay() {
		return this.reconnectDelay;
	}

	/**
	 * Sets {@code steer.streaming.reconnect-delay}.
	 * @param reconnectDelay first backoff delay before a retry; later ones grow
	 * exponentially
	 */
	public void setReconnectDelay(Duration reconnectDelay) {
		this.reconnectDelay = reconnectDelay;
	}

	/**
	 * Returns {@code steer.streaming.preserve-partial-response}.
	 * @return whether the error of a broken stream carries the partial response that
	 * arrived
	 */
	public boolean isPreservePartialResponse() {
		return this.preservePartialResponse;
	}

	/**
	 * Sets {@code steer.streaming.preserve-partial-response}.
	 * @param preservePartialResponse whether the error of a broken stream carries the
	 * partial response that arrived
	 */
	public void setPreservePartialResponse(boolean preservePartialResponse) {
		this.preservePartialResponse = preservePartialResponse;
	}

	/**
	 * Returns {@code steer.streaming.chunk-size}.
	 * @return characters per chunk released by output buffers. 0 to release text as
	 * received
	 */
	public int getChunkSize() {
		return this.chunkSize;
	}

	/**
	 * Sets {@code steer.streaming.chunk-size}.
	 * @param chunkSize characters per chunk released by output buffers. 0 to release text
	 * as received
	 */
	public void setChunkSize(int chunkSize) {
		this.chunkSize = chunkSize;
	}

	/**
	 * Returns {@code steer.streaming.buffer-size}.
	 * @return most events held between the connection and a slow subscriber
	 */
	public int getBufferSize() {
		return this.bufferSize;
	}

	/**
	 * Returns {@code steer.streaming.max-retry-delay}.
	 * @return longest wait before a retry, also when a provider's Retry-After asks for
	 * more
	 */
	public Duration getMaxRetryDelay() {
		return this.maxRetryDelay;
	}

	/**
	 * Sets {@code steer.streaming.max-retry-delay}.
	 * @param maxRetryDelay longest wait before a retry, also when a provider's
	 * Retry-After asks for more
	 */
	public void setMaxRetryDelay(Duration maxRetryDelay) {
		this.maxRetryDelay = maxRetryDelay;
	}

	/**
	 * Returns {@code steer.streaming.max-event-size}.
	 * @return largest server-sent event accepted, in bytes; a larger one fails the stream
	 */
	public int getMaxEventSize() {
		return this.maxEventSize;
	}

	/**
	 * Sets {@code steer.streaming.max-event-size}.
	 * @param maxEventSize largest server-sent event accepted, in bytes; a larger one
	 * fails the stream
	 */
	public void setMaxEventSize(int maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Sets {@code steer.streaming.buffer-size}.
	 * @param bufferSize most events held between the connection and a slow subscriber
	 */
	public void setBufferSize(int bufferSize) {
		this.bufferSize = bufferSize;
	}

	/**
	 * Returns {@code steer.streaming.buffer-type}.
	 * @return how output buffers group text before they release it
	 */
	public BufferType getBufferType() {
		return this.bufferType;
	}

	/**
	 * Sets {@code steer.streaming.buffer-type}.
	 * @param bufferType how output buffers group text before they release it
	 */
	public void setBufferType(BufferType bufferType) {
		this.bufferType = bufferType;
	}

	/**
	 * Returns {@code steer.streaming.progress-interval}.
	 * @return shortest time between two progress reports
	 */
	public Duration getProgressInterval() {
		return this.progressInterval;
	}

	/**
	 * Sets {@code steer.streaming.progress-interval}.
	 * @param progressInterval shortest time between two progress reports
	 */
	public void setProgressInterval(Duration progressInterval) {
		this.progressInterval = progressInterval;
	}

	/**
	 * Returns {@code steer.streaming.rate-limit}.
	 * @return most tokens per second released to the subscriber. 0 for unlimited
	 */
	public double getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Sets {@code steer.streaming.rate-limit}.
	 * @param rateLimit most tokens per second released to the subscriber. 0 for unlimited
	 */
	public void setRateLimit(double rateLimit) {
		this.rateLimit = rateLimit;
	}

	/**
	 * Returns {@code steer.streaming.log-streaming-metrics}.
	 * @return whether to log the metrics of each stream at INFO level when it ends
	 */
	public boolean isLogStreamingMetrics() {
		return this.logStreamingMetrics;
	}

	/**
	 * Sets {@code steer.streaming.log-streaming-metrics}.
	 * @param logStreamingMetrics whether to log the metrics of each stream at INFO level
	 * when it ends
	 */
	public void setLogStreamingMetrics(boolean logStreamingMetrics) {
		this.logStreamingMetrics = logStreamingMetrics;
	}

	/**
	 * Returns {@code steer.streaming.state-ttl}.
	 * @return how long the state of a stream is kept for reconnection after its last
	 * activity. A plain number is in seconds
	 */
	public Duration getStateTtl() {
		return this.stateTtl;
	}

	/**
	 * Sets {@code steer.streaming.state-ttl}.
	 * @param stateTtl how long the state of a stream is kept for reconnection after its
	 * last activity. A plain number is in seconds
	 */
	public void setStateTtl(Duration stateTtl) {
		this.stateTtl = stateTtl;
	}

	/**
	 * Returns {@code steer.streaming.max-states}.
	 * @return most stream states kept for reconnection at once; when full, expired states
	 * and then the least recently active one make room
	 */
	public int getMaxStates() {
		return this.maxStates;
	}

	/**
	 * Sets {@code steer.streaming.max-states}.
	 * @param maxStates most stream states kept for reconnection at once; when full,
	 * expired states and then the least recently active one make room
	 */
	public void setMaxStates(int maxStates) {
		this.maxStates = maxStates;
	}

	/**
	 * Returns {@code steer.streaming.state-cleanup-interval}.
	 * @return time between two removals of expired stream states. A plain number is in
	 * seconds; 0 to remove them only when the state store is full
	 */
	public Duration getStateCleanupInterval() {
		return this.stateCleanupInterval;
	}

	/**
	 * Sets {@code steer.streaming.state-cleanup-interval}.
	 * @param stateCleanupInterval time between two removals of expired stream states. A
	 * plain number is in seconds; 0 to remove them only when the state store is full
	 */
	public void setStateCleanupInterval(Duration stateCleanupInterval) {
		this.stateCleanupInterval = stateCleanupInterval;
	}

	/**
	 * Returns the presets, {@code steer.streaming.presets.<name>.*}.
	 * @return the presets by name, modifiable; each becomes a {@code <name>Options} bean
	 */
	public Map<String, Preset> getPresets() {
		return this.presets;
	}

	/**
	 * A named set of streaming options, bound from
	 * {@code steer.streaming.presets.<name>.*}. Every field is optional: an unset
	 * ({@code null}) field takes the value of the same property under
	 * {@code steer.streaming}.
	 */
	public static class Preset {

		/**
		 * Whether to estimate usage when the provider does not send it.
		 */
		private @Nullable Boolean enableUsageAggregation;

		/**
		 * How usage is estimated when the provider does not send it.
		 */
		private @Nullable AggregatorType aggregatorType;

		/**
		 * Whether the 'auto' aggregator counts OpenAI-family models with tiktoken.
		 */
		private @Nullable Boolean preferTiktoken;

		/**
		 * Whether JSON answers are parsed incrementally as they stream. Not acted on yet:
		 * stored for the JSON stream handler.
		 */
		private @Nullable Boolean enableJsonStreamHandler;

		/**
		 * Whether the JSON stream handler rejects invalid JSON as soon as it streams. Not
		 * acted on yet: stored for the JSON stream handler.
		 */
		private @Nullable Boolean validateJsonIncrementally;

		/**
		 * Name of an EventProcessor bean applied to the events of every stream. Empty for
		 * none, overriding an inherited one.
		 */
		private @Nullable String eventProcessor;

		/**
		 * Longest wait to open the connection.
		 */
		private @Nullable Duration connectionTimeout;

		/**
		 * Longest gap between two complete SSE events, and longest wait for the response
		 * headers.
		 */
		private @Nullable Duration readTimeout;

		/**
		 * Longest time for a whole stream.
		 */
		private @Nullable Duration totalTimeout;

		/**
		 * Whether to retry a failure that happens before the first delta.
		 */
		private @Nullable Boolean retryOnConnectionError;

		/**
		 * Most retries or reconnections of one stream. 0 for none.
		 */
		private @Nullable Integer maxReconnectAttempts;

		/**
		 * First backoff delay before a retry; later ones grow exponentially.
		 */
		private @Nullable Duration reconnectDelay;

		/**
		 * Whether the error of a broken stream carries the partial response that arrived.
		 */
		private @Nullable Boolean preservePartialResponse;

		/**
		 * Longest wait before a retry, also when a provider's Retry-After asks for more.
		 */
		private @Nullable Duration maxRetryDelay;

		/**
		 * Characters per chunk released by output buffers. 0 to release text as received.
		 * Not acted on yet: stored for output shaping.
		 */
		private @Nullable Integer chunkSize;

		/**
		 * Most events held between the connection and a slow subscriber.
		 */
		private @Nullable Integer bufferSize;

		/**
		 * Largest server-sent event accepted, in bytes; a larger one fails the stream.
		 */
		private @Nullable Integer maxEventSize;

		/**
		 * How output buffers group text before they release it. Not acted on yet: stored
		 * for output shaping.
		 */
		private @Nullable BufferType bufferType;

		/**
		 * Shortest time between two progress reports. Not acted on yet: stored for output
		 * shaping.
		 */
		private @Nullable Duration progressInterval;

		/**
		 * Most tokens per second released to the subscriber. 0 for unlimited. Not acted
		 * on yet: stored for output shaping.
		 */
		private @Nullable Double rateLimit;

		/**
		 * Whether to log the metrics of each stream at INFO level when it ends.
		 */
		private @Nullable Boolean logStreamingMetrics;

		/**
		 * Returns {@code steer.streaming.presets.<name>.enable-usage-aggregation}.
		 * @return whether to estimate usage when the provider does not send it;
		 * {@code null} when it inherits
		 */
		public @Nullable Boolean getEnableUsageAggregation() {
			return this.enableUsageAggregation;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.enable-usage-aggregation}.
		 * @param enableUsageAggregation whether to estimate usage when the provider does
		 * not send it; {@code null} to inherit
		 */
		public void setEnableUsageAggregation(@Nullable Boolean enableUsageAggregation) {
			this.enableUsageAggregation = enableUsageAggregation;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.aggregator-type}.
		 * @return how usage is estimated when the provider does not send it; {@code null}
		 * when it inherits
		 */
		public @Nullable AggregatorType getAggregatorType() {
			return this.aggregatorType;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.aggregator-type}.
		 * @param aggregatorType how usage is estimated when the provider does not send
		 * it; {@code null} to inherit
		 */
		public void setAggregatorType(@Nullable AggregatorType aggregatorType) {
			this.aggregatorType = aggregatorType;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.prefer-tiktoken}.
		 * @return whether the 'auto' aggregator counts OpenAI-family models with
		 * tiktoken; {@code null} when it inherits
		 */
		public @Nullable Boolean getPreferTiktoken() {
			return this.preferTiktoken;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.prefer-tiktoken}.
		 * @param preferTiktoken whether the 'auto' aggregator counts OpenAI-family models
		 * with tiktoken; {@code null} to inherit
		 */
		public void setPreferTiktoken(@Nullable Boolean preferTiktoken) {
			this.preferTiktoken = preferTiktoken;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.enable-json-stream-handler}.
		 * @return whether JSON answers are parsed incrementally as they stream;
		 * {@code null} when it inherits
		 */
		public @Nullable Boolean getEnableJsonStreamHandler() {
			return this.enableJsonStreamHandler;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.enable-json-stream-handler}.
		 * @param enableJsonStreamHandler whether JSON answers are parsed incrementally as
		 * they stream; {@code null} to inherit
		 */
		public void setEnableJsonStreamHandler(@Nullable Boolean enableJsonStreamHandler) {
			this.enableJsonStreamHandler = enableJsonStreamHandler;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.validate-json-incrementally}.
		 * @return whether the JSON stream handler rejects invalid JSON as soon as it
		 * streams; {@code null} when it inherits
		 */
		public @Nullable Boolean getValidateJsonIncrementally() {
			return this.validateJsonIncrementally;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.validate-json-incrementally}.
		 * @param validateJsonIncrementally whether the JSON stream handler rejects
		 * invalid JSON as soon as it streams; {@code null} to inherit
		 */
		public void setValidateJsonIncrementally(@Nullable Boolean validateJsonIncrementally) {
			this.validateJsonIncrementally = validateJsonIncrementally;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.event-processor}.
		 * @return name of an EventProcessor bean applied to the events of every stream.
		 * Empty for none, overriding an inherited one; {@code null} when it inherits
		 */
		public @Nullable String getEventProcessor() {
			return this.eventProcessor;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.event-processor}.
		 * @param eventProcessor name of an EventProcessor bean applied to the events of
		 * every stream. Empty for none, overriding an inherited one; {@code null} to
		 * inherit
		 */
		public void setEventProcessor(@Nullable String eventProcessor) {
			this.eventProcessor = eventProcessor;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.connection-timeout}.
		 * @return longest wait to open the connection; {@code null} when it inherits
		 */
		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.connection-timeout}.
		 * @param connectionTimeout longest wait to open the connection; {@code null} to
		 * inherit
		 */
		public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.read-timeout}.
		 * @return longest gap between two complete SSE events, and longest wait for the
		 * response headers; {@code null} when it inherits
		 */
		public @Nullable Duration getReadTimeout() {
			return this.readTimeout;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.read-timeout}.
		 * @param readTimeout longest gap between two received events, including before
		 * the first byte; {@code null} to inherit
		 */
		public void setReadTimeout(@Nullable Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.total-timeout}.
		 * @return longest time for a whole stream; {@code null} when it inherits
		 */
		public @Nullable Duration getTotalTimeout() {
			return this.totalTimeout;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.total-timeout}.
		 * @param totalTimeout longest time for a whole stream; {@code null} to inherit
		 */
		public void setTotalTimeout(@Nullable Duration totalTimeout) {
			this.totalTimeout = totalTimeout;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.retry-on-connection-error}.
		 * @return whether to retry a failure that happens before the first delta;
		 * {@code null} when it inherits
		 */
		public @Nullable Boolean getRetryOnConnectionError() {
			return this.retryOnConnectionError;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.retry-on-connection-error}.
		 * @param retryOnConnectionError whether to retry a failure that happens before
		 * the first delta; {@code null} to inherit
		 */
		public void setRetryOnConnectionError(@Nullable Boolean retryOnConnectionError) {
			this.retryOnConnectionError = retryOnConnectionError;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.max-reconnect-attempts}.
		 * @return most retries or reconnections of one stream. 0 for none; {@code null}
		 * when it inherits
		 */
		public @Nullable Integer getMaxReconnectAttempts() {
			return this.maxReconnectAttempts;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.max-reconnect-attempts}.
		 * @param maxReconnectAttempts most retries or reconnections of one stream. 0 for
		 * none; {@code null} to inherit
		 */
		public void setMaxReconnectAttempts(@Nullable Integer maxReconnectAttempts) {
			this.maxReconnectAttempts = maxReconnectAttempts;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.reconnect-delay}.
		 * @return first backoff delay before a retry; later ones grow exponentially;
		 * {@code null} when it inherits
		 */
		public @Nullable Duration getReconnectDelay() {
			return this.reconnectDelay;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.reconnect-delay}.
		 * @param reconnectDelay first backoff delay before a retry; later ones grow
		 * exponentially; {@code null} to inherit
		 */
		public void setReconnectDelay(@Nullable Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.preserve-partial-response}.
		 * @return whether the error of a broken stream carries the partial response that
		 * arrived; {@code null} when it inherits
		 */
		public @Nullable Boolean getPreservePartialResponse() {
			return this.preservePartialResponse;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.preserve-partial-response}.
		 * @param preservePartialResponse whether the error of a broken stream carries the
		 * partial response that arrived; {@code null} to inherit
		 */
		public void setPreservePartialResponse(@Nullable Boolean preservePartialResponse) {
			this.preservePartialResponse = preservePartialResponse;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.chunk-size}.
		 * @return characters per chunk released by output buffers. 0 to release text as
		 * received; {@code null} when it inherits
		 */
		public @Nullable Integer getChunkSize() {
			return this.chunkSize;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.chunk-size}.
		 * @param chunkSize characters per chunk released by output buffers. 0 to release
		 * text as received; {@code null} to inherit
		 */
		public void setChunkSize(@Nullable Integer chunkSize) {
			this.chunkSize = chunkSize;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.buffer-size}.
		 * @return most events held between the connection and a slow subscriber;
		 * {@code null} when it inherits
		 */
		public @Nullable Integer getBufferSize() {
			return this.bufferSize;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.max-retry-delay}.
		 * @return longest wait before a retry, also when a provider's Retry-After asks
		 * for more; {@code null} when it inherits
		 */
		public @Nullable Duration getMaxRetryDelay() {
			return this.maxRetryDelay;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.max-retry-delay}.
		 * @param maxRetryDelay longest wait before a retry, also when a provider's
		 * Retry-After asks for more; {@code null} to inherit
		 */
		public void setMaxRetryDelay(@Nullable Duration maxRetryDelay) {
			this.maxRetryDelay = maxRetryDelay;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.max-event-size}.
		 * @return largest server-sent event accepted, in bytes; a larger one fails the
		 * stream; {@code null} when it inherits
		 */
		public @Nullable Integer getMaxEventSize() {
			return this.maxEventSize;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.max-event-size}.
		 * @param maxEventSize largest server-sent event accepted, in bytes; a larger one
		 * fails the stream; {@code null} to inherit
		 */
		public void setMaxEventSize(@Nullable Integer maxEventSize) {
			this.maxEventSize = maxEventSize;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.buffer-size}.
		 * @param bufferSize most events held between the connection and a slow
		 * subscriber; {@code null} to inherit
		 */
		public void setBufferSize(@Nullable Integer bufferSize) {
			this.bufferSize = bufferSize;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.buffer-type}.
		 * @return how output buffers group text before they release it; {@code null} when
		 * it inherits
		 */
		public @Nullable BufferType getBufferType() {
			return this.bufferType;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.buffer-type}.
		 * @param bufferType how output buffers group text before they release it;
		 * {@code null} to inherit
		 */
		public void setBufferType(@Nullable BufferType bufferType) {
			this.bufferType = bufferType;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.progress-interval}.
		 * @return shortest time between two progress reports; {@code null} when it
		 * inherits
		 */
		public @Nullable Duration getProgressInterval() {
			return this.progressInterval;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.progress-interval}.
		 * @param progressInterval shortest time between two progress reports;
		 * {@code null} to inherit
		 */
		public void setProgressInterval(@Nullable Duration progressInterval) {
			this.progressInterval = progressInterval;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.rate-limit}.
		 * @return most tokens per second released to the subscriber. 0 for unlimited;
		 * {@code null} when it inherits
		 */
		public @Nullable Double getRateLimit() {
			return this.rateLimit;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.rate-limit}.
		 * @param rateLimit most tokens per second released to the subscriber. 0 for
		 * unlimited; {@code null} to inherit
		 */
		public void setRateLimit(@Nullable Double rateLimit) {
			this.rateLimit = rateLimit;
		}

		/**
		 * Returns {@code steer.streaming.presets.<name>.log-streaming-metrics}.
		 * @return whether to log the metrics of each stream at INFO level when it ends;
		 * {@code null} when it inherits
		 */
		public @Nullable Boolean getLogStreamingMetrics() {
			return this.logStreamingMetrics;
		}

		/**
		 * Sets {@code steer.streaming.presets.<name>.log-streaming-metrics}.
		 * @param logStreamingMetrics whether to log the metrics of each stream at INFO
		 * level when it ends; {@code null} to inherit
		 */
		public void setLogStreamingMetrics(@Nullable Boolean logStreamingMetrics) {
			this.logStreamingMetrics = logStreamingMetrics;
		}

	}

}
