/**
 * Model prices and the cost of a response in USD:
 * {@link io.steer.llm.pricing.PriceCatalog} (bundled prices in USD per million tokens,
 * from LiteLLM's public price table, plus overrides) and
 * {@link io.steer.llm.pricing.CostCalculator} (usage times prices, as each provider
 * bills).
 */
@NullMarked
package io.steer.llm.pricing;

import org.jspecify.annotations.NullMarked;
