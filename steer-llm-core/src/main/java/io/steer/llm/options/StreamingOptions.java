package io.steer.llm.options;

import java.time.Duration;
import java.util.Objects;

import io.steer.llm.json.JsonDuplicatePolicy;
import io.steer.llm.json.JsonProcessor;
import io.steer.llm.pipeline.EventProcessor;
import org.jspecify.annotations.Nullable;

/**
 * How one stream is read, measured and shaped. Immutable, and built only through its
 * {@link #builder() builder}, {@link #toBuilder()}, a {@code with…} copy or a preset
 * ({@link #DEFAULTS}, {@link #JSON_MODE}, {@link #DEBUG}, {@link #HIGH_PERFORMANCE},
 * {@link #HIGH_THROUGHPUT}, {@link #LOW_LATENCY}), so that a new option never changes a
 * public constructor.
 * <p>
 * The options are grouped: {@link #connection()} (opening, timing, retrying and reading
 * the HTTP exchange), {@link #usage()} (estimating usage), {@link #json()} (JSON
 * answers), {@link #events()} (what the events pass through), {@link #shaping()} (output
 * shaping for people) and {@link #metrics()}. Every option can also be read directly,
 * e.g. {@link #readTimeout()}. Two options are equal when every option is equal;
 * processors and callbacks are compared with their own {@code equals}.
 * <p>
 * In Spring Boot every option is bound from {@code steer.streaming.*}, and from
 * {@code steer.streaming.presets.<name>.*} for a named preset.
 */
public final class StreamingOptions {

	/**
	 * Defaults: usage aggregation on ({@code auto}, tiktoken preferred), JSON handler
	 * off, 5 s connect, 30 s read, 5 min total, 3 reconnects from 500 ms waiting at most
	 * 60 s, partial responses kept, no compression asked for, 256 buffered events, events
	 * up to 1 MiB, no output shaping (text as received: no buffer, no pacing, no rate
	 * limit; a buffer, when one is set, holds text at most 100 ms; progress, where it is
	 * asked for, every 100 ms), metrics tracked and not logged.
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
	 * buffers, progress every second, and a chunk size of 50 (50-character pieces when
	 * pacing is turned on with {@link Builder#maxAddedLatency(Duration)}, groups of 50
	 * tokens with {@link BufferType#TOKEN}); text is not buffered.
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

	private final ConnectionOptions connection;

	private final UsageOptions usage;

	private final JsonOptions json;

	private final EventOptions events;

	private final ShapingOptions shaping;

	private final MetricsOptions metrics;

	private StreamingOptions(ConnectionOptions connection, UsageOptions usage, JsonOptions json, EventOptions events,
			ShapingOptions shaping, MetricsOptions metrics) {
		this.connection = connection;
		this.usage = usage;
		this.json = json;
		this.events = events;
		this.shaping = shaping;
		this.metrics = metrics;
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
	 * A copy with another JSON processor.
	 * @param jsonProcessor the processor, or {@code null} for none
	 * @return the copy
	 */
	public StreamingOptions withJsonProcessor(@Nullable JsonProcessor jsonProcessor) {
		return toBuilder().jsonProcessor(jsonProcessor).build();
	}

	/**
	 * How the HTTP exchange is opened, timed, retried and read.
	 * @return the connection options
	 */
	public ConnectionOptions connection() {
		return this.connection;
	}

	/**
	 * How usage is estimated when the provider does not send it.
	 * @return the usage options
	 */
	public UsageOptions usage() {
		return this.usage;
	}

	/**
	 * How JSON answers are handled as they stream.
	 * @return the JSON options
	 */
	public JsonOptions json() {
		return this.json;
	}

	/**
	 * What a stream's events pass through on their way to the subscriber.
	 * @return the event options
	 */
	public EventOptions events() {
		return this.events;
	}

	/**
	 * How text is grouped, paced and reported for people (output shaping).
	 * @return the output shaping options
	 */
	public ShapingOptions shaping() {
		return this.shaping;
	}

	/**
	 * How a stream is measured.
	 * @return the metrics options
	 */
	public MetricsOptions metrics() {
		return this.metrics;
	}

	/**
	 * Whether to estimate usage when the provider does not send it; see
	 * {@link UsageOptions#enableUsageAggregation()}.
	 * @return whether usage is estimated
	 */
	public boolean enableUsageAggregation() {
		return this.usage.enableUsageAggregation();
	}

