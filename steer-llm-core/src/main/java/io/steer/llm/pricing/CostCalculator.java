package io.steer.llm.pricing;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.steer.llm.model.Usage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Cost of a response in USD: its {@link Usage} times the prices of a
 * {@link PriceCatalog}, counted as each provider bills.
 * <p>
 * With {@code cached} = {@link Usage#cachedPromptTokens()} (cache reads), {@code written}
 * = {@link Usage#cacheCreationTokens()} (cache writes) and prices in USD per million
 * tokens, the cost is <pre>
 * ( (promptTokens - cached - written) * input
 *   + cached * cachedInput
 *   + written * cacheWrite
 *   + outputTokens * output ) / 1,000,000
 * </pre> where {@link Usage#promptTokens()} include cached and written tokens for every
 * provider, and {@code outputTokens} is:
 * <ul>
 * <li>OpenAI (and any provider other than xAI and Anthropic):
 * {@link Usage#completionTokens()}, which include reasoning tokens;</li>
 * <li>xAI Chat Completions: {@link Usage#completionTokens()} plus
 * {@link Usage#reasoningTokens()}, as xAI's {@code completion_tokens} leave reasoning
 * tokens out but xAI bills them as output. A usage in the shape of xAI's Responses API
 * (its {@link Usage#raw() raw} object has {@code output_tokens}) already counts them in
 * its output tokens, so they are not added again;</li>
 * <li>Anthropic: {@link Usage#completionTokens()} ({@code output_tokens}, thinking
 * included); its uncached input is {@code input_tokens}.</li>
 * </ul>
 * A missing cache-read or cache-write price falls back to the input price. Anthropic
 * bills 1-hour cache writes above the 5-minute price that the data gives as
 * {@code cacheWrite}, and some models above a context size (e.g. 200k tokens) at a higher
 * tier; neither is modelled, so such responses cost more than computed. Counts that would
 * be negative (more cached than prompt tokens) count as 0.
 * <p>
 * The result is exact: no rounding to cents or to any scale (trailing zeros are
 * stripped).
 * <p>
 * A model the catalog has no price for gets no cost, never a cost of zero, and one
 * warning is logged per provider and model (for the first 1024 distinct ones), not one
 * per response. Instances are thread-safe.
 */
public final class CostCalculator {

	private static final int MAX_WARNED_MODELS = 1024;

	private static final BigDecimal ZERO = BigDecimal.ZERO;

	private static final Log defaultLogger = LogFactory.getLog(CostCalculator.class);

	private final PriceCatalog catalog;

	private final Log logger;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a calculator.
	 * @param catalog the prices
	 */
	public CostCalculator(PriceCatalog catalog) {
		this(catalog, defaultLogger);
	}

	CostCalculator(PriceCatalog catalog, Log logger) {
		this.catalog = Objects.requireNonNull(catalog, "catalog must not be null");
		this.logger = logger;
	}

	/**
	 * The prices this calculator uses.
	 * @return the catalog
	 */
	public PriceCatalog catalog() {
		return this.catalog;
	}

	/**
	 * Cost of a response.
	 * @param provider provider that served it: {@code openai}, {@code anthropic} or
	 * {@code xai}
	 * @param model the model, as requested or as the provider reported it (dated
	 * snapshots are resolved, see {@link PriceCatalog#find(String, String)})
	 * @param usage its token usage
	 * @param usageEstimated whether the usage was estimated rather than sent by the
	 * provider
	 * @return the cost in USD, marked estimated when the usage was; empty when the
	 * catalog has no price for the model
	 */
	public Optional<Cost> cost(String provider, String model, Usage usage, boolean usageEstimated) {
		Objects.requireNonNull(usage, "usage must not be null");
		Optional<ModelPrice> price = this.catalog.find(provider, model);
		if (price.isEmpty()) {
			warnUnknown(provider, model);
			return Optional.empty();
		}
		return Optional.of(new Cost(usd(provider, price.get(), usage), usageEstimated));
	}

	/**
	 * Cost in USD of a usage at a given price, counted as the provider bills (see the
	 * class description).
	 * @param provider the provider: {@code openai}, {@code anthropic}, {@code xai};
	 * others are counted as OpenAI
	 * @param price the model's price (USD per million tokens)
	 * @param usage the usage
	 * @return the exact cost in USD, not rounded
	 */
	public static BigDecimal usd(String provider, ModelPrice price, Usage usage) {
		Objects.requireNonNull(provider, "provider must not be null");
		Objects.requireNonNull(price, "price must not be null");
		Objects.requireNonNull(usage, "usage must not be null");
		long cached = Math.max(0, usage.cachedPromptTokens());
		long written = Math.max(0, usage.cacheCreationTokens());
		long uncached = Math.max(0, (long) usage.promptTokens() - cached - written);
		long output = Math.max(0, outputTokens(provider.strip().toLowerCase(Locale.ROOT), usage));
		BigDecimal perMillion = times(uncached, price.inputPerMillion())
			.add(times(cached, orInput(price.cachedInputPerMillion(), price)))
			.add(times(written, orInput(price.cacheWritePerMillion(), price)))
			.add(times(output, price.outputPerMillion()));
		return ModelPrice.canonical(perMillion.movePointLeft(6));
	}

	private static long outputTokens(String provider, Usage usage) {
		long completion = usage.completionTokens();
		if ("xai".equals(provider) && !usage.raw().containsKey("output_tokens")) {
			return completion + Math.max(0, usage.reasoningTokens());
		}
		return completion;
	}

	private static BigDecimal orInput(@Nullable BigDecimal price, ModelPrice prices) {
		return (price != null) ? price : prices.inputPerMillion();
	}

	private static BigDecimal times(long tokens, BigDecimal pricePerMillion) {
		return (tokens != 0) ? pricePerMillion.multiply(BigDecimal.valueOf(tokens)) : ZERO;
	}

	private void warnUnknown(String provider, String model) {
		if (this.warned.size() < MAX_WARNED_MODELS && this.warned.add(provider + ":" + model)) {
			this.logger.warn("No price for model '" + model + "' of provider '" + provider
					+ "': its responses get no cost. Add one with PriceCatalog.withOverrides(…) "
					+ "(in Spring Boot: steer.pricing.models.<model>.input/output, USD per million tokens)");
		}
	}

}
