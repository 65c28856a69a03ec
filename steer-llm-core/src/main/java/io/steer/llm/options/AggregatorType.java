package io.steer.llm.options;

import java.util.Locale;

/**
 * How usage is estimated when the provider does not send it.
 */
public enum AggregatorType {

	/**
	 * Provider usage when sent; else tiktoken for OpenAI-family models when preferred;
	 * else characters.
	 */
	AUTO,

	/** Count tokens with a tiktoken encoding (jtokkit). */
	TIKTOKEN,

	/** Divide characters by the provider's characters-per-token ratio. */
	CHARACTER;

	/**
	 * Parses a configuration value such as {@code auto} or {@code TIKTOKEN}.
	 * @param value the value
	 * @return the aggregator type
	 * @throws InvalidStreamingOptionException when the value names no aggregator type
	 */
	public static AggregatorType from(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidStreamingOptionException("aggregatorType", value,
					"is not one of auto, tiktoken or character");
		}
	}

}
