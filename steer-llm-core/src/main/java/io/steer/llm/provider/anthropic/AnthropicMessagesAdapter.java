package io.steer.llm.provider.anthropic;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

/**
 * WORK IN PROGRESS (issue 3): adapter for the Anthropic Messages API.
 */
public final class AnthropicMessagesAdapter implements ProviderAdapter {

	/** Default base URL of Anthropic's API. */
	public static final String BASE_URL = "https://api.anthropic.com";

	/** Default {@code anthropic-version} header. */
	public static final String DEFAULT_VERSION = "2023-06-01";

	/** Default {@code max_tokens} when a request gives none. */
	public static final int DEFAULT_MAX_TOKENS = 4096;

	private final ProviderSettings settings;

	private AnthropicMessagesAdapter(ProviderSettings settings, String version, int defaultMaxTokens,
			ObjectMapper mapper) {
		this.settings = settings;
	}

	public static AnthropicMessagesAdapter create(ProviderSettings settings, String version, int defaultMaxTokens,
			ObjectMapper mapper) {
		return new AnthropicMessagesAdapter(settings, version, defaultMaxTokens, mapper);
	}

	@Override
	public String name() {
		return "anthropic";
	}

	@Override
	public ProviderSettings settings() {
		return this.settings;
	}

	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		throw new UnsupportedOperationException("Anthropic not implemented yet");
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		throw new UnsupportedOperationException("Anthropic not implemented yet");
	}

	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		throw new UnsupportedOperationException("Anthropic not implemented yet");
	}

}
