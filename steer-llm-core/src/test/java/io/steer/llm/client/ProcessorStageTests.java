package io.steer.llm.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.steer.llm.error.EventProcessorException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.pipeline.EventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

import static io.steer.llm.client.TestEvents.START;
import static io.steer.llm.client.TestEvents.complete;
import static io.steer.llm.client.TestEvents.delta;
import static io.steer.llm.client.TestEvents.hello;
import static io.steer.llm.client.TestEvents.interrupted;
import static org.assertj.core.api.Assertions.assertThat;

class ProcessorStageTests {

	private static final Instant FAILED_AT = Instant.parse("2025-01-01T00:00:05Z");

	private static final Clock CLOCK = Clock.fixed(FAILED_AT, ZoneOffset.UTC);

	private static final List<StreamEvent> HELLO = hello();

	private static final StreamEvent HELLO_COMPLETE = HELLO.get(3);

	@BeforeAll
	static void failInsteadOfHanging() {
		StepVerifier.setDefaultTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void resetTimeout() {
		StepVerifier.resetDefaultTimeout();
	}

	private static ProcessorStage stage(EventProcessor processor) {
		return new ProcessorStage(processor, CLOCK);
	}

	private static EventProcessor dropTerminals() {
		return (events) -> events.filter((event) -> !event.isTerminal());
	}

	private static EventProcessor upperCase() {
		return (events) -> events.map((event) -> (event instanceof StreamDeltaEvent delta)
				? delta(delta.chunkIndex(), delta.delta().toUpperCase()) : event);
	}

	// streamEvents: the processed events, exactly one terminal

	@Test
	void eventsShouldAppendTheStreamsTerminalWhenTheProcessorDropsIt() {
		StepVerifier.create(stage(dropTerminals()).events(Flux.fromIterable(HELLO)))
			.expectNext(START, HELLO.get(1), HELLO.get(2))
			.expectNext(HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldDeliverTheProcessorsEvents() {
		StepVerifier.create(stage(upperCase()).events(Flux.fromIterable(HELLO)))
			.expectNext(START, delta(0, "HEL"), delta(1, "LO"), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldDeliverOnlyTheFirstOfTwoTerminals() {
		EventProcessor twice = (events) -> events
			.concatMap((event) -> event.isTerminal() ? Flux.just(event, complete("again")) : Flux.just(event));
		StepVerifier.create(stage(twice).events(Flux.fromIterable(HELLO)))
			.expectNext(START, HELLO.get(1), HELLO.get(2), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldDropEventsAfterTheTerminal() {
		EventProcessor trailing = (events) -> events.concatWith(Flux.just(delta(2, "!"), START));
		StepVerifier.create(stage(trailing).events(Flux.fromIterable(HELLO)))
			.expectNext(START, HELLO.get(1), HELLO.get(2), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldDropWhatFollowsAnEarlyTerminalOfTheProcessorAndReadTheStreamToItsEnd() {
		List<StreamEvent> read = new CopyOnWriteArrayList<>();
		StreamCompleteEvent early = complete("Hel");
		EventProcessor endEarly = (events) -> events
			.concatMap((event) -> (event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 0)
					? Flux.just(event, early) : Flux.just(event));
		StepVerifier.create(stage(endEarly).events(Flux.fromIterable(HELLO).doOnNext(read::add)))
			.expectNext(START, HELLO.get(1), early)
			.expectComplete()
			.verifyThenAssertThat()
			.hasDiscardedExactly(HELLO.get(2), HELLO_COMPLETE);
		assertThat(read).containsExactlyElementsOf(HELLO);
	}

	@Test
	void eventsShouldCompleteOnlyOnceTheProcessorFlushedWhatItHeldBack() {
		List<String> flushed = new CopyOnWriteArrayList<>();
		EventProcessor slowFlush = (events) -> events.concatWith(
				Mono.delay(Duration.ofSeconds(5)).doOnNext((tick) -> flushed.add("flushed")).then(Mono.empty()));
		StepVerifier.withVirtualTime(() -> stage(slowFlush).events(Flux.fromIterable(HELLO)))
			.expectSubscription()
			.expectNextSequence(HELLO)
			.expectNoEvent(Duration.ofSeconds(5))
			.then(() -> assertThat(flushed).containsExactly("flushed"))
			.verifyComplete();
	}

	@Test
	void eventsShouldLogAFailureAfterTheTerminalAndDeliverNothingMore() {
		EventProcessor failingFlush = (events) -> events
			.concatWith(Mono.error(new IllegalStateException("flush failed")));
		Logger logger = (Logger) LoggerFactory.getLogger(ProcessorStage.class);
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		logger.addAppender(log);
		try {
			StepVerifier.create(stage(failingFlush).events(Flux.fromIterable(HELLO)))
				.expectNextSequence(HELLO)
				.verifyComplete();
		}
		finally {
			logger.detachAppender(log);
		}
		assertThat(log.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).isEqualTo(
					"Event processor of stream s failed after its terminal event was delivered; the failure is not delivered");
			assertThat(event.getThrowableProxy().getMessage()).isEqualTo("flush failed");
		});
	}

	@Test
	void eventsShouldReadTheRestOfTheStreamWhenTheProcessorCancelsItsInput() {
		List<StreamEvent> read = new CopyOnWriteArrayList<>();
		StepVerifier.create(stage((events) -> events.take(1)).events(Flux.fromIterable(HELLO).doOnNext(read::add)))
			.expectNext(START, HELLO_COMPLETE)
			.verifyComplete();
		assertThat(read).containsExactlyElementsOf(HELLO);
	}

	@Test
	void eventsShouldReadTheStreamWhenTheProcessorIgnoresItsInput() {
		StepVerifier.create(stage((events) -> Flux.just(delta(0, "canned"))).events(Flux.fromIterable(HELLO)))
			.expectNext(delta(0, "canned"), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldShareTheStreamWithAProcessorThatSubscribesTwice() {
		PublisherProbe<StreamEvent> stream = PublisherProbe.of(Flux.fromIterable(HELLO));
		List<StreamEvent> sideChannel = new CopyOnWriteArrayList<>();
		EventProcessor twice = (events) -> events.mergeWith(events.doOnNext(sideChannel::add).then(Mono.empty()));
		StepVerifier.create(stage(twice).events(stream.flux())).expectNextSequence(HELLO).verifyComplete();
		assertThat(stream.subscribeCount()).isOne();
		assertThat(sideChannel).containsExactlyElementsOf(HELLO);
	}

	@Test
	void eventsShouldAppendTheTerminalAfterADelayingProcessorsLastEvent() {
		StepVerifier
			.withVirtualTime(
					() -> stage(dropTerminals().andThen((events) -> events.delayElements(Duration.ofSeconds(1))))
						.events(Flux.fromIterable(HELLO)))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(1))
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(2), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldEndWithAProcessorErrorEventWhenTheProcessorFails() {
		IllegalStateException boom = new IllegalStateException("boom");
		EventProcessor failing = (events) -> events.map((event) -> {
			if (event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 1) {
				throw boom;
			}
			return event;
		});
		List<StreamEvent> read = new CopyOnWriteArrayList<>();
		StepVerifier.create(stage(failing).events(Flux.fromIterable(HELLO).doOnNext(read::add)))
			.expectNext(START, HELLO.get(1))
			.assertNext((event) -> assertProcessorFailure(event, boom, "Hello"))
			.verifyComplete();
		assertThat(read).containsExactlyElementsOf(HELLO);
	}

	@Test
	void eventsShouldEndWithAProcessorErrorEventWhenApplyThrows() {
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier.create(stage((events) -> {
			throw boom;
		}).events(Flux.fromIterable(HELLO)))
			.assertNext((event) -> assertProcessorFailure(event, boom, "Hello"))
			.verifyComplete();
	}

	@Test
	void eventsShouldEndWithAProcessorErrorEventWhenApplyReturnsNull() {
		StepVerifier.create(stage((events) -> null).events(Flux.fromIterable(HELLO)))
			.assertNext((event) -> assertThat(((StreamErrorEvent) event).error())
				.isInstanceOf(EventProcessorException.class)
				.hasCauseInstanceOf(NullPointerException.class))
			.verifyComplete();
	}

	@Test
	void eventsShouldKeepTheStreamsFailureWhenTheProcessorFailsToo() {
		StreamErrorEvent streamFailure = interrupted("Hel");
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier
			.create(stage((events) -> events.concatWith(Mono.error(boom)).filter((event) -> !event.isTerminal()))
				.events(Flux.just(START, delta(0, "Hel"), streamFailure)))
			.expectNext(START, delta(0, "Hel"))
			.assertNext((event) -> {
				assertProcessorFailure(event, boom, "Hel");
				assertThat(((StreamErrorEvent) event).error().getSuppressed()).containsExactly(streamFailure.error());
			})
			.verifyComplete();
	}

	@Test
	void eventsShouldPassTheStreamsOwnErrorSignalThrough() {
		IllegalStateException broken = new IllegalStateException("broken stream");
		StepVerifier.create(stage(upperCase()).events(Flux.<StreamEvent>just(START).concatWith(Flux.error(broken))))
			.expectNext(START)
			.verifyErrorSatisfies((ex) -> assertThat(ex).isSameAs(broken));
	}

	@Test
	void eventsShouldHonourBackpressure() {
		AtomicLong requested = new AtomicLong();
		Supplier<Flux<StreamEvent>> scenario = () -> stage(upperCase())
			.events(Flux.fromIterable(HELLO).doOnRequest(requested::addAndGet));
		StepVerifier.withVirtualTime(scenario, 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValueLessThanOrEqualTo(1))
			.thenRequest(1)
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValueLessThanOrEqualTo(2))
			.thenRequest(3)
			.expectNext(delta(0, "HEL"), delta(1, "LO"), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void eventsShouldCancelTheStreamWhenTheSubscriberCancels() {
		PublisherProbe<StreamEvent> stream = PublisherProbe.of(Flux.fromIterable(HELLO).concatWith(Flux.never()));
		StepVerifier.create(stage(upperCase()).events(stream.flux()), 1).expectNext(START).thenCancel().verify();
		stream.assertWasCancelled();
	}

	// stream / streamWithUsage: the stream's own events, the processor drained alongside

	@Test
	void resultShouldBeTheStreamsOwnEventsWhateverTheProcessorFilters() {
		StepVerifier.create(stage((events) -> Flux.empty()).result(Flux.fromIterable(HELLO)))
			.expectNextSequence(HELLO)
			.verifyComplete();
	}

	@Test
	void resultShouldBeTheStreamsOwnEventsWhateverTheProcessorRewrites() {
		StepVerifier.create(stage(upperCase()).result(Flux.fromIterable(HELLO)))
			.expectNextSequence(HELLO)
			.verifyComplete();
	}

	@Test
	void resultShouldLetTheProcessorSeeEachEventBeforeTheSubscriber() {
		List<String> seen = new CopyOnWriteArrayList<>();
		EventProcessor recording = (events) -> events.doOnNext((event) -> seen.add("processor:" + name(event)))
			.filter(StreamEvent::isTerminal);
		StepVerifier
			.create(stage(recording).result(Flux.fromIterable(HELLO))
				.doOnNext((event) -> seen.add("subscriber:" + name(event))))
			.expectNextCount(4)
			.verifyComplete();
		assertThat(seen).containsExactly("processor:start", "subscriber:start", "processor:Hel", "subscriber:Hel",
				"processor:lo", "subscriber:lo", "processor:complete", "subscriber:complete");
	}

	@Test
	void resultShouldHoldTheTerminalBackUntilTheProcessorCompletes() {
		List<String> flushed = new CopyOnWriteArrayList<>();
		EventProcessor slowFlush = (events) -> events.concatWith(
				Mono.delay(Duration.ofSeconds(5)).doOnNext((tick) -> flushed.add("flushed")).then(Mono.empty()));
		StepVerifier.withVirtualTime(() -> stage(slowFlush).result(Flux.fromIterable(HELLO)))
			.expectSubscription()
			.expectNext(START, HELLO.get(1), HELLO.get(2))
			.expectNoEvent(Duration.ofSeconds(5))
			.then(() -> assertThat(flushed).containsExactly("flushed"))
			.expectNext(HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void resultShouldBeReadAtThePaceOfASlowerProcessor() {
		List<StreamEvent> delivered = new CopyOnWriteArrayList<>();
		EventProcessor slowDelivery = (events) -> events.concatMap(
				(event) -> Mono.delay(Duration.ofSeconds(1)).doOnNext((tick) -> delivered.add(event)).thenReturn(event),
				0);
		StepVerifier.withVirtualTime(() -> stage(slowDelivery).result(Flux.fromIterable(HELLO)))
			.expectSubscription()
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(1))
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(2))
			.expectNoEvent(Duration.ofSeconds(2))
			.expectNext(HELLO_COMPLETE)
			.verifyComplete();
		assertThat(delivered).containsExactlyElementsOf(HELLO);
	}

	@Test
	void resultAndEventsShouldRunTheBatchingProcessorOfTheJavadoc() {
		List<List<StreamDeltaEvent>> saved = new CopyOnWriteArrayList<>();
		EventProcessor batching = (events) -> events.mergeWith(events.ofType(StreamDeltaEvent.class)
			.bufferTimeout(20, Duration.ofMillis(200))
			.concatMap((batch) -> Mono.<Void>fromRunnable(() -> saved.add(batch)))
			.then(Mono.empty()));
		StepVerifier.withVirtualTime(() -> stage(batching).result(Flux.fromIterable(HELLO)))
			.expectNextSequence(HELLO)
			.verifyComplete();
		StepVerifier.withVirtualTime(() -> stage(batching).events(Flux.fromIterable(HELLO)))
			.expectNextSequence(HELLO)
			.verifyComplete();
		assertThat(saved).containsExactly(List.of(delta(0, "Hel"), delta(1, "lo")),
				List.of(delta(0, "Hel"), delta(1, "lo")));
	}

	@Test
	void resultShouldFlushABatchOnTheTimerWhileTheStreamRuns() {
		List<List<StreamDeltaEvent>> saved = new CopyOnWriteArrayList<>();
		EventProcessor batching = (events) -> events.mergeWith(events.ofType(StreamDeltaEvent.class)
			.bufferTimeout(20, Duration.ofMillis(200))
			.concatMap((batch) -> Mono.<Void>fromRunnable(() -> saved.add(batch)))
			.then(Mono.empty()));
		Flux<StreamEvent> slowStream = Flux.fromIterable(HELLO.subList(0, 2))
			.concatWith(Flux.fromIterable(HELLO.subList(2, 4)).delaySubscription(Duration.ofSeconds(1)));
		StepVerifier.withVirtualTime(() -> stage(batching).result(slowStream))
			.expectNext(START, HELLO.get(1))
			.expectNoEvent(Duration.ofMillis(200))
			.then(() -> assertThat(saved).containsExactly(List.of(delta(0, "Hel"))))
			.thenAwait(Duration.ofMillis(800))
			.expectNext(HELLO.get(2), HELLO_COMPLETE)
			.verifyComplete();
		assertThat(saved).containsExactly(List.of(delta(0, "Hel")), List.of(delta(1, "lo")));
	}

	@Test
	void resultShouldEndWithAProcessorErrorEventWhenTheProcessorFails() {
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier
			.create(stage((events) -> events.take(1).concatWith(Mono.error(boom))).result(Flux.fromIterable(HELLO)))
			.expectNext(START, HELLO.get(1), HELLO.get(2))
			.assertNext((event) -> assertProcessorFailure(event, boom, "Hello"))
			.verifyComplete();
	}

	@Test
	void resultShouldHonourBackpressure() {
		AtomicLong requested = new AtomicLong();
		Supplier<Flux<StreamEvent>> scenario = () -> stage(upperCase())
			.result(Flux.fromIterable(HELLO).doOnRequest(requested::addAndGet));
		StepVerifier.withVirtualTime(scenario, 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValueLessThanOrEqualTo(1))
			.thenRequest(1)
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValueLessThanOrEqualTo(3))
			.thenRequest(3)
			.expectNext(HELLO.get(1), HELLO.get(2), HELLO_COMPLETE)
			.verifyComplete();
	}

	@Test
	void resultShouldCancelTheProcessorAndTheStreamWhenTheSubscriberCancels() {
		PublisherProbe<StreamEvent> stream = PublisherProbe.of(Flux.fromIterable(HELLO).concatWith(Flux.never()));
		AtomicBoolean processorCancelled = new AtomicBoolean();
		EventProcessor processor = (events) -> events.doOnCancel(() -> processorCancelled.set(true));
		StepVerifier.create(stage(processor).result(stream.flux()), 1).expectNext(START).thenCancel().verify();
		stream.assertWasCancelled();
		assertThat(processorCancelled).isTrue();
	}

	private static void assertProcessorFailure(StreamEvent event, Throwable cause, String partialText) {
		assertThat(event).isInstanceOf(StreamErrorEvent.class);
		StreamErrorEvent error = (StreamErrorEvent) event;
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROCESSOR);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.streamId()).isEqualTo("s");
		assertThat(error.timestamp()).isEqualTo(FAILED_AT);
		assertThat(error.partialText()).isEqualTo(partialText);
		assertThat(error.error()).isInstanceOf(EventProcessorException.class)
			.hasCause(cause)
			.hasMessage("Event processor of stream s failed with java.lang.IllegalStateException");
		assertThat(error.error().getProvider()).isEqualTo("openai");
		assertThat(error.error().getPartialResponse()).isSameAs(error.partialResponse());
	}

	private static String name(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			return delta.delta();
		}
		return event.isTerminal() ? "complete" : "start";
	}

}