	/**
	 * How usage is estimated; see {@link UsageOptions#aggregatorType()}.
	 * @return the aggregator type
	 */
	public AggregatorType aggregatorType() {
		return this.usage.aggregatorType();
	}

	/**
	 * Whether {@link AggregatorType#AUTO} counts OpenAI-family models with tiktoken; see
	 * {@link UsageOptions#preferTiktoken()}.
	 * @return whether tiktoken is preferred
	 */
	public boolean preferTiktoken() {
		return this.usage.preferTiktoken();
	}

	/**
	 * Whether JSON answers are parsed incrementally; see
	 * {@link JsonOptions#enableJsonStreamHandler()}.
	 * @return whether the JSON stream handler is on
	 */
	public boolean enableJsonStreamHandler() {
		return this.json.enableJsonStreamHandler();
	}

	/**
	 * Whether the JSON handler validates as it streams; see
	 * {@link JsonOptions#validateJsonIncrementally()}.
	 * @return whether JSON is validated incrementally
	 */
	public boolean validateJsonIncrementally() {
		return this.json.validateJsonIncrementally();
	}

	/**
	 * Function applied to each complete JSON value; see
	 * {@link JsonOptions#jsonProcessor()}.
	 * @return the processor, or {@code null} for none
	 */
	public @Nullable JsonProcessor jsonProcessor() {
		return this.json.jsonProcessor();
	}

	/**
	 * What the JSON handler does with a second top-level value; see
	 * {@link JsonOptions#jsonDuplicatePolicy()}.
	 * @return the policy
	 */
	public JsonDuplicatePolicy jsonDuplicatePolicy() {
		return this.json.jsonDuplicatePolicy();
	}

	/**
	 * Whether a schema violation fails the stream; see
	 * {@link JsonOptions#failOnSchemaViolation()}.
	 * @return whether a schema violation fails the stream
	 */
	public boolean failOnSchemaViolation() {
		return this.json.failOnSchemaViolation();
	}

	/**
	 * Stage applied to the event flux; see {@link EventOptions#eventProcessor()}.
	 * @return the processor, or {@code null} for none
	 */
	public @Nullable EventProcessor eventProcessor() {
		return this.events.eventProcessor();
	}

	/**
	 * Functions called as events pass; see {@link EventOptions#callbacks()}.
	 * @return the callbacks, {@link StreamCallbacks#NONE} for none
	 */
	public StreamCallbacks callbacks() {
		return this.events.callbacks();
	}

	/**
	 * Longest wait to open the connection; see
	 * {@link ConnectionOptions#connectionTimeout()}.
	 * @return the timeout, positive
	 */
	public Duration connectionTimeout() {
		return this.connection.connectionTimeout();
	}

	/**
	 * Longest gap between two complete SSE events; see
	 * {@link ConnectionOptions#readTimeout()}.
	 * @return the timeout, positive
	 */
	public Duration readTimeout() {
		return this.connection.readTimeout();
	}

	/**
	 * Longest time for the whole stream; see {@link ConnectionOptions#totalTimeout()}.
	 * @return the timeout, positive
	 */
	public Duration totalTimeout() {
		return this.connection.totalTimeout();
	}

	/**
	 * Whether to retry, resume or continue a failed stream; see
	 * {@link ConnectionOptions#retryOnConnectionError()}.
	 * @return whether to retry
	 */
	public boolean retryOnConnectionError() {
		return this.connection.retryOnConnectionError();
	}

	/**
	 * Most retries or reconnections of one stream; see
	 * {@link ConnectionOptions#maxReconnectAttempts()}.
	 * @return the number of attempts, 0 for none
	 */
	public int maxReconnectAttempts() {
		return this.connection.maxReconnectAttempts();
	}

	/**
	 * First backoff delay before a retry; see {@link ConnectionOptions#reconnectDelay()}.
	 * @return the delay, not negative
	 */
	public Duration reconnectDelay() {
		return this.connection.reconnectDelay();
	}

	/**
	 * Longest wait before a retry; see {@link ConnectionOptions#maxRetryDelay()}.
	 * @return the delay, not negative
	 */
	public Duration maxRetryDelay() {
		return this.connection.maxRetryDelay();
	}

	/**
	 * Whether a broken stream's error carries what arrived; see
	 * {@link ConnectionOptions#preservePartialResponse()}.
	 * @return whether the partial response is kept
	 */
	public boolean preservePartialResponse() {
		return this.connection.preservePartialResponse();
	}

