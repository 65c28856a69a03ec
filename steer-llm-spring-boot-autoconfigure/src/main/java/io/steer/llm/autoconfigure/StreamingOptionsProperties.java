package io.steer.llm.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.List;

import io.steer.llm.json.JsonDuplicatePolicy;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

/**
 * The options of {@link StreamingOptions} as configuration properties, one type for both
 * {@code steer.streaming.*} (as {@link SteerStreamingProperties}) and each
 * {@code steer.streaming.presets.<name>.*} (in the style of resilience4j's
 * {@code InstanceProperties}).
 * <p>
 * Every field is optional: an unset ({@code null}) field under {@code steer.streaming}
 * takes the value of {@link StreamingOptions#DEFAULTS}, and under a preset the value of
 * the same property under {@code steer.streaming}. The properties of a preset are merged
 * over those of {@code steer.streaming} once, then built into {@link StreamingOptions} by
 * {@code StreamingOptionsFactory}, which checks every value. {@code event-processor} and
 * {@code json-processor} name beans.
 */
public class StreamingOptionsProperties {

	/**
	 * Whether to estimate usage when the provider does not send it.
	 */
	private @Nullable Boolean enableUsageAggregation;

	/**
	 * How usage is estimated when the provider does not send it.
	 */
	private @Nullable AggregatorType aggregatorType;

	/**
	 * Whether the 'auto' aggregator counts OpenAI-family models with tiktoken rather than
	 * characters.
	 */
	private @Nullable Boolean preferTiktoken;

	/**
	 * Whether JSON answers are parsed incrementally as they stream: each choice of a
	 * request with a JSON response format gets live snapshots on its deltas and a parsed
	 * result, and each tool call's arguments get snapshots.
	 */
	private @Nullable Boolean enableJsonStreamHandler;

	/**
	 * Whether the JSON stream handler fails the stream at the first invalid token of a
	 * JSON answer rather than once its text ended.
	 */
	private @Nullable Boolean validateJsonIncrementally;

	/**
	 * Name of a JsonProcessor bean applied to each choice's final JSON value before it is
	 * delivered, with the JSON stream handler on. Empty for none, overriding an inherited
	 * one.
	 */
	private @Nullable String jsonProcessor;

	/**
	 * What the JSON stream handler does when an answer holds more than one top-level JSON
	 * value: keep the first, keep the last, or fail the stream.
	 */
	private @Nullable JsonDuplicatePolicy jsonDuplicatePolicy;

	/**
	 * Whether a JSON answer that breaks the JSON schema of its response format fails the
	 * stream, rather than only being reported on the response.
	 */
	private @Nullable Boolean failOnSchemaViolation;

	/**
	 * Names of the EventProcessor beans applied to the events of every stream, composed
	 * in their @Order (beans of equal order in the order listed). Empty for none,
	 * overriding an inherited list.
	 */
	private @Nullable List<String> eventProcessor;

	/**
	 * Longest wait to open the connection.
	 */
	private @Nullable Duration connectionTimeout;

	/**
	 * Longest gap between two complete SSE events, and longest wait for the response
	 * headers; bytes that complete no event do not count.
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
	 * Longest wait before a retry, also when a provider's Retry-After asks for more.
	 */
	private @Nullable Duration maxRetryDelay;

	/**
	 * Whether the error of a broken stream carries the partial response that arrived.
	 */
	private @Nullable Boolean preservePartialResponse;

	/**
	 * Most events held between the connection and a slow subscriber.
	 */
	private @Nullable Integer bufferSize;

	/**
	 * Largest server-sent event accepted, in bytes; a larger one fails the stream.
	 */
	private @Nullable Integer maxEventSize;

	/**
	 * Whether to ask the provider for a gzip-compressed response with 'Accept-Encoding:
	 * gzip'. The client's own connector decodes it and otherwise asks for none; Spring
	 * Boot's auto-configured Reactor Netty connector asks for gzip on every request,
	 * whatever this says.
	 */
	private @Nullable Boolean enableCompression;

