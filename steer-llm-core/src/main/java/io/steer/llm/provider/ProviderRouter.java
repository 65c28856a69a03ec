package io.steer.llm.provider;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the provider of a model name.
 * <p>
 * An explicit {@code provider:model} (e.g. {@code xai:grok-3-mini}) names the provider.
 * Otherwise the name decides: {@code gpt-*}, {@code chatgpt-*}, {@code o1*}, {@code o3*},
 * {@code o4*} and fine-tuned {@code ft:gpt-*} go to {@code openai}; {@code grok-*} to
 * {@code xai}; {@code claude-*} to {@code anthropic}. A request without a model goes to
 * the default provider's default model.
 * <p>
 * A model that cannot be routed, and a request for an API its provider does not serve,
 * are rejected with an {@link InvalidRequestException} whose message says what was wrong
 * and what is accepted.
 */
public final class ProviderRouter {

	/** The providers whose model names {@link #providerOf(String)} knows. */
	private static final Set<String> KNOWN_PROVIDERS = Set.of("openai", "xai", "anthropic");

	/** A model of each known provider, for messages. */
	private static final Map<String, String> EXAMPLE_MODELS = Map.of("openai", "gpt-4o-mini", "xai", "grok-3-mini",
			"anthropic", "claude-sonnet-4-5");

	private static final String NAMING_RULES = "use a model whose name starts with gpt-, chatgpt-, o1, o3, o4 or "
			+ "ft:gpt- (openai), grok- (xai) or claude- (anthropic), or name the provider as provider:model";

	private final Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();

	private final @Nullable String defaultProvider;

	/**
	 * Creates a router.
	 * @param adapters the configured adapters, by their {@link ProviderAdapter#name()}
	 * @param defaultProvider provider of requests without a model, or {@code null} for
	 * the first adapter
	 */
	public ProviderRouter(Collection<? extends ProviderAdapter> adapters, @Nullable String defaultProvider) {
		for (ProviderAdapter adapter : adapters) {
			this.adapters.put(adapter.name(), adapter);
		}
		this.defaultProvider = (defaultProvider != null) ? defaultProvider
				: this.adapters.keySet().stream().findFirst().orElse(null);
	}

	/**
	 * Resolves the model of a request and checks that its provider serves the API it
	 * names and can send the request ({@link ProviderAdapter#validate}).
	 * @param request the request
	 * @return the adapter and the model to ask it for
	 * @throws InvalidRequestException (field {@code model}) as {@link #route(String)}
	 * does; (field {@code api}) when the request names an API that is not among the
	 * adapter's {@link ProviderAdapter#supportedApis()}; (another field) when the adapter
	 * cannot send it
	 */
	public Route route(ChatRequest request) {
		Objects.requireNonNull(request, "request must not be null");
		Route route = route(request.model());
		ProviderApi api = request.api();
		if (api != null && !route.adapter().supportedApis().contains(api)) {
			throw unsupportedApi(route, api);
		}
		route.adapter().validate(request, route.model());
		return route;
	}

	/**
	 * Resolves a model name.
	 * @param model the model name, {@code provider:model}, or {@code null} (or blank) for
	 * the default provider's default model
	 * @return the adapter and the model to ask it for
	 * @throws InvalidRequestException (field {@code model}) when no configured provider
	 * serves the model, the {@code provider:} prefix names no configured provider, no
	 * model follows the prefix, or no model is given and the default provider has no
	 * default model
	 */
	public Route route(@Nullable String model) {
		if (model == null || model.isBlank()) {
			return defaultRoute();
		}
		int colon = model.indexOf(':');
		if (colon > 0) {
			String prefix = model.substring(0, colon).toLowerCase(Locale.ROOT);
			String rest = model.substring(colon + 1);
			ProviderAdapter explicit = this.adapters.get(prefix);
			if (explicit != null) {
				if (rest.isBlank()) {
					throw noModelAfterPrefix(explicit, model.substring(0, colon + 1));
				}
				return new Route(explicit, rest);
			}
			if (providerOf(model) == null) {
				throw unknownProvider(model.substring(0, colon), model);
			}
		}
		String provider = providerOf(model);
		ProviderAdapter adapter = (provider != null) ? this.adapters.get(provider) : null;
		if (adapter == null) {
			String reason = (provider != null) ? "it belongs to " + provider + ", which is not configured"
					: NAMING_RULES + " (e.g. " + firstProvider() + ":" + model + ")";
			throw new InvalidRequestException("model", null,
					"No provider for model '" + model + "': " + reason + "; " + configuredProviders());
		}
		return new Route(adapter, model);
	}

