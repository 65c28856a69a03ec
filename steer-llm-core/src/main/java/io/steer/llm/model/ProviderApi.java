package io.steer.llm.model;

/**
 * Which of a provider's streaming APIs serves a request, where it has more than one (OpenAI
 * and xAI both speak Chat Completions and the Responses API).
 */
public enum ProviderApi {

	/** {@code POST /chat/completions}. */
	CHAT_COMPLETIONS,

	/** {@code POST /responses}. */
	RESPONSES;

	/**
	 * Parses a configuration or request value such as {@code responses} or
	 * {@code chat-completions}, in any case, with dashes or underscores.
	 * @param value the value
	 * @return the API
	 * @throws IllegalArgumentException when the value names no API
	 */
	public static ProviderApi from(String value) {
		String name = value.trim().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
		for (ProviderApi api : values()) {
			if (api.name().equals(name)) {
				return api;
			}
		}
		throw new IllegalArgumentException("Unknown API '" + value + "' (expected chat-completions or responses)");
	}

}
