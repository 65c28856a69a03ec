package io.steer.llm.autoconfigure;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.pricing.ModelPrice;
import io.steer.llm.pricing.PriceCatalog;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Model prices used for the cost of responses, bound from {@code steer.pricing.*}:
 * overrides of and additions to the bundled {@link PriceCatalog}, in USD per million
 * tokens.
 * <p>
 * For example: <pre class="code">
 * steer:
 *   pricing:
 *     models:
 *       gpt-4o:              # replaces the bundled input and output prices
 *         input: 2.25
 *         output: 9
 *       "[gpt-4.1]":         # a name with a dot goes in brackets
 *         cached-input: 0.4
 *       my-fine-tune:        # a model the bundled data does not know
 *         input: 0.75
 *         output: 3
 * </pre>
 */
@ConfigurationProperties("steer.pricing")
public class SteerPricingProperties {

	/**
	 * Prices by model name, in USD per million tokens, overriding or adding to the
	 * bundled prices (LiteLLM's price table); an override also prices the model's dated
	 * snapshots. Each has 'input', 'output', 'cached-input' and 'cache-write'; fields
	 * left unset keep the bundled price of that name, and a model not in the bundled
	 * prices needs 'input' and 'output'. Write names with dots or upper-case letters in
	 * brackets, e.g. '[gpt-4.1]'.
	 */
	private final Map<String, Price> models = new LinkedHashMap<>();

	/**
	 * Returns the model prices, {@code steer.pricing.models.<model>.*}.
	 * @return the prices by model name, in USD per million tokens, modifiable
	 */
	public Map<String, Price> getModels() {
		return this.models;
	}

	/**
	 * The configured prices as overrides of a catalog: each field left unset takes the
	 * value that the catalog holds under exactly that model name.
	 * @param catalog the catalog to override, usually {@link PriceCatalog#load()}
	 * @return complete prices by model name
	 * @throws InvalidConfigurationPropertyValueException if a price is negative, or a
	 * model the catalog does not know lacks an input or output price
	 */
	Map<String, ModelPrice> overrides(PriceCatalog catalog) {
		Map<String, ModelPrice> overrides = new LinkedHashMap<>();
		this.models.forEach((model, price) -> {
			ModelPrice base = catalog.get(model).orElse(null);
			BigDecimal input = required(model, "input", price.getInput(),
					(base != null) ? base.inputPerMillion() : null);
			BigDecimal output = required(model, "output", price.getOutput(),
					(base != null) ? base.outputPerMillion() : null);
			BigDecimal cachedInput = optional(model, "cached-input", price.getCachedInput(),
					(base != null) ? base.cachedInputPerMillion() : null);
			BigDecimal cacheWrite = optional(model, "cache-write", price.getCacheWrite(),
					(base != null) ? base.cacheWritePerMillion() : null);
			overrides.put(model, new ModelPrice(input, output, cachedInput, cacheWrite));
		});
		return overrides;
	}

	private static BigDecimal required(String model, String field, @Nullable BigDecimal value,
			@Nullable BigDecimal bundled) {
		BigDecimal price = optional(model, field, value, bundled);
		if (price == null) {
			throw new InvalidConfigurationPropertyValueException(name(model, field), null,
					"A price in USD per million tokens is required for a model the bundled prices do not list"
							+ " (write a model name with dots in brackets, e.g. steer.pricing.models[gpt-4.1]).");
		}
		return price;
	}

	private static @Nullable BigDecimal optional(String model, String field, @Nullable BigDecimal value,
			@Nullable BigDecimal bundled) {
		if (value != null && value.signum() < 0) {
			throw new InvalidConfigurationPropertyValueException(name(model, field), value,
					"A price must not be negative.");
		}
		return (value != null) ? value : bundled;
	}

	private static String name(String model, String field) {
		return "steer.pricing.models[" + model + "]." + field;
	}

	@Override
	public String toString() {
		return "SteerPricingProperties[models=" + this.models + "]";
	}

	/**
	 * Prices of one model, in USD per million tokens.
	 */
	public static class Price {

		/**
		 * Price of uncached input (prompt) tokens, in USD per million tokens.
		 */
		private @Nullable BigDecimal input;

		/**
		 * Price of output (completion) tokens, reasoning tokens included, in USD per
		 * million tokens.
		 */
		private @Nullable BigDecimal output;

		/**
		 * Price of input tokens read from the provider's prompt cache, in USD per million
		 * tokens. When neither set nor bundled, cached tokens cost the input price.
		 */
		private @Nullable BigDecimal cachedInput;

		/**
		 * Price of input tokens written to the prompt cache (Anthropic cache creation),
		 * in USD per million tokens. When neither set nor bundled, they cost the input
		 * price.
		 */
		private @Nullable BigDecimal cacheWrite;

		/**
		 * Returns {@code steer.pricing.models.<model>.input}.
		 * @return price of uncached input (prompt) tokens, in USD per million tokens
		 */
		public @Nullable BigDecimal getInput() {
			return this.input;
		}

		/**
		 * Sets {@code steer.pricing.models.<model>.input}.
		 * @param input price of uncached input (prompt) tokens, in USD per million tokens
		 */
		public void setInput(@Nullable BigDecimal input) {
			this.input = input;
		}

		/**
		 * Returns {@code steer.pricing.models.<model>.output}.
		 * @return price of output (completion) tokens, reasoning tokens included, in USD
		 * per million tokens
		 */
		public @Nullable BigDecimal getOutput() {
			return this.output;
		}

		/**
		 * Sets {@code steer.pricing.models.<model>.output}.
		 * @param output price of output (completion) tokens, reasoning tokens included,
		 * in USD per million tokens
		 */
		public void setOutput(@Nullable BigDecimal output) {
			this.output = output;
		}

		/**
		 * Returns {@code steer.pricing.models.<model>.cached-input}.
		 * @return price of input tokens read from the provider's prompt cache, in USD per
		 * million tokens. When neither set nor bundled, cached tokens cost the input
		 * price
		 */
		public @Nullable BigDecimal getCachedInput() {
			return this.cachedInput;
		}

		/**
		 * Sets {@code steer.pricing.models.<model>.cached-input}.
		 * @param cachedInput price of input tokens read from the provider's prompt cache,
		 * in USD per million tokens. When neither set nor bundled, cached tokens cost the
		 * input price
		 */
		public void setCachedInput(@Nullable BigDecimal cachedInput) {
			this.cachedInput = cachedInput;
		}

		/**
		 * Returns {@code steer.pricing.models.<model>.cache-write}.
		 * @return price of input tokens written to the prompt cache (Anthropic cache
		 * creation), in USD per million tokens. When neither set nor bundled, they cost
		 * the input price
		 */
		public @Nullable BigDecimal getCacheWrite() {
			return this.cacheWrite;
		}

		/**
		 * Sets {@code steer.pricing.models.<model>.cache-write}.
		 * @param cacheWrite price of input tokens written to the prompt cache (Anthropic
		 * cache creation), in USD per million tokens. When neither set nor bundled, they
		 * cost the input price
		 */
		public void setCacheWrite(@Nullable BigDecimal cacheWrite) {
			this.cacheWrite = cacheWrite;
		}

		@Override
		public String toString() {
			return "Price[input=" + this.input + ", output=" + this.output + ", cachedInput=" + this.cachedInput
					+ ", cacheWrite=" + this.cacheWrite + "]";
		}

	}

}
