package io.steer.llm.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Connection settings of the LLM providers, bound from {@code steer.providers.*}.
 * <p>
 * {@link #toString()} never shows an API key.
 */
@ConfigurationProperties("steer.providers")
public class SteerProvidersProperties {

	/** Default base URL of OpenAI's API. */
	public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

	/** Default base URL of xAI's API. */
	public static final String XAI_BASE_URL = "https://api.x.ai/v1";

	/**
	 * Provider of requests that name no model: 'openai' or 'xai'. When unset, the first of
	 * them with a default model, else 'openai'.
	 */
	private @Nullable String defaultProvider;

	/**
	 * OpenAI (Chat Completions).
	 */
	private final Provider openai = new Provider(OPENAI_BASE_URL);

	/**
	 * xAI (Chat Completions).
	 */
	private final Provider xai = new Provider(XAI_BASE_URL);

	public @Nullable String getDefaultProvider() {
		return this.defaultProvider;
	}

	public void setDefaultProvider(@Nullable String defaultProvider) {
		this.defaultProvider = defaultProvider;
	}

	public Provider getOpenai() {
		return this.openai;
	}

	public Provider getXai() {
		return this.xai;
	}

	@Override
	public String toString() {
		return "SteerProvidersProperties[defaultProvider=" + this.defaultProvider + ", openai=" + this.openai + ", xai="
				+ this.xai + "]";
	}

	/**
	 * Connection settings of one provider. {@link #toString()} never shows the API key.
	 */
	public static class Provider {

		/**
		 * API key sent as a bearer token. Leave empty to send none, e.g. to a local
		 * gateway.
		 */
		private @Nullable String apiKey;

		/**
		 * Base URL of the provider's API, without a trailing slash. Defaults to
		 * https://api.openai.com/v1 for OpenAI and https://api.x.ai/v1 for xAI.
		 */
		private String baseUrl;

		/**
		 * Model used when a request names none.
		 */
		private @Nullable String defaultModel;

		/**
		 * Extra HTTP headers sent with every request, e.g. OpenAI-Organization.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Creates settings with OpenAI's base URL, {@value SteerProvidersProperties#OPENAI_BASE_URL}.
		 */
		public Provider() {
			this(OPENAI_BASE_URL);
		}

		/**
		 * Creates settings with a default base URL.
		 * @param baseUrl the default base URL
		 */
		public Provider(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable String getApiKey() {
			return this.apiKey;
		}

		public void setApiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable String getDefaultModel() {
			return this.defaultModel;
		}

		public void setDefaultModel(@Nullable String defaultModel) {
			this.defaultModel = defaultModel;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		/**
		 * Whether an API key is set.
		 * @return {@code true} when the key is neither {@code null} nor blank
		 */
		public boolean hasApiKey() {
			return this.apiKey != null && !this.apiKey.isBlank();
		}

		@Override
		public String toString() {
			return "Provider[baseUrl=" + this.baseUrl + ", apiKey=" + (hasApiKey() ? "******" : "<none>")
					+ ", defaultModel=" + this.defaultModel + ", headers=" + this.headers.keySet() + "]";
		}

	}

}
