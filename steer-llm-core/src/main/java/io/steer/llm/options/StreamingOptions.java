package io.steer.llm.options;

import java.time.Duration;
import java.util.Objects;

import io.steer.llm.pipeline.EventProcessor;
import org.jspecify.annotations.Nullable;

/**
 * How one stream is read, measured and shaped. Immutable; use {@link #builder()},
 * {@link #toBuilder()} or a preset ({@link #DEFAULTS}, {@link #JSON_MODE},
 * {@link #DEBUG}, {@link #HIGH_PERFORMANCE}, {@link #HIGH_THROUGHPUT},
 * {@link #LOW_LATENCY}).
 * <p>
 * In Spring Boot every field is bound from {@code steer.streaming.*}.
 *
 * @param enableUsageAggregation whether to estimate usage when the provider does not send
 * it
 * @param aggregatorType how usage is estimated
 * @param preferTiktoken whether {@link AggregatorType#AUTO} counts OpenAI-family models
 * with tiktoken rather than characters
 * @param enableJsonStreamHandler whether JSON answers are parsed incrementally as they
 * stream
 * @param validateJsonIncrementally whether the JSON handler rejects invalid JSON as soon
 * as it streams, rather than at the end
 * @param eventProcessor stage applied to the event flux, or {@code null}
 * @param connectionTimeout longest wait to open the TCP connection
 * @param readTimeout longest gap between two complete SSE events, including from sending
 * the request to the response headers and from the headers to the first event (bytes that
 * complete no event do not count)
 * @param totalTimeout longest time for the whole stream
 * @param retryOnConnectionError whether to retry a failure that happens before the first
 * delta, and to resume (Responses API) or continue (Anthropic) a stream that breaks after
 * it
 * @param maxReconnectAttempts most retries or reconnections of one stream (0 for none)
 * @param reconnectDelay first backoff delay before a retry; later ones grow exponentially
 * @param preservePartialResponse whether a broken stream's error carries what arrived
 * @param maxRetryDelay longest wait before a retry, also when a provider's
 * {@code Retry-After} asks for more
 * @param chunkSize characters per chunk released by output buffers (0: as received)
 * @param bufferSize most events held between the connection and a slow subscriber
 * @param maxEventSize largest SSE event accepted (bytes); a larger one fails the stream
 * @param bufferType how output buffers group text
 * @param progressInterval shortest time between two progress reports
 * @param rateLimit most tokens per second released to the subscriber (0: unlimited)
 * @param logStreamingMetrics whether to log each stream's metrics at INFO when it ends
 * @param callbacks functions called as events pass
 */
