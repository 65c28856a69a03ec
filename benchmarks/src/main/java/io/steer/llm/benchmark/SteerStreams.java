package io.steer.llm.benchmark;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Our client streaming one response per {@link #get()}: {@code streamEvents} with the
 * given options, read to its complete event.
 * <p>
 * Its API is JDK and Reactor types only, so that {@link IsolatedCore} can load it with
 * another build of {@code steer-llm-core} for a before/after comparison in one run.
 */
public final class SteerStreams implements Supplier<Mono<Long>> {

	private final SteerLLMClient client;

	private final ChatRequest request;

	private final StreamingOptions options;

	/**
	 * Creates the client.
	 * @param http the connector's HTTP client (the benchmark's connection pool)
	 * @param baseUrl the provider's base URL
	 * @param mode {@code default} (default options), {@code no-estimation} (usage
	 * aggregation off) or {@code counting} (a provider not expected to report usage:
	 * tiktoken counts every delta as it arrives) or {@code gzip} (default options with
	 * {@code enable-compression}: the provider is asked for a gzip body, which the
	 * connector decodes)
	 * @param prompt the user message
	 */
	public SteerStreams(HttpClient http, String baseUrl, String mode, String prompt) {
		this(http, baseUrl, mode, prompt, (builder) -> {
		});
	}

	/**
	 * Creates the client, its builder customized last (for the {@code steer-metrics}
	 * variant: {@link AppMetrics#configure(SteerLLMClient.Builder)}; for
	 * {@code steer-events}, {@link EventChain#configure(SteerLLMClient.Builder)}, whose
	 * default options the {@code default} mode streams with). Not public, so that
	 * {@link IsolatedCore} only sees the constructor of JDK and Reactor types.
	 * @param http the connector's HTTP client (the benchmark's connection pool)
	 * @param baseUrl the provider's base URL
	 * @param mode as {@link #SteerStreams(HttpClient, String, String, String)}
	 * @param prompt the user message
	 * @param customizer applied to the builder just before it builds
	 */
	SteerStreams(HttpClient http, String baseUrl, String mode, String prompt,
			Consumer<SteerLLMClient.Builder> customizer) {
		this.request = ChatRequest.of(prompt, "gpt-4o-mini");
		ProviderSettings settings = ProviderSettings.of(baseUrl, "sk-benchmark");
		SteerLLMClient.Builder builder = SteerLLMClient.builder()
			.webClientBuilder(WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)));
		if (mode.equals("counting")) {
			builder.provider(new CountAsDeltasArrive(
					OpenAiChatCompletionsAdapter.openAi(settings, JsonMapper.builder().build())));
		}
		else {
			builder.openAi(settings);
		}
		customizer.accept(builder);
		this.client = builder.build();
		this.options = switch (mode) {
			case "no-estimation" -> StreamingOptions.builder().enableUsageAggregation(false).build();
			case "gzip" -> StreamingOptions.builder().enableCompression(true).build();
			// the client's default options: those a customizer gave it, or the defaults
			default -> this.client.defaultOptions();
		};
	}

	/**
	 * One stream.
	 * @return its delta count, or an error when it failed
	 */
	@Override
	public Mono<Long> get() {
		return this.client.streamEvents(this.request, this.options)
			.filter((event) -> event.isTerminal() || event instanceof StreamDeltaEvent)
			.last()
			.handle((event, sink) -> {
				if (event instanceof StreamCompleteEvent complete) {
					sink.next((long) complete.totalChunks());
				}
				else if (event instanceof StreamErrorEvent error) {
					sink.error(error.error());
				}
			});
	}

	/** OpenAI Chat Completions, as if the provider sent no usage. */
	private record CountAsDeltasArrive(ProviderAdapter delegate) implements ProviderAdapter {

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public ProviderSettings settings() {
			return this.delegate.settings();
		}

		@Override
		public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
			return this.delegate.createRequest(request, model, options);
		}

		@Override
		public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
			return this.delegate.createParser(request, listener);
		}

		@Override
		public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
			return this.delegate.httpError(status, requestId, body);
		}

	}

}
