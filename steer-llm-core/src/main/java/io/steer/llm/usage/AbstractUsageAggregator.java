package io.steer.llm.usage;

import io.steer.llm.model.Usage;

/**
 * Shapes an estimate as the provider would report it. xAI's {@code completion_tokens}
 * leave reasoning tokens out (its total adds them back); other providers count reasoning
 * in the completion.
 */
abstract class AbstractUsageAggregator implements UsageAggregator {

	private final boolean reasoningOutsideCompletion;

	AbstractUsageAggregator(String provider) {
		this.reasoningOutsideCompletion = "xai".equals(provider);
	}

	/**
	 * Tokens of the prompt.
	 * @return the prompt tokens, with the chat format's framing
	 */
	protected abstract int promptTokens();

	/**
	 * Tokens of the answer counted so far.
	 * @return tokens of the text, refusals and tool calls (names, framing and arguments)
	 */
	protected abstract int outputTokens();

	/**
	 * Tokens of the streamed reasoning counted so far.
	 * @return reasoning tokens
	 */
	protected abstract int reasoningTokens();

	@Override
	public final Usage estimate() {
		int prompt = promptTokens();
		int output = outputTokens();
		int reasoning = reasoningTokens();
		int completion = this.reasoningOutsideCompletion ? output : output + reasoning;
		return new Usage(prompt, completion, prompt + output + reasoning, 0, 0, reasoning, java.util.Map.of());
	}

}
