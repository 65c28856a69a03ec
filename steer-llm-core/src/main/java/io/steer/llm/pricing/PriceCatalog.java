package io.steer.llm.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prices of LLM models in USD per million tokens, by provider and model name.
 * <p>
 * {@link #load()} gives the bundled catalog: the classpath resource {@value #RESOURCE},
 * converted exactly from LiteLLM's public model price table ({@link #source()}, read on
 * {@link #date()}) for the models of OpenAI, Anthropic and xAI.
 * {@link #withOverrides(Map)} adds or replaces prices, for models the data does not know
 * or prices negotiated with a provider.
 * <p>
 * {@link #find(String, String)} resolves a model name as a provider reports it: the exact
 * name, else the name without a snapshot or deployment suffix, so a dated snapshot that
 * the data does not list gets the price of its family.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class PriceCatalog {

	/** Classpath location of the bundled prices. */
	public static final String RESOURCE = "io/steer/llm/pricing/model-prices.json";

	/**
	 * Suffixes removed, one at a time from the end, to find the family of a model name:
	 * Bedrock versions ({@code -v1:0}), {@code -latest}, dates as {@code -YYYYMMDD} or
	 * {@code -YYYY-MM-DD}, Vertex AI versions ({@code @YYYYMMDD}).
	 */
	private static final Pattern SUFFIX = Pattern
		.compile("(?:-v\\d+:\\d+|-latest|-\\d{8}|-\\d{4}-\\d{2}-\\d{2}|@\\d{8}|@latest)$");

	private static final Object lock = new Object();

	private static volatile @Nullable PriceCatalog bundled;

	private final String source;

	private final LocalDate date;

	private final Map<String, Entry> prices;

	private final Map<String, ModelPrice> overrides;

	private PriceCatalog(String source, LocalDate date, Map<String, Entry> prices, Map<String, ModelPrice> overrides) {
		this.source = source;
		this.date = date;
		this.prices = prices;
		this.overrides = overrides;
	}

	/**
	 * The bundled catalog, read from {@value #RESOURCE} on first use and then shared.
	 * @return the catalog, without overrides
	 * @throws IllegalStateException if the resource is missing or malformed
	 */
	public static PriceCatalog load() {
		PriceCatalog catalog = bundled;
		if (catalog == null) {
			synchronized (lock) {
				catalog = bundled;
				if (catalog == null) {
					catalog = read(RESOURCE);
					bundled = catalog;
				}
			}
		}
		return catalog;
	}

	private static PriceCatalog read(String location) {
		try (InputStream in = PriceCatalog.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalStateException("Price catalog classpath:" + location + " is missing");
			}
			return read(in, "classpath:" + location);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read price catalog classpath:" + location, ex);
		}
	}

	/**
	 * Reads a catalog in the format of the bundled resource.
	 * @param in the JSON document
	 * @param description where it comes from, for messages
	 * @return the catalog
	 * @throws IllegalStateException if the document is malformed
	 */
	static PriceCatalog read(InputStream in, String description) {
		JsonNode root;
		try {
			root = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build().readTree(in);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Price catalog " + description + " is not valid JSON", ex);
		}
		JsonNode source = root.path("source");
		String repository = requiredText(source, "repository", description);
		String commit = requiredText(source, "commit", description);
		String path = requiredText(source, "path", description);
		LocalDate date;
		try {
			date = LocalDate.parse(requiredText(root, "date", description));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalStateException("Price catalog " + description + " has an invalid date", ex);
		}
		JsonNode models = root.path("models");
		if (!models.isObject() || models.isEmpty()) {
			throw new IllegalStateException("Price catalog " + description + " has no models");
		}
		Map<String, Entry> prices = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> model : models.properties()) {
			String context = description + " model '" + model.getKey() + "'";
			JsonNode node = model.getValue();
			String provider = requiredText(node, "provider", context);
			try {
				ModelPrice price = new ModelPrice(requiredDecimal(node, "input", context),
						requiredDecimal(node, "output", context), decimal(node, "cachedInput", context),
						decimal(node, "cacheWrite", context));
				prices.put(key(model.getKey()), new Entry(provider.toLowerCase(Locale.ROOT), price));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Price catalog " + context + ": " + ex.getMessage(), ex);
			}
		}
		String url = repository + "/blob/" + commit + "/" + path;
		return new PriceCatalog(url, date, Collections.unmodifiableMap(prices), Map.of());
	}

	private static String requiredText(JsonNode node, String field, String context) {
		JsonNode value = node.path(field);
		if (!value.isString() || value.asString().isBlank()) {
			throw new IllegalStateException("Price catalog " + context + " has no '" + field + "'");
		}
		return value.asString();
	}

	private static BigDecimal requiredDecimal(JsonNode node, String field, String context) {
		BigDecimal value = decimal(node, field, context);
		if (value == null) {
			throw new IllegalStateException("Price catalog " + context + " has no '" + field + "' price");
		}
		return value;
	}

	private static @Nullable BigDecimal decimal(JsonNode node, String field, String context) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber()) {
			throw new IllegalStateException("Price catalog " + context + " has a non-numeric '" + field + "'");
		}
		return value.decimalValue();
	}

	/**
	 * Where the bundled prices come from: the source file at the commit that was read, as
	 * a URL
	 * ({@code https://github.com/BerriAI/litellm/blob/<commit>/model_prices_and_context_window.json}).
	 * Overrides do not change it.
	 * @return the source URL
	 */
	public String source() {
		return this.source;
	}

	/**
	 * The date on which the bundled prices were read from {@link #source()}. Prices
	 * change; use {@link #withOverrides(Map)} when a provider's current price differs.
	 * @return the date of the data
	 */
	public LocalDate date() {
		return this.date;
	}

	/**
	 * Finds the price of a model.
	 * <p>
	 * The model name is matched without regard to case, after removing a leading
	 * {@code <provider>/} or {@code <provider>:}. Candidates are the name itself, then
	 * the name without its last snapshot or deployment suffix, repeatedly: a Bedrock
	 * version ({@code -v1:0}), {@code -latest}, a date ({@code -YYYYMMDD},
	 * {@code -YYYY-MM-DD}) or a Vertex AI version ({@code @YYYYMMDD}). So
	 * {@code gpt-4o-2024-08-06} is priced as {@code gpt-4o} unless the data lists the
	 * snapshot itself, and {@code claude-sonnet-4-5-20250929-v1:0} as
	 * {@code claude-sonnet-4-5-20250929}.
	 * <p>
	 * An override ({@link #withOverrides(Map)}) for any candidate wins over bundled
	 * prices, so that overriding {@code gpt-4o} also prices its snapshots. Bundled prices
	 * are only found for their own provider.
	 * @param provider provider name: {@code openai}, {@code anthropic} or {@code xai}
	 * @param model the model name, as requested or as the provider reported it
	 * @return the price, or empty when the catalog has none for that model
	 */
	public Optional<ModelPrice> find(String provider, String model) {
		Objects.requireNonNull(provider, "provider must not be null");
		Objects.requireNonNull(model, "model must not be null");
		String providerKey = provider.strip().toLowerCase(Locale.ROOT);
		List<String> candidates = candidates(providerKey, model);
		for (String candidate : candidates) {
			ModelPrice override = this.overrides.get(candidate);
			if (override != null) {
				return Optional.of(override);
			}
		}
		for (String candidate : candidates) {
			Entry entry = this.prices.get(candidate);
			if (entry != null && entry.provider().equals(providerKey)) {
				return Optional.of(entry.price());
			}
		}
		return Optional.empty();
	}

	/**
	 * The price held under exactly this model name (without regard to case), an override
	 * first, else a bundled price of any provider. Unlike {@link #find(String, String)},
	 * no family is resolved.
	 * @param model the model name
	 * @return the price, or empty when the catalog has no such name
	 */
	public Optional<ModelPrice> get(String model) {
		String key = key(model);
		ModelPrice override = this.overrides.get(key);
		if (override != null) {
			return Optional.of(override);
		}
		Entry entry = this.prices.get(key);
		return (entry != null) ? Optional.of(entry.price()) : Optional.empty();
	}

	/**
	 * The model names that have a price: bundled ones, then overrides that add a model.
	 * @return the names, lower case, unmodifiable
	 */
	public Set<String> models() {
		Set<String> models = new LinkedHashSet<>(this.prices.keySet());
		models.addAll(this.overrides.keySet());
		return Collections.unmodifiableSet(models);
	}

	/**
	 * A catalog with prices added or replaced, by model name (without regard to case). An
	 * override applies whatever the provider, wins over bundled prices (see
	 * {@link #find(String, String)}) and replaces an earlier override of the same name.
	 * {@link #source()} and {@link #date()} stay those of the bundled data.
	 * @param overrides prices by model name, e.g. {@code gpt-4o} or {@code my-fine-tune}
	 * @return a new catalog; this one is unchanged
	 * @throws IllegalArgumentException if a model name is blank
	 * @throws NullPointerException if a name or price is {@code null}
	 */
	public PriceCatalog withOverrides(Map<String, ModelPrice> overrides) {
		Objects.requireNonNull(overrides, "overrides must not be null");
		Map<String, ModelPrice> merged = new LinkedHashMap<>(this.overrides);
		overrides.forEach((model, price) -> {
			Objects.requireNonNull(model, "model name must not be null");
			Objects.requireNonNull(price, () -> "price of '" + model + "' must not be null");
			if (model.isBlank()) {
				throw new IllegalArgumentException("model name must not be blank");
			}
			merged.put(key(model), price);
		});
		return new PriceCatalog(this.source, this.date, this.prices, Collections.unmodifiableMap(merged));
	}

	private static List<String> candidates(String provider, String model) {
		String name = key(model);
		for (String separator : List.of("/", ":")) {
			if (name.startsWith(provider + separator)) {
				name = name.substring(provider.length() + 1);
				break;
			}
		}
		List<String> candidates = new ArrayList<>(3);
		candidates.add(name);
		Matcher matcher = SUFFIX.matcher(name);
		while (matcher.find() && matcher.start() > 0) {
			name = name.substring(0, matcher.start());
			candidates.add(name);
			matcher = SUFFIX.matcher(name);
		}
		return candidates;
	}

	private static String key(String model) {
		return model.strip().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return "PriceCatalog[source=" + this.source + ", date=" + this.date + ", models=" + this.prices.size()
				+ ", overrides=" + this.overrides.keySet() + "]";
	}

	/** A bundled price and the provider that charges it. */
	private record Entry(String provider, ModelPrice price) {
	}

}
