package io.steer.llm.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Connection settings of one provider. {@link #toString()} never shows the API key.
 *
 * @param baseUrl base URL of the provider's API, without a trailing slash (e.g.
 * {@code https://api.openai.com/v1})
 * @param apiKey the API key, {@code null} or empty to send none (e.g. to a local gateway)
 * @param defaultModel model used when a request names none, or {@code null}
 * @param headers extra headers sent with every request (e.g. {@code OpenAI-Organization})
 */
public record ProviderSettings(String baseUrl, @Nullable String apiKey, @Nullable String defaultModel,
		Map<String, String> headers) {

	/**
	 * Creates settings; a trailing slash of the base URL is removed and the headers are
	 * copied.
	 * @param baseUrl base URL of the provider's API
	 * @param apiKey the API key, {@code null} or empty to send none
	 * @param defaultModel model used when a request names none, or {@code null}
	 * @param headers extra headers sent with every request
	 * @throws NullPointerException if {@code baseUrl} or {@code headers} is {@code null}
	 */
	public ProviderSettings {
		Objects.requireNonNull(baseUrl, "baseUrl must not be null");
		baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Settings with a base URL and an API key only.
	 * @param baseUrl the base URL
	 * @param apiKey the API key, may be {@code null}
	 * @return the settings
	 */
	public static ProviderSettings of(String baseUrl, @Nullable String apiKey) {
		return new ProviderSettings(baseUrl, apiKey, null, Map.of());
	}

	/**
	 * Whether an API key is set.
	 * @return {@code true} when the key is neither {@code null} nor blank
	 */
	public boolean hasApiKey() {
		return this.apiKey != null && !this.apiKey.isBlank();
	}

	/**
	 * A copy with another default model.
	 * @param defaultModel the model
	 * @return the copy
	 */
	public ProviderSettings withDefaultModel(@Nullable String defaultModel) {
		return new ProviderSettings(this.baseUrl, this.apiKey, defaultModel, this.headers);
	}

	@Override
	public String toString() {
		return "ProviderSettings[baseUrl=" + this.baseUrl + ", apiKey=" + (hasApiKey() ? "******" : "<none>")
				+ ", defaultModel=" + this.defaultModel + ", headers=" + this.headers.keySet() + "]";
	}

}
