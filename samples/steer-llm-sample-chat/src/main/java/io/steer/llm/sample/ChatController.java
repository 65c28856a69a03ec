package io.steer.llm.sample;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams answers: typed events as SSE on {@code /chat}, bare text on {@code /chat/text}.
 */
@RestController
class ChatController {

	private final SteerLLMClient client;

	ChatController(SteerLLMClient client) {
		this.client = client;
	}

	/**
	 * One SSE event per stream event, named {@code start}, {@code delta}, {@code usage},
	 * {@code complete} or {@code error}. {@code api=responses} asks OpenAI or xAI for the
	 * Responses API instead of Chat Completions.
	 */
	@GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> chat(@RequestParam(defaultValue = "Tell me about a holiday") String prompt,
			@RequestParam(required = false) @Nullable String model,
			@RequestParam(required = false) @Nullable String api) {
		ChatRequest request = ChatRequest.builder()
			.prompt(prompt)
			.model(model)
			.api((api != null) ? ProviderApi.from(api) : null)
			.build();
		return this.client.streamEvents(request).map(ChatController::toServerSentEvent);
	}

	/** The answer text alone, streamed as it arrives. */
	@GetMapping(path = "/chat/text", produces = MediaType.TEXT_PLAIN_VALUE)
	Flux<String> text(@RequestParam(defaultValue = "Tell me about a holiday") String prompt,
			@RequestParam(required = false) @Nullable String model) {
		return this.client.stream(prompt, model);
	}

	static ServerSentEvent<Object> toServerSentEvent(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			return sse("delta", new Delta(delta.kind().name().toLowerCase(java.util.Locale.ROOT), delta.delta(),
					delta.chunkIndex()));
		}
		if (event instanceof StreamStartEvent start) {
			return sse("start", new Start(start.provider(), start.model(), start.requestId(), start.streamId()));
		}
		if (event instanceof StreamUsageEvent usage) {
			return sse("usage", new UsageView(usage.usage(), usage.isEstimated(), usage.confidence()));
		}
		if (event instanceof StreamCompleteEvent complete) {
			return sse("complete", new Complete(complete.response().model(), complete.totalChunks(),
					complete.durationMs(), complete.response().metrics().timeToFirstTokenMs(),
					complete.response().finishReason(), complete.response().text().length()));
		}
		StreamErrorEvent error = (StreamErrorEvent) event;
		return sse("error", new Error(error.errorType().name(), error.error().getMessage(), error.isRetryable(),
				error.partialText()));
	}

	private static ServerSentEvent<Object> sse(String name, Object data) {
		return ServerSentEvent.builder(data).event(name).build();
	}

	record Start(String provider, String model, @Nullable String requestId, String streamId) {
	}

	record Delta(String kind, String text, int index) {
	}

	record UsageView(int promptTokens, int completionTokens, int totalTokens, boolean estimated, double confidence) {

		UsageView(Usage usage, boolean estimated, double confidence) {
			this(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), estimated, confidence);
		}

	}

	record Complete(String model, int chunks, double durationMs, @Nullable Double timeToFirstTokenMs,
			@Nullable String finishReason, int textLength) {
	}

	record Error(String type, String message, boolean retryable, String partialText) {
	}

}
