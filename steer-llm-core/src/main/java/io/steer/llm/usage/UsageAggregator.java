package io.steer.llm.usage;

import io.steer.llm.model.Usage;

/**
 * Estimates one stream's usage as it goes: the prompt once, then every streamed fragment
 * (text, reasoning, tool-call arguments) as it arrives. Counting is incremental: no text is
 * tokenized twice. One aggregator per stream; not thread-safe.
 */
public interface UsageAggregator {

	/**
	 * Counts a streamed fragment of the answer: text, refusal or tool-call arguments.
	 * @param fragment the fragment, possibly empty
	 */
	void addCompletion(String fragment);

	/**
	 * Counts a streamed fragment of reasoning.
	 * @param fragment the fragment, possibly empty
	 */
	void addReasoning(String fragment);

	/**
	 * Counts the framing of a tool call the model made (its name and the provider's wrapping),
	 * once per call. Its arguments arrive through {@link #addCompletion(String)}.
	 * @param name the function name
	 */
	void addToolCall(String name);

	/**
	 * The estimate so far.
	 * @return usage with prompt, completion, reasoning and total tokens, shaped as the provider
	 * reports them (xAI leaves reasoning out of the completion); {@code raw()} is empty
	 */
	Usage estimate();

	/**
	 * How far the estimate can be trusted.
	 * @return a number from 0 to 1
	 */
	double confidence();

}
