package io.steer.llm.usage;

import java.util.List;
import java.util.Locale;

import io.steer.llm.model.Message;

/**
 * Estimates tokens as characters divided by the provider's characters-per-token ratio:
 * {@code openai} 4.0, {@code anthropic} 3.8, {@code xai} 4.2, others 4.0 (the original
 * SDK's ratios). Cheap, and rough: confidence 0.5.
 */
public final class CharacterUsageAggregator extends AbstractUsageAggregator {

	/** Confidence of a character estimate. */
	public static final double CONFIDENCE = 0.5;

	/** Tokens added per prompt message for its role and framing. */
	static final int TOKENS_PER_MESSAGE = 4;

	private final double charsPerToken;

	private final int promptTokens;

	private long outputChars;

	private long reasoningChars;

	/**
	 * Creates an aggregator.
	 * @param provider provider name, choosing the ratio
	 * @param messages the prompt
	 */
	public CharacterUsageAggregator(String provider, List<Message> messages) {
		super(provider);
		this.charsPerToken = charsPerToken(provider);
		long promptChars = 0;
		for (Message message : messages) {
			promptChars += (message.content() != null) ? message.content().length() : 0;
		}
		this.promptTokens = tokens(promptChars) + TOKENS_PER_MESSAGE * messages.size();
	}

	@Override
	protected int promptTokens() {
		return this.promptTokens;
	}

	/**
	 * Characters per token of a provider.
	 * @param provider the provider name
	 * @return the ratio
	 */
	public static double charsPerToken(String provider) {
		return switch (provider.toLowerCase(Locale.ROOT)) {
			case "anthropic" -> 3.8;
			case "xai" -> 4.2;
			default -> 4.0;
		};
	}

	private int tokens(long chars) {
		return (int) Math.ceil(chars / this.charsPerToken);
	}

	@Override
	public void addCompletion(int choice, String fragment) {
		this.outputChars += fragment.length();
	}

	@Override
	public void addReasoning(int choice, String fragment) {
		this.reasoningChars += fragment.length();
	}

	@Override
	public void addToolCall(String name) {
		this.outputChars += name.length();
	}

	@Override
	protected int outputTokens() {
		return tokens(this.outputChars);
	}

	@Override
	protected int reasoningTokens() {
		return tokens(this.reasoningChars);
	}

	@Override
	public double confidence() {
		return CONFIDENCE;
	}

}
