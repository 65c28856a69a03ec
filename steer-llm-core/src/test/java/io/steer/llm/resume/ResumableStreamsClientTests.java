package io.steer.llm.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import io.steer.llm.web.ServerSentEvents;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResumableStreams} end to end: a real {@link SteerLLMClient} stream over the
 * loopback server, through {@link ServerSentEvents}, read by a reader that goes away and
 * one that resumes from its last event id.
 */
class ResumableStreamsClientTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final Duration WAIT = Duration.ofSeconds(10);

	static List<StreamStore> stores() {
		return List.of(new TestStreamStore(Schedulers.parallel()), InMemoryStreamStore.create(),
				InMemoryStreamStore.builder().codec(PayloadCodec.deflate()).build());
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aReaderThatResumesFromTheFifthEventShouldGetTheRestWithoutGapOrDuplicate(StreamStore store) {
		server.server()
			.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage"))
				.delayBetweenEvents(Duration.ofMillis(2)));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.build();
		ChatRequest request = ChatRequest.of("Weather?", "gpt-4o-mini");
		ResumableStreams streams = new ResumableStreams(store, ResumeSettings.DEFAULTS);
		try {
			String id = streams.start(ServerSentEvents.builder().build().apply(client.streamEvents(request)))
				.block(WAIT);
			List<ServerSentEvent<String>> first = streams.events(id, null).take(5).collectList().block(WAIT);
			assertThat(first).hasSize(5);
			String lastEventId = first.get(4).id();
			assertThat(lastEventId).isEqualTo(ResumableStreams.eventId(id, 4));
			List<ServerSentEvent<String>> rest = streams.events(id, lastEventId).collectList().block(WAIT);
			List<ServerSentEvent<String>> direct = streams.events(id, null).collectList().block(WAIT);

			List<ServerSentEvent<String>> together = new ArrayList<>(first);
			together.addAll(rest);
			assertThat(together).extracting(ServerSentEvent::id, ServerSentEvent::event, ServerSentEvent::data)
				.containsExactlyElementsOf(direct.stream()
					.map((event) -> org.assertj.core.groups.Tuple.tuple(event.id(), event.event(), event.data()))
					.toList());
			assertThat(direct).extracting(ServerSentEvent::id)
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, direct.size())
					.mapToObj((sequence) -> ResumableStreams.eventId(id, sequence))
					.toList());
			assertThat(direct).first().extracting(ServerSentEvent::event).isEqualTo("start");
			assertThat(direct).extracting(ServerSentEvent::event).contains("delta", "complete").endsWith("done");
			assertThat(direct.size()).isGreaterThan(6);
			assertThat(server.server().requestCount()).isEqualTo(1);
		}
		finally {
			streams.close();
		}
	}

}