	/**
	 * How text is grouped before it is released, by stream() and by an SSE writer given
	 * these options. 'none' releases text as received; the default, so that a stream that
	 * asked for no shaping gets none.
	 */
	private @Nullable BufferType bufferType;

	/**
	 * Size of a released piece: the N tokens of a 'token' buffer (0 for 5), or the
	 * characters the pacer releases per tick (0 for a word). Other buffer types release
	 * whole units.
	 */
	private @Nullable Integer chunkSize;

	/**
	 * Longest a buffer holds text before it must release what it has, even mid-word. 0
	 * for no limit. Read only when a buffer type other than 'none' is set.
	 */
	private @Nullable Duration bufferTimeout;

	/**
	 * Shortest time between two progress reports: the onProgress callback and the
	 * progress events of an SSE writer asked for progress. 0 reports on every event.
	 */
	private @Nullable Duration progressInterval;

	/**
	 * Most tokens per second released by stream() and by an SSE writer given these
	 * options, one limiter per stream. 0 for unlimited.
	 */
	private @Nullable Double rateLimit;

	/**
	 * Longest the pacer makes text wait while it releases it smoothly, by stream() and by
	 * an SSE writer given these options. 0 for no pacing.
	 */
	private @Nullable Duration maxAddedLatency;

	/**
	 * Whether a stream is observed (steer.observations.*): its observation, its
	 * 'gen_ai.client.*' and 'steer.*' meters and its recent statistics. False keeps the
	 * stream out of them; it is still listed among the live streams.
	 */
	private @Nullable Boolean trackMetrics;

	/**
	 * Whether to log the metrics of each stream at INFO level when it ends.
	 */
	private @Nullable Boolean logStreamingMetrics;

	/**
	 * Returns {@code enable-usage-aggregation}.
	 * @return whether to estimate usage when the provider does not send it; {@code null}
	 * when unset
	 */
	public @Nullable Boolean getEnableUsageAggregation() {
		return this.enableUsageAggregation;
	}

	/**
	 * Sets {@code enable-usage-aggregation}.
	 * @param enableUsageAggregation whether to estimate usage when the provider does not
	 * send it; {@code null} to leave it unset
	 */
	public void setEnableUsageAggregation(@Nullable Boolean enableUsageAggregation) {
		this.enableUsageAggregation = enableUsageAggregation;
	}

	/**
	 * Returns {@code aggregator-type}.
	 * @return how usage is estimated when the provider does not send it; {@code null}
	 * when unset
	 */
	public @Nullable AggregatorType getAggregatorType() {
		return this.aggregatorType;
	}

	/**
	 * Sets {@code aggregator-type}.
	 * @param aggregatorType how usage is estimated when the provider does not send it;
	 * {@code null} to leave it unset
	 */
	public void setAggregatorType(@Nullable AggregatorType aggregatorType) {
		this.aggregatorType = aggregatorType;
	}

	/**
	 * Returns {@code prefer-tiktoken}.
	 * @return whether the 'auto' aggregator counts OpenAI-family models with tiktoken;
	 * {@code null} when unset
	 */
	public @Nullable Boolean getPreferTiktoken() {
		return this.preferTiktoken;
	}

	/**
	 * Sets {@code prefer-tiktoken}.
	 * @param preferTiktoken whether the 'auto' aggregator counts OpenAI-family models
	 * with tiktoken; {@code null} to leave it unset
	 */
	public void setPreferTiktoken(@Nullable Boolean preferTiktoken) {
		this.preferTiktoken = preferTiktoken;
	}

	/**
	 * Returns {@code enable-json-stream-handler}.
	 * @return whether JSON answers are parsed incrementally as they stream; {@code null}
	 * when unset
	 */
	public @Nullable Boolean getEnableJsonStreamHandler() {
		return this.enableJsonStreamHandler;
	}

