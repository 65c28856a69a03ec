package io.steer.llm.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.shaping.Progress;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static io.steer.llm.client.TestEvents.START;
import static io.steer.llm.client.TestEvents.complete;
import static io.steer.llm.client.TestEvents.delta;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Output shaping driven by the options in the client: {@code stream()} unchanged with the
 * defaults, re-chunked with a buffer; {@code streamEvents} raw; the {@code onProgress}
 * callback throttled at the progress interval.
 */
class StreamShapingTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private static final String TEXT = "I'm unable to provide real-time weather updates. To get the current weather in "
			+ "San Francisco, I recommend checking a reliable weather website or a weather app.";

	@BeforeAll
	static void failInsteadOfHanging() {
		StepVerifier.setDefaultTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void resetTimeout() {
		StepVerifier.resetDefaultTimeout();
	}

	private SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), "sk-test")).build();
	}

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@Test
	void streamWithDefaultOptionsShouldDeliverTheProviderDeltasUnchanged() {
		replayText();
		List<String> deltas = client().streamEvents(REQUEST, StreamingOptions.DEFAULTS)
			.ofType(StreamDeltaEvent.class)
			.filter((delta) -> delta.kind() == DeltaKind.TEXT)
			.map(StreamDeltaEvent::delta)
			.collectList()
			.block();
		replayText();
		List<String> text = client().stream(REQUEST, StreamingOptions.DEFAULTS).collectList().block();
		assertThat(deltas).hasSizeGreaterThan(10);
		assertThat(text).containsExactlyElementsOf(deltas);
		assertThat(String.join("", text)).isEqualTo(TEXT);
	}

	@Test
	void streamWithSentenceBufferShouldDeliverSentencesOfTheRecording() {
		replayText();
		StreamingOptions options = StreamingOptions.builder()
			.bufferType(BufferType.SENTENCE)
			.bufferTimeout(Duration.ZERO)
			.build();
		List<String> text = client().stream(REQUEST, options).collectList().block();
		assertThat(text).containsExactly("I'm unable to provide real-time weather updates.",
				" To get the current weather in San Francisco, I recommend checking a reliable weather website or a "
						+ "weather app.");
		assertThat(String.join("", text)).isEqualTo(TEXT);
	}

	@Test
	void streamEventsShouldStayRawWhateverTheShapingOptions() {
		replayText();
		List<String> raw = client().streamEvents(REQUEST, StreamingOptions.DEFAULTS)
			.ofType(StreamDeltaEvent.class)
			.map(StreamDeltaEvent::delta)
			.collectList()
			.block();
		replayText();
		StreamingOptions shaped = StreamingOptions.builder()
			.bufferType(BufferType.SENTENCE)
			.maxAddedLatency(Duration.ofMillis(50))
			.rateLimit(1000)
			.build();
		List<String> events = client().streamEvents(REQUEST, shaped)
			.ofType(StreamDeltaEvent.class)
			.map(StreamDeltaEvent::delta)
			.collectList()
			.block();
		assertThat(events).containsExactlyElementsOf(raw);
	}

	@Test
	void onProgressOfTheOptionsShouldSeeTheStreamEndWithAFinalSnapshot() {
		replayText();
		List<Progress> reports = new CopyOnWriteArrayList<>();
		StreamingOptions options = StreamingOptions.DEFAULTS
			.withCallbacks(StreamCallbacks.builder().onProgress(reports::add).build());
		ChatRequest request = ChatRequest.builder()
			.messages(REQUEST.messages())
			.model("gpt-4o-mini")
			.maxTokens(100)
			.build();
		String text = String.join("", client().stream(request, options).collectList().block());
		assertThat(text).isEqualTo(TEXT);
		assertThat(reports).isNotEmpty();
		Progress last = reports.get(reports.size() - 1);
		assertThat(last.complete()).isTrue();
		assertThat(last.percentage()).isEqualTo(100.0);
		assertThat(last.estimatedTotalTokens()).isEqualTo(100L);
		// the provider's completion tokens replace the estimate
		assertThat(last.tokensReceived()).isEqualTo(30);
		assertThat(reports.subList(0, reports.size() - 1)).noneMatch(Progress::complete);
	}

	@Test
	void onProgressShouldBeThrottledAtTheProgressIntervalOnVirtualTime() {
		List<Long> at = new CopyOnWriteArrayList<>();
		List<Progress> reports = new CopyOnWriteArrayList<>();
		StreamCallbacks callbacks = StreamCallbacks.builder().onProgress((progress) -> {
			at.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
			reports.add(progress);
		}).build();
		ChatRequest request = ChatRequest.builder().messages(REQUEST.messages()).maxTokens(10).build();
		StepVerifier.withVirtualTime(() -> {
			Flux<StreamEvent> events = Flux.concat(Flux.just(START, delta(0, "Hell")),
					Mono.delay(Duration.ofMillis(50)).thenReturn(delta(1, "o, w")),
					Mono.delay(Duration.ofMillis(70)).thenReturn(delta(2, "orld")),
					Mono.delay(Duration.ofMillis(180)).thenReturn(complete("Hello, world")));
			return CallbackInvoker.progress(events, StreamCallbacks.NONE, callbacks, Duration.ofMillis(100), request);
		}).thenAwait(Duration.ofSeconds(1)).expectNextCount(5).verifyComplete();
		// first at once, then the latest every 100 ms, then the final one when it ends
		assertThat(at).containsExactly(0L, 100L, 200L, 300L);
		assertThat(reports).extracting(Progress::tokensReceived).containsExactly(0L, 2L, 3L, 3L);
		assertThat(reports).extracting(Progress::complete).containsExactly(false, false, false, true);
		assertThat(reports.get(1).percentage()).isEqualTo(20.0);
		assertThat(reports.get(3).elapsed()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void onProgressThatThrowsShouldNotBreakTheStreamAndCallbacksOfBothShouldRun() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks first = StreamCallbacks.builder().onProgress((progress) -> {
			seen.add("first");
			throw new IllegalStateException("boom in progress");
		}).build();
		StreamCallbacks second = StreamCallbacks.builder().onProgress((progress) -> seen.add("second")).build();
		StepVerifier
			.create(CallbackInvoker.progress(Flux.fromIterable(TestEvents.hello()), first, second, Duration.ZERO,
					REQUEST))
			.expectNextCount(4)
			.verifyComplete();
		assertThat(seen).hasSize(8)
			.containsExactly("first", "second", "first", "second", "first", "second", "first", "second");
	}

	@Test
	void progressWithoutOnProgressShouldReturnTheEventsThemselves() {
		Flux<StreamEvent> events = Flux.fromIterable(TestEvents.hello());
		StreamCallbacks onDelta = StreamCallbacks.builder().onDelta((delta) -> {
		}).build();
		assertThat(CallbackInvoker.progress(events, StreamCallbacks.NONE, onDelta, Duration.ZERO, REQUEST))
			.isSameAs(events);
		assertThat(StreamCallbacks.builder().onProgress((progress) -> {
		}).build().isEmpty()).isFalse();
	}

}
