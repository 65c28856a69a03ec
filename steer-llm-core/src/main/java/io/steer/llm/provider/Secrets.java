package io.steer.llm.provider;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Keeps API keys out of messages built from provider responses: the one redaction that
 * every provider-supplied text (HTTP error bodies, mid-stream error events) goes through
 * before it reaches an exception, an event, a log line or the retry state.
 */
public final class Secrets {

	private static final int MAX_MESSAGE_LENGTH = 500;

	private static final String MASK = "******";

	/**
	 * Tokens shaped like provider API keys ({@code sk-…}, {@code sk-proj-…},
	 * {@code sk-ant-…}, {@code xai-…}) or bearer credentials, masked even when they are
	 * not the configured key (a proxy that echoes another header, a key of another
	 * provider).
	 */
	private static final Pattern KEY_LIKE = Pattern
		.compile("(?<![A-Za-z0-9])(sk-|xai-|Bearer\\s+)[A-Za-z0-9_\\-.]{8,}");

	private Secrets() {
	}

	/**
	 * Removes an API key, and anything shaped like one, from a text and shortens it for
	 * use in an exception message.
	 * @param text the text, may be {@code null}
	 * @param apiKey the key to remove, may be {@code null}
	 * @return the text with every occurrence of the key, and every token shaped like an
	 * API key or a bearer credential, replaced by {@code ******} (a key-shaped token
	 * keeps its prefix, e.g. {@code sk-******}), cut to 500 characters; {@code null} when
	 * the text was {@code null}
	 */
	public static @Nullable String redact(@Nullable String text, @Nullable String apiKey) {
		if (text == null) {
			return null;
		}
		String result = (apiKey != null && apiKey.length() >= 4) ? text.replace(apiKey, MASK) : text;
		result = KEY_LIKE.matcher(result).replaceAll("$1" + MASK);
		return (result.length() > MAX_MESSAGE_LENGTH) ? result.substring(0, MAX_MESSAGE_LENGTH) + "…" : result;
	}

}
