package io.steer.llm.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.EventProcessorException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The user's event processor in a real stream over the loopback server: the fixed order
 * of the stages, the one terminal event, and {@code stream} / {@code streamWithUsage}
 * reading before the processor.
 */
class StreamEventProcessorTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	/** The text of the {@code openai/chat-text-usage} fixture starts so. */
	private static final String TEXT_START = "I'm unable";

	private SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), "sk-test")).build();
	}

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	private static StreamingOptions processing(EventProcessor processor) {
		return StreamingOptions.DEFAULTS.withEventProcessor(processor);
	}

	private static EventProcessor dropComplete() {
		return (events) -> events.filter((event) -> !(event instanceof StreamCompleteEvent));
	}

	private static EventProcessor upperCaseText() {
		return (events) -> events
			.map((event) -> (event instanceof StreamDeltaEvent delta)
					? new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta().toUpperCase(),
							delta.chunkIndex(), delta.choiceIndex(), delta.json(), delta.toolCall(), delta.timestamp())
					: event);
	}

	private static List<StreamEvent> terminals(List<StreamEvent> events) {
		return events.stream().filter(StreamEvent::isTerminal).toList();
	}

	@Test
	void streamWithUsageShouldReturnTheResponseWhenTheProcessorDropsTheCompleteEvent() {
		replayText();
		StreamingResponse response = client().streamWithUsage(REQUEST, processing(dropComplete())).block();
		assertThat(response).isNotNull();
		assertThat(response.text()).startsWith(TEXT_START);
		assertThat(response.usage().totalTokens()).isEqualTo(44);
	}

	@Test
	void streamEventsShouldEndWithTheStreamsCompleteEventWhenTheProcessorDropsIt() {
		replayText();
		List<StreamEvent> events = client().streamEvents(REQUEST, processing(dropComplete())).collectList().block();
		assertThat(terminals(events)).singleElement().isInstanceOf(StreamCompleteEvent.class);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(((StreamCompleteEvent) events.get(events.size() - 1)).response().text()).startsWith(TEXT_START);
	}

	@Test
	void streamEventsShouldDeliverOneTerminalWhenTheProcessorEmitsTwo() {
		replayText();
		EventProcessor twice = (events) -> events
			.concatMap((event) -> event.isTerminal() ? Flux.just(event, event) : Flux.just(event));
		List<StreamEvent> events = client().streamEvents(REQUEST, processing(twice)).collectList().block();
		assertThat(terminals(events)).hasSize(1);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
	}

	@Test
	void streamShouldKeepTheStreamsTextWhenTheProcessorRewritesDeltas() {
		replayText();
		String text = String.join("", client().stream(REQUEST, processing(upperCaseText())).collectList().block());
		replayText();
		List<StreamEvent> processed = client().streamEvents(REQUEST, processing(upperCaseText())).collectList().block();
		StreamCompleteEvent complete = (StreamCompleteEvent) processed.get(processed.size() - 1);
		assertThat(text).startsWith(TEXT_START).isEqualTo(complete.response().text());
		String processedText = processed.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map((event) -> ((StreamDeltaEvent) event).delta())
			.reduce("", String::concat);
		assertThat(processedText).isEqualTo(text.toUpperCase());
	}

	@Test
	void streamWithUsageShouldKeepTheStreamsResponseWhenTheProcessorReplacesTheCompleteEvent() {
		replayText();
		StreamingResponse response = client()
			.streamWithUsage(REQUEST,
					processing((events) -> events.filter((event) -> !event.isTerminal())
						.concatWith(Flux.just(TestEvents.complete("replaced")))))
			.block();
		assertThat(response.text()).startsWith(TEXT_START);
	}

	@Test
	void streamShouldRunCallbacksThenTheProcessorThenTheSubscriberForEachDelta() {
		replayText();
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamingOptions options = processing(
				(events) -> events.doOnNext((event) -> seen.add("processor:" + name(event)))
					.filter(StreamEvent::isTerminal))
			.withCallbacks(
					StreamCallbacks.builder().onDelta((e) -> seen.add("callback:delta:" + e.chunkIndex())).build());
		List<String> chunks = new CopyOnWriteArrayList<>();
		client().stream(REQUEST, options).doOnNext((chunk) -> {
			chunks.add(chunk);
			seen.add("subscriber:delta:" + (chunks.size() - 1));
		}).blockLast();
		assertThat(chunks).hasSizeGreaterThan(10);
		List<String> deltas = seen.stream().filter((entry) -> entry.contains(":delta:")).toList();
		assertThat(deltas)
			.startsWith("callback:delta:0", "processor:delta:0", "subscriber:delta:0", "callback:delta:1",
					"processor:delta:1", "subscriber:delta:1")
			.hasSize(chunks.size() * 3);
		assertThat(seen).last().isEqualTo("processor:complete");
	}

	@Test
	void streamEventsShouldRunCallbacksBeforeTheProcessorForEveryEvent() {
		replayText();
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks callbacks = StreamCallbacks.builder()
			.onStart((e) -> seen.add("callback:start"))
			.onDelta((e) -> seen.add("callback:delta:" + e.chunkIndex()))
			.onUsage((e) -> seen.add("callback:usage"))
			.onComplete((e) -> seen.add("callback:complete"))
			.build();
		EventProcessor recording = (events) -> events.doOnNext((event) -> seen.add("processor:" + name(event)))
			.filter((event) -> event instanceof StreamStartEvent);
		List<StreamEvent> events = client().streamEvents(REQUEST, processing(recording), callbacks)
			.doOnNext((event) -> seen.add("subscriber:" + name(event)))
			.collectList()
			.block();
		assertThat(events).first().isInstanceOf(StreamStartEvent.class);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(seen)
			.startsWith("callback:start", "processor:start", "subscriber:start", "callback:delta:0",
					"processor:delta:0", "callback:delta:1", "processor:delta:1")
			.endsWith("callback:usage", "processor:usage", "callback:complete", "processor:complete",
					"subscriber:complete");
	}

	@Test
	void aFailingProcessorShouldEndTheStreamWithAProcessorErrorEventCarryingTheResponse() {
		replayText();
		IllegalStateException boom = new IllegalStateException("processor boom");
		EventProcessor failing = (events) -> events.map((event) -> {
			if (event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 2) {
				throw boom;
			}
			return event;
		});
		List<StreamEvent> events = client().streamEvents(REQUEST, processing(failing)).collectList().block();
		assertThat(terminals(events)).singleElement().isInstanceOf(StreamErrorEvent.class);
		StreamErrorEvent error = (StreamErrorEvent) events.get(events.size() - 1);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROCESSOR);
		assertThat(error.error()).isInstanceOf(EventProcessorException.class).hasCause(boom);
		assertThat(error.error().getProvider()).isEqualTo("openai");
		assertThat(error.partialText()).startsWith(TEXT_START);
		assertThat(error.partialResponse().usage().totalTokens()).isEqualTo(44);
		replayText();
		assertThatExceptionOfType(EventProcessorException.class)
			.isThrownBy(() -> client().streamWithUsage(REQUEST, processing(failing)).block())
			.withCause(boom)
			.satisfies((ex) -> assertThat(ex.getPartialText()).startsWith(TEXT_START));
	}

	private static String name(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			return (delta.kind() == DeltaKind.TEXT) ? "delta:" + delta.chunkIndex() : "delta:other";
		}
		if (event instanceof StreamUsageEvent) {
			return "usage";
		}
		if (event instanceof StreamStartEvent) {
			return "start";
		}
		return (event instanceof StreamCompleteEvent) ? "complete" : "error";
	}

}
