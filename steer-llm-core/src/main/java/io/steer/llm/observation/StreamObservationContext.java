package io.steer.llm.observation;

import java.math.BigDecimal;
import java.time.Duration;

import io.micrometer.observation.Observation;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * What the observation of one stream knows: set from the route when the stream starts,
 * completed from the terminal event (or the usage so far, for a cancelled stream) before
 * the observation stops. Never holds the API key; holds the prompt and the completion
 * only when the client records content ({@link #getInputMessages()}).
 */
public final class StreamObservationContext extends Observation.Context {

	private @Nullable String provider;

	private @Nullable String requestModel;

	private @Nullable String responseModel;

	private @Nullable String serverAddress;

	private int serverPort = -1;

	private StreamOutcome outcome = StreamOutcome.UNKNOWN;

	private @Nullable String errorType;

	private @Nullable Usage usage;

	private boolean usageEstimated;

	private @Nullable BigDecimal costUsd;

	private @Nullable Duration timeToFirstChunk;

	private @Nullable Duration duration;

	private @Nullable String responseId;

	private @Nullable String finishReason;

	private int attempts;

	private int chunks;

	private @Nullable String cancelledBy;

	private @Nullable String inputMessages;

	private @Nullable String outputMessages;

	/**
	 * The provider, as this client names it.
	 * @return {@code openai}, {@code anthropic}, {@code xai} or a custom adapter's name;
	 * {@code null} when the request could not be routed
	 */
	public @Nullable String getProvider() {
		return this.provider;
	}

	/**
	 * Sets the provider.
	 * @param provider the client's provider name, or {@code null}
	 */
	public void setProvider(@Nullable String provider) {
		this.provider = provider;
	}

	/**
	 * The model asked for.
	 * @return the routed model (without a provider prefix), or {@code null}
	 */
	public @Nullable String getRequestModel() {
		return this.requestModel;
	}

	/**
	 * Sets the model asked for.
	 * @param requestModel the model, or {@code null}
	 */
	public void setRequestModel(@Nullable String requestModel) {
		this.requestModel = requestModel;
	}

	/**
	 * The model that answered, as the provider named it (e.g. a dated snapshot).
	 * @return the model, or {@code null} before the terminal event or when unknown
	 */
	public @Nullable String getResponseModel() {
		return this.responseModel;
	}

	/**
	 * Sets the model that answered.
	 * @param responseModel the model, or {@code null}
	 */
	public void setResponseModel(@Nullable String responseModel) {
		this.responseModel = responseModel;
	}

	/**
	 * The host the request was sent to.
	 * @return the host of the provider's URL, or {@code null}
	 */
	public @Nullable String getServerAddress() {
		return this.serverAddress;
	}

	/**
	 * Sets the host the request was sent to.
	 * @param serverAddress the host, or {@code null}
	 */
	public void setServerAddress(@Nullable String serverAddress) {
		this.serverAddress = serverAddress;
	}

	/**
	 * The port the request was sent to.
	 * @return the port (the scheme's default when the URL names none), or -1 when unknown
	 */
	public int getServerPort() {
		return this.serverPort;
	}

	/**
	 * Sets the port the request was sent to.
	 * @param serverPort the port, or -1
	 */
	public void setServerPort(int serverPort) {
		this.serverPort = serverPort;
	}

	/**
	 * How the stream ended.
	 * @return the outcome, {@link StreamOutcome#UNKNOWN} until it ended
	 */
	public StreamOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the stream ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(StreamOutcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * The kind of failure of a failed stream.
	 * @return the {@link io.steer.llm.error.StreamErrorType} name (e.g. {@code HTTP},
	 * {@code TIMEOUT}), or {@code null} when the stream did not fail
	 */
	public @Nullable String getErrorType() {
		return this.errorType;
	}

	/**
	 * Sets the kind of failure.
	 * @param errorType the error type, or {@code null}
	 */
	public void setErrorType(@Nullable String errorType) {
		this.errorType = errorType;
	}

	/**
	 * The stream's usage: the final one, the partial one of a failed stream, or the usage
	 * so far of a cancelled stream.
	 * @return the usage, or {@code null} when none was reported or estimated
	 */
	public @Nullable Usage getUsage() {
		return this.usage;
	}

	/**
	 * Sets the usage.
	 * @param usage the usage, or {@code null}
	 */
	public void setUsage(@Nullable Usage usage) {
		this.usage = usage;
	}

	/**
	 * Whether {@link #getUsage()} is an estimate rather than the provider's count.
	 * @return {@code true} for estimated usage
	 */
	public boolean isUsageEstimated() {
		return this.usageEstimated;
	}

	/**
	 * Sets whether the usage is estimated.
	 * @param usageEstimated {@code true} for estimated usage
	 */
	public void setUsageEstimated(boolean usageEstimated) {
		this.usageEstimated = usageEstimated;
	}

	/**
	 * The stream's cost.
	 * @return the cost in USD, or {@code null} when unknown
	 */
	public @Nullable BigDecimal getCostUsd() {
		return this.costUsd;
	}

	/**
	 * Sets the cost.
	 * @param costUsd the cost in USD, or {@code null}
	 */
	public void setCostUsd(@Nullable BigDecimal costUsd) {
		this.costUsd = costUsd;
	}

	/**
	 * Time from sending the request to the first delta.
	 * @return the time, or {@code null} when no delta arrived
	 */
	public @Nullable Duration getTimeToFirstChunk() {
		return this.timeToFirstChunk;
	}

	/**
	 * Sets the time to the first delta.
	 * @param timeToFirstChunk the time, or {@code null}
	 */
	public void setTimeToFirstChunk(@Nullable Duration timeToFirstChunk) {
		this.timeToFirstChunk = timeToFirstChunk;
	}

	/**
	 * Time from sending the request to the end of the stream, on the client's monotonic
	 * clock.
	 * @return the duration, or {@code null} before the stream ended
	 */
	public @Nullable Duration getDuration() {
		return this.duration;
	}

	/**
	 * Sets the stream's duration.
	 * @param duration the duration, or {@code null}
	 */
	public void setDuration(@Nullable Duration duration) {
		this.duration = duration;
	}

	/**
	 * The provider's response id ({@code chatcmpl-…}, {@code msg_…}, {@code resp_…}):
	 * high cardinality, for spans only.
	 * @return the id, or {@code null}
	 */
	public @Nullable String getResponseId() {
		return this.responseId;
	}

	/**
	 * Sets the response id.
	 * @param responseId the id, or {@code null}
	 */
	public void setResponseId(@Nullable String responseId) {
		this.responseId = responseId;
	}

	/**
	 * The provider's finish reason of choice 0.
	 * @return the finish reason, or {@code null}
	 */
	public @Nullable String getFinishReason() {
		return this.finishReason;
	}

	/**
	 * Sets the finish reason.
	 * @param finishReason the finish reason, or {@code null}
	 */
	public void setFinishReason(@Nullable String finishReason) {
		this.finishReason = finishReason;
	}

	/**
	 * The HTTP attempts the stream took (retries, resumes and continuations included).
	 * @return the attempts, 0 for a request rejected before it was sent or before the
	 * stream ended
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Sets the attempts.
	 * @param attempts the attempts
	 */
	public void setAttempts(int attempts) {
		this.attempts = attempts;
	}

	/**
	 * The delta events delivered.
	 * @return the number of deltas
	 */
	public int getChunks() {
		return this.chunks;
	}

	/**
	 * Sets the delta events delivered.
	 * @param chunks the number of deltas
	 */
	public void setChunks(int chunks) {
		this.chunks = chunks;
	}

	/**
	 * Who cancelled a cancelled stream.
	 * @return {@code subscriber} or {@code operator} for a stream whose outcome is
	 * {@link StreamOutcome#CANCELLED}, else {@code null}
	 */
	public @Nullable String getCancelledBy() {
		return this.cancelledBy;
	}

	/**
	 * Sets who cancelled the stream.
	 * @param cancelledBy {@code subscriber}, {@code operator}, or {@code null}
	 */
	public void setCancelledBy(@Nullable String cancelledBy) {
		this.cancelledBy = cancelledBy;
	}

	/**
	 * The request's messages as the OpenTelemetry GenAI {@code gen_ai.input.messages}
	 * JSON text (an array of {@code {"role", "parts": [...]}}), when the client records
	 * content.
	 * @return the JSON text, or {@code null} when content is not recorded
	 */
	public @Nullable String getInputMessages() {
		return this.inputMessages;
	}

	/**
	 * Sets the request's messages.
	 * @param inputMessages the JSON text, or {@code null}
	 */
	public void setInputMessages(@Nullable String inputMessages) {
		this.inputMessages = inputMessages;
	}

	/**
	 * The response as the OpenTelemetry GenAI {@code gen_ai.output.messages} JSON text
	 * (one assistant message with the text of choice 0 and its finish reason), when the
	 * client records content.
	 * @return the JSON text, or {@code null} when content is not recorded or before the
	 * stream ended
	 */
	public @Nullable String getOutputMessages() {
		return this.outputMessages;
	}

	/**
	 * Sets the response.
	 * @param outputMessages the JSON text, or {@code null}
	 */
	public void setOutputMessages(@Nullable String outputMessages) {
		this.outputMessages = outputMessages;
	}

}
