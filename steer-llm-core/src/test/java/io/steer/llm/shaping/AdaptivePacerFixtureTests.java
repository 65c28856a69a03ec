package io.steer.llm.shaping;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongBiFunction;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AdaptivePacer} on the longest text among the recorded provider streams (chosen
 * by the length of the text in the {@code *.expected.json} files), its events taken from
 * the real client over the loopback server, then replayed on virtual time: at full speed
 * (the recordings carry no arrival times, so all at once) and in bursts. Every character
 * is timed from its arrival at the pacer to its release: none waits longer than the
 * bound, and the text and reasoning out are exactly the recording's.
 */
class AdaptivePacerFixtureTests {

	private static final Duration INTERVAL = Duration.ofMillis(20);

	private static final Duration BOUND = Duration.ofMillis(400);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static SseFixture longest;

	static JsonNode expected;

	static List<StreamEvent> recorded;

	@BeforeAll
	static void recordTheLongestFixture() {
		longest = SseFixture.all()
			.stream()
			.filter((fixture) -> fixture.expectedJson().isPresent())
			.max(Comparator.comparingInt(AdaptivePacerFixtureTests::textLength))
			.orElseThrow();
		expected = MAPPER.readTree(longest.expectedJson().orElseThrow());
		ProviderApi api = "responses".equals(expected.get("api").asString()) ? ProviderApi.RESPONSES
				: ProviderApi.CHAT_COMPLETIONS;
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.server().baseUrl(), "sk-test"), api)
			.xai(ProviderSettings.of(server.server().baseUrl(), "xai-test"), api)
			.anthropic(ProviderSettings.of(server.server().baseUrl(), "sk-ant-test"))
			.build();
		server.server().enqueue(MockResponse.replay(longest));
		recorded = client
			.streamEvents(ChatRequest.builder().prompt("Hello").model(expected.get("model").asString()).build())
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private static int textLength(SseFixture fixture) {
		JsonNode text = MAPPER.readTree(fixture.expectedJson().orElseThrow()).get("text");
		return (text != null && text.isString()) ? text.asString().length() : 0;
	}

	@Test
	void theLongestRecordingShouldBeALongText() {
		// the xAI Responses stream: 600 text deltas, 66 reasoning deltas, 2849 characters
		assertThat(longest.toString()).contains("responses-reasoning-summary-text");
		assertThat(recorded.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(recorded.get(recorded.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
		assertThat(text(recorded, DeltaKind.TEXT)).hasSizeGreaterThan(2000);
	}

	@Test
	void fullSpeedReplayShouldKeepTheBoundAndTheText() {
		// every delta at once; the usage and complete events 2 s later (the connection
		// stays open), so the text is paced rather than flushed by the end
		Measured measured = replay((index,
				event) -> (event instanceof StreamDeltaEvent || event instanceof StreamStartEvent) ? 0L : 2000L);
		assertThat(measured.maxLatencyMs()).isLessThanOrEqualTo(BOUND.toMillis());
		assertThat(measured.maxLatencyMs()).as("the text was paced, not passed through").isGreaterThan(0);
		assertThat(measured.lastReleaseMs()).isLessThanOrEqualTo(BOUND.toMillis());
		assertThat(measured.textPieces()).as("smooth: many pieces").isGreaterThan(15);
		assertOutputIsTheRecording(measured.out());
	}

	@Test
	void burstyReplayShouldKeepTheBoundAndTheText() {
		// 50 events at once, every 300 ms: a fast model behind a slow network
		Measured measured = replay((index, event) -> (index / 50) * 300L);
		assertThat(measured.maxLatencyMs()).isLessThanOrEqualTo(BOUND.toMillis());
		assertOutputIsTheRecording(measured.out());
	}

	@Test
	void steadyReplayShouldKeepTheBoundAndTheText() {
		// an event every 7 ms, a fast steady model
		Measured measured = replay((index, event) -> index * 7L);
		assertThat(measured.maxLatencyMs()).isLessThanOrEqualTo(BOUND.toMillis());
		assertOutputIsTheRecording(measured.out());
	}

	private void assertOutputIsTheRecording(List<StreamEvent> out) {
		assertThat(text(out, DeltaKind.TEXT)).isEqualTo(expected.get("text").asString());
		assertThat(text(out, DeltaKind.TEXT)).isEqualTo(text(recorded, DeltaKind.TEXT));
		assertThat(text(out, DeltaKind.REASONING)).isEqualTo(text(recorded, DeltaKind.REASONING));
		assertThat(out.get(0)).isSameAs(recorded.get(0));
		assertThat(out.get(out.size() - 1)).isSameAs(recorded.get(recorded.size() - 1));
		List<Integer> indexes = out.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map((event) -> ((StreamDeltaEvent) event).chunkIndex())
			.toList();
		for (int i = 0; i < indexes.size(); i++) {
			assertThat(indexes.get(i)).isEqualTo(i);
		}
	}

	/**
	 * Replays the recording with event {@code i} arriving at {@code arrivalMs(i, event)}
	 * (made non-decreasing) and times every character through the pacer.
	 */
	private Measured replay(ToLongBiFunction<Integer, StreamEvent> arrivalMs) {
		VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
		AdaptivePacer pacer = AdaptivePacer.of(INTERVAL, BOUND).withScheduler(scheduler);
		Map<DeltaKind, ArrayDeque<Long>> arrivals = new EnumMap<>(DeltaKind.class);
		long[] max = new long[2];
		int[] textPieces = new int[1];
		List<StreamEvent> out = new ArrayList<>();
		StepVerifier.withVirtualTime(() -> {
			List<Mono<StreamEvent>> timed = new ArrayList<>();
			long previous = 0;
			for (int i = 0; i < recorded.size(); i++) {
				long at = Math.max(previous, arrivalMs.applyAsLong(i, recorded.get(i)));
				Mono<StreamEvent> event = Mono.just(recorded.get(i));
				timed.add((at > previous) ? event.delayElement(Duration.ofMillis(at - previous), scheduler) : event);
				previous = at;
			}
			return Flux.concat(timed).doOnNext((event) -> {
				if (event instanceof StreamDeltaEvent delta) {
					long now = scheduler.now(TimeUnit.MILLISECONDS);
					ArrayDeque<Long> queue = arrivals.computeIfAbsent(delta.kind(), (kind) -> new ArrayDeque<>());
					delta.delta().chars().forEach((c) -> queue.addLast(now));
				}
			}).transform(pacer.paceEvents()).doOnNext((event) -> {
				out.add(event);
				if (event instanceof StreamDeltaEvent delta) {
					long now = scheduler.now(TimeUnit.MILLISECONDS);
					ArrayDeque<Long> queue = arrivals.get(delta.kind());
					for (int c = 0; c < delta.delta().length(); c++) {
						max[0] = Math.max(max[0], now - queue.removeFirst());
					}
					max[1] = now;
					if (delta.kind() == DeltaKind.TEXT) {
						textPieces[0]++;
					}
				}
			});
		}, () -> scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofMinutes(5))
			.thenConsumeWhile((event) -> true)
			.verifyComplete();
		arrivals.values().forEach((queue) -> assertThat(queue).as("every character released").isEmpty());
		return new Measured(out, max[0], max[1], textPieces[0]);
	}

	private static String text(List<StreamEvent> events, DeltaKind kind) {
		StringBuilder text = new StringBuilder();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta && delta.kind() == kind) {
				text.append(delta.delta());
			}
		}
		return text.toString();
	}

	private record Measured(List<StreamEvent> out, long maxLatencyMs, long lastReleaseMs, int textPieces) {
	}

}
