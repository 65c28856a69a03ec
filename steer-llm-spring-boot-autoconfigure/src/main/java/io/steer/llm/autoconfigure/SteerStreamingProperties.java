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
 * these. Values are checked when the options are built: an invalid one fails start-up with
 * an {@link org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException}
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
	 * Whether JSON answers are parsed incrementally as they stream.
	 */
	private boolean enableJsonStreamHandler = false;

	/**
	 * Whether the JSON stream handler rejects invalid JSON as soon as it streams rather
	 * than at the end.
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
	 * Longest gap between two received events, including before the first byte.
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
	 * Characters per chunk released by output buffers. 0 to release text as received.
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
	 * How output buffers group text before they release it.
	 */
	private BufferType bufferType = BufferType.WORD;

	/**
	 * Shortest time between two progress reports.
	 */
	private Duration progressInterval = Duration.ofMillis(100);

	/**
	 * Most tokens per second released to the subscriber. 0 for unlimited.
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
	 * Most stream states kept for reconnection at once; when full, expired states and then
	 * the least recently active one make room.
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
	 * inherit from 'steer.streaming'. The names of the built-in presets (json-mode, debug,
	 * high-performance, high-throughput, low-latency) are reserved.
	 */
	private final Map<String, Preset> presets = new LinkedHashMap<>();

	public boolean isEnableUsageAggregation() {
		return this.enableUsageAggregation;
	}

	public void setEnableUsageAggregation(boolean enableUsageAggregation) {
		this.enableUsageAggregation = enableUsageAggregation;
	}

	public AggregatorType getAggregatorType() {
		return this.aggregatorType;
	}

	public void setAggregatorType(AggregatorType aggregatorType) {
		this.aggregatorType = aggregatorType;
	}

	public boolean isPreferTiktoken() {
		return this.preferTiktoken;
	}

	public void setPreferTiktoken(boolean preferTiktoken) {
		this.preferTiktoken = preferTiktoken;
	}

	public boolean isEnableJsonStreamHandler() {
		return this.enableJsonStreamHandler;
	}

	public void setEnableJsonStreamHandler(boolean enableJsonStreamHandler) {
		this.enableJsonStreamHandler = enableJsonStreamHandler;
	}

	public boolean isValidateJsonIncrementally() {
		return this.validateJsonIncrementally;
	}

	public void setValidateJsonIncrementally(boolean validateJsonIncrementally) {
		this.validateJsonIncrementally = validateJsonIncrementally;
	}

	public @Nullable String getEventProcessor() {
		return this.eventProcessor;
	}

	public void setEventProcessor(@Nullable String eventProcessor) {
		this.eventProcessor = eventProcessor;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getTotalTimeout() {
		return this.totalTimeout;
	}

	public void setTotalTimeout(Duration totalTimeout) {
		this.totalTimeout = totalTimeout;
	}

	public boolean isRetryOnConnectionError() {
		return this.retryOnConnectionError;
	}

	public void setRetryOnConnectionError(boolean retryOnConnectionError) {
		this.retryOnConnectionError = retryOnConnectionError;
	}

	public int getMaxReconnectAttempts() {
		return this.maxReconnectAttempts;
	}

	public void setMaxReconnectAttempts(int maxReconnectAttempts) {
		this.maxReconnectAttempts = maxReconnectAttempts;
	}

	public Duration getReconnectDelay() {
		return this.reconnectDelay;
	}

	public void setReconnectDelay(Duration reconnectDelay) {
		this.reconnectDelay = reconnectDelay;
	}

	public boolean isPreservePartialResponse() {
		return this.preservePartialResponse;
	}

	public void setPreservePartialResponse(boolean preservePartialResponse) {
		this.preservePartialResponse = preservePartialResponse;
	}

	public int getChunkSize() {
		return this.chunkSize;
	}

	public void setChunkSize(int chunkSize) {
		this.chunkSize = chunkSize;
	}

	public int getBufferSize() {
		return this.bufferSize;
	}

	public Duration getMaxRetryDelay() {
		return this.maxRetryDelay;
	}

	public void setMaxRetryDelay(Duration maxRetryDelay) {
		this.maxRetryDelay = maxRetryDelay;
	}

	public int getMaxEventSize() {
		return this.maxEventSize;
	}

	public void setMaxEventSize(int maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	public void setBufferSize(int bufferSize) {
		this.bufferSize = bufferSize;
	}

	public BufferType getBufferType() {
		return this.bufferType;
	}

	public void setBufferType(BufferType bufferType) {
		this.bufferType = bufferType;
	}

	public Duration getProgressInterval() {
		return this.progressInterval;
	}

	public void setProgressInterval(Duration progressInterval) {
		this.progressInterval = progressInterval;
	}

	public double getRateLimit() {
		return this.rateLimit;
	}

	public void setRateLimit(double rateLimit) {
		this.rateLimit = rateLimit;
	}

	public boolean isLogStreamingMetrics() {
		return this.logStreamingMetrics;
	}

	public void setLogStreamingMetrics(boolean logStreamingMetrics) {
		this.logStreamingMetrics = logStreamingMetrics;
	}

	public Duration getStateTtl() {
		return this.stateTtl;
	}

	public void setStateTtl(Duration stateTtl) {
		this.stateTtl = stateTtl;
	}

	public int getMaxStates() {
		return this.maxStates;
	}

	public void setMaxStates(int maxStates) {
		this.maxStates = maxStates;
	}

	public Duration getStateCleanupInterval() {
		return this.stateCleanupInterval;
	}

	public void setStateCleanupInterval(Duration stateCleanupInterval) {
		this.stateCleanupInterval = stateCleanupInterval;
	}

	public Map<String, Preset> getPresets() {
		return this.presets;
	}

	/**
	 * A named set of streaming options, bound from {@code steer.streaming.presets.<name>.*}.
	 * Every field is optional: an unset ({@code null}) field takes the value of the same
	 * property under {@code steer.streaming}.
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
		 * Whether JSON answers are parsed incrementally as they stream.
		 */
		private @Nullable Boolean enableJsonStreamHandler;

		/**
		 * Whether the JSON stream handler rejects invalid JSON as soon as it streams.
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
		 * Longest gap between two received events, including before the first byte.
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
		 * How output buffers group text before they release it.
		 */
		private @Nullable BufferType bufferType;

		/**
		 * Shortest time between two progress reports.
		 */
		private @Nullable Duration progressInterval;

		/**
		 * Most tokens per second released to the subscriber. 0 for unlimited.
		 */
		private @Nullable Double rateLimit;

		/**
		 * Whether to log the metrics of each stream at INFO level when it ends.
		 */
		private @Nullable Boolean logStreamingMetrics;

		public @Nullable Boolean getEnableUsageAggregation() {
			return this.enableUsageAggregation;
		}

		public void setEnableUsageAggregation(@Nullable Boolean enableUsageAggregation) {
			this.enableUsageAggregation = enableUsageAggregation;
		}

		public @Nullable AggregatorType getAggregatorType() {
			return this.aggregatorType;
		}

		public void setAggregatorType(@Nullable AggregatorType aggregatorType) {
			this.aggregatorType = aggregatorType;
		}

		public @Nullable Boolean getPreferTiktoken() {
			return this.preferTiktoken;
		}

		public void setPreferTiktoken(@Nullable Boolean preferTiktoken) {
			this.preferTiktoken = preferTiktoken;
		}

		public @Nullable Boolean getEnableJsonStreamHandler() {
			return this.enableJsonStreamHandler;
		}

		public void setEnableJsonStreamHandler(@Nullable Boolean enableJsonStreamHandler) {
			this.enableJsonStreamHandler = enableJsonStreamHandler;
		}

		public @Nullable Boolean getValidateJsonIncrementally() {
			return this.validateJsonIncrementally;
		}

		public void setValidateJsonIncrementally(@Nullable Boolean validateJsonIncrementally) {
			this.validateJsonIncrementally = validateJsonIncrementally;
		}

		public @Nullable String getEventProcessor() {
			return this.eventProcessor;
		}

		public void setEventProcessor(@Nullable String eventProcessor) {
			this.eventProcessor = eventProcessor;
		}

		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public @Nullable Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(@Nullable Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public @Nullable Duration getTotalTimeout() {
			return this.totalTimeout;
		}

		public void setTotalTimeout(@Nullable Duration totalTimeout) {
			this.totalTimeout = totalTimeout;
		}

		public @Nullable Boolean getRetryOnConnectionError() {
			return this.retryOnConnectionError;
		}

		public void setRetryOnConnectionError(@Nullable Boolean retryOnConnectionError) {
			this.retryOnConnectionError = retryOnConnectionError;
		}

		public @Nullable Integer getMaxReconnectAttempts() {
			return this.maxReconnectAttempts;
		}

		public void setMaxReconnectAttempts(@Nullable Integer maxReconnectAttempts) {
			this.maxReconnectAttempts = maxReconnectAttempts;
		}

		public @Nullable Duration getReconnectDelay() {
			return this.reconnectDelay;
		}

		public void setReconnectDelay(@Nullable Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
		}

		public @Nullable Boolean getPreservePartialResponse() {
			return this.preservePartialResponse;
		}

		public void setPreservePartialResponse(@Nullable Boolean preservePartialResponse) {
			this.preservePartialResponse = preservePartialResponse;
		}

		public @Nullable Integer getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(@Nullable Integer chunkSize) {
			this.chunkSize = chunkSize;
		}

		public @Nullable Integer getBufferSize() {
			return this.bufferSize;
		}

		public @Nullable Duration getMaxRetryDelay() {
			return this.maxRetryDelay;
		}

		public void setMaxRetryDelay(@Nullable Duration maxRetryDelay) {
			this.maxRetryDelay = maxRetryDelay;
		}

		public @Nullable Integer getMaxEventSize() {
			return this.maxEventSize;
		}

		public void setMaxEventSize(@Nullable Integer maxEventSize) {
			this.maxEventSize = maxEventSize;
		}

		public void setBufferSize(@Nullable Integer bufferSize) {
			this.bufferSize = bufferSize;
		}

		public @Nullable BufferType getBufferType() {
			return this.bufferType;
		}

		public void setBufferType(@Nullable BufferType bufferType) {
			this.bufferType = bufferType;
		}

		public @Nullable Duration getProgressInterval() {
			return this.progressInterval;
		}

		public void setProgressInterval(@Nullable Duration progressInterval) {
			this.progressInterval = progressInterval;
		}

		public @Nullable Double getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(@Nullable Double rateLimit) {
			this.rateLimit = rateLimit;
		}

		public @Nullable Boolean getLogStreamingMetrics() {
			return this.logStreamingMetrics;
		}

		public void setLogStreamingMetrics(@Nullable Boolean logStreamingMetrics) {
			this.logStreamingMetrics = logStreamingMetrics;
		}

	}

}