	/**
	 * Most events held for a slow subscriber; see {@link ConnectionOptions#bufferSize()}.
	 * @return the number of events, at least 1
	 */
	public int bufferSize() {
		return this.connection.bufferSize();
	}

	/**
	 * Largest SSE event accepted; see {@link ConnectionOptions#maxEventSize()}.
	 * @return the size in bytes, at least 1
	 */
	public int maxEventSize() {
		return this.connection.maxEventSize();
	}

	/**
	 * Whether to ask the provider for a gzip-compressed response; see
	 * {@link ConnectionOptions#enableCompression()}.
	 * @return whether compression is asked for
	 */
	public boolean enableCompression() {
		return this.connection.enableCompression();
	}

	/**
	 * How output buffers group text; see {@link ShapingOptions#bufferType()}.
	 * @return the buffer type
	 */
	public BufferType bufferType() {
		return this.shaping.bufferType();
	}

	/**
	 * Size of the pieces released by the pacer (characters) or by a token buffer
	 * (tokens); see {@link ShapingOptions#chunkSize()}.
	 * @return the chunk size, 0 for the default
	 */
	public int chunkSize() {
		return this.shaping.chunkSize();
	}

	/**
	 * Longest an output buffer holds text; see {@link ShapingOptions#bufferTimeout()}.
	 * @return the timeout, not negative
	 */
	public Duration bufferTimeout() {
		return this.shaping.bufferTimeout();
	}

	/**
	 * Shortest time between two progress reports; see
	 * {@link ShapingOptions#progressInterval()}.
	 * @return the interval, not negative
	 */
	public Duration progressInterval() {
		return this.shaping.progressInterval();
	}

	/**
	 * Most tokens per second released; see {@link ShapingOptions#rateLimit()}.
	 * @return tokens per second, 0 for unlimited
	 */
	public double rateLimit() {
		return this.shaping.rateLimit();
	}

	/**
	 * Longest the pacer makes text wait; see {@link ShapingOptions#maxAddedLatency()}.
	 * @return the bound, {@link Duration#ZERO} for no pacing
	 */
	public Duration maxAddedLatency() {
		return this.shaping.maxAddedLatency();
	}

	/**
	 * Whether a stream records meters; see {@link MetricsOptions#trackMetrics()}.
	 * @return whether metrics are tracked
	 */
	public boolean trackMetrics() {
		return this.metrics.trackMetrics();
	}

