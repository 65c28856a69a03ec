package io.steer.llm.model;

/**
 * Which of a provider's streaming APIs serves a request, where it has more than one (OpenAI
 * and xAI both speak Chat Completions and the Responses API).
 */
public enum ProviderApi {

	/** {@code POST /chat/completions}. */
	CHAT_COMPLETIONS,

	/** {@code POST /responses}. */
	RESPONSES

}
