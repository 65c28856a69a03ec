package io.steer.llm.usage;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the {@link UsageAggregator} of a stream from its options.
 */
public final class UsageAggregators {

	private UsageAggregators() {
	}

	/**
	 * The aggregator for a stream.
	 * <p>
	 * {@code tiktoken} and {@code character} are used as named; {@code auto} uses
	 * tiktoken for OpenAI-family models when {@code prefer-tiktoken} is on, else
	 * characters. (Provider usage, when sent, always wins over the estimate; that is the
	 * stream's business, not the aggregator's.)
	 * @param options the streaming options
	 * @param provider the provider name
	 * @param model the model
	 * @param request the request, for its prompt
	 * @return the aggregator, or {@code null} when usage aggregation is off
	 */
	public static @Nullable UsageAggregator create(StreamingOptions options, String provider, String model,
			ChatRequest request) {
		if (!options.enableUsageAggregation()) {
			return null;
		}
		AggregatorType type = options.aggregatorType();
		boolean tiktoken = type == AggregatorType.TIKTOKEN || (type == AggregatorType.AUTO && options.preferTiktoken()
				&& TiktokenUsageAggregator.isOpenAiModel(model));
		return tiktoken ? new TiktokenUsageAggregator(provider, model, request.messages())
				: new CharacterUsageAggregator(provider, request.messages());
	}

}
