package io.steer.llm.pricing;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link PriceCatalog}: model name resolution and overrides.
 */
class PriceCatalogTests {

	private static final ModelPrice GPT_4O = ModelPrice.of("2.5", "10", "1.25", null);

	private static final ModelPrice GPT_4O_2024_05_13 = ModelPrice.of("5", "15", null, null);

	private static final ModelPrice CLAUDE_SONNET_4_5 = ModelPrice.of("3", "15", "0.3", "3.75");

	private static final ModelPrice GROK_3_MINI = ModelPrice.of("0.3", "0.5", "0.075", null);

	private final PriceCatalog catalog = PriceCatalog.load();

	@Test
	void findWhenExactKeyShouldReturnItsPrice() {
		assertThat(this.catalog.find("openai", "gpt-4o")).contains(GPT_4O);
		assertThat(this.catalog.find("anthropic", "claude-sonnet-4-5")).contains(CLAUDE_SONNET_4_5);
		assertThat(this.catalog.find("xai", "grok-3-mini")).contains(GROK_3_MINI);
	}

	@Test
	void findWhenSnapshotListedShouldPreferItOverItsFamily() {
		assertThat(this.catalog.find("openai", "gpt-4o-2024-05-13")).contains(GPT_4O_2024_05_13);
	}

	@Test
	void findWhenDatedSnapshotUnlistedShouldResolveToFamily() {
		assertThat(this.catalog.find("openai", "gpt-4o-2099-01-31")).contains(GPT_4O);
		assertThat(this.catalog.find("openai", "gpt-4.1-nano-2099-01-31"))
			.contains(ModelPrice.of("0.1", "0.4", "0.025", null));
		assertThat(this.catalog.find("anthropic", "claude-sonnet-4-5-20991231")).contains(CLAUDE_SONNET_4_5);
		assertThat(this.catalog.find("anthropic", "claude-sonnet-4-6-20260217"))
			.isEqualTo(this.catalog.find("anthropic", "claude-sonnet-4-6"))
			.isPresent();
	}

	@Test
	void findWhenFamilyOverriddenShouldPriceListedSnapshotsWithOverride() {
		PriceCatalog catalog = PriceCatalog.load().withOverrides(Map.of("gpt-4o", ModelPrice.of("2", "8", "1", null)));
		assertThat(catalog.find("openai", "gpt-4o-2024-08-06")).contains(ModelPrice.of("2", "8", "1", null));
	}

	@Test
	void findWhenBedrockVertexOrLatestSuffixShouldResolve() {
		assertThat(this.catalog.find("anthropic", "claude-sonnet-4-5-20250929-v1:0")).contains(CLAUDE_SONNET_4_5);
		assertThat(this.catalog.find("anthropic", "claude-sonnet-4-5@20250929")).contains(CLAUDE_SONNET_4_5);
		assertThat(this.catalog.find("anthropic", "claude-haiku-4-5-latest"))
			.contains(ModelPrice.of("1", "5", "0.1", "1.25"));
		// listed as such: not stripped
		assertThat(this.catalog.find("xai", "grok-3-mini-latest")).contains(GROK_3_MINI);
		assertThat(this.catalog.find("openai", "gpt-5-chat-latest")).isPresent();
	}

	@Test
	void findShouldIgnoreCaseWhitespaceAndProviderPrefix() {
		assertThat(this.catalog.find("XAI", " Grok-3-Mini ")).contains(GROK_3_MINI);
		assertThat(this.catalog.find("xai", "xai/grok-3-mini")).contains(GROK_3_MINI);
		assertThat(this.catalog.find("openai", "openai:gpt-4o")).contains(GPT_4O);
	}

	@Test
	void findWhenModelOfAnotherProviderShouldBeEmpty() {
		assertThat(this.catalog.find("openai", "grok-3-mini")).isEmpty();
		assertThat(this.catalog.find("xai", "claude-sonnet-4-5")).isEmpty();
	}

