package io.steer.llm.pricing;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.model.Usage;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CostCalculator}: each provider's billing rule, worked out by hand.
 */
class CostCalculatorTests {

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final CostCalculator calculator = new CostCalculator(PriceCatalog.load(), recordingLog(this.warnings));

	@Test
	void costWhenOpenAiShouldPriceCachedTokensAtCachedPriceAndCompletionWithReasoningAtOutputPrice() {
		// gpt-4o: 2.5 input, 1.25 cached input, 10 output per million tokens
		Usage usage = new Usage(1000, 200, 1200, 400, 0, 150, Map.of());
		// 600 * 2.5 + 400 * 1.25 + 200 * 10 = 1500 + 500 + 2000 = 4000 per million
		assertThat(usd("openai", "gpt-4o", usage)).isEqualByComparingTo("0.004");
	}

	@Test
	void costWhenCachedPriceMissingShouldUseInputPrice() {
		// gpt-4o-2024-05-13: 5 input, no cached price, 15 output
		Usage usage = new Usage(1000, 100, 1100, 400, 0, 0, Map.of());
		// 1000 * 5 + 100 * 15 = 6500 per million
		assertThat(usd("openai", "gpt-4o-2024-05-13", usage)).isEqualByComparingTo("0.0065");
	}

	@Test
	void costWhenXaiChatCompletionsShouldAddReasoningTokensToCompletion() {
		// grok-3-mini: 0.3 input, 0.075 cached, 0.5 output
		Map<String, Object> raw = Map.of("prompt_tokens", 100, "completion_tokens", 10);
		Usage usage = new Usage(100, 10, 150, 60, 0, 40, raw);
		// 40 * 0.3 + 60 * 0.075 + (10 + 40) * 0.5 = 12 + 4.5 + 25 = 41.5 per million
		assertThat(usd("xai", "grok-3-mini", usage)).isEqualByComparingTo("0.0000415");
		// without a raw usage object, xAI's documented convention applies too
		assertThat(usd("xai", "grok-3-mini", new Usage(100, 10, 150, 60, 0, 40, Map.of())))
			.isEqualByComparingTo("0.0000415");
	}

	@Test
	void costWhenXaiResponsesApiShouldNotAddReasoningTokensAgain() {
		// Responses API output_tokens already include reasoning tokens
		Map<String, Object> raw = Map.of("input_tokens", 100, "output_tokens", 50);
		Usage usage = new Usage(100, 50, 150, 60, 0, 40, raw);
		// 40 * 0.3 + 60 * 0.075 + 50 * 0.5 = 41.5 per million
		assertThat(usd("xai", "grok-3-mini", usage)).isEqualByComparingTo("0.0000415");
	}

	@Test
	void costWhenXaiCachedPriceMissingShouldUseInputPrice() {
		// grok-4: 3 input, no cached price, 15 output
		Usage usage = new Usage(1000, 0, 1000, 900, 0, 0, Map.of());
		assertThat(usd("xai", "grok-4", usage)).isEqualByComparingTo("0.003");
	}

	@Test
	void costWhenAnthropicShouldPriceCacheReadsAndWritesApart() {
		// claude-sonnet-4-5: 3 input, 0.3 cache read, 3.75 cache write, 15 output
		// input_tokens 100, cache_read 1000, cache_creation 2000 -> prompt 3100
		Usage usage = new Usage(3100, 50, 3150, 1000, 2000, 0, Map.of());
		// 100 * 3 + 1000 * 0.3 + 2000 * 3.75 + 50 * 15 = 300 + 300 + 7500 + 750 = 8850
		// per million
		assertThat(usd("anthropic", "claude-sonnet-4-5-20250929", usage)).isEqualByComparingTo("0.00885");
	}

