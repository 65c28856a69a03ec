package io.steer.llm.usage;

import io.steer.llm.model.Usage;

/**
 * Estimates one stream's usage as it goes: the prompt once, then every streamed fragment
 * (text, reasoning, tool-call arguments) as it arrives. Counting is incremental: no text
 * is tokenized twice. One aggregator per stream; not thread-safe.
 */
public interface UsageAggregator {

	/**
	 * Counts a streamed fragment of the answer: text, refusal or tool-call arguments.
	 * @param choice index of the choice it belongs to (fragments of {@code n > 1} choices
	 * interleave)
	 * @param fragment the fragment, possibly empty
	 */
	void addCompletion(int choice, String fragment);

	/**
	 * Counts a streamed fragment of reasoning.
	 * @param choice index of the choice it belongs to
	 * @param fragment the fragment, possibly empty
	 */
	void addReasoning(int choice, String fragment);

	/**
	 * Counts the framing of a tool call the model made (its name and the provider's
	 * wrapping), once per call. Its arguments arrive through
	 * {@link #addCompletion(int, String)}.
	 * @param name the function name
	 */
	void addToolCall(String name);

	/**
	 * The estimate so far.
	 * @return usage with prompt, completion, reasoning and total tokens, shaped as the
	 * provider reports them (xAI leaves reasoning out of the completion); {@code raw()}
	 * is empty
	 */
	Usage estimate();

	/**
	 * How far the estimate can be trusted.
	 * @return a number from 0 to 1
	 */
	double confidence();

}
