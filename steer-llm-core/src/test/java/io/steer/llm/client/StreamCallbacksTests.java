package io.steer.llm.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class StreamCallbacksTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), "sk-test")).build();
	}

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@Test
	void callbacksShouldSeeEveryEventInOrderOptionsFirst() {
		replayText();
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamingOptions options = StreamingOptions.DEFAULTS.withCallbacks(StreamCallbacks.builder()
			.onStart((e) -> seen.add("options:start"))
			.onComplete((e) -> seen.add("options:complete"))
			.build());
		StreamCallbacks perCall = StreamCallbacks.builder()
			.onStart((e) -> seen.add("call:start"))
			.onDelta((e) -> seen.add("call:delta:" + e.chunkIndex()))
			.onUsage((e) -> seen.add("call:usage:" + e.usage().totalTokens()))
			.onComplete((e) -> seen.add("call:complete"))
			.build();
		StreamingResponse response = client().streamWithUsage(REQUEST, options, perCall).block();
		int chunks = response.metrics().chunks();
		assertThat(chunks).isGreaterThan(10);
		assertThat(seen).startsWith("options:start", "call:start", "call:delta:0", "call:delta:1")
			.endsWith("call:delta:" + (chunks - 1), "call:usage:44", "options:complete", "call:complete")
			.hasSize(chunks + 5);
	}

	@Test
	void callbackThatThrowsShouldNotCorruptTheStream() {
		replayText();
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks callbacks = StreamCallbacks.builder().onDelta((e) -> {
			seen.add(e.delta());
			throw new IllegalStateException("boom in callback");
		}).onComplete((e) -> seen.add("complete")).build();
		List<StreamEvent> events = client().streamEvents(REQUEST, StreamingOptions.DEFAULTS, callbacks)
			.collectList()
			.block();
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		assertThat(String.join("", seen.subList(0, seen.size() - 1))).isEqualTo(complete.response().text());
		assertThat(seen).last().isEqualTo("complete");
	}

	@Test
	void asyncCallbacksShouldBeAwaitedInOrderAndTheirFailuresIgnored() {
		replayText();
		List<Integer> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks callbacks = StreamCallbacks.builder()
			.onDeltaAsync((e) -> Mono.delay(Duration.ofMillis((e.chunkIndex() % 3 == 0) ? 5 : 0))
				.doOnNext((t) -> seen.add(e.chunkIndex()))
				.then(Mono.fromRunnable(() -> {
					if (e.chunkIndex() == 2) {
						throw new IllegalStateException("async boom");
					}
				})))
			.build();
		StreamingResponse response = client().streamWithUsage(REQUEST, StreamingOptions.DEFAULTS, callbacks).block();
		assertThat(response.text()).startsWith("I'm unable");
		assertThat(seen).hasSize(response.metrics().chunks()).isSorted();
	}

}
