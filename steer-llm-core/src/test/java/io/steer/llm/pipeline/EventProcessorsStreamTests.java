package io.steer.llm.pipeline;

import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventProcessors} in real streams over the loopback server, through
 * {@code SteerLLMClient.streamEvents}: the terminal event is never filtered out, and the
 * client's processor contract holds.
 */
class EventProcessorsStreamTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest OPENAI = ChatRequest.of("Hello", "gpt-4o-mini");

	private static final ChatRequest ANTHROPIC = ChatRequest.of("Hello", "claude-3-haiku-20240307");

	private static final String OPENAI_TEXT_START = "I'm unable";

	private static SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
			.build();
	}

	private static StreamingOptions processing(EventProcessor processor) {
		return StreamingOptions.builder().retryOnConnectionError(false).build().withEventProcessor(processor);
	}

	private static void replay(String provider, String name) {
		server.server().enqueue(MockResponse.replay(SseFixture.load(provider, name)));
	}

	@Test
	void deltaFilterShouldStillDeliverTheCompleteEvent() {
		replay("openai", "chat-text-usage");
		StepVerifier.create(client().streamEvents(OPENAI, processing(EventProcessors.types("delta"))))
			.thenConsumeWhile(StreamDeltaEvent.class::isInstance)
			.assertNext((event) -> assertThat(((StreamCompleteEvent) event).response().text())
				.startsWith(OPENAI_TEXT_START))
			.verifyComplete();
	}

	@Test
	void deltaFilterShouldStillDeliverTheErrorEvent() {
		replay("anthropic", "docs-error-overloaded");
		StepVerifier.create(client().streamEvents(ANTHROPIC, processing(EventProcessors.types(StreamDeltaEvent.class))))
			.assertNext((event) -> assertThat(((StreamErrorEvent) event).isRetryable()).isTrue())
			.verifyComplete();
	}

	@Test
	void providerFilterShouldDropOtherProvidersStreamsButTheirTerminalEvent() {
		replay("anthropic", "text");
		List<StreamEvent> events = client().streamEvents(ANTHROPIC, processing(EventProcessors.providers("openai")))
			.collectList()
			.block();
		assertThat(events).singleElement().isInstanceOf(StreamCompleteEvent.class);
		replay("anthropic", "text");
		List<StreamEvent> kept = client().streamEvents(ANTHROPIC, processing(EventProcessors.providers("anthropic")))
			.collectList()
			.block();
		assertThat(kept).first().isInstanceOf(StreamStartEvent.class);
		assertThat(ProcessorTestEvents.text(kept)).startsWith("Hello! I'm doing well");
		assertThat(kept.stream().filter(StreamEvent::isTerminal)).hasSize(1);
	}

	@Test
	void streamAndStreamWithUsageShouldReadBeforeAFilterThatDropsEverything() {
		EventProcessor nothing = EventProcessors.filter((event) -> false);
		replay("openai", "chat-text-usage");
		String text = String.join("", client().stream(OPENAI, processing(nothing)).collectList().block());
		assertThat(text).startsWith(OPENAI_TEXT_START);
		replay("openai", "chat-text-usage");
		StreamingResponse response = client().streamWithUsage(OPENAI, processing(nothing)).block();
		assertThat(response.text()).isEqualTo(text);
		assertThat(response.usage().totalTokens()).isEqualTo(44);
	}

	@Test
	void transformersShouldRewriteWhatStreamEventsDeliversButNotTheStreamsResult() {
		EventProcessor upperCase = EventProcessors.transform((event) -> (event instanceof StreamDeltaEvent delta)
				? new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta().toUpperCase(), delta.chunkIndex(),
						delta.choiceIndex(), delta.json(), delta.toolCall(), delta.timestamp(), delta.metadata())
				: event);
		replay("openai", "chat-text-usage");
		List<StreamEvent> events = client().streamEvents(OPENAI, processing(upperCase)).collectList().block();
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		assertThat(ProcessorTestEvents.text(events)).isEqualTo(complete.response().text().toUpperCase());
		assertThat(complete.response().text()).startsWith(OPENAI_TEXT_START);
	}

	@Test
	void correlationIdShouldComeFromTheSubscribersContext() {
		replay("openai", "chat-text-usage");
		List<StreamEvent> events = client().streamEvents(OPENAI, processing(EventProcessors.correlationId()))
			.contextWrite(Context.of(EventProcessors.CORRELATION_ID_KEY, "order-7"))
			.collectList()
			.block();
		assertThat(events).hasSizeGreaterThan(3)
			.allSatisfy(
					(event) -> assertThat(event.metadata()).containsEntry(EventProcessors.CORRELATION_ID, "order-7"));
		assertThat(events.get(0).metadata()).containsKey("http.status");
	}

	@Test
	void aFailingTransformerShouldEndTheStreamWithAProcessorError() {
		replay("openai", "chat-text-usage");
		EventProcessor failing = EventProcessors.transform((event) -> {
			throw new IllegalStateException("transformer failed");
		});
		List<StreamEvent> events = client().streamEvents(OPENAI, processing(failing)).collectList().block();
		assertThat(events).singleElement()
			.satisfies((event) -> assertThat(((StreamErrorEvent) event).error())
				.hasRootCauseMessage("transformer failed"));
	}

}
