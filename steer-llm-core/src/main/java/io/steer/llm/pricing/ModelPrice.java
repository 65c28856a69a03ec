package io.steer.llm.pricing;

import java.math.BigDecimal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Prices of one model, in USD per million tokens, as exact decimals.
 * <p>
 * Values are kept in a canonical form (trailing zeros stripped, never a negative scale),
 * so that two prices are {@link #equals(Object) equal} when their values are:
 * {@code 2.50} and {@code 2.5} make the same price.
 *
 * @param inputPerMillion price of uncached input (prompt) tokens (USD per million tokens)
 * @param outputPerMillion price of output (completion) tokens, reasoning tokens included
 * (USD per million tokens)
 * @param cachedInputPerMillion price of input tokens read from the provider's prompt
 * cache (USD per million tokens), {@code null} when the source gives none; cost
 * calculation then uses {@code inputPerMillion}
 * @param cacheWritePerMillion price of input tokens written to the provider's prompt
 * cache (Anthropic cache creation, USD per million tokens), {@code null} when the source
 * gives none; cost calculation then uses {@code inputPerMillion}
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
		@Nullable BigDecimal cachedInputPerMillion, @Nullable BigDecimal cacheWritePerMillion) {

	/**
	 * Creates a price, in canonical form.
	 * @param inputPerMillion price of uncached input tokens (USD per million tokens)
	 * @param outputPerMillion price of output tokens (USD per million tokens)
	 * @param cachedInputPerMillion price of cached input tokens (USD per million tokens),
	 * or {@code null} to price them as input
	 * @param cacheWritePerMillion price of cache writes (USD per million tokens), or
	 * {@code null} to price them as input
	 * @throws NullPointerException if the input or output price is {@code null}
	 * @throws IllegalArgumentException if a price is negative
	 */
	public ModelPrice {
		inputPerMillion = canonical(Objects.requireNonNull(inputPerMillion, "inputPerMillion must not be null"),
				"inputPerMillion");
		outputPerMillion = canonical(Objects.requireNonNull(outputPerMillion, "outputPerMillion must not be null"),
				"outputPerMillion");
		cachedInputPerMillion = (cachedInputPerMillion != null)
				? canonical(cachedInputPerMillion, "cachedInputPerMillion") : null;
		cacheWritePerMillion = (cacheWritePerMillion != null) ? canonical(cacheWritePerMillion, "cacheWritePerMillion")
				: null;
	}

	/**
	 * Creates a price without cache prices: cached input and cache writes are priced as
	 * input.
	 * @param inputPerMillion price of input tokens (USD per million tokens)
	 * @param outputPerMillion price of output tokens (USD per million tokens)
	 */
	public ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
		this(inputPerMillion, outputPerMillion, null, null);
	}

	/**
	 * Creates a price from decimal strings, e.g.
	 * {@code ModelPrice.of("2.5", "10", "1.25", null)}.
	 * @param inputPerMillion price of input tokens (USD per million tokens)
	 * @param outputPerMillion price of output tokens (USD per million tokens)
	 * @param cachedInputPerMillion price of cached input tokens (USD per million tokens),
	 * or {@code null}
	 * @param cacheWritePerMillion price of cache writes (USD per million tokens), or
	 * {@code null}
	 * @return the price
	 * @throws NumberFormatException if a value is not a decimal number
	 * @throws IllegalArgumentException if a price is negative
	 */
	public static ModelPrice of(String inputPerMillion, String outputPerMillion, @Nullable String cachedInputPerMillion,
			@Nullable String cacheWritePerMillion) {
		return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion),
				(cachedInputPerMillion != null) ? new BigDecimal(cachedInputPerMillion) : null,
				(cacheWritePerMillion != null) ? new BigDecimal(cacheWritePerMillion) : null);
	}

	static BigDecimal canonical(BigDecimal value) {
		BigDecimal stripped = value.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	private static BigDecimal canonical(BigDecimal value, String name) {
		if (value.signum() < 0) {
			throw new IllegalArgumentException(name + " must not be negative, was " + value.toPlainString());
		}
		return canonical(value);
	}

}
