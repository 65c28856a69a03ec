package io.steer.llm.provider;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the provider of a model name.
 * <p>
 * An explicit {@code provider:model} (e.g. {@code xai:grok-3-mini}) names the provider.
 * Otherwise the name decides: {@code gpt-*}, {@code chatgpt-*}, {@code o1*}, {@code o3*},
 * {@code o4*} and fine-tuned {@code ft:gpt-*} go to {@code openai}; {@code grok-*} to
 * {@code xai}; {@code claude-*} to {@code anthropic}. A request without a model goes to the
 * default provider's default model.
 */
public final class ProviderRouter {

	private final Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();

	private final @Nullable String defaultProvider;

	/**
	 * Creates a router.
	 * @param adapters the configured adapters, by their {@link ProviderAdapter#name()}
	 * @param defaultProvider provider of requests without a model, or {@code null} for the
	 * first adapter
	 */
	public ProviderRouter(Collection<? extends ProviderAdapter> adapters, @Nullable String defaultProvider) {
		for (ProviderAdapter adapter : adapters) {
			this.adapters.put(adapter.name(), adapter);
		}
		this.defaultProvider = (defaultProvider != null) ? defaultProvider
				: this.adapters.keySet().stream().findFirst().orElse(null);
	}

	/**
	 * Resolves a model name.
	 * @param model the model name, {@code provider:model}, or {@code null} for the default
	 * @return the adapter and the model to ask it for
	 * @throws IllegalArgumentException when no configured provider serves the model
	 */
	public Route route(@Nullable String model) {
		if (model == null || model.isBlank()) {
			ProviderAdapter adapter = (this.defaultProvider != null) ? this.adapters.get(this.defaultProvider) : null;
			if (adapter == null || adapter.settings().defaultModel() == null) {
				throw new IllegalArgumentException(
						"No model given and no default model configured (steer.providers.<name>.default-model)");
			}
			return new Route(adapter, adapter.settings().defaultModel());
		}
		int colon = model.indexOf(':');
		if (colon > 0) {
			ProviderAdapter explicit = this.adapters.get(model.substring(0, colon).toLowerCase(Locale.ROOT));
			if (explicit != null) {
				return new Route(explicit, model.substring(colon + 1));
			}
		}
		String provider = providerOf(model);
		ProviderAdapter adapter = (provider != null) ? this.adapters.get(provider) : null;
		if (adapter == null) {
			throw new IllegalArgumentException("No provider configured for model '" + model + "'"
					+ ((provider != null) ? " (it belongs to '" + provider + "', which is not configured)"
							: "; name one explicitly as provider:model")
					+ ". Configured providers: " + this.adapters.keySet());
		}
		return new Route(adapter, model);
	}

	/**
	 * The provider a model name belongs to by its prefix.
	 * @param model the model name
	 * @return {@code openai}, {@code xai}, {@code anthropic}, or {@code null} when unknown
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