	/**
	 * Sets {@code enable-json-stream-handler}.
	 * @param enableJsonStreamHandler whether JSON answers are parsed incrementally as
	 * they stream; {@code null} to leave it unset
	 */
	public void setEnableJsonStreamHandler(@Nullable Boolean enableJsonStreamHandler) {
		this.enableJsonStreamHandler = enableJsonStreamHandler;
	}

	/**
	 * Returns {@code validate-json-incrementally}.
	 * @return whether the JSON stream handler rejects invalid JSON as soon as it streams;
	 * {@code null} when unset
	 */
	public @Nullable Boolean getValidateJsonIncrementally() {
		return this.validateJsonIncrementally;
	}

	/**
	 * Sets {@code validate-json-incrementally}.
	 * @param validateJsonIncrementally whether the JSON stream handler rejects invalid
	 * JSON as soon as it streams; {@code null} to leave it unset
	 */
	public void setValidateJsonIncrementally(@Nullable Boolean validateJsonIncrementally) {
		this.validateJsonIncrementally = validateJsonIncrementally;
	}

	/**
	 * Returns {@code json-processor}.
	 * @return name of a JsonProcessor bean applied to each complete JSON value; empty for
	 * none; {@code null} when unset
	 */
	public @Nullable String getJsonProcessor() {
		return this.jsonProcessor;
	}

	/**
	 * Sets {@code json-processor}.
	 * @param jsonProcessor name of a JsonProcessor bean applied to each complete JSON
	 * value; empty for none; {@code null} to leave it unset
	 */
	public void setJsonProcessor(@Nullable String jsonProcessor) {
		this.jsonProcessor = jsonProcessor;
	}

	/**
	 * Returns {@code json-duplicate-policy}.
	 * @return what the JSON stream handler does with a second top-level value;
	 * {@code null} when unset
	 */
	public @Nullable JsonDuplicatePolicy getJsonDuplicatePolicy() {
		return this.jsonDuplicatePolicy;
	}

	/**
	 * Sets {@code json-duplicate-policy}.
	 * @param jsonDuplicatePolicy what the JSON stream handler does with a second
	 * top-level value; {@code null} to leave it unset
	 */
	public void setJsonDuplicatePolicy(@Nullable JsonDuplicatePolicy jsonDuplicatePolicy) {
		this.jsonDuplicatePolicy = jsonDuplicatePolicy;
	}

	/**
	 * Returns {@code fail-on-schema-violation}.
	 * @return whether a schema violation fails the stream; {@code null} when unset
	 */
	public @Nullable Boolean getFailOnSchemaViolation() {
		return this.failOnSchemaViolation;
	}

	/**
	 * Sets {@code fail-on-schema-violation}.
	 * @param failOnSchemaViolation whether a schema violation fails the stream;
	 * {@code null} to leave it unset
	 */
	public void setFailOnSchemaViolation(@Nullable Boolean failOnSchemaViolation) {
		this.failOnSchemaViolation = failOnSchemaViolation;
	}

	/**
	 * Returns {@code event-processor}.
	 * @return names of the EventProcessor beans applied to the events of every stream, in
	 * the order given; empty for none; {@code null} when unset
	 */
	public @Nullable List<String> getEventProcessor() {
		return this.eventProcessor;
	}

	/**
	 * Sets {@code event-processor}: one bean name, or several (a YAML list or a
	 * comma-separated value), composed in the beans' {@code @Order}.
	 * @param eventProcessor names of the EventProcessor beans applied to the events of
	 * every stream; empty for none; {@code null} to leave it unset
	 */
	public void setEventProcessor(@Nullable List<String> eventProcessor) {
		this.eventProcessor = eventProcessor;
	}

