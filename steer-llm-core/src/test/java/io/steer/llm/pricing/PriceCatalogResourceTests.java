package io.steer.llm.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that the bundled {@value PriceCatalog#RESOURCE} is the mechanical conversion of
 * the LiteLLM price subset kept in the shared fixtures
 * ({@code ../shared/fixtures/pricing/}, next to the repository): USD per token times one
 * million, exactly.
 */
class PriceCatalogResourceTests {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	/** Source field of the LiteLLM table -> field of the bundled resource. */
	private static final Map<String, String> FIELDS = fields();

	@Test
	void resourceWhenSourceSubsetPresentShouldEqualItsConversion() throws IOException {
		JsonNode subset = MAPPER.readTree(Files.readString(sharedPricing().resolve("litellm-prices-subset.json")));
		Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
		subset.properties().forEach((entry) -> {
			String provider = entry.getValue().get("litellm_provider").asString();
			if (List.of("openai", "anthropic", "xai").contains(provider)) {
				String model = entry.getKey().startsWith("xai/") ? entry.getKey().substring(4) : entry.getKey();
				Map<String, Object> converted = new LinkedHashMap<>();
				converted.put("provider", provider);
				FIELDS.forEach((source, target) -> {
					JsonNode perToken = entry.getValue().get(source);
					if (perToken != null) {
						converted.put(target, perMillion(perToken));
					}
				});
				assertThat(expected.put(model, converted)).as("duplicate key " + model).isNull();
			}
		});
		assertThat(expected).hasSize(126).doesNotContainKey("claude-sonnet-4-5-20250929-v1:0");
		assertThat(resourceModels()).containsExactlyEntriesOf(expected);
	}

	@Test
	void resourceWhenSourceReadmePresentShouldNameItsCommit() throws IOException {
		String readme = Files.readString(sharedPricing().resolve("README.md"));
		JsonNode source = resource().get("source");
		assertThat(readme).contains(source.get("commit").asString())
			.contains(source.get("repository").asString())
			.contains(source.get("path").asString());
	}

	@Test
	void loadShouldHoldEveryResourcePriceUnderItsProvider() {
		PriceCatalog catalog = PriceCatalog.load();
		Map<String, Map<String, Object>> models = resourceModels();
		assertThat(catalog.models()).containsExactlyElementsOf(models.keySet());
		models.forEach((model, fields) -> {
			ModelPrice price = catalog.find((String) fields.get("provider"), model).orElseThrow();
			assertThat(price.inputPerMillion()).as(model).isEqualByComparingTo((BigDecimal) fields.get("input"));
			assertThat(price.outputPerMillion()).as(model).isEqualByComparingTo((BigDecimal) fields.get("output"));
			assertThat(price.cachedInputPerMillion()).as(model)
				.isEqualTo(canonical((BigDecimal) fields.get("cachedInput")));
			assertThat(price.cacheWritePerMillion()).as(model)
				.isEqualTo(canonical((BigDecimal) fields.get("cacheWrite")));
		});
	}

	@Test
	void loadShouldRecordSourceAndDate() {
		JsonNode resource = resource();
		PriceCatalog catalog = PriceCatalog.load();
		assertThat(catalog.source()).isEqualTo("https://github.com/BerriAI/litellm/blob/"
				+ "00035b69f416be24e2e323c13198d9b7d2d1bdf9/model_prices_and_context_window.json");
		assertThat(catalog.date()).hasToString(resource.get("date").asString());
		assertThat(resource.get("unit").asString()).isEqualTo("USD per million tokens");
		assertThat(PriceCatalog.load()).isSameAs(catalog);
	}

	private static BigDecimal perMillion(JsonNode perToken) {
		// the number as written in the source (e.g. 2.5e-06), exactly, times 10^6
		return canonical(new BigDecimal(perToken.asString()).movePointRight(6));
	}

	private static BigDecimal canonical(BigDecimal value) {
		if (value == null) {
			return null;
		}
		BigDecimal stripped = value.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	/** The models of the resource, numbers in canonical form (compared by value). */
	private static Map<String, Map<String, Object>> resourceModels() {
		Map<String, Map<String, Object>> models = new LinkedHashMap<>();
		resource().get("models").properties().forEach((entry) -> {
			Map<String, Object> fields = new LinkedHashMap<>();
			entry.getValue()
				.properties()
				.forEach((field) -> fields.put(field.getKey(), field.getValue().isNumber()
						? canonical(field.getValue().decimalValue()) : field.getValue().asString()));
			models.put(entry.getKey(), fields);
		});
		return models;
	}

	private static JsonNode resource() {
		try (InputStream in = PriceCatalog.class.getClassLoader().getResourceAsStream(PriceCatalog.RESOURCE)) {
			assertThat(in).as(PriceCatalog.RESOURCE).isNotNull();
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code <repository root>/../shared/fixtures/pricing}; skips the test when absent.
	 */
	private static Path sharedPricing() {
		Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
		Path folder = module.getParent().resolveSibling("shared").resolve("fixtures").resolve("pricing");
		assumeTrue(Files.isRegularFile(folder.resolve("litellm-prices-subset.json")),
				() -> "needs ../shared/fixtures/pricing/litellm-prices-subset.json beside the checkout (the team's"
						+ " shared folder, looked for at " + folder + "); skipped without it");
		return folder;
	}

	private static Map<String, String> fields() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("input_cost_per_token", "input");
		fields.put("output_cost_per_token", "output");
		fields.put("cache_read_input_token_cost", "cachedInput");
		fields.put("cache_creation_input_token_cost", "cacheWrite");
		return fields;
	}

}
