package io.steer.llm.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.shaping.ProgressTracker;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerSentEvents} given {@link StreamingOptions}: the events shaped as the
 * options ask, and progress events tracked from the same subscription.
 */
class ServerSentEventsShapingTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Instant T0 = Instant.EPOCH;

	private static final StreamStartEvent START = new StreamStartEvent("s1", "openai", "gpt-4o-mini", null, T0,
			Map.of());

	private static final StreamingOptions SENTENCES = StreamingOptions.builder()
		.bufferType(BufferType.SENTENCE)
		.bufferTimeout(Duration.ZERO)
		.build();

	@BeforeAll
	static void failInsteadOfHanging() {
		StepVerifier.setDefaultTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void resetTimeout() {
		StepVerifier.resetDefaultTimeout();
	}

	private static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s1", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	private static StreamCompleteEvent complete(String text) {
		StreamingResponse response = new StreamingResponse("c1", "openai", "gpt-4o-mini", text, null, "", "stop",
				FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(3, text.length(), 10, 1.0, 0, 1), Map.of());
		return new StreamCompleteEvent("s1", 3, 10, null, response, T0);
	}

	private static List<StreamEvent> hello() {
		return List.of(START, delta(0, "Hello wor"), delta(1, "ld. How"), delta(2, " are you?"),
				complete("Hello world. How are you?"));
	}

	private static JsonNode json(ServerSentEvent<String> event) {
		return MAPPER.readTree(event.data());
	}

	@Test
	void optionsShouldReChunkTheDeltasIntoSentences() {
		List<ServerSentEvent<String>> events = ServerSentEvents.builder()
			.options(SENTENCES)
			.build()
			.apply(Flux.fromIterable(hello()))
			.collectList()
			.block();
		assertThat(events).extracting(ServerSentEvent::event)
			.containsExactly("start", "delta", "delta", "complete", "done");
		assertThat(events.subList(1, 3)).extracting((event) -> json(event).path("text").asString())
			.containsExactly("Hello world.", " How are you?");
		assertThat(events.subList(1, 3)).extracting((event) -> json(event).path("chunkIndex").asInt())
			.containsExactly(0, 1);
		assertThat(events).extracting(ServerSentEvent::id).containsExactly("s1:0", "s1:1", "s1:2", "s1:3", "s1:4");
	}

	@Test
	void defaultOptionsShouldWriteTheDeltasAsTheyArrive() {
		List<ServerSentEvent<String>> events = ServerSentEvents.builder()
			.options(StreamingOptions.DEFAULTS)
			.build()
			.apply(Flux.fromIterable(hello()))
			.collectList()
			.block();
		assertThat(events).filteredOn((event) -> "delta".equals(event.event()))
			.extracting((event) -> json(event).path("text").asString())
			.containsExactly("Hello wor", "ld. How", " are you?");
	}

	@Test
	void rateLimitOfTheOptionsShouldPaceTheDeltasOnVirtualTime() {
		// each delta is 3 estimated tokens; the bucket holds 3 and refills 3 a second
		ServerSentEvents sse = ServerSentEvents.builder()
			.options(StreamingOptions.builder().rateLimit(3).build())
			.build();
		StepVerifier
			.withVirtualTime(
					() -> sse.apply(Flux.just(START, delta(0, "abcdefghijk"), delta(1, "abcdefghijk"), complete("x")))
						.map(ServerSentEvent::event))
			.expectNext("start", "delta")
			.expectNoEvent(Duration.ofMillis(999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("delta", "complete", "done")
			.verifyComplete();
	}

	@Test
	void progressShouldMergeTrackedSnapshotsAroundTheEventsFinalOneBeforeComplete() {
		ServerSentEvents sse = ServerSentEvents.builder().options(SENTENCES).progress(true).build();
		StepVerifier.withVirtualTime(() -> sse.apply(Flux.fromIterable(hello())).map(ServerSentEvent::event))
			.expectNext("start", "progress", "delta", "delta", "progress", "complete", "done")
			.verifyComplete();
	}

	@Test
	void progressShouldBeThrottledAtTheProgressIntervalOfTheOptions() {
		ServerSentEvents sse = ServerSentEvents.builder()
			.options(StreamingOptions.builder().progressInterval(Duration.ofMillis(100)).build())
			.progressTrackers(() -> ProgressTracker.create(8L))
			.build();
		StepVerifier
			.withVirtualTime(() -> sse.apply(Flux.concat(Flux.just(START, delta(0, "abcd")),
					Mono.delay(Duration.ofMillis(30)).thenReturn(delta(1, "efgh")),
					Mono.delay(Duration.ofMillis(200)).thenReturn(complete("abcdefgh")))))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("start"))
			.assertNext((event) -> assertThat(event.data())
				.isEqualTo("{\"tokensReceived\":0,\"estimatedTotalTokens\":8,\"elapsed\":\"PT0S\",\"percentage\":0.0,"
						+ "\"estimatedTimeLeft\":null,\"complete\":false}"))
			.expectNextMatches((event) -> "delta".equals(event.event()))
			.expectNoEvent(Duration.ofMillis(30))
			.expectNextMatches((event) -> "delta".equals(event.event()))
			.expectNoEvent(Duration.ofMillis(70))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("progress");
				assertThat(json(event).path("tokensReceived").asLong()).isEqualTo(2);
				assertThat(json(event).path("percentage").asDouble()).isEqualTo(25.0);
				assertThat(json(event).path("complete").asBoolean()).isFalse();
			})
			.thenAwait(Duration.ofMillis(130))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("progress");
				assertThat(json(event).path("complete").asBoolean()).isTrue();
				assertThat(json(event).path("percentage").asDouble()).isEqualTo(100.0);
			})
			.expectNextMatches((event) -> "complete".equals(event.event()))
			.expectNextMatches((event) -> "done".equals(event.event()))
			.verifyComplete();
	}

	@Test
	void progressAndShapingOfAClientStreamShouldMakeOneProviderRequest() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.build();
		ChatRequest request = ChatRequest.builder()
			.messages(ChatRequest.of("Weather?", "gpt-4o-mini").messages())
			.model("gpt-4o-mini")
			.maxTokens(60)
			.build();
		ServerSentEvents sse = ServerSentEvents.builder()
			.options(SENTENCES.toBuilder().progressInterval(Duration.ofMillis(50)).build())
			.progressTrackers(() -> ProgressTracker.forRequest(request))
			.build();
		List<ServerSentEvent<String>> events = sse.apply(client.streamEvents(request)).collectList().block();
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(events).first().extracting(ServerSentEvent::event).isEqualTo("start");
		assertThat(events).filteredOn((event) -> "delta".equals(event.event()))
			.extracting((event) -> json(event).path("text").asString())
			.containsExactly("I'm unable to provide real-time weather updates.",
					" To get the current weather in San Francisco, I recommend checking a reliable weather website "
							+ "or a weather app.");
		List<ServerSentEvent<String>> progress = events.stream()
			.filter((event) -> "progress".equals(event.event()))
			.toList();
		assertThat(progress).isNotEmpty();
		JsonNode last = json(progress.get(progress.size() - 1));
		assertThat(last.path("complete").asBoolean()).isTrue();
		assertThat(last.path("tokensReceived").asLong()).isEqualTo(30);
		assertThat(last.path("estimatedTotalTokens").asLong()).isEqualTo(60);
		assertThat(events).extracting(ServerSentEvent::event).endsWith("progress", "complete", "done");
	}

}
