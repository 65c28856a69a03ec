package io.steer.llm.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Cost of one response.
 *
 * @param usd the cost in USD, exact: the sum of tokens times prices per million tokens
 * divided by one million, not rounded (to cents or otherwise)
 * @param estimated whether the cost rests on estimated usage (tokens counted locally
 * because the provider sent none) rather than the provider's own counts
 */
public record Cost(BigDecimal usd, boolean estimated) {

	/**
	 * Creates a cost.
	 * @param usd the cost in USD, exact and unrounded
	 * @param estimated whether the cost rests on estimated usage
	 * @throws NullPointerException if {@code usd} is {@code null}
	 */
	public Cost {
		Objects.requireNonNull(usd, "usd must not be null");
	}

}
