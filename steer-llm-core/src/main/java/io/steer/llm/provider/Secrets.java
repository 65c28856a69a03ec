package io.steer.llm.provider;

import org.jspecify.annotations.Nullable;

/**
 * Keeps API keys out of messages built from provider responses.
 */
public final class Secrets {

	private static final int MAX_MESSAGE_LENGTH = 500;

	private Secrets() {
	}

	/**
	 * Removes an API key from a text and shortens it for use in an exception message.
	 * @param text the text, may be {@code null}
	 * @param apiKey the key to remove, may be {@code null}
	 * @return the text with every occurrence of the key replaced by {@code ******}, cut to 500
	 * characters; {@code null} when the text was {@code null}
	 */
	public static @Nullable String redact(@Nullable String text, @Nullable String apiKey) {
		if (text == null) {
			return null;
		}
		String result = (apiKey != null && apiKey.length() >= 4) ? text.replace(apiKey, "******") : text;
		return (result.length() > MAX_MESSAGE_LENGTH) ? result.substring(0, MAX_MESSAGE_LENGTH) + "…" : result;
	}

}
