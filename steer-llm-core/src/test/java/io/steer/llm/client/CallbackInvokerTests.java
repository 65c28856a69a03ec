package io.steer.llm.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.steer.llm.event.StreamEvent;
import io.steer.llm.options.StreamCallbacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

import static io.steer.llm.client.TestEvents.START;
import static io.steer.llm.client.TestEvents.hello;
import static org.assertj.core.api.Assertions.assertThat;

class CallbackInvokerTests {

	private static final List<StreamEvent> HELLO = hello();

	@BeforeAll
	static void failInsteadOfHanging() {
		StepVerifier.setDefaultTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void resetTimeout() {
		StepVerifier.resetDefaultTimeout();
	}

	private static StreamCallbacks recording(List<String> seen, String owner) {
		return StreamCallbacks.builder()
			.onStart((e) -> seen.add(owner + ":start"))
			.onDelta((e) -> seen.add(owner + ":" + e.delta()))
			.onComplete((e) -> seen.add(owner + ":complete"))
			.build();
	}

	@Test
	void applyWithoutCallbacksShouldReturnTheEventsThemselves() {
		Flux<StreamEvent> events = Flux.fromIterable(HELLO);
		assertThat(CallbackInvoker.apply(events, StreamCallbacks.NONE, StreamCallbacks.NONE)).isSameAs(events);
	}

	@Test
	void plainCallbacksShouldRunOptionsFirstThenCallBeforeTheEventPasses() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StepVerifier
			.create(CallbackInvoker.apply(Flux.fromIterable(HELLO), recording(seen, "options"), recording(seen, "call"))
				.doOnNext((event) -> seen.add("subscriber")))
			.expectNextSequence(HELLO)
			.verifyComplete();
		assertThat(seen).containsExactly("options:start", "call:start", "subscriber", "options:Hel", "call:Hel",
				"subscriber", "options:lo", "call:lo", "subscriber", "options:complete", "call:complete", "subscriber");
	}

	@Test
	void plainCallbackThatThrowsShouldBeSkipped() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks failing = StreamCallbacks.builder().onDelta((e) -> {
			throw new IllegalStateException("boom in callback");
		}).build();
		StepVerifier.create(CallbackInvoker.apply(Flux.fromIterable(HELLO), failing, recording(seen, "call")))
			.expectNextSequence(HELLO)
			.verifyComplete();
		assertThat(seen).containsExactly("call:start", "call:Hel", "call:lo", "call:complete");
	}

	@Test
	void plainCallbacksShouldRunOnlyForRequestedEvents() {
		List<String> seen = new CopyOnWriteArrayList<>();
		AtomicLong requested = new AtomicLong();
		Supplier<Flux<StreamEvent>> scenario = () -> CallbackInvoker.apply(
				Flux.fromIterable(HELLO).doOnRequest(requested::addAndGet), recording(seen, "call"),
				StreamCallbacks.NONE);
		StepVerifier.withVirtualTime(scenario, 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValue(0))
			.then(() -> assertThat(seen).isEmpty())
			.thenRequest(1)
			.expectNext(START)
			.then(() -> assertThat(seen).containsExactly("call:start"))
			.thenRequest(3)
			.expectNextCount(3)
			.verifyComplete();
	}

	@Test
	void asyncCallbackShouldBeAwaitedBeforeTheEventPasses() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks slow = StreamCallbacks.builder()
			.onDeltaAsync((e) -> Mono.delay(Duration.ofSeconds(1))
				.doOnNext((tick) -> seen.add("delivered:" + e.delta()))
				.then())
			.build();
		StepVerifier.withVirtualTime(() -> CallbackInvoker.apply(Flux.fromIterable(HELLO), slow, StreamCallbacks.NONE))
			.expectSubscription()
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(1))
			.then(() -> assertThat(seen).containsExactly("delivered:Hel"))
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(HELLO.get(2), HELLO.get(3))
			.verifyComplete();
	}

	@Test
	void asyncCallbacksShouldRunOptionsFirstThenCallOneAfterTheOther() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks options = StreamCallbacks.builder()
			.onStartAsync((e) -> Mono.delay(Duration.ofSeconds(1)).doOnNext((tick) -> seen.add("options")).then())
			.build();
		StreamCallbacks call = StreamCallbacks.builder()
			.onStartAsync((e) -> Mono.delay(Duration.ofSeconds(1)).doOnNext((tick) -> seen.add("call")).then())
			.build();
		StepVerifier.withVirtualTime(() -> CallbackInvoker.apply(Flux.fromIterable(HELLO), options, call))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(seen).containsExactly("options"))
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext(START)
			.then(() -> assertThat(seen).containsExactly("options", "call"))
			.expectNextCount(3)
			.verifyComplete();
	}

	@Test
	void asyncCallbackThatFailsShouldBeSkipped() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks failing = StreamCallbacks.builder()
			.onStartAsync((e) -> Mono.error(new IllegalStateException("async boom")))
			.onDeltaAsync((e) -> {
				throw new IllegalStateException("boom before the publisher");
			})
			.onCompleteAsync((e) -> null)
			.build();
		StepVerifier.create(CallbackInvoker.apply(Flux.fromIterable(HELLO), failing, recording(seen, "call")))
			.expectNextSequence(HELLO)
			.verifyComplete();
		assertThat(seen).containsExactly("call:start", "call:Hel", "call:lo", "call:complete");
	}

	@Test
	void asyncCallbacksShouldReadAtMostOneEventAhead() {
		AtomicLong requested = new AtomicLong();
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamCallbacks async = StreamCallbacks.builder()
			.onDeltaAsync((e) -> Mono.delay(Duration.ofSeconds(1))
				.doOnNext((tick) -> seen.add("delivered:" + e.delta()))
				.then())
			.build();
		Supplier<Flux<StreamEvent>> scenario = () -> CallbackInvoker
			.apply(Flux.fromIterable(HELLO).doOnRequest(requested::addAndGet), async, StreamCallbacks.NONE);
		StepVerifier.withVirtualTime(scenario, 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.then(() -> assertThat(requested).hasValue(0))
			.thenRequest(1)
			.expectNext(START)
			.expectNoEvent(Duration.ofSeconds(5))
			.then(() -> assertThat(requested).hasValue(2))
			.then(() -> assertThat(seen).containsExactly("delivered:Hel"))
			.thenRequest(1)
			.expectNext(HELLO.get(1))
			.expectNoEvent(Duration.ofSeconds(5))
			.then(() -> assertThat(requested).hasValue(3))
			.then(() -> assertThat(seen).containsExactly("delivered:Hel", "delivered:lo"))
			.thenRequest(2)
			.expectNext(HELLO.get(2), HELLO.get(3))
			.verifyComplete();
	}

	@Test
	void cancelShouldCancelAPendingAsyncCallbackAndTheEvents() {
		PublisherProbe<StreamEvent> events = PublisherProbe.of(Flux.fromIterable(HELLO));
		AtomicBoolean callbackCancelled = new AtomicBoolean();
		StreamCallbacks async = StreamCallbacks.builder()
			.onDeltaAsync((e) -> Mono.delay(Duration.ofSeconds(1)).doOnCancel(() -> callbackCancelled.set(true)).then())
			.build();
		StepVerifier.withVirtualTime(() -> CallbackInvoker.apply(events.flux(), async, StreamCallbacks.NONE))
			.expectSubscription()
			.expectNext(START)
			.thenAwait(Duration.ofMillis(500))
			.thenCancel()
			.verify();
		events.assertWasCancelled();
		assertThat(callbackCancelled).isTrue();
	}

}
