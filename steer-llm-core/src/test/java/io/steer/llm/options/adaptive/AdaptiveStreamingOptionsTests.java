package io.steer.llm.options.adaptive;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.error.StreamTimeoutException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AdaptiveStreamingOptions} through a real client over the loopback server: the
 * test kit's injected latency ({@code delayBeforeFirstByte}) and faults
 * ({@code stallAfterEvents}, {@code closeBeforeHeaders}) degrade the provider's quality,
 * the options of the next call change, the start event says which level applied, and good
 * streams bring it back. Read timeouts run on virtual time; the first-chunk latency is
 * measured by the client's monotonic clock, so the delays before the first byte are real
 * (about a second each).
 */
class AdaptiveStreamingOptionsTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final String API_KEY = "sk-secret-adaptive-0123456789";

	private static final ChatRequest CHAT = ChatRequest.of("Weather in San Francisco?", "gpt-4o-mini");

	/** Short retry delays; the timeouts and reconnects come from the levels. */
	private static final StreamingOptions BASE = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(10))
		.maxRetryDelay(Duration.ofMillis(100))
		.totalTimeout(Duration.ofMinutes(10))
		.build();

	/** The first stream of a JVM loads much; keep it out of the measured streams. */
	@BeforeAll
	static void warmUp() {
		server.server().enqueue(chat());
		SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.build()
			.streamEvents(CHAT)
			.blockLast(Duration.ofSeconds(30));
		server.server().reset();
	}

	private static MockResponse chat() {
		return MockResponse.replay(SseFixture.load("openai", "chat-text-usage"));
	}

	private static SteerLLMClient client(AdaptiveStreamingOptions adaptive, StreamingOptions defaults) {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(defaults)
			.optionsResolver(adaptive)
			.build();
	}

	private static void assertLevel(StreamingOptions options, long connectSeconds, long readSeconds, int reconnects) {
		assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(connectSeconds));
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(readSeconds));
		assertThat(options.maxReconnectAttempts()).isEqualTo(reconnects);
	}

	/**
	 * One stream that stalls after its first deltas, on virtual time: nothing until the
	 * read timeout of the level applied, then the estimated usage and the timeout.
	 */
	private static void stalledStream(SteerLLMClient client, Duration readTimeout, String quality) {
		server.server().enqueue(chat().stallAfterEvents(5));
		StepVerifier.withVirtualTime(() -> client.streamEvents(CHAT))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamStartEvent.class,
					(start) -> assertThat(start.metadata()).containsEntry(AdaptiveStreamingOptions.QUALITY_METADATA,
							quality)))
			.expectNextCount(4)
			.expectNoEvent(readTimeout.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectNextMatches(StreamUsageEvent.class::isInstance)
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.errorType()).isEqualTo(StreamErrorType.TIMEOUT);
				assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class,
						(ex) -> assertThat(ex.getTimeout()).isEqualTo(readTimeout));
			}))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** One stream that completes; returns the quality its start event says. */
	private static String completedStream(SteerLLMClient client, MockResponse response) {
		server.server().enqueue(response);
		List<StreamEvent> events = client.streamEvents(CHAT).collectList().block(Duration.ofSeconds(20));
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		return (String) events.get(0).metadata().get(AdaptiveStreamingOptions.QUALITY_METADATA);
	}

	@Test
	void streamsWhenReadTimeoutsRepeatShouldDegradeToPoorThenRecoverAfterGoodStreams() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(
				NetworkQualityEstimator.builder().window(4).hysteresis(2).build());
		SteerLLMClient client = client(adaptive, BASE);
		assertLevel(client.optionsFor(CHAT), 3, 20, 1);
		// one timeout in a window of 4 is above 10%: poor, after two agreeing streams
		stalledStream(client, Duration.ofSeconds(20), "good");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
		stalledStream(client, Duration.ofSeconds(20), "good");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.POOR);
		assertThat(adaptive.qualities()).isEqualTo(Map.of("openai", NetworkQuality.POOR));
		// the next call waits 60 s, not 20 s
		assertLevel(client.optionsFor(CHAT), 10, 60, 5);
		assertThat(client.optionsFor(CHAT).totalTimeout()).isEqualTo(BASE.totalTimeout());
		stalledStream(client, Duration.ofSeconds(60), "poor");
		// [T T T] + good streams: the last timeout leaves the window at the 4th, two
		// agreeing evaluations later it is good
		for (int i = 0; i < 4; i++) {
			assertThat(completedStream(client, chat())).isEqualTo("poor");
			assertThat(adaptive.quality("openai")).as("after good stream %d", i + 1).isEqualTo(NetworkQuality.POOR);
		}
		assertThat(completedStream(client, chat())).isEqualTo("poor");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
		assertLevel(client.optionsFor(CHAT), 3, 20, 1);
		assertThat(completedStream(client, chat())).isEqualTo("good");
	}

	@Test
	void streamsWhenFirstChunksAreSlowShouldDegradeButNotOnOneOutlier() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(NetworkQualityEstimator.builder()
			.window(3)
			.hysteresis(2)
			.fairFirstChunk(Duration.ofMillis(400))
			.poorFirstChunk(Duration.ofMillis(800))
			.build());
		SteerLLMClient client = client(adaptive, BASE);
		MockResponse slow = chat().delayBeforeFirstByte(Duration.ofMillis(1000));
		completedStream(client, chat());
		completedStream(client, chat());
		// one slow stream among fast ones does not move the median
		assertThat(completedStream(client, slow)).isEqualTo("good");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
		completedStream(client, chat());
		// [F S F] + S: the median is slow, once; + S: twice
		completedStream(client, slow);
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
		completedStream(client, slow);
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.POOR);
		assertLevel(client.optionsFor(CHAT), 10, 60, 5);
		// [S S F] is still slow; [S F F] and [F F F] are fast
		assertThat(completedStream(client, chat())).isEqualTo("poor");
		assertThat(completedStream(client, chat())).isEqualTo("poor");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.POOR);
		assertThat(completedStream(client, chat())).isEqualTo("poor");
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.GOOD);
		assertThat(completedStream(client, chat())).isEqualTo("good");
	}

	@Test
	void streamsWhenTheConnectionClosesBeforeTheHeadersShouldDegradeAndRetryMore() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(
				NetworkQualityEstimator.builder().window(4).hysteresis(1).build());
		SteerLLMClient client = client(adaptive, BASE);
		server.server().setDefaultResponse(chat().closeBeforeHeaders());
		StreamErrorEvent first = (StreamErrorEvent) client.streamEvents(CHAT).blockLast(Duration.ofSeconds(20));
		assertThat(first.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		// good: 1 reconnect
		assertThat(first.partialResponse().attempts()).isEqualTo(2);
		assertThat(adaptive.quality("openai")).isEqualTo(NetworkQuality.POOR);
		StreamErrorEvent second = (StreamErrorEvent) client.streamEvents(CHAT).blockLast(Duration.ofSeconds(20));
		// poor: 5 reconnects
		assertThat(second.partialResponse().attempts()).isEqualTo(6);
		assertThat(server.server().requestCount()).isEqualTo(8);
	}

	@Test
	void resolveWhenTheOptionsHaveAProcessorShouldRunItAfterTheAdaptiveOne() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(NetworkQualityEstimator.ofDefaults());
		EventProcessor user = (
				events) -> events.map(
						(event) -> (event instanceof StreamStartEvent start)
								? start.withMetadata("user.saw",
										start.metadata()
											.getOrDefault(AdaptiveStreamingOptions.QUALITY_METADATA, "nothing"))
								: event);
		SteerLLMClient client = client(adaptive, BASE.withEventProcessor(user));
		server.server().enqueue(chat());
		StreamEvent start = client.streamEvents(CHAT).blockFirst(Duration.ofSeconds(20));
		assertThat(start.metadata()).containsEntry(AdaptiveStreamingOptions.QUALITY_METADATA, "good")
			.containsEntry("user.saw", "good");
	}

	@Test
	void streamEventsWhenTheCallGivesOptionsShouldNeitherAdaptNorObserve() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(NetworkQualityEstimator.ofDefaults());
		SteerLLMClient client = client(adaptive, BASE);
		server.server().enqueue(chat());
		List<StreamEvent> events = client.streamEvents(CHAT, BASE).collectList().block(Duration.ofSeconds(20));
		assertThat(events.get(0).metadata()).doesNotContainKey(AdaptiveStreamingOptions.QUALITY_METADATA);
		assertThat(adaptive.qualities()).isEmpty();
	}

	@Test
	void levelsWhenSomeAreGivenShouldDefaultTheOthersToTheSeeds() {
		AdaptiveStreamingOptions adaptive = new AdaptiveStreamingOptions(NetworkQualityEstimator.ofDefaults(),
				Map.of(NetworkQuality.POOR,
						new AdaptiveStreamingOptions.Level(Duration.ofSeconds(15), Duration.ofSeconds(90), 7)),
				System::nanoTime);
		assertThat(adaptive.level(NetworkQuality.POOR))
			.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(15), Duration.ofSeconds(90), 7));
		assertThat(adaptive.level(NetworkQuality.FAIR))
			.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(5), Duration.ofSeconds(30), 3));
		assertThat(adaptive.level(NetworkQuality.GOOD))
			.isEqualTo(new AdaptiveStreamingOptions.Level(Duration.ofSeconds(3), Duration.ofSeconds(20), 1));
	}

}