	/**
	 * Whether each stream's metrics are logged when it ends; see
	 * {@link MetricsOptions#logStreamingMetrics()}.
	 * @return whether metrics are logged
	 */
	public boolean logStreamingMetrics() {
		return this.metrics.logStreamingMetrics();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof StreamingOptions that && this.connection.equals(that.connection)
				&& this.usage.equals(that.usage) && this.json.equals(that.json) && this.events.equals(that.events)
				&& this.shaping.equals(that.shaping) && this.metrics.equals(that.metrics);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.connection, this.usage, this.json, this.events, this.shaping, this.metrics);
	}

	@Override
	public String toString() {
		return "StreamingOptions[connection=" + this.connection + ", usage=" + this.usage + ", json=" + this.json
				+ ", events=" + this.events + ", shaping=" + this.shaping + ", metrics=" + this.metrics + "]";
	}

	/**
	 * How the HTTP exchange of a stream is opened, timed, retried and read. Read by the
	 * client's exchange and session ({@code io.steer.llm.client}), except
	 * {@link #enableCompression()}, read by the provider adapters.
	 */
	public sealed interface ConnectionOptions permits Connection {

		/**
		 * Longest wait to open the TCP connection (default 5 s).
		 * @return the timeout, positive
		 */
		Duration connectionTimeout();

		/**
		 * Longest gap between two complete SSE events, including from sending the request
		 * to the response headers and from the headers to the first event; bytes that
		 * complete no event do not count (default 30 s).
		 * @return the timeout, positive
		 */
		Duration readTimeout();

		/**
		 * Longest time for the whole stream, retries included (default 5 min).
		 * @return the timeout, positive
		 */
		Duration totalTimeout();

		/**
		 * Whether to retry a failure that happens before the first delta, and to resume
		 * (Responses API) or continue (Anthropic) a stream that breaks after it (default
		 * {@code true}).
		 * @return whether to retry
		 */
		boolean retryOnConnectionError();

		/**
		 * Most retries or reconnections of one stream (default 3).
		 * @return the number of attempts, 0 for none
		 */
		int maxReconnectAttempts();

		/**
		 * First backoff delay before a retry; later ones grow exponentially (default 500
		 * ms).
		 * @return the delay, not negative
		 */
		Duration reconnectDelay();

		/**
		 * Longest wait before a retry, also when a provider's {@code Retry-After} asks
		 * for more (default 60 s).
		 * @return the delay, not negative
		 */
		Duration maxRetryDelay();

		/**
		 * Whether a broken stream's error carries the partial response that arrived
		 * (default {@code true}).
		 * @return whether the partial response is kept
		 */
		boolean preservePartialResponse();

		/**
		 * Most events held between the connection and a slow subscriber (default 256).
		 * @return the number of events, at least 1
		 */
		int bufferSize();

		/**
		 * Largest SSE event accepted; a larger one fails the stream (default 1 MiB).
		 * @return the size in bytes, at least 1
		 */
		int maxEventSize();

		/**
		 * Whether to ask the provider for a gzip-compressed response (default
		 * {@code false}). The built-in adapters then send {@code Accept-Encoding: gzip};
		 * the HTTP connector decodes the response (the client's default Reactor Netty
		 * connector does; see {@code SteerLLMClient.Builder#webClientBuilder}).
		 * @return whether compression is asked for
		 */
		boolean enableCompression();

	}

	/**
	 * How usage is estimated when the provider does not send it. Read by
	 * {@code io.steer.llm.usage.UsageAggregators}.
	 */
	public sealed interface UsageOptions permits Usage {

		/**
		 * Whether to estimate usage when the provider does not send it (default
		 * {@code true}).
		 * @return whether usage is estimated
		 */
		boolean enableUsageAggregation();

		/**
		 * How usage is estimated (default {@link AggregatorType#AUTO}).
		 * @return the aggregator type
		 */
		AggregatorType aggregatorType();

		/**
		 * Whether {@link AggregatorType#AUTO} counts OpenAI-family models with tiktoken
		 * rather than characters (default {@code true}).
		 * @return whether tiktoken is preferred
		 */
		boolean preferTiktoken();

	}

	/**
	 * How JSON answers are handled as they stream: read by the assembly of each stream,
	 * which gives each choice of a JSON answer (and each tool call's arguments) a JSON
	 * stream handler.
	 */
	public sealed interface JsonOptions permits Json {

		/**
		 * Whether JSON answers are parsed incrementally as they stream (default
		 * {@code false}).
		 * @return whether the JSON stream handler is on
		 */
		boolean enableJsonStreamHandler();

		/**
		 * Whether the JSON handler rejects invalid JSON as soon as it streams, rather
		 * than at the end (default {@code false}).
		 * @return whether JSON is validated incrementally
		 */
		boolean validateJsonIncrementally();

		/**
		 * Function the JSON handler applies to each JSON value it completes (default
		 * none).
		 * @return the processor, or {@code null} for none
		 */
		@Nullable JsonProcessor jsonProcessor();

		/**
		 * What the JSON handler does when an answer holds more than one top-level JSON
		 * value (default {@link JsonDuplicatePolicy#FIRST}).
		 * @return the policy
		 */
		JsonDuplicatePolicy jsonDuplicatePolicy();

		/**
		 * Whether a JSON answer that breaks the JSON schema of its
		 * {@code response_format} fails the stream, rather than only being reported on
		 * the response (default {@code false}).
		 * @return whether a schema violation fails the stream
		 */
		boolean failOnSchemaViolation();

	}

	/**
	 * What a stream's events pass through on their way to the subscriber. Read by
	 * {@code DefaultSteerLLMClient}.
	 */
	public sealed interface EventOptions permits Events {

		/**
		 * Stage applied to the event flux of every stream, after the callbacks (default
		 * none).
		 * @return the processor, or {@code null} for none
		 */
		@Nullable EventProcessor eventProcessor();

		/**
		 * Functions called as events pass, before those given to a single call (default
		 * {@link StreamCallbacks#NONE}).
		 * @return the callbacks
		 */
		StreamCallbacks callbacks();

	}

	/**
	 * How text is grouped, paced, limited and reported for people. Read by
	 * {@link io.steer.llm.shaping.OutputShaping}, which the client applies to the text of
	 * {@code SteerLLMClient#stream} and {@code io.steer.llm.web.ServerSentEvents} to the
	 * events it writes (when given these options), and by the client for the
	 * {@link StreamCallbacks#onProgress() onProgress} callback. The events of
	 * {@code streamEvents} are never shaped by these options: shaping them is explicit
	 * ({@code OutputShaping.events(options, model)}, {@code TextShaping.events(…)}, …).
	 * <p>
	 * The defaults shape nothing, so that a stream that asked for no shaping gets none
	 * and pays nothing: no buffer ({@link BufferType#NONE}), no pacing
	 * ({@link #maxAddedLatency()} zero), no rate limit ({@link #rateLimit()} zero);
	 * {@link #bufferTimeout()}, {@link #chunkSize()} and {@link #progressInterval()} only
	 * matter once a buffer, pacing or progress is asked for.
	 */
	public sealed interface ShapingOptions permits Shaping {

		/**
		 * How text is grouped before it is released (default {@link BufferType#NONE}:
		 * text as received). {@code NONE} is the default, rather than the seed's
		 * {@code word}, because acting on {@code word} by default would change the chunks
		 * of every {@code stream()} (and hold each word's end until white space came).
		 * @return the buffer type
		 */
		BufferType bufferType();

		/**
		 * Size of a released piece (default 0: the default of each user): for
		 * {@link BufferType#TOKEN}, the N tokens of a group (0 for
		 * {@value io.steer.llm.shaping.TextBuffer.Settings#DEFAULT_CHUNK_SIZE}); for the
		 * pacer ({@link #maxAddedLatency()} positive), the characters (code points) it
		 * releases per tick at its steady pace (0 for a word per tick). Other buffer
		 * types release whole units and do not read it.
		 * @return the chunk size, tokens or characters, not negative
		 */
		int chunkSize();

		/**
		 * Longest a buffer holds text before it must release what it has, even mid-word
		 * (default 100 ms; {@link Duration#ZERO} for no limit). Read only when
		 * {@link #bufferType()} is not {@link BufferType#NONE}.
		 * @return the timeout, not negative
		 */
		Duration bufferTimeout();

		/**
		 * Shortest time between two progress reports: the {@code onProgress} callback and
		 * the {@code progress} events of the SSE writer (default 100 ms;
		 * {@link Duration#ZERO} reports on every event). Read only where progress is
		 * asked for.
		 * @return the interval, not negative
		 */
		Duration progressInterval();

		/**
		 * Most tokens per second released (default 0: unlimited), counted with
		 * {@link io.steer.llm.shaping.RateLimiter#estimateTokens(String)}; each stream
		 * gets its own limiter. A cap shared by several streams (per tenant) is one
		 * {@link io.steer.llm.shaping.RateLimiter} instance applied by the caller.
		 * @return tokens per second, finite and not negative
		 */
		double rateLimit();

		/**
		 * Longest the pacer makes text wait (default {@link Duration#ZERO}: no pacing).
		 * When positive, text is released smoothly by an
		 * {@link io.steer.llm.shaping.AdaptivePacer} that never adds more than this
		 * latency (ticks every 20 ms, or every {@code maxAddedLatency} when that is
		 * shorter).
		 * @return the bound, not negative
		 */
		Duration maxAddedLatency();

	}

	/**
	 * How a stream is measured.
	 */
	public sealed interface MetricsOptions permits Metrics {

		/**
		 * Whether a stream records meters (durations, tokens, cost) when a meter registry
		 * is configured (default {@code true}). Not acted on yet: read by observability
		 * (issue 10).
		 * @return whether metrics are tracked
		 */
		boolean trackMetrics();

		/**
		 * Whether to log each stream's metrics at INFO when it ends (default
		 * {@code false}). Read by the client's stream session.
		 * @return whether metrics are logged
		 */
		boolean logStreamingMetrics();

	}

	private record Connection(Duration connectionTimeout, Duration readTimeout, Duration totalTimeout,
			boolean retryOnConnectionError, int maxReconnectAttempts, Duration reconnectDelay, Duration maxRetryDelay,
			boolean preservePartialResponse, int bufferSize, int maxEventSize,
			boolean enableCompression) implements ConnectionOptions {

	}

	private record Usage(boolean enableUsageAggregation, AggregatorType aggregatorType,
			boolean preferTiktoken) implements UsageOptions {

	}

	private record Json(boolean enableJsonStreamHandler, boolean validateJsonIncrementally,
			@Nullable JsonProcessor jsonProcessor, JsonDuplicatePolicy jsonDuplicatePolicy,
			boolean failOnSchemaViolation) implements JsonOptions {

	}

	private record Events(@Nullable EventProcessor eventProcessor, StreamCallbacks callbacks) implements EventOptions {

	}

	private record Shaping(BufferType bufferType, int chunkSize, Duration bufferTimeout, Duration progressInterval,
			double rateLimit, Duration maxAddedLatency) implements ShapingOptions {

	}

	private record Metrics(boolean trackMetrics, boolean logStreamingMetrics) implements MetricsOptions {

	}

	/**
	 * Builder of {@link StreamingOptions}; starts from the defaults. Values are checked
	 * by {@link #build()}, which throws {@link InvalidStreamingOptionException} (an
	 * {@link IllegalArgumentException}) naming the option.
	 */
	public static final class Builder {

		private boolean enableUsageAggregation = true;

		private AggregatorType aggregatorType = AggregatorType.AUTO;

		private boolean preferTiktoken = true;

		private boolean enableJsonStreamHandler = false;

		private boolean validateJsonIncrementally = false;

		private @Nullable JsonProcessor jsonProcessor;

		private JsonDuplicatePolicy jsonDuplicatePolicy = JsonDuplicatePolicy.FIRST;

		private boolean failOnSchemaViolation = false;

		private @Nullable EventProcessor eventProcessor;

		private StreamCallbacks callbacks = StreamCallbacks.NONE;

		private Duration connectionTimeout = Duration.ofSeconds(5);

		private Duration readTimeout = Duration.ofSeconds(30);

		private Duration totalTimeout = Duration.ofMinutes(5);

		private boolean retryOnConnectionError = true;

		private int maxReconnectAttempts = 3;

		private Duration reconnectDelay = Duration.ofMillis(500);

		private Duration maxRetryDelay = Duration.ofSeconds(60);

		private boolean preservePartialResponse = true;

		private int bufferSize = 256;

		private int maxEventSize = 1024 * 1024;

		private boolean enableCompression = false;

		private BufferType bufferType = BufferType.NONE;

		private int chunkSize = 0;

		private Duration bufferTimeout = Duration.ofMillis(100);

		private Duration progressInterval = Duration.ofMillis(100);

		private double rateLimit = 0;

		private Duration maxAddedLatency = Duration.ZERO;

		private boolean trackMetrics = true;

		private boolean logStreamingMetrics = false;

		private Builder() {
		}

		private Builder(StreamingOptions options) {
			this.enableUsageAggregation = options.enableUsageAggregation();
			this.aggregatorType = options.aggregatorType();
			this.preferTiktoken = options.preferTiktoken();
			this.enableJsonStreamHandler = options.enableJsonStreamHandler();
			this.validateJsonIncrementally = options.validateJsonIncrementally();
			this.jsonProcessor = options.jsonProcessor();
			this.jsonDuplicatePolicy = options.jsonDuplicatePolicy();
			this.failOnSchemaViolation = options.failOnSchemaViolation();
			this.eventProcessor = options.eventProcessor();
			this.callbacks = options.callbacks();
			this.connectionTimeout = options.connectionTimeout();
			this.readTimeout = options.readTimeout();
			this.totalTimeout = options.totalTimeout();
			this.retryOnConnectionError = options.retryOnConnectionError();
			this.maxReconnectAttempts = options.maxReconnectAttempts();
			this.reconnectDelay = options.reconnectDelay();
			this.maxRetryDelay = options.maxRetryDelay();
			this.preservePartialResponse = options.preservePartialResponse();
			this.bufferSize = options.bufferSize();
			this.maxEventSize = options.maxEventSize();
			this.enableCompression = options.enableCompression();
			this.bufferType = options.bufferType();
			this.chunkSize = options.chunkSize();
			this.bufferTimeout = options.bufferTimeout();
			this.progressInterval = options.progressInterval();
			this.rateLimit = options.rateLimit();
			this.maxAddedLatency = options.maxAddedLatency();
			this.trackMetrics = options.trackMetrics();
			this.logStreamingMetrics = options.logStreamingMetrics();
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
		 * {@code false}): each choice of an answer that asks for a JSON response format
		 * gets live snapshots ({@code StreamDeltaEvent#jsonSnapshot()}) and a parsed
		 * result ({@code StreamingResponse#jsonResult()}), and each tool call's arguments
		 * get snapshots.
		 * @param enableJsonStreamHandler whether to enable the JSON stream handler
		 * @return this builder
		 */
		public Builder enableJsonStreamHandler(boolean enableJsonStreamHandler) {
			this.enableJsonStreamHandler = enableJsonStreamHandler;
			return this;
		}

		/**
		 * Sets whether the JSON handler rejects invalid JSON as soon as it streams
		 * (default {@code false}): the stream fails with a {@code StreamParseException}
		 * at the first bad token, instead of once the text ended. Read only when the JSON
		 * stream handler is on.
		 * @param validateJsonIncrementally whether to validate incrementally
		 * @return this builder
		 */
		public Builder validateJsonIncrementally(boolean validateJsonIncrementally) {
			this.validateJsonIncrementally = validateJsonIncrementally;
			return this;
		}

		/**
		 * Sets the function applied to each JSON value the JSON handler completes
		 * (default none): applied to each choice's final value before it is delivered; an
		 * exception it throws fails the stream. Read only when the JSON stream handler is
		 * on.
		 * @param jsonProcessor the processor, or {@code null} for none
		 * @return this builder
		 */
		public Builder jsonProcessor(@Nullable JsonProcessor jsonProcessor) {
			this.jsonProcessor = jsonProcessor;
			return this;
		}

		/**
		 * Sets what the JSON handler does when an answer holds more than one top-level
		 * JSON value (default {@link JsonDuplicatePolicy#FIRST}).
		 * @param jsonDuplicatePolicy the policy, not {@code null}
		 * @return this builder
		 */
		public Builder jsonDuplicatePolicy(JsonDuplicatePolicy jsonDuplicatePolicy) {
			this.jsonDuplicatePolicy = Objects.requireNonNull(jsonDuplicatePolicy,
					"jsonDuplicatePolicy must not be null");
			return this;
		}

		/**
		 * Sets whether a JSON answer that breaks the JSON schema of its
		 * {@code response_format} fails the stream with a
		 * {@code JsonSchemaViolationException} (default {@code false}: the violations are
		 * only reported, in {@code JsonResult#schemaViolations()} and the metadata
		 * {@code json.schema_violations}).
		 * @param failOnSchemaViolation whether a schema violation fails the stream
		 * @return this builder
		 */
		public Builder failOnSchemaViolation(boolean failOnSchemaViolation) {
			this.failOnSchemaViolation = failOnSchemaViolation;
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
		 * Sets whether to ask the provider for a gzip-compressed response with
		 * {@code Accept-Encoding: gzip} (default {@code false}); see
		 * {@link ConnectionOptions#enableCompression()}.
		 * @param enableCompression whether to ask for compression
		 * @return this builder
		 */
		public Builder enableCompression(boolean enableCompression) {
			this.enableCompression = enableCompression;
			return this;
		}

		/**
		 * Sets how text is grouped before it is released (default
		 * {@link BufferType#NONE}: text as received); see
		 * {@link ShapingOptions#bufferType()}. Read by {@code stream()} and by the SSE
		 * writer given these options.
		 * @param bufferType the buffer type, not {@code null}
		 * @return this builder
		 */
		public Builder bufferType(BufferType bufferType) {
			this.bufferType = bufferType;
			return this;
		}

		/**
		 * Sets the size of a released piece (default 0): the N tokens of a
		 * {@link BufferType#TOKEN} group (0 for 5), or the characters the pacer releases
		 * per tick (0 for a word); see {@link ShapingOptions#chunkSize()}.
		 * @param chunkSize the chunk size, tokens or characters, not negative
		 * @return this builder
		 */
		public Builder chunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
			return this;
		}

		/**
		 * Sets the longest a buffer holds text before it must release what it has
		 * (default 100 ms, {@link Duration#ZERO} for no limit). Read only when a buffer
		 * type other than {@link BufferType#NONE} is set.
		 * @param bufferTimeout the timeout, not negative
		 * @return this builder
		 */
		public Builder bufferTimeout(Duration bufferTimeout) {
			this.bufferTimeout = bufferTimeout;
			return this;
		}

		/**
		 * Sets the shortest time between two progress reports (default 100 ms,
		 * {@link Duration#ZERO} for a report on every event). Read by the
		 * {@code onProgress} callback and by the SSE writer's progress events, where
		 * progress is asked for.
		 * @param progressInterval the interval, not negative
		 * @return this builder
		 */
		public Builder progressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
			return this;
		}

		/**
		 * Sets the most tokens per second released (default 0: unlimited), one limiter
		 * per stream; see {@link ShapingOptions#rateLimit()}. Read by {@code stream()}
		 * and by the SSE writer given these options.
		 * @param rateLimit tokens per second, finite, 0 for unlimited
		 * @return this builder
		 */
		public Builder rateLimit(double rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * Sets the longest the pacer makes text wait (default {@link Duration#ZERO}: no
		 * pacing); see {@link ShapingOptions#maxAddedLatency()}. Read by {@code stream()}
		 * and by the SSE writer given these options.
		 * @param maxAddedLatency the bound, not negative
		 * @return this builder
		 */
		public Builder maxAddedLatency(Duration maxAddedLatency) {
			this.maxAddedLatency = maxAddedLatency;
			return this;
		}

		/**
		 * Sets whether a stream records meters when a meter registry is configured
		 * (default {@code true}). Not acted on yet: read by observability (issue 10).
		 * @param trackMetrics whether to track metrics
		 * @return this builder
		 */
		public Builder trackMetrics(boolean trackMetrics) {
			this.trackMetrics = trackMetrics;
			return this;
		}

		/**
		 * Sets whether to log the metrics of each stream at INFO level when it ends
		 * (default {@code false}).
		 * @param logStreamingMetrics whether to log metrics
		 * @return this builder
		 */
		public Builder logStreamingMetrics(boolean logStreamingMetrics) {
			this.logStreamingMetrics = logStreamingMetrics;
			return this;
		}

		/**
		 * Builds the options, checking every value.
		 * @return the options
		 * @throws InvalidStreamingOptionException when a value is out of range
		 * @throws NullPointerException when a required value is {@code null}
		 */
		public StreamingOptions build() {
			Objects.requireNonNull(this.aggregatorType, "aggregatorType must not be null");
			Objects.requireNonNull(this.bufferType, "bufferType must not be null");
			Objects.requireNonNull(this.callbacks, "callbacks must not be null");
			requirePositive("connectionTimeout", this.connectionTimeout);
			requirePositive("readTimeout", this.readTimeout);
			requirePositive("totalTimeout", this.totalTimeout);
			requireNotNegative("reconnectDelay", this.reconnectDelay);
			requireNotNegative("maxRetryDelay", this.maxRetryDelay);
			requireNotNegative("progressInterval", this.progressInterval);
			requireNotNegative("bufferTimeout", this.bufferTimeout);
			requireNotNegative("maxAddedLatency", this.maxAddedLatency);
			if (this.maxReconnectAttempts < 0) {
				throw new InvalidStreamingOptionException("maxReconnectAttempts", this.maxReconnectAttempts,
						"must not be negative");
			}
			if (this.chunkSize < 0) {
				throw new InvalidStreamingOptionException("chunkSize", this.chunkSize, "must not be negative");
			}
			if (this.bufferSize < 1) {
				throw new InvalidStreamingOptionException("bufferSize", this.bufferSize, "must be at least 1");
			}
			if (this.maxEventSize < 1) {
				throw new InvalidStreamingOptionException("maxEventSize", this.maxEventSize, "must be at least 1 byte");
			}
			if (!(this.rateLimit >= 0) || Double.isInfinite(this.rateLimit)) {
				throw new InvalidStreamingOptionException("rateLimit", this.rateLimit,
						"must be a finite number of tokens per second, 0 or more");
			}
			return new StreamingOptions(new Connection(this.connectionTimeout, this.readTimeout, this.totalTimeout,
					this.retryOnConnectionError, this.maxReconnectAttempts, this.reconnectDelay, this.maxRetryDelay,
					this.preservePartialResponse, this.bufferSize, this.maxEventSize, this.enableCompression),
					new Usage(this.enableUsageAggregation, this.aggregatorType, this.preferTiktoken),
					new Json(this.enableJsonStreamHandler, this.validateJsonIncrementally, this.jsonProcessor,
							this.jsonDuplicatePolicy, this.failOnSchemaViolation),
					new Events(this.eventProcessor, this.callbacks),
					new Shaping(this.bufferType, this.chunkSize, this.bufferTimeout, this.progressInterval,
							this.rateLimit, this.maxAddedLatency),
					new Metrics(this.trackMetrics, this.logStreamingMetrics));
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

	}

}
