package io.steer.llm.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.anthropic.AnthropicMessagesAdapter;
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

	/** Default base URL of Anthropic's API. */
	public static final String ANTHROPIC_BASE_URL = AnthropicMessagesAdapter.BASE_URL;

	/**
	 * Provider of requests that name no model: 'openai', 'xai' or 'anthropic'. When
	 * unset, the only one with a default model if exactly one has one, else 'openai'.
	 */
	private @Nullable String defaultProvider;

	/**
	 * OpenAI (Chat Completions or the Responses API).
	 */
	private final OpenAiCompatible openai = new OpenAiCompatible(OPENAI_BASE_URL);

	/**
	 * xAI (Chat Completions or the Responses API).
	 */
	private final OpenAiCompatible xai = new OpenAiCompatible(XAI_BASE_URL);

	/**
	 * Anthropic (Messages).
	 */
	private final Anthropic anthropic = new Anthropic();

	/**
	 * Returns {@code steer.providers.default-provider}.
	 * @return provider of requests that name no model: 'openai', 'xai' or 'anthropic'.
	 * When unset, the only one with a default model if exactly one has one, else 'openai'
	 */
	public @Nullable String getDefaultProvider() {
		return this.defaultProvider;
	}

	/**
	 * Sets {@code steer.providers.default-provider}.
	 * @param defaultProvider provider of requests that name no model: 'openai', 'xai' or
	 * 'anthropic'. When unset, the only one with a default model if exactly one has one,
	 * else 'openai'
	 */
	public void setDefaultProvider(@Nullable String defaultProvider) {
		this.defaultProvider = defaultProvider;
	}

	/**
	 * Returns the settings under {@code steer.providers.openai}.
	 * @return the settings of OpenAI (Chat Completions or the Responses API)
	 */
	public OpenAiCompatible getOpenai() {
		return this.openai;
	}

	/**
	 * Returns the settings under {@code steer.providers.xai}.
	 * @return the settings of xAI (Chat Completions or the Responses API)
	 */
	public OpenAiCompatible getXai() {
		return this.xai;
	}

	/**
	 * Returns the settings under {@code steer.providers.anthropic}.
	 * @return the settings of Anthropic (Messages)
	 */
	public Anthropic getAnthropic() {
		return this.anthropic;
	}

	@Override
	public String toString() {
		return "SteerProvidersProperties[defaultProvider=" + this.defaultProvider + ", openai=" + this.openai + ", xai="
				+ this.xai + ", anthropic=" + this.anthropic + "]";
	}

	/**
	 * Connection settings of one provider. {@link #toString()} never shows the API key.
	 */
	public static class Provider {

		/**
		 * API key (a bearer token; Anthropic's x-api-key header). Leave empty to send
		 * none, e.g. to a local gateway.
		 */
		private @Nullable String apiKey;

		/**
		 * Base URL of the provider's API: an absolute http or https URL, without a
		 * trailing slash; any other value fails the start-up. Defaults to
		 * https://api.openai.com/v1 for OpenAI, https://api.x.ai/v1 for xAI and
		 * https://api.anthropic.com for Anthropic.
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
		 * Creates settings with OpenAI's base URL,
		 * {@value SteerProvidersProperties#OPENAI_BASE_URL}.
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

		/**
		 * Returns {@code steer.providers.<provider>.api-key}.
		 * @return API key (a bearer token; Anthropic's x-api-key header). Leave empty to
		 * send none, e.g. to a local gateway
		 */
		public @Nullable String getApiKey() {
			return this.apiKey;
		}

		/**
		 * Sets {@code steer.providers.<provider>.api-key}.
		 * @param apiKey API key (a bearer token; Anthropic's x-api-key header). Leave
		 * empty to send none, e.g. to a local gateway
		 */
		public void setApiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		/**
		 * Returns {@code steer.providers.<provider>.base-url}.
		 * @return base URL of the provider's API, without a trailing slash. Defaults to
		 * https://api.openai.com/v1 for OpenAI, https://api.x.ai/v1 for xAI and
		 * https://api.anthropic.com for Anthropic
		 */
		public String getBaseUrl() {
			return this.baseUrl;
		}

		/**
		 * Sets {@code steer.providers.<provider>.base-url}.
		 * @param baseUrl base URL of the provider's API, without a trailing slash.
		 * Defaults to https://api.openai.com/v1 for OpenAI, https://api.x.ai/v1 for xAI
		 * and https://api.anthropic.com for Anthropic
		 */
		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		/**
		 * Returns {@code steer.providers.<provider>.default-model}.
		 * @return model used when a request names none
		 */
		public @Nullable String getDefaultModel() {
			return this.defaultModel;
		}

		/**
		 * Sets {@code steer.providers.<provider>.default-model}.
		 * @param defaultModel model used when a request names none
		 */
		public void setDefaultModel(@Nullable String defaultModel) {
			this.defaultModel = defaultModel;
		}

		/**
		 * Returns {@code steer.providers.<provider>.headers}.
		 * @return extra HTTP headers sent with every request, e.g. OpenAI-Organization
		 */
		public Map<String, String> getHeaders() {
			return this.headers;
		}

		/**
		 * Sets {@code steer.providers.<provider>.headers}.
		 * @param headers extra HTTP headers sent with every request, e.g.
		 * OpenAI-Organization
		 */
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

	/**
	 * Settings of a provider that speaks both Chat Completions and the Responses API.
	 */
	public static class OpenAiCompatible extends Provider {

		/**
		 * API of requests that name none: 'chat-completions' or 'responses'.
		 */
		private ProviderApi api = ProviderApi.CHAT_COMPLETIONS;

		/**
		 * Creates settings with OpenAI's base URL.
		 */
		public OpenAiCompatible() {
			this(OPENAI_BASE_URL);
		}

		/**
		 * Creates settings with a default base URL.
		 * @param baseUrl the default base URL
		 */
		public OpenAiCompatible(String baseUrl) {
			super(baseUrl);
		}

		/**
		 * Returns {@code steer.providers.openai.api} or {@code steer.providers.xai.api}.
		 * @return API of requests that name none: 'chat-completions' or 'responses'
		 */
		public ProviderApi getApi() {
			return this.api;
		}

		/**
		 * Sets {@code steer.providers.openai.api} or {@code steer.providers.xai.api}.
		 * @param api API of requests that name none: 'chat-completions' or 'responses'
		 */
		public void setApi(ProviderApi api) {
			this.api = api;
		}

		@Override
		public String toString() {
			return super.toString().replace("Provider[", "Provider[api=" + this.api + ", ");
		}

	}

	/**
	 * Settings of Anthropic's Messages API.
	 */
	public static class Anthropic extends Provider {

		/**
		 * Value of the anthropic-version header.
		 */
		private String version = AnthropicMessagesAdapter.DEFAULT_VERSION;

		/**
		 * Output token limit (max_tokens) sent when a request gives none; Anthropic
		 * requires one.
		 */
		private int defaultMaxTokens = AnthropicMessagesAdapter.DEFAULT_MAX_TOKENS;

		/**
		 * Creates settings with Anthropic's base URL.
		 */
		public Anthropic() {
			super(ANTHROPIC_BASE_URL);
		}

		/**
		 * Returns {@code steer.providers.anthropic.version}.
		 * @return value of the anthropic-version header
		 */
		public String getVersion() {
			return this.version;
		}

		/**
		 * Sets {@code steer.providers.anthropic.version}.
		 * @param version value of the anthropic-version header
		 */
		public void setVersion(String version) {
			this.version = version;
		}

		/**
		 * Returns {@code steer.providers.anthropic.default-max-tokens}.
		 * @return output token limit (max_tokens) sent when a request gives none;
		 * Anthropic requires one
		 */
		public int getDefaultMaxTokens() {
			return this.defaultMaxTokens;
		}

		/**
		 * Sets {@code steer.providers.anthropic.default-max-tokens}.
		 * @param defaultMaxTokens output token limit (max_tokens) sent when a request
		 * gives none; Anthropic requires one
		 */
		public void setDefaultMaxTokens(int defaultMaxTokens) {
			this.defaultMaxTokens = defaultMaxTokens;
		}

		@Override
		public String toString() {
			return super.toString().replace("Provider[", "Provider[version=" + this.version + ", ");
		}

	}

}
