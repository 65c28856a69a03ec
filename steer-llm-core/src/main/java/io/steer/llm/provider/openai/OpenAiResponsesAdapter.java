package io.steer.llm.provider.openai;

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
 * WORK IN PROGRESS (issue 3): adapter for the OpenAI Responses API.
 */
public final class OpenAiResponsesAdapter implements ProviderAdapter {

	private final String name;

	private final ProviderSettings settings;

	private OpenAiResponsesAdapter(String name, ProviderSettings settings, ObjectMapper mapper) {
		this.name = name;
		this.settings = settings;
	}

	public static OpenAiResponsesAdapter openAi(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiResponsesAdapter("openai", settings, mapper);
	}

	public static OpenAiResponsesAdapter xai(ProviderSettings settings, ObjectMapper mapper) {
		return new OpenAiResponsesAdapter("xai", settings, mapper);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public ProviderSettings settings() {
		return this.settings;
	}

	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		throw new UnsupportedOperationException("Responses API not implemented yet");
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		throw new UnsupportedOperationException("Responses API not implemented yet");
	}

	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		throw new UnsupportedOperationException("Responses API not implemented yet");
	}

}
