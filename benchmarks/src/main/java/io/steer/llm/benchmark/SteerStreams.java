package io.steer.llm.benchmark;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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

	private final JsonAnswer.@Nullable Tally json;

	/**
	 * Creates the client.
	 * @param http the connector's HTTP client (the benchmark's connection pool)
	 * @param baseUrl the provider's base URL
	 * @param mode {@code default} (default options), {@code no-estimation} (usage
	 * aggregation off) or {@code counting} (a provider not expected to report usage:
	 * tiktoken counts every delta as it arrives) or {@code gzip} (default options with
	 * {@code enable-compression}: the provider is asked for a gzip body, which the
	 * connector decodes) (the {@code json} scenario's constructor uses
	 * {@code json-handler} too: the JSON stream handler on)
	 * @param prompt the user message
	 */
	public SteerStreams(HttpClient http, String baseUrl, String mode, String prompt) {
		this(http, baseUrl, mode, prompt, (builder) -> {
		}, null);
	}

	/**
	 * Creates the client for the {@code json} scenario: the request asks for
	 * {@link ResponseFormat#jsonObject()}, the subscriber counts the deltas that carry a
	 * {@link StreamDeltaEvent#jsonSnapshot()} into the tally, and, when a stream had
	 * snapshots, fails it unless its last one is complete and equal to the answer.
	 * @param http the connector's HTTP client (the benchmark's connection pool)
	 * @param baseUrl the provider's base URL
	 * @param handler whether the options turn the JSON stream handler on (else
	 * {@link StreamingOptions#DEFAULTS}, the handler off)
	 * @param prompt the user message
	 * @param tally what the subscriber saw, added to for each stream
	 */
	SteerStreams(HttpClient http, String baseUrl, boolean handler, String prompt, JsonAnswer.Tally tally) {
		this(http, baseUrl, handler ? "json-handler" : "default", prompt, (builder) -> {
		}, tally);
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
		this(http, baseUrl, mode, prompt, customizer, null);
	}

	private SteerStreams(HttpClient http, String baseUrl, String mode, String prompt,
			Consumer<SteerLLMClient.Builder> customizer, JsonAnswer.@Nullable Tally json) {
		this.json = json;
		ChatRequest.Builder request = ChatRequest.builder().prompt(prompt).model("gpt-4o-mini");
		this.request = ((json != null) ? request.responseFormat(ResponseFormat.jsonObject()) : request).build();
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
			case "json-handler" -> StreamingOptions.builder().enableJsonStreamHandler(true).build();
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
		JsonAnswer.Tally json = this.json;
		return (json != null) ? Mono.defer(() -> count(new JsonCheck(json))) : count(null);
	}

	/**
	 * One stream read to its complete event, each delta shown to {@code check} (when
	 * given), which may fail the stream at its end.
	 */
	private Mono<Long> count(@Nullable JsonCheck check) {
		Flux<StreamEvent> events = this.client.streamEvents(this.request, this.options)
			.filter((event) -> event.isTerminal() || event instanceof StreamDeltaEvent);
		if (check != null) {
			events = events.doOnNext(check::see);
		}
		return events.last().handle((event, sink) -> {
			if (event instanceof StreamCompleteEvent complete) {
				RuntimeException failure = (check != null) ? check.end() : null;
				if (failure != null) {
					sink.error(failure);
				}
				else {
					sink.next((long) complete.totalChunks());
				}
			}
			else if (event instanceof StreamErrorEvent error) {
				sink.error(error.error());
			}
		});
	}

	/**
	 * One {@code json} stream's subscriber: counts the deltas that carry a JSON snapshot
	 * and keeps the last, which must be complete and equal to the answer when there is
	 * one (the handler off, or a core without one, gives none).
	 */
	private static final class JsonCheck {

		private final JsonAnswer.Tally tally;

		private long snapshots;

		private @Nullable JsonSnapshot last;

		JsonCheck(JsonAnswer.Tally tally) {
			this.tally = tally;
		}

		void see(StreamEvent event) {
			if (event instanceof StreamDeltaEvent delta) {
				JsonSnapshot snapshot = delta.jsonSnapshot();
				if (snapshot != null) {
					this.snapshots++;
					this.last = snapshot;
				}
			}
		}

		/** Adds the stream to the tally; returns why it failed, or {@code null}. */
		@Nullable RuntimeException end() {
			JsonSnapshot snapshot = this.last;
			if (snapshot != null && !(snapshot.complete() && snapshot.value().equals(this.tally.expected()))) {
				return new IllegalStateException("the last of " + this.snapshots
						+ " JSON snapshots is not the complete answer (complete: " + snapshot.complete() + ")");
			}
			this.tally.streams.increment();
			this.tally.snapshots.add(this.snapshots);
			if (snapshot != null) {
				this.tally.complete.increment();
			}
			return null;
		}

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
