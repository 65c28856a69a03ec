package io.steer.llm.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerSentEvents} with {@link StepVerifier}: names, ids, payloads, retry, usage,
 * progress, and a failure as {@code error} then {@code done}.
 */
class ServerSentEventsTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Instant T0 = Instant.EPOCH;

	private static final String KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdef";

	private static final StreamStartEvent START = new StreamStartEvent("s1", "openai", "gpt-4o-mini", "req_1", T0,
			Map.of("http.status", 200));

	private static final Usage USAGE = Usage.of(12, 2);

	private static StreamDeltaEvent delta(int index, String text) {
		return new StreamDeltaEvent("s1", DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	private static StreamingResponse response(String text, Usage usage) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini-2024-07-18", text, null, "", "stop",
				FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), usage, false,
				new BigDecimal("0.0000030"), null, new StreamingMetrics(2, text.length(), 250.5, 120.25, 0, 1),
				Map.of());
	}

	private static StreamCompleteEvent complete(String text) {
		return new StreamCompleteEvent("s1", 2, 250.5, USAGE, response(text, USAGE), T0);
	}

	private static List<ServerSentEvent<String>> collect(ServerSentEvents sse, StreamEvent... events) {
		return sse.apply(Flux.just(events)).collectList().block();
	}

	private static JsonNode json(ServerSentEvent<String> event) {
		return MAPPER.readTree(event.data());
	}

	@Test
	void eventsShouldGetTheirNamesAndIdsAndEndWithDone() {
		List<ServerSentEvent<String>> events = collect(ServerSentEvents.builder().build(), START, delta(0, "Hel"),
				delta(1, "lo"), new StreamUsageEvent("s1", USAGE, false, 1.0, T0), complete("Hello"));
		assertThat(events).extracting(ServerSentEvent::event)
			.containsExactly("start", "delta", "delta", "usage", "complete", "done");
		assertThat(events).extracting(ServerSentEvent::id)
			.containsExactly("s1:0", "s1:1", "s1:2", "s1:3", "s1:4", "s1:5");
		assertThat(events).extracting(ServerSentEvent::retry).containsOnlyNulls();
		assertThat(events.get(5).data()).isEqualTo("{}");
	}

	@Test
	void payloadsShouldBeTheDocumentedJson() {
		List<ServerSentEvent<String>> events = collect(ServerSentEvents.builder().build(), START, delta(0, "Hel"),
				new StreamUsageEvent("s1", USAGE, true, 0.9, T0), complete("Hel"));
		assertThat(events.get(0).data()).isEqualTo("{\"streamId\":\"s1\",\"provider\":\"openai\","
				+ "\"model\":\"gpt-4o-mini\",\"requestId\":\"req_1\",\"metadata\":{\"http.status\":200}}");
		assertThat(events.get(1).data())
			.isEqualTo("{\"text\":\"Hel\",\"kind\":\"text\",\"chunkIndex\":0,\"choiceIndex\":0}");
		assertThat(events.get(2).data()).isEqualTo("{\"promptTokens\":12,\"completionTokens\":2,\"totalTokens\":14,"
				+ "\"estimated\":true,\"confidence\":0.9}");
		assertThat(events.get(3).data()).isEqualTo("{\"text\":\"Hel\",\"finishReason\":\"stop\","
				+ "\"normalizedFinishReason\":\"stop\",\"model\":\"gpt-4o-mini-2024-07-18\",\"usage\":{\"promptTokens\":12,"
				+ "\"completionTokens\":2,\"totalTokens\":14,\"estimated\":false},\"costUsd\":0.0000030,"
				+ "\"durationMs\":250.5,\"ttftMs\":120.25,\"chunks\":2}");
	}

	@Test
	void startWithoutRequestIdOrMetadataShouldLeaveThemOut() {
		List<ServerSentEvent<String>> events = collect(ServerSentEvents.builder().build(),
				new StreamStartEvent("s2", "anthropic", "claude-sonnet-4-5", null, T0, Map.of()));
		assertThat(events.get(0).data())
			.isEqualTo("{\"streamId\":\"s2\",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\"}");
	}

	@Test
	void toolCallAndJsonDeltasShouldCarryTheCallAndTheSnapshot() {
		StreamDeltaEvent toolCall = new StreamDeltaEvent("s1", DeltaKind.TOOL_CALL, "{\"city\":", 0, 0, true,
				new ToolCallDelta(0, "call_1", "weather"), T0);
		JsonSnapshot snapshot = new JsonSnapshot(MAPPER.readTree("{\"a\":[1]}"), List.of("a"), false, 0);
		StreamDeltaEvent jsonDelta = new StreamDeltaEvent("s1", DeltaKind.TEXT, "[1", 1, 0, true, null, snapshot, T0,
				Map.of());
		List<ServerSentEvent<String>> events = collect(ServerSentEvents.builder().build(), START, toolCall, jsonDelta);
		assertThat(events.get(1).data()).isEqualTo("{\"text\":\"{\\\"city\\\":\",\"kind\":\"tool_call\","
				+ "\"chunkIndex\":0,\"choiceIndex\":0,\"toolCall\":{\"index\":0,\"id\":\"call_1\",\"name\":\"weather\","
				+ "\"providerExecuted\":false}}");
		assertThat(json(events.get(2)).get("json")).isEqualTo(MAPPER.readTree("{\"a\":[1]}"));
	}

	@Test
	void retryShouldBeOnTheFirstEventOnly() {
		List<ServerSentEvent<String>> events = collect(
				ServerSentEvents.builder().retry(Duration.ofMillis(1500)).build(), START, delta(0, "Hi"),
				complete("Hi"));
		assertThat(events).extracting(ServerSentEvent::retry)
			.containsExactly(Duration.ofMillis(1500), null, null, null);
	}

	@Test
	void withoutUsageShouldLeaveUsageEventsOutWithoutAGapInTheIds() {
		List<ServerSentEvent<String>> events = collect(ServerSentEvents.builder().includeUsage(false).build(), START,
				new StreamUsageEvent("s1", USAGE, false, 1.0, T0), complete(""));
		assertThat(events).extracting(ServerSentEvent::event).containsExactly("start", "complete", "done");
		assertThat(events).extracting(ServerSentEvent::id).containsExactly("s1:0", "s1:1", "s1:2");
		assertThat(json(events.get(1)).get("usage").get("totalTokens").asInt()).isEqualTo(14);
	}

	@Test
	void anErrorEventShouldBecomeAnErrorThenDoneAndCompleteNormally() {
		StreamInterruptedException failure = new StreamInterruptedException("openai", "connection closed", null);
		StreamErrorEvent error = new StreamErrorEvent("s1", failure, failure.getErrorType(), true,
				response("Hel", USAGE), T0);
		StepVerifier.create(ServerSentEvents.builder().build().apply(Flux.just(START, delta(0, "Hel"), error)))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("start"))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("delta"))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				assertThat(event.id()).isEqualTo("s1:2");
				assertThat(event.data()).isEqualTo("{\"type\":\"INTERRUPTED\",\"message\":\"connection closed\","
						+ "\"retryable\":true,\"partialText\":\"Hel\"}");
			})
			.assertNext((event) -> assertThat(event).extracting(ServerSentEvent::event, ServerSentEvent::id)
				.containsExactly("done", "s1:3"))
			.verifyComplete();
	}

	@Test
	void anErrorSignalShouldBecomeAnErrorWithThePartialTextThenDone() {
		Flux<StreamEvent> events = Flux.<StreamEvent>just(START, delta(0, "Hel"), delta(1, "lo"))
			.concatWith(Flux.error(new IllegalStateException("filter broke")));
		StepVerifier.create(ServerSentEvents.builder().build().apply(events)).expectNextCount(3).assertNext((event) -> {
			assertThat(event.event()).isEqualTo("error");
			assertThat(event.id()).isEqualTo("s1:3");
			assertThat(event.data()).isEqualTo("{\"type\":\"PROCESSOR\",\"message\":\"IllegalStateException: "
					+ "filter broke\",\"retryable\":false,\"partialText\":\"Hello\"}");
		}).assertNext((event) -> assertThat(event.event()).isEqualTo("done")).verifyComplete();
	}

	@Test
	void aFluxThatFailsAtOnceShouldGiveAnErrorAndDoneWithoutIds() {
		List<ServerSentEvent<String>> events = ServerSentEvents.builder()
			.build()
			.apply(Flux.error(new StreamInterruptedException(null, "gone", null)))
			.collectList()
			.block();
		assertThat(events).extracting(ServerSentEvent::event).containsExactly("error", "done");
		assertThat(events).extracting(ServerSentEvent::id).containsOnlyNulls();
		assertThat(json(events.get(0)).get("type").asString()).isEqualTo("INTERRUPTED");
	}

	@Test
	void eventsEndingWithoutATerminalEventShouldStillEndWithDone() {
		assertThat(collect(ServerSentEvents.builder().build(), START, delta(0, "x"))).extracting(ServerSentEvent::event)
			.containsExactly("start", "delta", "done");
		assertThat(collect(ServerSentEvents.builder().build())).extracting(ServerSentEvent::event)
			.containsExactly("done");
	}

	@Test
	void anApiKeyInAnErrorShouldNeverReachTheEvents() {
		ProviderStreamException failure = new ProviderStreamException("openai", "server_error", null,
				"quota of " + KEY + " exceeded", false);
		StreamErrorEvent error = new StreamErrorEvent("s1", failure, failure.getErrorType(), false, response("", USAGE),
				T0);
		List<ServerSentEvent<String>> fromEvent = collect(ServerSentEvents.builder().build(), START, error);
		List<ServerSentEvent<String>> fromSignal = ServerSentEvents.builder()
			.build()
			.apply(Flux.<StreamEvent>just(START).concatWith(Flux.error(new IllegalStateException("Bearer " + KEY))))
			.collectList()
			.block();
		assertThat(fromEvent.get(1).data()).doesNotContain(KEY).contains("quota of sk-****** exceeded");
		assertThat(fromSignal.get(1).data()).doesNotContain(KEY).contains("Bearer ******");
		assertThat(fromEvent).extracting(ServerSentEvent::event).containsExactly("start", "error", "done");
	}

	@Test
	void progressShouldBeMergedInWithIdsAndStopAtTheTerminalEvent() {
		TestPublisher<StreamEvent> events = TestPublisher.create();
		Sinks.Many<Object> progress = Sinks.many().multicast().directBestEffort();
		ServerSentEvents sse = ServerSentEvents.builder().progress(progress.asFlux()).build();
		StepVerifier.create(sse.apply(events.flux()))
			.then(() -> progress.tryEmitNext(Map.of("tokens", 0)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> events.next(START))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("start"))
			.assertNext((event) -> {
				assertThat(event).extracting(ServerSentEvent::event, ServerSentEvent::id)
					.containsExactly("progress", "s1:1");
				assertThat(event.data()).isEqualTo("{\"tokens\":0}");
			})
			.then(() -> events.next(delta(0, "Hi")))
			.assertNext((event) -> assertThat(event.id()).isEqualTo("s1:2"))
			.then(() -> progress.tryEmitNext(new Tick(1, 10)))
			.assertNext((event) -> {
				assertThat(event).extracting(ServerSentEvent::event, ServerSentEvent::id)
					.containsExactly("progress", "s1:3");
				assertThat(event.data()).isEqualTo("{\"current\":1,\"total\":10}");
			})
			.then(() -> events.next(complete("Hi")))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("complete"))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("done"))
			.then(() -> progress.tryEmitNext(new Tick(2, 10)))
			.expectNoEvent(Duration.ZERO)
			.then(events::complete)
			.verifyComplete();
		assertThat(progress.currentSubscriberCount()).isZero();
	}

	@Test
	void progressUnderVirtualTimeShouldInterleaveWithTheEvents() {
		StepVerifier.withVirtualTime(() -> {
			Flux<StreamEvent> events = Flux.<StreamEvent>just(START)
				.concatWith(Flux.just(delta(0, "a"), delta(1, "b")).delayElements(Duration.ofMillis(100)))
				.concatWith(Flux.just(complete("ab")).delaySubscription(Duration.ofMillis(100)));
			Flux<Tick> progress = Flux.interval(Duration.ofMillis(150)).map((i) -> new Tick(i, 3));
			return ServerSentEvents.builder().progress(progress).build().apply(events).map(ServerSentEvent::event);
		})
			.expectNext("start")
			.thenAwait(Duration.ofMillis(100))
			.expectNext("delta")
			.thenAwait(Duration.ofMillis(50))
			.expectNext("progress")
			.thenAwait(Duration.ofMillis(50))
			.expectNext("delta")
			.thenAwait(Duration.ofMillis(100))
			.expectNext("progress", "complete", "done")
			.verifyComplete();
	}

	@Test
	void cancellingShouldCancelTheEventsAndTheProgress() {
		TestPublisher<StreamEvent> events = TestPublisher.create();
		TestPublisher<Object> progress = TestPublisher.create();
		StepVerifier.create(ServerSentEvents.builder().progress(progress.flux()).build().apply(events.flux()))
			.then(() -> events.next(START))
			.expectNextCount(1)
			.thenCancel()
			.verify();
		events.assertCancelled();
		progress.assertCancelled();
	}

	@Test
	void aMapperShouldWriteTheProgressValues() {
		JsonMapper snakeCase = JsonMapper.builder()
			.propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
			.build();
		List<ServerSentEvent<String>> events = ServerSentEvents.builder()
			.mapper(snakeCase)
			.progress(Flux.just(new Elapsed(42)))
			.build()
			.apply(Flux.just(START))
			.collectList()
			.block();
		assertThat(events).filteredOn((event) -> "progress".equals(event.event()))
			.extracting(ServerSentEvent::data)
			.containsExactly("{\"elapsed_ms\":42}");
	}

	record Tick(long current, long total) {
	}

	record Elapsed(long elapsedMs) {
	}

}