	private Route defaultRoute() {
		ProviderAdapter adapter = (this.defaultProvider != null) ? this.adapters.get(this.defaultProvider) : null;
		if (adapter == null) {
			throw new InvalidRequestException("model", null, "No model given and the default provider '"
					+ this.defaultProvider + "' is not configured: name a model; " + configuredProviders());
		}
		String defaultModel = adapter.settings().defaultModel();
		if (defaultModel == null) {
			throw new InvalidRequestException("model", adapter.name(),
					"No model given and the default provider " + adapter.name()
							+ " has no default model: name a model, or configure one (steer.providers." + adapter.name()
							+ ".default-model)");
		}
		return new Route(adapter, defaultModel);
	}

	private InvalidRequestException noModelAfterPrefix(ProviderAdapter adapter, String prefix) {
		String example = adapter.settings().defaultModel();
		if (example == null) {
			example = EXAMPLE_MODELS.getOrDefault(adapter.name(), "<model>");
		}
		return new InvalidRequestException("model", adapter.name(),
				"No model after '" + prefix + "': write provider:model, e.g. " + prefix + example);
	}

	private InvalidRequestException unknownProvider(String prefix, String model) {
		String lower = prefix.toLowerCase(Locale.ROOT);
		String what = KNOWN_PROVIDERS.contains(lower)
				? "Provider '" + prefix + "' in model '" + model + "' is not configured"
				: "Unknown provider '" + prefix + "' in model '" + model + "'";
		return new InvalidRequestException("model", null, what + "; " + configuredProviders());
	}

	private InvalidRequestException unsupportedApi(Route route, ProviderApi api) {
		ProviderAdapter adapter = route.adapter();
		Set<ProviderApi> supported = adapter.supportedApis();
		String accepted = supported.isEmpty() ? "it takes no api: leave it unset"
				: "it accepts " + supported.stream().sorted().map(ProviderApi::value).collect(Collectors.joining(", "))
						+ ", or no api for its configured one";
		List<String> others = this.adapters.values()
			.stream()
			.filter((other) -> other.supportedApis().contains(api))
			.map(ProviderAdapter::name)
			.toList();
		String servedBy = others.isEmpty() ? "" : "; " + api.value() + " is served by " + String.join(", ", others);
		return new InvalidRequestException("api", adapter.name(), "Provider " + adapter.name() + " (model '"
				+ route.model() + "') does not serve the api '" + api.value() + "': " + accepted + servedBy);
	}

	private String firstProvider() {
		return this.adapters.keySet().stream().findFirst().orElse("openai");
	}

	private String configuredProviders() {
		return "configured providers: " + String.join(", ", this.adapters.keySet());
	}

	/**
	 * The provider a model name belongs to by its prefix.
	 * @param model the model name
	 * @return {@code openai}, {@code xai}, {@code anthropic}, or {@code null} when
	 * unknown
	 */
	public static @Nullable String providerOf(String model) {
		String m = model.toLowerCase(Locale.ROOT);
		if (m.startsWith("gpt-") || m.startsWith("chatgpt-") || m.startsWith("ft:gpt-") || m.matches("o[134]([-.].*)?")
				|| m.startsWith("o4")) {
			return "openai";
		}
		if (m.startsWith("grok-")) {
			return "xai";
		}
		if (m.startsWith("claude-")) {
			return "anthropic";
		}
		return null;
	}

	/**
	 * A routed model.
	 *
	 * @param adapter the adapter that serves it
	 * @param model the model to ask for, without a {@code provider:} prefix
	 */
	public record Route(ProviderAdapter adapter, String model) {

	}

}
