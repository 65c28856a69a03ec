package io.steer.llm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import io.steer.llm.error.InvalidRequestException;

/**
 * Which of a provider's streaming APIs serves a request, where it has more than one
 * (OpenAI and xAI both speak Chat Completions and the Responses API).
 */
public enum ProviderApi {

	/** {@code POST /chat/completions}. */
	CHAT_COMPLETIONS,

	/** {@code POST /responses}. */
	RESPONSES;

	/**
	 * The name of this API in configuration and requests.
	 * @return {@code chat-completions} or {@code responses}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Parses a configuration or request value such as {@code responses} or
	 * {@code chat-completions}, in any case, with dashes or underscores, surrounding
	 * blanks ignored.
	 * @param value the value
	 * @return the API
	 * @throws InvalidRequestException (field {@code api}) when the value names no API;
	 * its message lists the accepted names
	 * @throws NullPointerException when the value is {@code null}
	 */
	public static ProviderApi from(String value) {
		Objects.requireNonNull(value, "value must not be null");
		String name = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
		for (ProviderApi api : values()) {
			if (api.name().equals(name)) {
				return api;
			}
		}
		throw new InvalidRequestException("api", null, "Unknown API '" + value + "'; accepted: " + acceptedNames());
	}

	/**
	 * The names {@link #from(String)} accepts, for messages.
	 * @return e.g. {@code chat-completions, responses}
	 */
	static String acceptedNames() {
		return Arrays.stream(values()).map(ProviderApi::value).collect(Collectors.joining(", "));
	}

}
