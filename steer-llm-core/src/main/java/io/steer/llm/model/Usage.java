package io.steer.llm.model;

import java.util.Map;

/**
 * Token usage of one response, normalised across providers.
 * <p>
 * Counts are as the provider reports them. In particular OpenAI's
 * {@code completion_tokens} and both OpenAI's and xAI's Responses API
 * {@code output_tokens} include reasoning tokens, while xAI's Chat Completions
 * {@code completion_tokens} leave them out (its {@code total_tokens} adds them back);
 * {@link #reasoningTokens()} carries them in every case. Estimates for xAI follow its
 * Chat Completions shape.
 *
 * @param promptTokens input tokens, including cached ones and, for Anthropic, cache reads
 * and writes
 * ({@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}) (tokens)
 * @param completionTokens output tokens as the provider counts them (tokens)
 * @param totalTokens total as the provider reports it, else prompt plus completion
 * (tokens)
 * @param cachedPromptTokens prompt tokens read from the provider's prompt cache (OpenAI
 * {@code prompt_tokens_details.cached_tokens}, Anthropic
 * {@code cache_read_input_tokens}), 0 when not reported
 * @param cacheCreationTokens prompt tokens written to the prompt cache (Anthropic
 * {@code cache_creation_input_tokens}), 0 when not reported
 * @param reasoningTokens reasoning tokens
 * ({@code completion_tokens_details.reasoning_tokens}), 0 when not reported
 * @param raw the provider's usage object as received, as nested maps and lists; empty for
 * estimated usage
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, int cachedPromptTokens,
		int cacheCreationTokens, int reasoningTokens, Map<String, Object> raw) {

	/**
	 * Creates usage; the raw object is wrapped read-only, not copied.
	 * @param promptTokens input tokens, cache reads and writes included (tokens)
	 * @param completionTokens output tokens as the provider counts them (tokens)
	 * @param totalTokens total as the provider reports it (tokens)
	 * @param cachedPromptTokens prompt tokens read from the prompt cache, 0 when not
	 * reported
	 * @param cacheCreationTokens prompt tokens written to the prompt cache, 0 when not
	 * reported
	 * @param reasoningTokens reasoning tokens, 0 when not reported
	 * @param raw the provider's usage object as received; {@code null} is taken as empty
	 */
	public Usage {
		raw = (raw != null) ? java.util.Collections.unmodifiableMap(raw) : Map.of();
	}

	/**
	 * Usage with only prompt and completion counts, the total being their sum.
	 * @param promptTokens input tokens
	 * @param completionTokens output tokens
	 * @return the usage
	 */
	public static Usage of(int promptTokens, int completionTokens) {
		return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0, 0, Map.of());
	}

	/**
	 * The usage of two responses together, such as a broken response and the one that
	 * continued it: every count added.
	 * @param other the usage to add
	 * @return the sum, whose {@code raw()} is {@code other}'s (the later response's)
	 */
	public Usage plus(Usage other) {
		return new Usage(this.promptTokens + other.promptTokens, this.completionTokens + other.completionTokens,
				this.totalTokens + other.totalTokens, this.cachedPromptTokens + other.cachedPromptTokens,
				this.cacheCreationTokens + other.cacheCreationTokens, this.reasoningTokens + other.reasoningTokens,
				other.raw);
	}

}
