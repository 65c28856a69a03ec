package io.steer.llm.provider.openai;

import java.util.Objects;
import java.util.Set;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

/**
 * A provider that speaks both Chat Completions and the Responses API (OpenAI, xAI): each
 * request goes to {@link ChatRequest#api()} when it names one, else to the configured
 * default API.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

	private static final Set<ProviderApi> APIS = Set.of(ProviderApi.values());

	private final OpenAiChatCompletionsAdapter chatCompletions;

	private final OpenAiResponsesAdapter responses;

	private final ProviderApi defaultApi;

	private OpenAiCompatibleAdapter(OpenAiChatCompletionsAdapter chatCompletions, OpenAiResponsesAdapter responses,
			ProviderApi defaultApi) {
		this.chatCompletions = chatCompletions;
		this.responses = responses;
		this.defaultApi = Objects.requireNonNull(defaultApi, "defaultApi must not be null");
	}

	/**
	 * OpenAI, both APIs.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @param defaultApi API of requests that name none
	 * @return the adapter, named {@code openai}
	 */
	public static OpenAiCompatibleAdapter openAi(ProviderSettings settings, ObjectMapper mapper,
			ProviderApi defaultApi) {
		return new OpenAiCompatibleAdapter(OpenAiChatCompletionsAdapter.openAi(settings, mapper),
				OpenAiResponsesAdapter.openAi(settings, mapper), defaultApi);
	}

	/**
	 * xAI, both APIs.
	 * @param settings connection settings
	 * @param mapper JSON mapper
	 * @param defaultApi API of requests that name none
	 * @return the adapter, named {@code xai}
	 */
	public static OpenAiCompatibleAdapter xai(ProviderSettings settings, ObjectMapper mapper, ProviderApi defaultApi) {
		return new OpenAiCompatibleAdapter(OpenAiChatCompletionsAdapter.xai(settings, mapper),
				OpenAiResponsesAdapter.xai(settings, mapper), defaultApi);
	}

	/**
	 * The API a request goes to.
	 * @param request the request
	 * @return its API, else the default
	 */
	public ProviderApi apiOf(ChatRequest request) {
		return (request.api() != null) ? request.api() : this.defaultApi;
	}

	private ProviderAdapter delegate(ChatRequest request) {
		return (apiOf(request) == ProviderApi.RESPONSES) ? this.responses : this.chatCompletions;
	}

	/**
	 * {@inheritDoc}
	 * @return both: {@link ProviderApi#CHAT_COMPLETIONS} and
	 * {@link ProviderApi#RESPONSES}
	 */
	@Override
	public Set<ProviderApi> supportedApis() {
		return APIS;
	}

	@Override
	public String name() {
		return this.chatCompletions.name();
	}

	@Override
	public ProviderSettings settings() {
		return this.chatCompletions.settings();
	}

	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		return delegate(request).createRequest(request, model, options);
	}

	@Override
	public @Nullable Continuation continuation(ChatRequest request, String model, StreamingOptions options,
			StreamProgress progress, SteerLLMException failure) {
		return delegate(request).continuation(request, model, options, progress, failure);
	}

	@Override
	public boolean reportsUsage(ChatRequest request) {
		return delegate(request).reportsUsage(request);
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		return delegate(request).createParser(request, listener);
	}

	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		// both APIs answer errors with the same {"error": {...}} body
		return this.chatCompletions.httpError(status, requestId, body);
	}

}