	/**
	 * Returns {@code connection-timeout}.
	 * @return longest wait to open the connection; {@code null} when unset
	 */
	public @Nullable Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	/**
	 * Sets {@code connection-timeout}.
	 * @param connectionTimeout longest wait to open the connection; {@code null} to leave
	 * it unset
	 */
	public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	/**
	 * Returns {@code read-timeout}.
	 * @return longest gap between two complete SSE events, and longest wait for the
	 * response headers; {@code null} when unset
	 */
	public @Nullable Duration getReadTimeout() {
		return this.readTimeout;
	}

	/**
	 * Sets {@code read-timeout}.
	 * @param readTimeout longest gap between two complete SSE events, and longest wait
	 * for the response headers; {@code null} to leave it unset
	 */
	public void setReadTimeout(@Nullable Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	/**
	 * Returns {@code total-timeout}.
	 * @return longest time for a whole stream; {@code null} when unset
	 */
	public @Nullable Duration getTotalTimeout() {
		return this.totalTimeout;
	}

	/**
	 * Sets {@code total-timeout}.
	 * @param totalTimeout longest time for a whole stream; {@code null} to leave it unset
	 */
	public void setTotalTimeout(@Nullable Duration totalTimeout) {
		this.totalTimeout = totalTimeout;
	}

	/**
	 * Returns {@code retry-on-connection-error}.
	 * @return whether to retry a failure that happens before the first delta;
	 * {@code null} when unset
	 */
	public @Nullable Boolean getRetryOnConnectionError() {
		return this.retryOnConnectionError;
	}

	/**
	 * Sets {@code retry-on-connection-error}.
	 * @param retryOnConnectionError whether to retry a failure that happens before the
	 * first delta; {@code null} to leave it unset
	 */
	public void setRetryOnConnectionError(@Nullable Boolean retryOnConnectionError) {
		this.retryOnConnectionError = retryOnConnectionError;
	}

	/**
	 * Returns {@code max-reconnect-attempts}.
	 * @return most retries or reconnections of one stream, 0 for none; {@code null} when
	 * unset
	 */
	public @Nullable Integer getMaxReconnectAttempts() {
		return this.maxReconnectAttempts;
	}

	/**
	 * Sets {@code max-reconnect-attempts}.
	 * @param maxReconnectAttempts most retries or reconnections of one stream, 0 for
	 * none; {@code null} to leave it unset
	 */
	public void setMaxReconnectAttempts(@Nullable Integer maxReconnectAttempts) {
		this.maxReconnectAttempts = maxReconnectAttempts;
	}

	/**
	 * Returns {@code reconnect-delay}.
	 * @return first backoff delay before a retry; later ones grow exponentially;
	 * {@code null} when unset
	 */
	public @Nullable Duration getReconnectDelay() {
		return this.reconnectDelay;
	}

	/**
	 * Sets {@code reconnect-delay}.
	 * @param reconnectDelay first backoff delay before a retry; later ones grow
	 * exponentially; {@code null} to leave it unset
	 */
	public void setReconnectDelay(@Nullable Duration reconnectDelay) {
		this.reconnectDelay = reconnectDelay;
	}

	/**
	 * Returns {@code max-retry-delay}.
	 * @return longest wait before a retry, also when a provider's Retry-After asks for
	 * more; {@code null} when unset
	 */
	public @Nullable Duration getMaxRetryDelay() {
		return this.maxRetryDelay;
	}

	/**
	 * Sets {@code max-retry-delay}.
	 * @param maxRetryDelay longest wait before a retry, also when a provider's
	 * Retry-After asks for more; {@code null} to leave it unset
	 */
	public void setMaxRetryDelay(@Nullable Duration maxRetryDelay) {
		this.maxRetryDelay = maxRetryDelay;
	}

	/**
	 * Returns {@code preserve-partial-response}.
	 * @return whether the error of a broken stream carries the partial response that
	 * arrived; {@code null} when unset
	 */
	public @Nullable Boolean getPreservePartialResponse() {
		return this.preservePartialResponse;
	}

	/**
	 * Sets {@code preserve-partial-response}.
	 * @param preservePartialResponse whether the error of a broken stream carries the
	 * partial response that arrived; {@code null} to leave it unset
	 */
	public void setPreservePartialResponse(@Nullable Boolean preservePartialResponse) {
		this.preservePartialResponse = preservePartialResponse;
	}

	/**
	 * Returns {@code buffer-size}.
	 * @return most events held between the connection and a slow subscriber; {@code null}
	 * when unset
	 */
	public @Nullable Integer getBufferSize() {
		return this.bufferSize;
	}

	/**
	 * Sets {@code buffer-size}.
	 * @param bufferSize most events held between the connection and a slow subscriber;
	 * {@code null} to leave it unset
	 */
	public void setBufferSize(@Nullable Integer bufferSize) {
		this.bufferSize = bufferSize;
	}

	/**
	 * Returns {@code max-event-size}.
	 * @return largest server-sent event accepted, in bytes; {@code null} when unset
	 */
	public @Nullable Integer getMaxEventSize() {
		return this.maxEventSize;
	}

	/**
	 * Sets {@code max-event-size}.
	 * @param maxEventSize largest server-sent event accepted, in bytes; {@code null} to
	 * leave it unset
	 */
	public void setMaxEventSize(@Nullable Integer maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Returns {@code enable-compression}.
	 * @return whether to ask the provider for a gzip-compressed response; {@code null}
	 * when unset
	 */
	public @Nullable Boolean getEnableCompression() {
		return this.enableCompression;
	}

	/**
	 * Sets {@code enable-compression}.
	 * @param enableCompression whether to ask the provider for a gzip-compressed
	 * response; {@code null} to leave it unset
	 */
	public void setEnableCompression(@Nullable Boolean enableCompression) {
		this.enableCompression = enableCompression;
	}

	/**
	 * Returns {@code buffer-type}.
	 * @return how output buffers group text before they release it; {@code null} when
	 * unset
	 */
	public @Nullable BufferType getBufferType() {
		return this.bufferType;
	}

	/**
	 * Sets {@code buffer-type}.
	 * @param bufferType how output buffers group text before they release it;
	 * {@code null} to leave it unset
	 */
	public void setBufferType(@Nullable BufferType bufferType) {
		this.bufferType = bufferType;
	}

	/**
	 * Returns {@code chunk-size}.
	 * @return tokens of a token group or characters per pacer tick, 0 for the default;
	 * {@code null} when unset
	 */
	public @Nullable Integer getChunkSize() {
		return this.chunkSize;
	}

	/**
	 * Sets {@code chunk-size}.
	 * @param chunkSize tokens of a token group or characters per pacer tick, 0 for the
	 * default; {@code null} to leave it unset
	 */
	public void setChunkSize(@Nullable Integer chunkSize) {
		this.chunkSize = chunkSize;
	}

	/**
	 * Returns {@code buffer-timeout}.
	 * @return longest an output buffer holds text before it must flush what it has;
	 * {@code null} when unset
	 */
	public @Nullable Duration getBufferTimeout() {
		return this.bufferTimeout;
	}

	/**
	 * Sets {@code buffer-timeout}.
	 * @param bufferTimeout longest an output buffer holds text before it must flush what
	 * it has; {@code null} to leave it unset
	 */
	public void setBufferTimeout(@Nullable Duration bufferTimeout) {
		this.bufferTimeout = bufferTimeout;
	}

	/**
	 * Returns {@code progress-interval}.
	 * @return shortest time between two progress reports; {@code null} when unset
	 */
	public @Nullable Duration getProgressInterval() {
		return this.progressInterval;
	}

	/**
	 * Sets {@code progress-interval}.
	 * @param progressInterval shortest time between two progress reports; {@code null} to
	 * leave it unset
	 */
	public void setProgressInterval(@Nullable Duration progressInterval) {
		this.progressInterval = progressInterval;
	}

	/**
	 * Returns {@code rate-limit}.
	 * @return most tokens per second released to the subscriber, 0 for unlimited;
	 * {@code null} when unset
	 */
	public @Nullable Double getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Sets {@code rate-limit}.
	 * @param rateLimit most tokens per second released to the subscriber, 0 for
	 * unlimited; {@code null} to leave it unset
	 */
	public void setRateLimit(@Nullable Double rateLimit) {
		this.rateLimit = rateLimit;
	}

	/**
	 * Returns {@code max-added-latency}.
	 * @return longest the pacer makes text wait, 0 for no pacing; {@code null} when unset
	 */
	public @Nullable Duration getMaxAddedLatency() {
		return this.maxAddedLatency;
	}

	/**
	 * Sets {@code max-added-latency}.
	 * @param maxAddedLatency longest the pacer makes text wait, 0 for no pacing;
	 * {@code null} to leave it unset
	 */
	public void setMaxAddedLatency(@Nullable Duration maxAddedLatency) {
		this.maxAddedLatency = maxAddedLatency;
	}

	/**
	 * Returns {@code track-metrics}.
	 * @return whether a stream records meters; {@code null} when unset
	 */
	public @Nullable Boolean getTrackMetrics() {
		return this.trackMetrics;
	}

	/**
	 * Sets {@code track-metrics}.
	 * @param trackMetrics whether a stream records meters; {@code null} to leave it unset
	 */
	public void setTrackMetrics(@Nullable Boolean trackMetrics) {
		this.trackMetrics = trackMetrics;
	}

	/**
	 * Returns {@code log-streaming-metrics}.
	 * @return whether to log the metrics of each stream at INFO level when it ends;
	 * {@code null} when unset
	 */
	public @Nullable Boolean getLogStreamingMetrics() {
		return this.logStreamingMetrics;
	}

	/**
	 * Sets {@code log-streaming-metrics}.
	 * @param logStreamingMetrics whether to log the metrics of each stream at INFO level
	 * when it ends; {@code null} to leave it unset
	 */
	public void setLogStreamingMetrics(@Nullable Boolean logStreamingMetrics) {
		this.logStreamingMetrics = logStreamingMetrics;
	}

	/**
	 * These properties merged over {@code base}: each field set here, else the same field
	 * of {@code base}.
	 * @param base the properties whose values unset fields inherit
	 * @return new properties; neither these nor {@code base} change
	 */
	StreamingOptionsProperties over(StreamingOptionsProperties base) {
		StreamingOptionsProperties merged = new StreamingOptionsProperties();
		BeanWrapper target = PropertyAccessorFactory.forBeanPropertyAccess(merged);
		BeanWrapper own = PropertyAccessorFactory.forBeanPropertyAccess(this);
		BeanWrapper inherited = PropertyAccessorFactory.forBeanPropertyAccess(base);
		for (PropertyDescriptor property : target.getPropertyDescriptors()) {
			String name = property.getName();
			if (target.isWritableProperty(name)) {
				Object value = own.getPropertyValue(name);
				target.setPropertyValue(name, (value != null) ? value : inherited.getPropertyValue(name));
			}
		}
		return merged;
	}

	/**
	 * Whether a field is set here.
	 * @param field the field, as {@link StreamingOptions} names the option, e.g.
	 * {@code readTimeout}
	 * @return {@code true} when the field is a property of this type and not {@code null}
	 */
	boolean isSet(String field) {
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(this);
		return wrapper.isReadableProperty(field) && wrapper.getPropertyValue(field) != null;
	}

	/**
	 * Whether a field is one of these properties.
	 * @param field the field, as {@link StreamingOptions} names the option
	 * @return {@code true} for a field that configuration can set
	 */
	static boolean isProperty(String field) {
		return PropertyAccessorFactory.forBeanPropertyAccess(new StreamingOptionsProperties())
			.isWritableProperty(field);
	}

}
