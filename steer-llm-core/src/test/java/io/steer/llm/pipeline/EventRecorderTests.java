package io.steer.llm.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.EventRecorder.RecordedEvent;
import io.steer.llm.pipeline.EventRecorder.RecordedStream;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.MutableClock;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EventRecorder}: recording and replay, its three bounds, the JSON view
 * and its redaction, and real streams over the loopback server.
 */
class EventRecorderTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final String API_KEY = "sk-proj-recorder0123456789abcdefABCDEF";

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static StreamStartEvent start(String streamId) {
		return new StreamStartEvent(streamId, "openai", "gpt-4o-mini", "req-1", T0, Map.of("attempt", 1));
	}

	private static StreamDeltaEvent delta(String streamId, int index, String text) {
		return new StreamDeltaEvent(streamId, DeltaKind.TEXT, text, index, 0, false, null, T0);
	}

	private static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", text, null, "thinking", "stop",
				FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), Usage.of(3, 2), false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

	private static StreamCompleteEvent complete(String streamId, String text) {
		return new StreamCompleteEvent(streamId, 2, 10, Usage.of(3, 2), response(text), T0);
	}

	private static List<StreamEvent> hello(String streamId) {
		return List.of(start(streamId), delta(streamId, 0, "Hel"), delta(streamId, 1, "lo"),
				new StreamUsageEvent(streamId, Usage.of(3, 2), false, 1.0, T0), complete(streamId, "Hello"));
	}

	private static void record(EventRecorder recorder, List<StreamEvent> events) {
		recorder.apply(Flux.fromIterable(events)).blockLast();
	}

	private static List<JsonNode> parse(String jsonLines) {
		return jsonLines.lines().map(MAPPER::readTree).toList();
	}

	@Test
	void applyShouldPassEveryEventThroughUnchangedAndRecordIt() {
		EventRecorder recorder = EventRecorder.builder().build();
		List<StreamEvent> events = hello("s1");
		StepVerifier.create(recorder.apply(Flux.fromIterable(events))).expectNextSequence(events).verifyComplete();
		RecordedStream recording = recorder.recording("s1").orElseThrow();
		assertThat(recording.streamEvents()).isEqualTo(events);
		assertThat(recording.events()).extracting(RecordedEvent::sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
		assertThat(recording.finished()).isTrue();
		assertThat(recording.truncated()).isFalse();
	}

	@Test
	void applyShouldKeepBackpressure() {
		EventRecorder recorder = EventRecorder.builder().build();
		StepVerifier.create(recorder.apply(Flux.fromIterable(hello("s1"))), 0)
			.expectSubscription()
			.expectNoEvent(Duration.ZERO)
			.thenRequest(2)
			.expectNextCount(2)
			.thenCancel()
			.verify();
		assertThat(recorder.recording("s1").orElseThrow().events()).hasSize(2);
	}

	@Test
	void replayShouldEmitTheRecordedEventsOfAFinishedStream() {
		EventRecorder recorder = EventRecorder.builder().build();
		record(recorder, hello("s1"));
		StepVerifier.create(recorder.replay("s1")).expectNextSequence(hello("s1")).verifyComplete();
		StepVerifier.create(recorder.replay("s1"), 1).expectNext(start("s1")).thenCancel().verify();
	}

	@Test
	void replayOfAStreamInFlightShouldEmitWhatItEmittedSoFar() {
		EventRecorder recorder = EventRecorder.builder().build();
		record(recorder, hello("s1").subList(0, 2));
		StepVerifier.create(recorder.replay("s1")).expectNextSequence(hello("s1").subList(0, 2)).verifyComplete();
		assertThat(recorder.recording("s1").orElseThrow().finished()).isFalse();
	}

	@Test
	void unknownStreamShouldReplayNothing() {
		EventRecorder recorder = EventRecorder.builder().build();
		StepVerifier.create(recorder.replay("nope")).verifyComplete();
		assertThat(recorder.recording("nope")).isEmpty();
		assertThat(recorder.jsonLines("nope")).isEmpty();
		assertThat(recorder.streamIds()).isEmpty();
	}

	@Test
	void exportOfUnknownStreamShouldWriteNothing() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(EventRecorder.builder().build().exportJsonLines("nope", out)).isZero();
		assertThat(out.size()).isZero();
	}

	@Test
	void streamIdsShouldListTheRecordedStreams() {
		EventRecorder recorder = EventRecorder.builder().build();
		record(recorder, hello("s1"));
		record(recorder, hello("s2"));
		assertThat(recorder.streamIds()).containsExactlyInAnyOrder("s1", "s2");
	}

	@Test
	void eventsBeyondTheMaximumShouldDropTheOldestAfterTheStartEventAndCountThem() {
		EventRecorder recorder = EventRecorder.builder().maxEventsPerStream(5).build();
		List<StreamEvent> events = new ArrayList<>();
		events.add(start("s1"));
		IntStream.range(0, 10).forEach((i) -> events.add(delta("s1", i, "d" + i)));
		events.add(complete("s1", "all"));
		record(recorder, events);
		RecordedStream recording = recorder.recording("s1").orElseThrow();
		assertThat(recording.events()).extracting(RecordedEvent::sequence).containsExactly(0L, 8L, 9L, 10L, 11L);
		assertThat(recording.streamEvents().get(0)).isEqualTo(start("s1"));
		assertThat(recording.droppedEvents()).isEqualTo(7);
		assertThat(recording.truncated()).isTrue();
		assertThat(recording.finished()).isTrue();
		assertThat(parse(recorder.jsonLines("s1"))).extracting((line) -> line.get("sequence").asLong())
			.containsExactly(0L, 8L, 9L, 10L, 11L);
	}

	@Test
	void aMaximumOfOneEventShouldKeepTheLastEvent() {
		EventRecorder recorder = EventRecorder.builder().maxEventsPerStream(1).build();
		record(recorder, hello("s1"));
		RecordedStream recording = recorder.recording("s1").orElseThrow();
		assertThat(recording.streamEvents()).containsExactly(complete("s1", "Hello"));
		assertThat(recording.droppedEvents()).isEqualTo(4);
	}

	@Test
	void streamsBeyondTheMaximumShouldBeEvictedKeepingTheLatest() {
		EventRecorder recorder = EventRecorder.builder().maxStreams(2).build();
		IntStream.range(0, 5).forEach((i) -> record(recorder, hello("s" + i)));
		assertThat(recorder.streamIds()).hasSize(2).contains("s4");
	}

	@Test
	void recordingShouldExpireTheTtlAfterTheStreamsLastEvent() {
		MutableClock clock = new MutableClock(T0);
		EventRecorder recorder = EventRecorder.builder().ttl(Duration.ofMinutes(10)).clock(clock).build();
		record(recorder, hello("s1").subList(0, 2));
		clock.advance(Duration.ofMinutes(9));
		record(recorder, hello("s1").subList(2, 5));
		clock.advance(Duration.ofMinutes(9));
		assertThat(recorder.recording("s1")).isPresent();
		assertThat(recorder.streamIds()).containsExactly("s1");
		clock.advance(Duration.ofMinutes(1).plusMillis(1));
		assertThat(recorder.recording("s1")).isEmpty();
		assertThat(recorder.streamIds()).isEmpty();
		StepVerifier.create(recorder.replay("s1")).verifyComplete();
	}

	@Test
	void readingARecordingShouldNotExtendItsTtl() {
		MutableClock clock = new MutableClock(T0);
		EventRecorder recorder = EventRecorder.builder().ttl(Duration.ofMinutes(10)).clock(clock).build();
		record(recorder, hello("s1"));
		clock.advance(Duration.ofMinutes(6));
		assertThat(recorder.recording("s1")).isPresent();
		assertThat(recorder.jsonLines("s1")).isNotEmpty();
		clock.advance(Duration.ofMinutes(5));
		assertThat(recorder.recording("s1")).isEmpty();
	}

	@Test
	void jsonLinesShouldWriteOneObjectPerEventWithItsTypeAndRedactText() {
		EventRecorder recorder = EventRecorder.builder().build();
		record(recorder, hello("s1"));
		String jsonLines = recorder.jsonLines("s1");
		assertThat(jsonLines).endsWith("\n").doesNotContain("Hel\"").doesNotContain("Hello").doesNotContain("thinking");
		List<JsonNode> lines = parse(jsonLines);
		assertThat(lines).extracting((line) -> line.get("type").asString())
			.containsExactly("start", "delta", "delta", "usage", "complete");
		assertThat(lines).allSatisfy((line) -> {
			assertThat(line.get("streamId").asString()).isEqualTo("s1");
			assertThat(line.get("timestamp").asString()).isEqualTo("2026-01-01T00:00:00Z");
		});
		JsonNode start = lines.get(0);
		assertThat(start.get("provider").asString()).isEqualTo("openai");
		assertThat(start.get("model").asString()).isEqualTo("gpt-4o-mini");
		assertThat(start.get("requestId").asString()).isEqualTo("req-1");
		assertThat(start.get("metadata").get("attempt").asInt()).isEqualTo(1);
		JsonNode delta = lines.get(1);
		assertThat(delta.get("delta").asString()).isEqualTo("[redacted 3 chars]");
		assertThat(delta.get("kind").asString()).isEqualTo("text");
		assertThat(delta.get("chunkIndex").asInt()).isZero();
		assertThat(lines.get(3).get("usage").get("completionTokens").asInt()).isEqualTo(2);
		JsonNode complete = lines.get(4);
		assertThat(complete.get("totalChunks").asInt()).isEqualTo(2);
		assertThat(complete.get("response").get("text").asString()).isEqualTo("[redacted 5 chars]");
		assertThat(complete.get("response").get("reasoning").asString()).isEqualTo("[redacted 8 chars]");
		assertThat(complete.get("response").get("finishReason").asString()).isEqualTo("stop");
		assertThat(complete.get("response").get("usage").get("totalTokens").asInt()).isEqualTo(5);
	}

	@Test
	void jsonLinesShouldShowTheMetadataAProcessorAddedToAnyEvent() {
		EventRecorder recorder = EventRecorder.builder().build();
		List<StreamEvent> events = hello("s1").stream()
			.map((event) -> event.isTerminal() || event instanceof StreamDeltaEvent
					? event.withMetadata("user_id", "u-42") : event)
			.toList();
		record(recorder, events);
		List<JsonNode> lines = parse(recorder.jsonLines("s1"));
		assertThat(lines.get(1).get("metadata").get("user_id").asString()).isEqualTo("u-42");
		assertThat(lines.get(4).get("metadata").get("user_id").asString()).isEqualTo("u-42");
		assertThat(lines.get(3).has("metadata")).isFalse();
	}

	@Test
	void jsonLinesWithTextIncludedShouldShowTheText() {
		EventRecorder recorder = EventRecorder.builder().includeText(true).build();
		record(recorder, hello("s1"));
		List<JsonNode> lines = parse(recorder.jsonLines("s1"));
		assertThat(lines.get(1).get("delta").asString()).isEqualTo("Hel");
		assertThat(lines.get(4).get("response").get("text").asString()).isEqualTo("Hello");
	}

	@Test
	void jsonLinesShouldStayOneLinePerEventWithAnIndentingMapper() {
		JsonMapper indenting = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		EventRecorder recorder = EventRecorder.builder().jsonMapper(indenting).build();
		record(recorder, hello("s1"));
		assertThat(recorder.jsonLines("s1").lines()).hasSize(5);
	}

	@Test
	void exportShouldWriteTheSameJsonLinesInUtf8() throws IOException {
		EventRecorder recorder = EventRecorder.builder().includeText(true).build();
		record(recorder, List.of(start("s1"), delta("s1", 0, "héllo ✓"), complete("s1", "héllo ✓")));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(recorder.exportJsonLines("s1", out)).isEqualTo(3);
		assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(recorder.jsonLines("s1"));
		assertThat(parse(out.toString(StandardCharsets.UTF_8)).get(1).get("delta").asString()).isEqualTo("héllo ✓");
	}

	@Test
	void errorEventShouldShowItsTypeAndErrorWithThePartialTextRedacted() {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		StreamErrorEvent failed = new StreamErrorEvent("s1", error, error.getErrorType(), true, response("Hel"), T0);
		EventRecorder recorder = EventRecorder.builder().build();
		record(recorder, List.of(start("s1"), delta("s1", 0, "Hel"), failed));
		JsonNode line = parse(recorder.jsonLines("s1")).get(2);
		assertThat(line.get("type").asString()).isEqualTo("error");
		assertThat(line.get("errorType").asString()).isEqualTo(StreamErrorType.INTERRUPTED.name());
		assertThat(line.get("retryable").asBoolean()).isTrue();
		assertThat(line.get("error").get("class").asString()).isEqualTo(StreamInterruptedException.class.getName());
		assertThat(line.get("error").get("message").asString()).contains("connection closed");
		assertThat(line.get("partialResponse").get("text").asString()).isEqualTo("[redacted 3 chars]");
	}

	@Test
	void typeShouldNameEachEventTypeAsTheSeedDoes() {
		List<StreamEvent> events = hello("s1");
		assertThat(events).extracting(EventRecorder::type)
			.containsExactly("start", "delta", "delta", "usage", "complete");
	}

	@Test
	void builderShouldRejectInvalidBounds() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventRecorder.builder().maxStreams(0))
			.withMessageContaining("maxStreams");
		assertThatIllegalArgumentException().isThrownBy(() -> EventRecorder.builder().maxEventsPerStream(0))
			.withMessageContaining("maxEventsPerStream");
		assertThatIllegalArgumentException().isThrownBy(() -> EventRecorder.builder().ttl(Duration.ZERO))
			.withMessageContaining("ttl");
	}

	@Test
	void aRealStreamShouldBeReplayedAsItsSubscriberSawIt() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		EventRecorder recorder = EventRecorder.builder().build();
		List<StreamEvent> seen = new CopyOnWriteArrayList<>();
		client()
			.streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"),
					StreamingOptions.DEFAULTS.withEventProcessor(recorder))
			.doOnNext(seen::add)
			.blockLast();
		String streamId = seen.get(0).streamId();
		assertThat(recorder.streamIds()).containsExactly(streamId);
		StepVerifier.create(recorder.replay(streamId)).expectNextSequence(seen).verifyComplete();
		assertThat(parse(recorder.jsonLines(streamId))).hasSize(seen.size())
			.last()
			.satisfies((line) -> assertThat(line.get("type").asString()).isEqualTo("complete"));
	}

	@Test
	void realStreamsShouldNeverShowTheApiKey() throws IOException {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		server.server()
			.enqueue(MockResponse.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY
					+ "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
		for (boolean includeText : new boolean[] { false, true }) {
			EventRecorder recorder = EventRecorder.builder().includeText(includeText).build();
			StreamingOptions options = StreamingOptions.builder()
				.retryOnConnectionError(false)
				.build()
				.withEventProcessor(recorder);
			if (!includeText) {
				client().streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"), options).blockLast();
				client().streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"), options).blockLast();
			}
			else {
				server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
				client().streamEvents(ChatRequest.of("Hello " + API_KEY, "gpt-4o-mini"), options).blockLast();
			}
			assertThat(recorder.streamIds()).isNotEmpty();
			for (String streamId : recorder.streamIds()) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				recorder.exportJsonLines(streamId, out);
				assertThat(out.toString(StandardCharsets.UTF_8)).isNotEmpty()
					.doesNotContain(API_KEY)
					.doesNotContain(API_KEY.substring(8));
			}
		}
	}

	private static SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), API_KEY)).build();
	}

}