	@Test
	void findWhenUnknownShouldBeEmpty() {
		assertThat(this.catalog.find("openai", "gpt-3.5-turbo")).isEmpty();
		assertThat(this.catalog.find("anthropic", "claude-3-5-haiku-20241022")).isEmpty();
		assertThat(this.catalog.find("anthropic", "20250929")).isEmpty();
		assertThat(this.catalog.find("openai", "")).isEmpty();
	}

	@Test
	void withOverridesShouldReplaceAndAddWithoutChangingTheOriginal() {
		ModelPrice discounted = ModelPrice.of("2", "8", null, null);
		ModelPrice custom = ModelPrice.of("0.5", "1.5", null, null);
		PriceCatalog overridden = this.catalog.withOverrides(Map.of("GPT-4o", discounted, "my-fine-tune", custom));
		assertThat(overridden.find("openai", "gpt-4o")).contains(discounted);
		assertThat(overridden.find("openai", "my-fine-tune")).contains(custom);
		assertThat(overridden.find("anthropic", "my-fine-tune")).contains(custom);
		assertThat(overridden.get("my-fine-tune")).contains(custom);
		assertThat(overridden.models()).contains("my-fine-tune", "gpt-4o").hasSize(127);
		assertThat(overridden.find("openai", "gpt-4o-mini")).isEqualTo(this.catalog.find("openai", "gpt-4o-mini"));
		assertThat(overridden.source()).isEqualTo(this.catalog.source());
		assertThat(overridden.date()).isEqualTo(this.catalog.date());
		assertThat(this.catalog.find("openai", "gpt-4o")).contains(GPT_4O);
		assertThat(this.catalog.find("openai", "my-fine-tune")).isEmpty();
	}

	@Test
	void withOverridesWhenAppliedTwiceShouldLetLaterWin() {
		PriceCatalog twice = this.catalog.withOverrides(Map.of("gpt-4o", ModelPrice.of("1", "2", null, null)))
			.withOverrides(Map.of("gpt-4o", ModelPrice.of("3", "4", null, null)));
		assertThat(twice.find("openai", "gpt-4o")).contains(ModelPrice.of("3", "4", null, null));
	}

	@Test
	void withOverridesWhenBlankNameShouldThrow() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.catalog.withOverrides(Map.of(" ", ModelPrice.of("1", "1", null, null))));
	}

	@Test
	void getShouldNotResolveFamilies() {
		assertThat(this.catalog.get("gpt-4o")).contains(GPT_4O);
		assertThat(this.catalog.get("gpt-4o-2099-01-31")).isEmpty();
	}

	@Test
	void modelPriceShouldCompareByValueAndRejectNegativeOrMissingPrices() {
		assertThat(new ModelPrice(new BigDecimal("2.50"), new BigDecimal("1E+1")))
			.isEqualTo(ModelPrice.of("2.5", "10", null, null));
		assertThat(ModelPrice.of("10", "1.0e1", null, null).outputPerMillion()).hasToString("10");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelPrice.of("-1", "1", null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelPrice.of("1", "1", "-0.1", null));
		assertThatNullPointerException().isThrownBy(() -> new ModelPrice(BigDecimal.ONE, null));
	}

	@Test
	void readWhenPriceMissingShouldThrow() {
		String json = """
				{"source": {"repository": "r", "path": "p", "commit": "c"}, "date": "2026-01-01",
				 "models": {"m": {"provider": "openai", "input": 1}}}""";
		assertThatIllegalStateException()
			.isThrownBy(
					() -> PriceCatalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test"))
			.withMessageContaining("'m'")
			.withMessageContaining("output");
	}

	@Test
	void readShouldKeepDecimalsExact() {
		String json = """
				{"source": {"repository": "r", "path": "p", "commit": "c"}, "date": "2026-01-01",
				 "models": {"m": {"provider": "openai", "input": 0.1, "output": 0.30000000000000004441}}}""";
		PriceCatalog catalog = PriceCatalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
				"test");
		assertThat(catalog.get("m").orElseThrow().outputPerMillion()).hasToString("0.30000000000000004441");
		assertThat(catalog.source()).isEqualTo("r/blob/c/p");
	}

}
