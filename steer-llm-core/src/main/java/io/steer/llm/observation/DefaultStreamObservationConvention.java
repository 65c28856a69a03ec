package io.steer.llm.observation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.steer.llm.model.Usage;
import io.steer.llm.observation.StreamObservationDocumentation.HighCardinalityKeys;
import io.steer.llm.observation.StreamObservationDocumentation.LowCardinalityKeys;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link StreamObservationConvention}: name {@value #NAME}, contextual name
 * {@code chat {model}}, and every low-cardinality key on every stream, {@code UNKNOWN}
 * for a missing value ({@code none} for the error type of a stream that did not fail), so
 * that each meter has the same tag keys.
 * <p>
 * A model name comes from user input: at most {@code maxModels} distinct model values
 * (request and response models together) are tagged; the others are tagged {@code other}.
 * The API key and request ids are never key values; the prompt and the completion are
 * high-cardinality key values ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}) only when the client records content.
 * <p>
 * The name is {@value #NAME} rather than a GenAI semantic conventions name: a meter
 * handler (as Spring Boot's) times every observation under its name, and the
 * {@code gen_ai.client.operation.duration} meter is recorded already, with its own
 * buckets.
 */
public class DefaultStreamObservationConvention implements StreamObservationConvention {

	/** The observation's name. */
	public static final String NAME = "steer.llm.stream";

	/** Distinct model values tagged by default before the rest are {@code other}. */
	public static final int DEFAULT_MAX_MODELS = 100;

	private static final String UNKNOWN = "UNKNOWN";

	private static final KeyValue OPERATION_CHAT = LowCardinalityKeys.OPERATION_NAME.withValue("chat");

	private static final KeyValue STREAM_TRUE = HighCardinalityKeys.REQUEST_STREAM.withValue("true");

	private final int maxModels;

	private final Set<String> models = ConcurrentHashMap.newKeySet();

	/**
	 * A convention tagging at most {@value #DEFAULT_MAX_MODELS} distinct models.
	 */
	public DefaultStreamObservationConvention() {
		this(DEFAULT_MAX_MODELS);
	}

	/**
	 * A convention tagging at most {@code maxModels} distinct models.
	 * @param maxModels the limit, at least 0
	 * @throws IllegalArgumentException when {@code maxModels} is negative
	 */
	public DefaultStreamObservationConvention(int maxModels) {
		if (maxModels < 0) {
			throw new IllegalArgumentException("maxModels must not be negative: " + maxModels);
		}
		this.maxModels = maxModels;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(StreamObservationContext context) {
		String model = context.getRequestModel();
		return "chat " + ((model != null) ? model(model) : UNKNOWN);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StreamObservationContext context) {
		String errorType = context.getErrorType();
		int port = context.getServerPort();
		return KeyValues.of(OPERATION_CHAT, LowCardinalityKeys.PROVIDER_NAME.withValue(provider(context.getProvider())),
				LowCardinalityKeys.REQUEST_MODEL.withValue(model(context.getRequestModel())),
				LowCardinalityKeys.RESPONSE_MODEL.withValue(model(context.getResponseModel())),
				LowCardinalityKeys.ERROR_TYPE.withValue((errorType != null) ? errorType : "none"),
				LowCardinalityKeys.SERVER_ADDRESS.withValue(orUnknown(context.getServerAddress())),
				LowCardinalityKeys.SERVER_PORT.withValue((port >= 0) ? Integer.toString(port) : UNKNOWN),
				LowCardinalityKeys.OUTCOME.withValue(context.getOutcome().value()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StreamObservationContext context) {
		KeyValues values = KeyValues.of(STREAM_TRUE);
		if (context.getResponseId() != null) {
			values = values.and(HighCardinalityKeys.RESPONSE_ID.withValue(context.getResponseId()));
		}
		if (context.getFinishReason() != null) {
			values = values.and(HighCardinalityKeys.RESPONSE_FINISH_REASONS.withValue(context.getFinishReason()));
		}
		Usage usage = context.getUsage();
		if (usage != null) {
			values = values.and(
					HighCardinalityKeys.USAGE_INPUT_TOKENS.withValue(Integer.toString(usage.promptTokens())),
					HighCardinalityKeys.USAGE_OUTPUT_TOKENS.withValue(Integer.toString(usage.completionTokens())),
					HighCardinalityKeys.USAGE_CACHE_READ_INPUT_TOKENS
						.withValue(Integer.toString(usage.cachedPromptTokens())),
					HighCardinalityKeys.USAGE_CACHE_CREATION_INPUT_TOKENS
						.withValue(Integer.toString(usage.cacheCreationTokens())),
					HighCardinalityKeys.USAGE_REASONING_OUTPUT_TOKENS
						.withValue(Integer.toString(usage.reasoningTokens())));
		}
		if (context.getTimeToFirstChunk() != null) {
			values = values.and(HighCardinalityKeys.TIME_TO_FIRST_CHUNK
				.withValue(Double.toString(context.getTimeToFirstChunk().toNanos() / 1e9)));
		}
		if (context.getInputMessages() != null) {
			values = values.and(HighCardinalityKeys.INPUT_MESSAGES.withValue(context.getInputMessages()));
		}
		if (context.getOutputMessages() != null) {
			values = values.and(HighCardinalityKeys.OUTPUT_MESSAGES.withValue(context.getOutputMessages()));
		}
		return values.and(HighCardinalityKeys.ATTEMPTS.withValue(Integer.toString(context.getAttempts())));
	}

	/**
	 * The {@code gen_ai.provider.name} of one of this client's provider names.
	 * @param provider the client's provider name, or {@code null}
	 * @return {@code x_ai} for {@code xai}, {@code UNKNOWN} for {@code null}, else the
	 * name
	 */
	protected String provider(@Nullable String provider) {
		if (provider == null) {
			return UNKNOWN;
		}
		return "xai".equals(provider) ? "x_ai" : provider;
	}

	/**
	 * The tag value of a model: the model while fewer than {@code maxModels} distinct
	 * ones were seen, else {@code other}.
	 * @param model the model, or {@code null}
	 * @return the tag value
	 */
	protected String model(@Nullable String model) {
		if (model == null || model.isEmpty()) {
			return UNKNOWN;
		}
		if (this.models.contains(model)) {
			return model;
		}
		synchronized (this.models) {
			if (this.models.contains(model) || this.models.size() < this.maxModels) {
				this.models.add(model);
				return model;
			}
		}
		return "other";
	}

	private static String orUnknown(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : UNKNOWN;
	}

}
