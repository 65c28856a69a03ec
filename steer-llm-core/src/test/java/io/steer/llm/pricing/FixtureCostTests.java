package io.steer.llm.pricing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.steer.llm.model.Usage;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Costs of the recorded real streams bundled in the test kit: each is computed from the
 * usage in the recording's {@code .expected.json} and checked against the provider's
 * billing rule worked out here from the catalog's prices; xAI's recordings also carry
 * xAI's own billed cost.
 */
class FixtureCostTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** One xAI cost tick is 10^-10 USD. */
	private static final int TICK_SCALE = 10;

	private final CostCalculator calculator = new CostCalculator(PriceCatalog.load());

	@Test
	void costWhenXaiChatReasoningTextShouldEqualXaiBilledTicks() {
		assertXaiBilledCost("chat-reasoning-text", 1721250L);
	}

	@Test
	void costWhenXaiChatReasoningToolCallShouldEqualXaiBilledTicks() {
		assertXaiBilledCost("chat-reasoning-tool-call", 1497500L);
	}

	private void assertXaiBilledCost(String name, long expectedTicks) {
		JsonNode usage = expected(SseFixture.load("xai", name)).get("usage");
		assertThat(usage.get("cost_in_usd_ticks").asLong()).isEqualTo(expectedTicks);
		Usage normalised = new Usage(usage.get("prompt_tokens").asInt(), usage.get("completion_tokens").asInt(),
				usage.get("total_tokens").asInt(), usage.path("prompt_tokens_details").path("cached_tokens").asInt(), 0,
				usage.path("completion_tokens_details").path("reasoning_tokens").asInt(), raw(usage));
		Cost cost = this.calculator.cost("xai", "grok-3-mini", normalised, false).orElseThrow();
		assertThat(cost.usd()).isEqualByComparingTo(BigDecimal.valueOf(expectedTicks).movePointLeft(TICK_SCALE));
		assertThat(cost.estimated()).isFalse();
	}

	@Test
	void costWhenFixtureHasUsageShouldMatchProviderBillingRule() {
		List<String> priced = new ArrayList<>();
		TreeSet<String> models = new TreeSet<>();
		for (String provider : List.of("openai", "xai", "anthropic")) {
			for (SseFixture fixture : SseFixture.all(provider)) {
				JsonNode expected = expected(fixture);
				JsonNode usage = expected.get("usage");
				if (usage != null && "anthropic".equals(provider)) {
					usage = usage.get("merged");
				}
				if (usage == null || usage.isNull()) {
					continue;
				}
				String model = expected.get("model").asString();
				String api = expected.get("api").asString();
				ModelPrice price = PriceCatalog.load()
					.get(model)
					.orElseThrow(() -> new AssertionError("no price listed for " + model + " of " + fixture));
				Cost cost = this.calculator.cost(provider, model, normalise(api, usage), false)
					.orElseThrow(() -> new AssertionError("no cost for " + fixture));
				assertThat(cost.usd()).as(fixture.toString())
					.isEqualByComparingTo(expectedUsd(provider, api, usage, price))
					.isPositive();
				priced.add(fixture.provider() + "/" + fixture.name());
				models.add(model);
			}
		}
		assertThat(priced).hasSize(30);
		assertThat(models).containsExactly("claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929",
				"claude-sonnet-4-6", "gpt-4.1-nano-2025-04-14", "gpt-4o-2024-08-06", "gpt-5-2025-08-07",
				"gpt-5-mini-2025-08-07", "gpt-5.1-codex-max", "gpt-5.2-2025-12-11", "grok-3-mini", "grok-code-fast-1");
	}

	/**
	 * The cost as the provider bills it, from the wire usage object's own fields (USD):
	 * <ul>
	 * <li>Anthropic: {@code input_tokens} (uncached) at the input price, cache reads and
	 * writes at theirs, {@code output_tokens} at the output price;</li>
	 * <li>Chat Completions: uncached {@code prompt_tokens} at the input price, cached at
	 * the cached price; OpenAI's {@code completion_tokens} include reasoning tokens,
	 * xAI's leave them out ({@code total_tokens} = prompt + completion + reasoning), so
	 * xAI adds them;</li>
	 * <li>Responses API (OpenAI and xAI): {@code output_tokens} include reasoning tokens
	 * ({@code total_tokens} = input + output; in
	 * {@code xai/responses-reasoning-summary-text}, 600 text deltas + 323 reasoning
	 * tokens = 923 output tokens).</li>
	 * </ul>
	 */
	private static BigDecimal expectedUsd(String provider, String api, JsonNode usage, ModelPrice price) {
		BigDecimal cachedPrice = (price.cachedInputPerMillion() != null) ? price.cachedInputPerMillion()
				: price.inputPerMillion();
		BigDecimal perMillion;
		switch (api) {
			case "anthropic.messages" -> {
				BigDecimal writePrice = (price.cacheWritePerMillion() != null) ? price.cacheWritePerMillion()
						: price.inputPerMillion();
				perMillion = price.inputPerMillion()
					.multiply(dec(usage, "input_tokens"))
					.add(cachedPrice.multiply(dec(usage, "cache_read_input_tokens")))
					.add(writePrice.multiply(dec(usage, "cache_creation_input_tokens")))
					.add(price.outputPerMillion().multiply(dec(usage, "output_tokens")));
			}
			case "chat.completions" -> {
				BigDecimal cached = dec(usage.path("prompt_tokens_details"), "cached_tokens");
				BigDecimal output = dec(usage, "completion_tokens");
				if ("xai".equals(provider)) {
					output = output.add(dec(usage.path("completion_tokens_details"), "reasoning_tokens"));
					assertThat(dec(usage, "total_tokens"))
						.isEqualByComparingTo(dec(usage, "prompt_tokens").add(output));
				}
				perMillion = price.inputPerMillion()
					.multiply(dec(usage, "prompt_tokens").subtract(cached))
					.add(cachedPrice.multiply(cached))
					.add(price.outputPerMillion().multiply(output));
			}
			case "responses" -> {
				BigDecimal cached = dec(usage.path("input_tokens_details"), "cached_tokens");
				assertThat(dec(usage, "total_tokens"))
					.isEqualByComparingTo(dec(usage, "input_tokens").add(dec(usage, "output_tokens")));
				perMillion = price.inputPerMillion()
					.multiply(dec(usage, "input_tokens").subtract(cached))
					.add(cachedPrice.multiply(cached))
					.add(price.outputPerMillion().multiply(dec(usage, "output_tokens")));
			}
			default -> throw new AssertionError("unexpected api " + api);
		}
		return perMillion.divide(BigDecimal.valueOf(1_000_000));
	}

	/** The usage as core normalises it (see {@link Usage}). */
	private static Usage normalise(String api, JsonNode usage) {
		return switch (api) {
			case "anthropic.messages" -> {
				int cacheRead = usage.path("cache_read_input_tokens").asInt();
				int cacheCreation = usage.path("cache_creation_input_tokens").asInt();
				int prompt = usage.path("input_tokens").asInt() + cacheRead + cacheCreation;
				int completion = usage.path("output_tokens").asInt();
				yield new Usage(prompt, completion, prompt + completion, cacheRead, cacheCreation, 0, raw(usage));
			}
			case "chat.completions" -> new Usage(usage.path("prompt_tokens").asInt(),
					usage.path("completion_tokens").asInt(), usage.path("total_tokens").asInt(),
					usage.path("prompt_tokens_details").path("cached_tokens").asInt(), 0,
					usage.path("completion_tokens_details").path("reasoning_tokens").asInt(), raw(usage));
			case "responses" -> new Usage(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt(),
					usage.path("total_tokens").asInt(),
					usage.path("input_tokens_details").path("cached_tokens").asInt(), 0,
					usage.path("output_tokens_details").path("reasoning_tokens").asInt(), raw(usage));
			default -> throw new AssertionError("unexpected api " + api);
		};
	}

	private static BigDecimal dec(JsonNode node, String field) {
		return BigDecimal.valueOf(node.path(field).asLong());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> raw(JsonNode usage) {
		return MAPPER.treeToValue(usage, Map.class);
	}

	private static JsonNode expected(SseFixture fixture) {
		return MAPPER
			.readTree(fixture.expectedJson().orElseThrow(() -> new AssertionError(fixture + " has no expected JSON")));
	}

}
