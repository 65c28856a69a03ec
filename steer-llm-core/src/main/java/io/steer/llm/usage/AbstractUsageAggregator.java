package io.steer.llm.usage;

import io.steer.llm.model.Usage;

/**
 * Shapes an estimate as the provider would report it. xAI's {@code completion_tokens}
 * leave reasoning tokens out (its total adds them back); other providers count reasoning
 * in the completion.
 */
abstract class AbstractUsageAggregator implements UsageAggregator {

	private final boolean reasoningOutsideCompletion;

	private int promptTokens;

	AbstractUsageAggregator(String provider, int promptTokens) {
		this.reasoningOutsideCompletion = "xai".equals(provider);
		this.promptTokens = promptTokens;
	}

	final void setPromptTokens(int promptTokens) {
		this.promptTokens = promptTokens;
	}

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
		int output = outputTokens();
		int reasoning = reasoningTokens();
		int completion = this.reasoningOutsideCompletion ? output : output + reasoning;
		return new Usage(this.promptTokens, completion, this.promptTokens + output + reasoning, 0, 0, reasoning,
				java.util.Map.of());
	}

}