public record StreamingOptions(boolean enableUsageAggregation, AggregatorType aggregatorType, boolean preferTiktoken,
		boolean enableJsonStreamHandler, boolean validateJsonIncrementally, @Nullable EventProcessor eventProcessor,
		Duration connectionTimeout, Duration readTimeout, Duration totalTimeout, boolean retryOnConnectionError,
		int maxReconnectAttempts, Duration reconnectDelay, boolean preservePartialResponse, Duration maxRetryDelay,
		int chunkSize, int bufferSize, int maxEventSize, BufferType bufferType, Duration progressInterval,
		double rateLimit, boolean logStreamingMetrics, StreamCallbacks callbacks) {

	/**
	 * Defaults: usage aggregation on ({@code auto}, tiktoken preferred), JSON handler
	 * off, 5 s connect, 30 s read, 5 min total, 3 reconnects from 500 ms waiting at most
	 * 60 s, partial responses kept, 256 buffered events, events up to 1 MiB, word
	 * buffering, 100 ms progress, no rate limit.
	 */
	public static final StreamingOptions DEFAULTS = new Builder().build();

	/**
	 * For {@code response_format} JSON answers: incremental JSON handling and validation,
	 * metrics logged.
	 */
	public static final StreamingOptions JSON_MODE = builder().enableJsonStreamHandler(true)
		.validateJsonIncrementally(true)
		.logStreamingMetrics(true)
		.build();

	/**
	 * For debugging: JSON handling and validation, every delta released at once, metrics
	 * logged.
	 */
	public static final StreamingOptions DEBUG = builder().enableJsonStreamHandler(true)
		.validateJsonIncrementally(true)
		.bufferType(BufferType.NONE)
		.progressInterval(Duration.ZERO)
		.logStreamingMetrics(true)
		.build();

	/** Least work per delta: no usage estimation, no JSON handling. */
	public static final StreamingOptions HIGH_PERFORMANCE = builder().enableUsageAggregation(false)
		.enableJsonStreamHandler(false)
		.build();

	/**
	 * Many concurrent or long streams: no usage estimation or JSON handling, larger
	 * buffers, text released in 50-character chunks, progress every second.
	 */
	public static final StreamingOptions HIGH_THROUGHPUT = builder().enableUsageAggregation(false)
		.enableJsonStreamHandler(false)
		.bufferSize(1024)
		.chunkSize(50)
		.bufferType(BufferType.NONE)
		.progressInterval(Duration.ofSeconds(1))
		.build();

	/**
	 * Interactive use: no usage estimation or JSON handling, 2 s connect, 15 s read, no
	 * retries, every delta released at once.
	 */
	public static final StreamingOptions LOW_LATENCY = builder().enableUsageAggregation(false)
		.enableJsonStreamHandler(false)
		.connectionTimeout(Duration.ofSeconds(2))
		.readTimeout(Duration.ofSeconds(15))
		.retryOnConnectionError(false)
		.bufferType(BufferType.NONE)
		.build();

	/**
	 * Creates options, checking every value.
	 * @param enableUsageAggregation whether to estimate usage when the provider does not
	 * send it
	 * @param aggregatorType how usage is estimated, not {@code null}
	 * @param preferTiktoken whether {@link AggregatorType#AUTO} prefers tiktoken
	 * @param enableJsonStreamHandler whether JSON answers are parsed incrementally
	 * @param validateJsonIncrementally whether the JSON handler validates as it streams
	 * @param eventProcessor stage applied to the event flux, or {@code null}
	 * @param connectionTimeout longest wait to open the TCP connection, positive
	 * @param readTimeout longest gap between two complete SSE events (and wait for the
	 * response headers), positive
	 * @param totalTimeout longest time for the whole stream, positive
	 * @param retryOnConnectionError whether to retry, resume or continue a failed stream
	 * @param maxReconnectAttempts most retries or reconnections of one stream, not
	 * negative
	 * @param reconnectDelay first backoff delay before a retry, not negative
	 * @param preservePartialResponse whether a broken stream's error carries what arrived
	 * @param maxRetryDelay longest wait before a retry, not negative
	 * @param chunkSize characters per chunk released by output buffers, not negative
	 * @param bufferSize most events held for a slow subscriber, at least 1
	 * @param maxEventSize largest SSE event accepted in bytes, at least 1
	 * @param bufferType how output buffers group text, not {@code null}
	 * @param progressInterval shortest time between two progress reports, not negative
	 * @param rateLimit most tokens per second released, finite and not negative (0:
	 * unlimited)
	 * @param logStreamingMetrics whether to log each stream's metrics at INFO when it
	 * ends
	 * @param callbacks functions called as events pass, not {@code null}
	 * @throws InvalidStreamingOptionException when a value is out of range
	 * @throws NullPointerException when a required value is {@code null}
	 */
	public StreamingOptions {
		Objects.requireNonNull(aggregatorType, "aggregatorType must not be null");
		Objects.requireNonNull(bufferType, "bufferType must not be null");
		Objects.requireNonNull(callbacks, "callbacks must not be null");
		requirePositive("connectionTimeout", connectionTimeout);
		requirePositive("readTimeout", readTimeout);
		requirePositive("totalTimeout", totalTimeout);
		requireNotNegative("reconnectDelay", reconnectDelay);
		requireNotNegative("maxRetryDelay", maxRetryDelay);
		requireNotNegative("progressInterval", progressInterval);
		if (maxReconnectAttempts < 0) {
			throw new InvalidStreamingOptionException("maxReconnectAttempts", maxReconnectAttempts,
					"must not be negative");
		}
		if (chunkSize < 0) {
			throw new InvalidStreamingOptionException("chunkSize", chunkSize, "must not be negative");
		}
		if (bufferSize < 1) {
			throw new InvalidStreamingOptionException("bufferSize", bufferSize, "must be at least 1");
		}
		if (maxEventSize < 1) {
			throw new InvalidStreamingOptionException("maxEventSize", maxEventSize, "must be at least 1 byte");
		}
		if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
			throw new InvalidStreamingOptionException("rateLimit", rateLimit,
					"must be a finite number of tokens per second, 0 or more");
		}
	}

	private static void requirePositive(String field, Duration value) {
		Objects.requireNonNull(value, () -> field + " must not be null");
		if (value.isNegative() || value.isZero()) {
			throw new InvalidStreamingOptionException(field, value, "must be positive");
		}
	}

	private static void requireNotNegative(String field, Duration value) {
		Objects.requireNonNull(value, () -> field + " must not be null");
		if (value.isNegative()) {
			throw new InvalidStreamingOptionException(field, value, "must not be negative");
		}
	}

	/**
	 * A builder that starts from the {@link #DEFAULTS}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these options.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * A copy with other callbacks.
	 * @param callbacks the callbacks
	 * @return the copy
	 */
	public StreamingOptions withCallbacks(StreamCallbacks callbacks) {
		return toBuilder().callbacks(callbacks).build();
	}

	/**
	 * A copy with another event processor.
	 * @param eventProcessor the processor, or {@code null} for none
	 * @return the copy
	 */
	public StreamingOptions withEventProcessor(@Nullable EventProcessor eventProcessor) {
		return toBuilder().eventProcessor(eventProcessor).build();
	}

	/**
	 * Builder of {@link StreamingOptions}; starts from the defaults. Values are checked
	 * by {@link #build()}, which throws {@link IllegalArgumentException} naming the
	 * field.
	 */
	public static final class Builder {

		private boolean enableUsageAggregation = true;

		private AggregatorType aggregatorType = AggregatorType.AUTO;

		private boolean preferTiktoken = true;

		private boolean enableJsonStreamHandler = false;

		private boolean validateJsonIncrementally = false;

		private @Nullable EventProcessor eventProcessor;

		private Duration connectionTimeout = Duration.ofSeconds(5);

		private Duration readTimeout = Duration.ofSeconds(30);

		private Duration totalTimeout = Duration.ofMinutes(5);

		private boolean retryOnConnectionError = true;

		private int maxReconnectAttempts = 3;

		private Duration reconnectDelay = Duration.ofMillis(500);

		private boolean preservePartialResponse = true;

		private Duration maxRetryDelay = Duration.ofSeconds(60);

		private int chunkSize = 0;

		private int bufferSize = 256;

		private int maxEventSize = 1024 * 1024;

		private BufferType bufferType = BufferType.WORD;

		private Duration progressInterval = Duration.ofMillis(100);

		private double rateLimit = 0;

		private boolean logStreamingMetrics = false;

		private StreamCallbacks callbacks = StreamCallbacks.NONE;

		private Builder() {
		}

		private Builder(StreamingOptions o) {
			this.enableUsageAggregation = o.enableUsageAggregation;
			this.aggregatorType = o.aggregatorType;
			this.preferTiktoken = o.preferTiktoken;
			this.enableJsonStreamHandler = o.enableJsonStreamHandler;
			this.validateJsonIncrementally = o.validateJsonIncrementally;
			this.eventProcessor = o.eventProcessor;
			this.connectionTimeout = o.connectionTimeout;
			this.readTimeout = o.readTimeout;
			this.totalTimeout = o.totalTimeout;
			this.retryOnConnectionError = o.retryOnConnectionError;
			this.maxReconnectAttempts = o.maxReconnectAttempts;
			this.reconnectDelay = o.reconnectDelay;
			this.preservePartialResponse = o.preservePartialResponse;
			this.maxRetryDelay = o.maxRetryDelay;
			this.chunkSize = o.chunkSize;
			this.bufferSize = o.bufferSize;
			this.maxEventSize = o.maxEventSize;
			this.bufferType = o.bufferType;
			this.progressInterval = o.progressInterval;
			this.rateLimit = o.rateLimit;
			this.logStreamingMetrics = o.logStreamingMetrics;
			this.callbacks = o.callbacks;
		}

		/**
		 * Sets whether to estimate usage when the provider does not send it (default
		 * {@code true}).
		 * @param enableUsageAggregation whether to estimate usage
		 * @return this builder
		 */
		public Builder enableUsageAggregation(boolean enableUsageAggregation) {
			this.enableUsageAggregation = enableUsageAggregation;
			return this;
		}

		/**
		 * Sets how usage is estimated (default {@link AggregatorType#AUTO}).
		 * @param aggregatorType the aggregator type, not {@code null}
		 * @return this builder
		 */
		public Builder aggregatorType(AggregatorType aggregatorType) {
			this.aggregatorType = aggregatorType;
			return this;
		}

		/**
		 * Sets the aggregator type from its configuration name.
		 * @param aggregatorType {@code auto}, {@code tiktoken} or {@code character}
		 * @return this builder
		 * @throws IllegalArgumentException when the name is unknown
		 */
		public Builder aggregatorType(String aggregatorType) {
			this.aggregatorType = AggregatorType.from(aggregatorType);
			return this;
		}

		/**
		 * Sets whether {@link AggregatorType#AUTO} counts OpenAI-family models with
		 * tiktoken rather than characters (default {@code true}).
		 * @param preferTiktoken whether to prefer tiktoken
		 * @return this builder
		 */
		public Builder preferTiktoken(boolean preferTiktoken) {
			this.preferTiktoken = preferTiktoken;
			return this;
		}

		/**
		 * Sets whether JSON answers are parsed incrementally as they stream (default
		 * {@code false}). Stored; not acted on yet.
		 * @param enableJsonStreamHandler whether to enable the JSON stream handler
		 * @return this builder
		 */
		public Builder enableJsonStreamHandler(boolean enableJsonStreamHandler) {
			this.enableJsonStreamHandler = enableJsonStreamHandler;
			return this;
		}

		/**
		 * Sets whether the JSON handler rejects invalid JSON as soon as it streams
		 * (default {@code
		 * false}). Stored; not acted on yet.
		 * @param validateJsonIncrementally whether to validate incrementally
		 * @return this builder
		 */
		public Builder validateJsonIncrementally(boolean validateJsonIncrementally) {
			this.validateJsonIncrementally = validateJsonIncrementally;
			return this;
		}

		/**
		 * Sets the stage applied to the event flux of every stream (default none).
		 * @param eventProcessor the processor, or {@code null} for none
		 * @return this builder
		 */
		public Builder eventProcessor(@Nullable EventProcessor eventProcessor) {
			this.eventProcessor = eventProcessor;
			return this;
		}

		/**
		 * Sets the longest wait to open the TCP connection (default 5 s).
		 * @param connectionTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder connectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
			return this;
		}

		/**
		 * Sets the longest gap between two complete SSE events, and the longest wait for
		 * the response headers (default 30 s).
		 * @param readTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		/**
		 * Sets the longest time for a whole stream (default 5 min).
		 * @param totalTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder totalTimeout(Duration totalTimeout) {
			this.totalTimeout = totalTimeout;
			return this;
		}

		/**
		 * Sets whether to retry a failure before the first delta, and to resume or
		 * continue a stream that breaks after it (default {@code true}).
		 * @param retryOnConnectionError whether to retry
		 * @return this builder
		 */
		public Builder retryOnConnectionError(boolean retryOnConnectionError) {
			this.retryOnConnectionError = retryOnConnectionError;
			return this;
		}

		/**
		 * Sets the most retries or reconnections of one stream (default 3).
		 * @param maxReconnectAttempts the number of attempts, 0 for none
		 * @return this builder
		 */
		public Builder maxReconnectAttempts(int maxReconnectAttempts) {
			this.maxReconnectAttempts = maxReconnectAttempts;
			return this;
		}

		/**
		 * Sets the first backoff delay before a retry; later ones grow exponentially
		 * (default 500 ms).
		 * @param reconnectDelay the delay, not negative
		 * @return this builder
		 */
		public Builder reconnectDelay(Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
			return this;
		}

		/**
		 * Sets whether the error of a broken stream carries the partial response that
		 * arrived (default {@code true}).
		 * @param preservePartialResponse whether to keep the partial response
		 * @return this builder
		 */
		public Builder preservePartialResponse(boolean preservePartialResponse) {
			this.preservePartialResponse = preservePartialResponse;
			return this;
		}

		/**
		 * Sets the longest wait before a retry, also when a provider's
		 * {@code Retry-After} asks for more (default 60 s).
		 * @param maxRetryDelay the delay, not negative
		 * @return this builder
		 */
		public Builder maxRetryDelay(Duration maxRetryDelay) {
			this.maxRetryDelay = maxRetryDelay;
			return this;
		}

		/**
		 * Sets the largest server-sent event accepted; a larger one fails the stream
		 * (default 1 MiB).
		 * @param maxEventSize the size in bytes, at least 1
		 * @return this builder
		 */
		public Builder maxEventSize(int maxEventSize) {
			this.maxEventSize = maxEventSize;
			return this;
		}

		/**
		 * Sets the characters per chunk released by output buffers (default 0: text as
		 * received). Stored; not acted on yet.
		 * @param chunkSize the chunk size in characters, not negative
		 * @return this builder
		 */
		public Builder chunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
			return this;
		}

		/**
		 * Sets the most events held between the connection and a slow subscriber (default
		 * 256).
		 * @param bufferSize the number of events, at least 1
		 * @return this builder
		 */
		public Builder bufferSize(int bufferSize) {
			this.bufferSize = bufferSize;
			return this;
		}

		/**
		 * Sets how output buffers group text (default {@link BufferType#WORD}). Stored;
		 * not acted on yet.
		 * @param bufferType the buffer type, not {@code null}
		 * @return this builder
		 */
		public Builder bufferType(BufferType bufferType) {
			this.bufferType = bufferType;
			return this;
		}

		/**
		 * Sets the shortest time between two progress reports (default 100 ms). Stored;
		 * not acted on yet.
		 * @param progressInterval the interval, not negative
		 * @return this builder
		 */
		public Builder progressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
			return this;
		}

		/**
		 * Sets the most tokens per second released to the subscriber (default 0:
		 * unlimited). Stored; not acted on yet.
		 * @param rateLimit tokens per second, finite, 0 for unlimited
		 * @return this builder
		 */
		public Builder rateLimit(double rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * Sets whether to log the metrics of each stream at INFO level when it ends
		 * (default {@code
		 * false}).
		 * @param logStreamingMetrics whether to log metrics
		 * @return this builder
		 */
		public Builder logStreamingMetrics(boolean logStreamingMetrics) {
			this.logStreamingMetrics = logStreamingMetrics;
			return this;
		}

		/**
		 * Sets the functions called as events pass (default
		 * {@link StreamCallbacks#NONE}).
		 * @param callbacks the callbacks, not {@code null}
		 * @return this builder
		 */
		public Builder callbacks(StreamCallbacks callbacks) {
			this.callbacks = callbacks;
			return this;
		}

		/**
		 * Builds the options.
		 * @return the options
		 * @throws InvalidStreamingOptionException when a value is invalid
		 */
		public StreamingOptions build() {
			return new StreamingOptions(this.enableUsageAggregation, this.aggregatorType, this.preferTiktoken,
					this.enableJsonStreamHandler, this.validateJsonIncrementally, this.eventProcessor,
					this.connectionTimeout, this.readTimeout, this.totalTimeout, this.retryOnConnectionError,
					this.maxReconnectAttempts, this.reconnectDelay, this.preservePartialResponse, this.maxRetryDelay,
					this.chunkSize, this.bufferSize, this.maxEventSize, this.bufferType, this.progressInterval,
					this.rateLimit, this.logStreamingMetrics, this.callbacks);
		}

	}

}
