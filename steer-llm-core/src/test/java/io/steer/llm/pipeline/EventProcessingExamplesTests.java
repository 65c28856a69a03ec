package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original SDK's event processing examples, in Java, over the loopback server through
 * {@code SteerLLMClient.streamEvents(request, options.withEventProcessor(…))}. Each
 * example is the few lines a user writes; the assertions check it does what the seed's
 * does.
 */
class EventProcessingExamplesTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest OPENAI = ChatRequest.of("Tell me a story", "gpt-4o-mini");

	private static final ChatRequest ANTHROPIC = ChatRequest.of("Tell me a story", "claude-3-haiku-20240307");

	private static final StreamingOptions OPTIONS = StreamingOptions.builder().retryOnConnectionError(false).build();

	private final SteerLLMClient client = SteerLLMClient.builder()
		.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
		.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
		.build();

	private static void replay(String provider, String name) {
		server.server().enqueue(MockResponse.replay(SseFixture.load(provider, name)));
	}

	private List<StreamEvent> stream(ChatRequest request, EventProcessor processor) {
		return this.client.streamEvents(request, OPTIONS.withEventProcessor(processor)).collectList().block();
	}

	private static StreamCompleteEvent complete(List<StreamEvent> events) {
		return (StreamCompleteEvent) events.get(events.size() - 1);
	}

	/** The seed's uppercase transformer. */
	@Test
	void upperCaseTransformer() {
		EventProcessor upperCase = EventProcessors.transform((event) -> (event instanceof StreamDeltaEvent delta)
				? new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta().toUpperCase(), delta.chunkIndex(),
						delta.choiceIndex(), delta.json(), delta.toolCall(), delta.timestamp(), delta.metadata())
				: event);
		replay("openai", "chat-text-usage");
		List<StreamEvent> events = stream(OPENAI, upperCase);
		assertThat(ProcessorTestEvents.text(events)).isEqualTo(complete(events).response().text().toUpperCase())
			.isNotEmpty();
	}

	/**
	 * The seed's {@code CustomTransformer(user_id)}: {@code event.metadata['user_id']}.
	 */
	static EventProcessor customTransformer(String userId) {
		return EventProcessors.transform((event) -> event.withMetadata("user_id", userId));
	}

	@Test
	void customTransformerAddingTheUserId() {
		replay("openai", "chat-text-usage");
		List<StreamEvent> events = stream(OPENAI, customTransformer("user-123"));
		assertThat(events).hasSizeGreaterThan(3)
			.allSatisfy((event) -> assertThat(event.metadata()).containsEntry("user_id", "user-123"));
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events.get(0).metadata()).containsKey("http.status");
	}

	/** The seed's analytics collector: counts what every stream delivers. */
	static final class AnalyticsCollector implements EventProcessor {

		final AtomicInteger streams = new AtomicInteger();

		final AtomicInteger chunks = new AtomicInteger();

		final AtomicInteger characters = new AtomicInteger();

		final AtomicInteger errors = new AtomicInteger();

		final AtomicInteger totalTokens = new AtomicInteger();

		@Override
		public Flux<StreamEvent> apply(Flux<StreamEvent> events) {
			return events.doOnNext((event) -> {
				if (event instanceof StreamStartEvent) {
					this.streams.incrementAndGet();
				}
				else if (event instanceof StreamDeltaEvent delta) {
					this.chunks.incrementAndGet();
					this.characters.addAndGet(delta.delta().length());
				}
				else if (event instanceof StreamCompleteEvent complete && complete.usage() != null) {
					this.totalTokens.addAndGet(complete.usage().totalTokens());
				}
				else if (event instanceof StreamErrorEvent) {
					this.errors.incrementAndGet();
				}
			});
		}

	}

	@Test
	void analyticsCollector() {
		AnalyticsCollector analytics = new AnalyticsCollector();
		replay("openai", "chat-text-usage");
		StreamCompleteEvent first = complete(stream(OPENAI, analytics));
		replay("anthropic", "text");
		StreamCompleteEvent second = complete(stream(ANTHROPIC, analytics));
		replay("anthropic", "docs-error-overloaded");
		stream(ANTHROPIC, analytics);
		assertThat(analytics.streams).hasValue(3);
		assertThat(analytics.chunks).hasValue(first.totalChunks() + second.totalChunks());
		assertThat(analytics.characters).hasValue(first.response().text().length() + second.response().text().length());
		assertThat(analytics.totalTokens).hasValue(first.usage().totalTokens() + second.usage().totalTokens());
		assertThat(analytics.errors).hasValue(1);
	}

	/** The seed's progress indicator: a dot every 10 chunks. */
	@Test
	void progressIndicatorWithADotEveryTenChunks() {
		StringBuffer progress = new StringBuffer();
		EventProcessor dots = (events) -> events.doOnNext((event) -> {
			if (event instanceof StreamDeltaEvent delta && (delta.chunkIndex() + 1) % 10 == 0) {
				progress.append('.');
			}
			else if (event instanceof StreamCompleteEvent complete) {
				progress.append(" done (").append(complete.totalChunks()).append(" chunks)");
			}
		});
		replay("openai", "chat-text-usage-details-gpt-4.1-nano");
		int chunks = complete(stream(OPENAI, dots)).totalChunks();
		assertThat(chunks).isGreaterThanOrEqualTo(100);
		assertThat(progress).hasToString(".".repeat(chunks / 10) + " done (" + chunks + " chunks)");
	}

	/** The seed's usage by provider, across streams. */
	@Test
	void usageByProvider() {
		Map<String, Integer> tokensByProvider = new ConcurrentHashMap<>();
		EventProcessor usageByProvider = (events) -> {
			AtomicReference<String> provider = new AtomicReference<>("unknown");
			return events.doOnNext((event) -> {
				if (event instanceof StreamStartEvent start) {
					provider.set(start.provider());
				}
				else if (event instanceof StreamCompleteEvent complete && complete.usage() != null) {
					tokensByProvider.merge(provider.get(), complete.usage().totalTokens(), Integer::sum);
				}
			});
		};
		replay("openai", "chat-text-usage");
		int openAi = complete(stream(OPENAI, usageByProvider)).usage().totalTokens();
		replay("anthropic", "text");
		int anthropic = complete(stream(ANTHROPIC, usageByProvider)).usage().totalTokens();
		replay("openai", "chat-text-usage");
		stream(OPENAI, usageByProvider);
		assertThat(tokensByProvider)
			.containsExactlyInAnyOrderEntriesOf(Map.of("openai", 2 * openAi, "anthropic", anthropic));
	}

	/** The seed's time to first token, from the start event and the first delta. */
	@Test
	void timeToFirstTokenFromEvents() {
		AtomicReference<Duration> timeToFirstToken = new AtomicReference<>();
		EventProcessor ttft = (events) -> {
			AtomicReference<StreamStartEvent> start = new AtomicReference<>();
			return events.doOnNext((event) -> {
				if (event instanceof StreamStartEvent started) {
					start.set(started);
				}
				else if (event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 0) {
					timeToFirstToken.set(Duration.between(start.get().timestamp(), delta.timestamp()));
				}
			});
		};
		replay("openai", "chat-text-usage");
		StreamCompleteEvent complete = complete(stream(OPENAI, ttft));
		assertThat(timeToFirstToken.get()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
		// the response's own TTFT counts from sending the request, before the start event
		assertThat(timeToFirstToken.get().toNanos() / 1e6)
			.isLessThanOrEqualTo(complete.response().metrics().timeToFirstTokenMs());
	}

	/** The seed's throughput, from the complete event. */
	@Test
	void throughputFromTheCompleteEvent() {
		AtomicReference<Double> chunksPerSecond = new AtomicReference<>();
		EventProcessor throughput = (events) -> events.doOnNext((event) -> {
			if (event instanceof StreamCompleteEvent complete && complete.durationMs() > 0) {
				chunksPerSecond.set(complete.totalChunks() / (complete.durationMs() / 1000));
			}
		});
		replay("anthropic", "text");
		StreamCompleteEvent complete = complete(stream(ANTHROPIC, throughput));
		assertThat(chunksPerSecond.get()).isPositive()
			.isEqualTo(complete.totalChunks() / (complete.durationMs() / 1000));
		assertThat(complete.response().metrics().charsPerSecond()).isPositive();
	}

	/**
	 * The seed's retry on a retryable error: a retryable {@link StreamErrorEvent} is
	 * turned into an error signal that {@code retryWhen} resubscribes on, so the request
	 * is sent again.
	 */
	@Test
	void retryOnARetryableErrorEvent() {
		replay("anthropic", "docs-error-overloaded");
		replay("anthropic", "text");
		AtomicInteger attempts = new AtomicInteger();
		List<StreamEvent> events = Flux
			.defer(() -> this.client.streamEvents(ANTHROPIC, OPTIONS).doOnSubscribe((s) -> attempts.incrementAndGet()))
			.concatMap((event) -> (event instanceof StreamErrorEvent error && error.isRetryable())
					? Flux.<StreamEvent>error(error.error()) : Flux.just(event))
			.retryWhen(Retry.max(2).filter((ex) -> true))
			.collectList()
			.block();
		assertThat(attempts).hasValue(2);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(events).noneMatch(StreamErrorEvent.class::isInstance);
		assertThat(complete(events).response().text()).startsWith("Hello! I'm doing well");
	}

}