	@Test
	void costWhenAnthropicCachePricesMissingShouldUseInputPrice() {
		CostCalculator calculator = new CostCalculator(
				PriceCatalog.load().withOverrides(Map.of("claude-custom", ModelPrice.of("2", "10", null, null))));
		Usage usage = new Usage(3100, 50, 3150, 1000, 2000, 0, Map.of());
		// 3100 * 2 + 50 * 10 = 6700 per million
		assertThat(calculator.cost("anthropic", "claude-custom", usage, false).orElseThrow().usd())
			.isEqualByComparingTo("0.0067");
	}

	@Test
	void costShouldKeepFullPrecision() {
		// gpt-5-nano: 0.05 input, 0.005 cached, 0.4 output; one cached token costs 5e-9
		// USD
		Usage usage = new Usage(1, 1, 2, 1, 0, 0, Map.of());
		assertThat(usd("openai", "gpt-5-nano", usage)).isEqualTo(new BigDecimal("0.000000405"));
	}

	@Test
	void costWhenNoTokensShouldBeZeroNotEmpty() {
		assertThat(usd("openai", "gpt-4o", Usage.of(0, 0))).isEqualTo(BigDecimal.ZERO);
	}

	@Test
	void costWhenCountsInconsistentShouldNotGoNegative() {
		Usage usage = new Usage(10, 0, 10, 50, 0, 0, Map.of());
		// 0 uncached, 50 cached * 1.25
		assertThat(usd("openai", "gpt-4o", usage)).isEqualByComparingTo("0.0000625");
	}

	@Test
	void costShouldCarryTheEstimatedFlag() {
		assertThat(this.calculator.cost("openai", "gpt-4o", Usage.of(10, 10), true))
			.hasValueSatisfying((cost) -> assertThat(cost.estimated()).isTrue());
		assertThat(this.calculator.cost("openai", "gpt-4o", Usage.of(10, 10), false))
			.hasValueSatisfying((cost) -> assertThat(cost.estimated()).isFalse());
	}

	@Test
	void costWhenModelUnknownShouldBeEmptyAndWarnOncePerModel() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.calculator.cost("openai", "gpt-unknown-1", Usage.of(10, 10), false)).isEmpty();
			assertThat(this.calculator.cost("xai", "grok-unknown", Usage.of(10, 10), true)).isEmpty();
		}
		assertThat(this.warnings).hasSize(2);
		assertThat(this.warnings.get(0)).contains("'gpt-unknown-1'", "'openai'", "steer.pricing.models");
		assertThat(this.warnings.get(1)).contains("'grok-unknown'", "'xai'");
		assertThat(this.calculator.cost("openai", "gpt-4o", Usage.of(10, 10), false)).isPresent();
		assertThat(this.warnings).hasSize(2);
	}

	@Test
	void costWhenOverriddenShouldUseOverride() {
		CostCalculator calculator = new CostCalculator(
				PriceCatalog.load().withOverrides(Map.of("gpt-4o", ModelPrice.of("1", "2", null, null))));
		assertThat(calculator.cost("openai", "gpt-4o-2024-08-06", Usage.of(1_000_000, 1_000_000), false))
			.hasValueSatisfying((cost) -> assertThat(cost.usd()).isEqualByComparingTo("3"));
	}

	private BigDecimal usd(String provider, String model, Usage usage) {
		Cost cost = this.calculator.cost(provider, model, usage, false).orElseThrow();
		assertThat(cost.estimated()).isFalse();
		return cost.usd();
	}

	/**
	 * A commons-logging {@link Log} that records warnings and has every level enabled.
	 */
	static Log recordingLog(List<String> warnings) {
		return (Log) Proxy.newProxyInstance(CostCalculatorTests.class.getClassLoader(), new Class<?>[] { Log.class },
				(proxy, method, args) -> {
					if (method.getName().startsWith("is")) {
						return true;
					}
					if (method.getName().equals("warn")) {
						warnings.add(String.valueOf(args[0]));
					}
					if (method.getName().equals("toString")) {
						return "RecordingLog";
					}
					return null;
				});
	}

}
