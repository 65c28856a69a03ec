package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.steer.llm.pipeline.BatchTestEvents.flatten;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link BatchingProcessor} with background delivery in a real stream over the loopback
 * server.
 */
class BatchingProcessorStreamTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	@Test
	void streamEventsShouldDeliverEveryEventOnceToTheSubscriberAndInBatchesOffTheEventLoop() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.build();
		List<List<StreamEvent>> batches = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		List<StreamEvent> events;
		EventDelivery delivery = EventDelivery.create();
		try (delivery) {
			BatchHandler handler = BatchHandler.of((batch) -> {
				threads.add(Thread.currentThread().getName());
				batches.add(batch);
			});
			BatchingProcessor processor = BatchingProcessor.builder(handler).size(5).background(delivery).build();
			events = client
				.streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"),
						StreamingOptions.DEFAULTS.withEventProcessor(processor))
				.collectList()
				.block(Duration.ofSeconds(10));
			delivery.close(Duration.ofSeconds(10));
		}
		assertThat(events).first().isInstanceOf(StreamStartEvent.class);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(events).filteredOn(StreamDeltaEvent.class::isInstance).hasSizeGreaterThan(5);
		assertThat(flatten(batches)).containsExactlyElementsOf(events);
		assertThat(batches).allSatisfy((batch) -> assertThat(batch).hasSizeBetween(1, 5));
		assertThat(batches.get(batches.size() - 1)).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(delivery.delivered()).isEqualTo(batches.size());
		assertThat(delivery.dropped()).isZero();
		assertThat(delivery.failed()).isZero();
		assertThat(threads).allSatisfy(
				(name) -> assertThat(name).startsWith(EventDelivery.DEFAULT_NAME + "-").doesNotContain("reactor-http"));
	}

}
