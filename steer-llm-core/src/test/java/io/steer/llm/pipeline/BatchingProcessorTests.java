package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.steer.llm.event.StreamEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static io.steer.llm.pipeline.BatchTestEvents.START;
import static io.steer.llm.pipeline.BatchTestEvents.complete;
import static io.steer.llm.pipeline.BatchTestEvents.delta;
import static io.steer.llm.pipeline.BatchTestEvents.flatten;
import static io.steer.llm.pipeline.BatchTestEvents.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class BatchingProcessorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<List<StreamEvent>> handled = new CopyOnWriteArrayList<>();

	private BatchHandler collecting() {
		return BatchHandler.of(this.handled::add);
	}

	private static void assertSameInstances(List<StreamEvent> received, List<StreamEvent> sent) {
		assertThat(received).hasSameSizeAs(sent);
		for (int i = 0; i < sent.size(); i++) {
			assertThat(received.get(i)).isSameAs(sent.get(i));
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("latch released in time").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void applyShouldPassEveryEventThroughUnchangedAndHandThemOverInOrderedBatches() {
		List<StreamEvent> events = stream(5);
		BatchingProcessor processor = BatchingProcessor.builder(collecting()).size(3).build();
		List<StreamEvent> received = processor.apply(Flux.fromIterable(events)).collectList().block(WAIT);
		assertSameInstances(received, events);
		assertThat(this.handled).containsExactly(events.subList(0, 3), events.subList(3, 6), events.subList(6, 7));
	}

	@Test
	void applyShouldHandOverAPartialBatchWhenItsTimeoutPasses() {
		Sinks.Many<StreamEvent> source = Sinks.many().unicast().onBackpressureBuffer();
		BatchingProcessor processor = BatchingProcessor.builder(collecting())
			.size(10)
			.timeout(Duration.ofSeconds(1))
			.build();
		StepVerifier.withVirtualTime(() -> processor.apply(source.asFlux())).then(() -> {
			source.tryEmitNext(START);
			source.tryEmitNext(delta(0));
		})
			.expectNext(START, delta(0))
			.thenAwait(Duration.ofMillis(999))
			.then(() -> assertThat(this.handled).isEmpty())
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(this.handled).containsExactly(List.of(START, delta(0))))
			.then(() -> {
				source.tryEmitNext(complete());
				source.tryEmitComplete();
			})
			.expectNext(complete())
			.verifyComplete();
		assertThat(this.handled).containsExactly(List.of(START, delta(0)), List.of(complete()));
	}

	@Test
	void applyShouldHandOverTheLastBatchAtTheTerminalEventBeforeTheInputCompletes() {
		Sinks.Many<StreamEvent> source = Sinks.many().unicast().onBackpressureBuffer();
		BatchingProcessor processor = BatchingProcessor.builder(collecting())
			.size(10)
			.timeout(Duration.ofMinutes(1))
			.build();
		StepVerifier.withVirtualTime(() -> processor.apply(source.asFlux())).then(() -> {
			source.tryEmitNext(START);
			source.tryEmitNext(delta(0));
			source.tryEmitNext(complete());
		})
			.expectNext(START, delta(0), complete())
			.then(() -> assertThat(this.handled).containsExactly(List.of(START, delta(0), complete())))
			.then(source::tryEmitComplete)
			.verifyComplete();
		assertThat(this.handled).hasSize(1);
	}

	@Test
	void applyShouldHandOverNothingForAnEmptyInput() {
		StepVerifier.create(BatchingProcessor.builder(collecting()).build().apply(Flux.empty())).verifyComplete();
		assertThat(this.handled).isEmpty();
	}

	@Test
	void applyShouldHandOverTheOpenBatchWhenTheSubscriberCancels() {
		BatchingProcessor processor = BatchingProcessor.builder(collecting()).size(10).build();
		StepVerifier.create(processor.apply(Flux.fromIterable(stream(5))), 3)
			.expectNext(START, delta(0), delta(1))
			.thenCancel()
			.verify(WAIT);
		assertThat(this.handled).containsExactly(List.of(START, delta(0), delta(1)));
	}

	@Test
	void applyShouldHandOverTheOpenBatchWhenTheInputFails() {
		BatchingProcessor processor = BatchingProcessor.builder(collecting()).size(10).build();
		Flux<StreamEvent> failing = Flux.<StreamEvent>just(START, delta(0))
			.concatWith(Mono.error(new IllegalStateException("boom")));
		StepVerifier.create(processor.apply(failing)).expectNext(START, delta(0)).verifyErrorMessage("boom");
		assertThat(this.handled).containsExactly(List.of(START, delta(0)));
	}

	@Test
	void applyShouldNotSignalAFailureOfAnInStreamHandler() {
		List<StreamEvent> events = stream(3);
		BatchHandler failing = (batch) -> {
			this.handled.add(batch);
			return (this.handled.size() == 1) ? Mono.error(new IllegalStateException("store down")) : Mono.empty();
		};
		StepVerifier.create(BatchingProcessor.builder(failing).size(2).build().apply(Flux.fromIterable(events)))
			.expectNextSequence(events)
			.verifyComplete();
		assertThat(flatten(this.handled)).containsExactlyElementsOf(events);
	}

	@Test
	void applyShouldNotDelayTheSubscriberForASlowBackgroundHandler() {
		List<StreamEvent> events = stream(4);
		List<EventDelivery> delivery = new ArrayList<>();
		BatchHandler slow = (batch) -> Mono.delay(Duration.ofSeconds(10))
			.then(Mono.fromRunnable(() -> this.handled.add(batch)));
		StepVerifier.withVirtualTime(() -> {
			// built here, its thread is virtual time's
			delivery.add(EventDelivery.create());
			return BatchingProcessor.builder(slow)
				.size(2)
				.background(delivery.get(0))
				.build()
				.apply(Flux.fromIterable(events));
		})
			.expectNextSequence(events)
			.then(() -> assertThat(this.handled).isEmpty())
			.then(() -> assertThat(delivery.get(0).pending()).isEqualTo(3))
			.thenAwait(Duration.ofSeconds(10))
			.then(() -> assertThat(this.handled).containsExactly(events.subList(0, 2)))
			.thenAwait(Duration.ofSeconds(20))
			.then(() -> assertThat(this.handled).containsExactly(events.subList(0, 2), events.subList(2, 4),
					events.subList(4, 6)))
			.verifyComplete();
		assertThat(delivery.get(0).delivered()).isEqualTo(3);
		assertThat(delivery.get(0).dropped()).isZero();
	}

	@Test
	void applyShouldKeepTheOrderOfBatchesWhenAnAsyncHandlerCompletesFasterForLaterOnes() {
		List<StreamEvent> events = stream(8);
		List<EventDelivery> delivery = new ArrayList<>();
		BatchHandler fasterAndFaster = (batch) -> Mono.delay(Duration.ofMillis(100 - 10L * this.handled.size()))
			.then(Mono.fromRunnable(() -> this.handled.add(batch)));
		StepVerifier.withVirtualTime(() -> {
			delivery.add(EventDelivery.create());
			return BatchingProcessor.builder(fasterAndFaster)
				.size(1)
				.background(delivery.get(0))
				.build()
				.apply(Flux.fromIterable(events));
		})
			.expectNextSequence(events)
			.thenAwait(Duration.ofMinutes(1))
			.then(() -> assertThat(flatten(this.handled)).containsExactlyElementsOf(events))
			.verifyComplete();
		assertThat(delivery.get(0).delivered()).isEqualTo(events.size());
	}

	@Test
	void applyShouldNotBreakOrSlowTheStreamWhenTheBackgroundHandlerThrows() {
		List<StreamEvent> events = stream(5);
		try (EventDelivery delivery = EventDelivery.create()) {
			BatchHandler throwing = (batch) -> {
				throw new IllegalStateException("handler bug");
			};
			List<StreamEvent> received = BatchingProcessor.builder(throwing)
				.size(2)
				.background(delivery)
				.build()
				.apply(Flux.fromIterable(events))
				.collectList()
				.block(WAIT);
			assertSameInstances(received, events);
			delivery.close(WAIT);
			assertThat(delivery.failed()).isEqualTo(4);
			assertThat(delivery.delivered()).isZero();
			assertThat(delivery.dropped()).isZero();
		}
	}

	@Test
	void applyShouldRunTheHandlerOnTheDeliverysThreadNotTheStreams() {
		List<String> threads = new CopyOnWriteArrayList<>();
		try (EventDelivery delivery = EventDelivery.builder().name("batch-test").build()) {
			BatchHandler recordThread = BatchHandler.of((batch) -> threads.add(Thread.currentThread().getName()));
			BatchingProcessor.builder(recordThread)
				.size(2)
				.background(delivery)
				.build()
				.apply(Flux.fromIterable(stream(3)))
				.blockLast(WAIT);
			delivery.close(WAIT);
			assertThat(delivery.delivered()).isEqualTo(3);
		}
		assertThat(threads).hasSize(3).allSatisfy((name) -> assertThat(name).startsWith("batch-test-"));
		assertThat(threads).doesNotContain(Thread.currentThread().getName());
	}

	@Test
	void applyShouldDropTheOldestBatchesAndNotSlowTheStreamWhenTheHandlerIsStuck() {
		List<StreamEvent> events = stream(10);
		CountDownLatch release = new CountDownLatch(1);
		try (EventDelivery delivery = EventDelivery.builder().queueCapacity(1).build()) {
			BatchHandler stuck = BatchHandler.of((batch) -> {
				if (this.handled.isEmpty()) {
					await(release);
				}
				this.handled.add(batch);
			});
			BatchingProcessor processor = BatchingProcessor.builder(stuck).size(1).background(delivery).build();
			StepVerifier.create(processor.apply(Flux.fromIterable(events))).expectNextSequence(events).verifyComplete();
			assertThat(delivery.dropped()).isEqualTo(events.size() - 2);
			assertThat(delivery.pending()).isEqualTo(2);
			release.countDown();
			delivery.close(WAIT);
			assertThat(delivery.delivered()).isEqualTo(2);
			assertThat(delivery.dropped()).isEqualTo(events.size() - 2);
		}
		assertThat(this.handled).containsExactly(List.of(START), List.of(complete()));
	}

	@Test
	void applyShouldSlowTheStreamToTheHandlerAndDropNothingUnderBackpressure() {
		List<StreamEvent> events = stream(50);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch completed = new CountDownLatch(1);
		List<StreamEvent> received = new CopyOnWriteArrayList<>();
		try (EventDelivery delivery = EventDelivery.builder()
			.queueCapacity(1)
			.overflowPolicy(OverflowPolicy.BACKPRESSURE)
			.build()) {
			BatchHandler stuckFirst = BatchHandler.of((batch) -> {
				if (this.handled.isEmpty()) {
					await(release);
				}
				this.handled.add(batch);
			});
			BatchingProcessor.builder(stuckFirst)
				.size(1)
				.background(delivery)
				.build()
				.apply(Flux.fromIterable(events))
				.subscribe(received::add, (ex) -> {
				}, completed::countDown);
			// the source emits on this thread: subscribe returned where the stream waits
			assertThat(received).hasSizeLessThan(events.size()).isNotEmpty();
			assertThat(completed.getCount()).isOne();
			assertThat(delivery.pending()).isEqualTo(3);
			assertThat(delivery.dropped()).isZero();
			release.countDown();
			await(completed);
			delivery.close(WAIT);
			assertThat(delivery.delivered()).isEqualTo(events.size());
			assertThat(delivery.dropped()).isZero();
		}
		assertSameInstances(received, events);
		assertThat(flatten(this.handled)).containsExactlyElementsOf(events);
	}

	@Test
	void applyShouldNeitherFailNorLoseWhenBatchesTimeOutWhileAFullQueueHoldsDemandBack() {
		// reactor-core#3012: the plain bufferTimeout signals OverflowException here
		List<StreamEvent> events = stream(10);
		List<EventDelivery> delivery = new ArrayList<>();
		BatchHandler slow = (batch) -> Mono.delay(Duration.ofSeconds(3))
			.then(Mono.fromRunnable(() -> this.handled.add(batch)));
		StepVerifier.withVirtualTime(() -> {
			delivery.add(EventDelivery.builder().queueCapacity(1).overflowPolicy(OverflowPolicy.BACKPRESSURE).build());
			return BatchingProcessor.builder(slow)
				.size(2)
				.timeout(Duration.ofSeconds(1))
				.background(delivery.get(0))
				.build()
				.apply(Flux.fromIterable(events).delayElements(Duration.ofMillis(1500)));
		})
			.thenAwait(Duration.ofMinutes(5))
			.expectNextSequence(events)
			.then(() -> assertThat(flatten(this.handled)).containsExactlyElementsOf(events))
			.verifyComplete();
		assertThat(this.handled).allSatisfy((batch) -> assertThat(batch).hasSizeBetween(1, 2));
		assertThat(delivery.get(0).dropped()).isZero();
		assertThat(delivery.get(0).failed()).isZero();
		assertThat(delivery.get(0).delivered()).isEqualTo(this.handled.size());
	}

	@Test
	void batchesShouldWaitForDemandWhenTheyTimeOutWithNoneInsteadOfOverflowing() {
		// reactor-core#3012: with a small request and a slow downstream, timed-out
		// batches
		// wait for the next request
		Sinks.Many<StreamEvent> source = Sinks.many().unicast().onBackpressureBuffer();
		List<List<StreamEvent>> seen = new ArrayList<>();
		StepVerifier
			.withVirtualTime(
					() -> BatchingProcessor.batches(source.asFlux(), 2, Duration.ofSeconds(1)).doOnNext(seen::add), 0)
			.thenRequest(1)
			.then(() -> source.tryEmitNext(START))
			.thenAwait(Duration.ofSeconds(1))
			.expectNext(List.of(START))
			.then(() -> source.tryEmitNext(delta(0)))
			.thenAwait(Duration.ofSeconds(2))
			.then(() -> source.tryEmitNext(delta(1)))
			.thenAwait(Duration.ofSeconds(2))
			.then(() -> source.tryEmitNext(delta(2)))
			.thenAwait(Duration.ofSeconds(2))
			.expectNoEvent(Duration.ofSeconds(5))
			.thenRequest(Long.MAX_VALUE)
			.then(() -> {
				source.tryEmitNext(complete());
				source.tryEmitComplete();
			})
			.thenConsumeWhile((batch) -> true)
			.verifyComplete();
		assertThat(flatten(seen)).containsExactly(START, delta(0), delta(1), delta(2), complete());
		assertThat(seen).allSatisfy((batch) -> assertThat(batch).hasSizeBetween(1, 2));
	}

	@Test
	void batchesShouldHoldAPartialBatchUntilItsTimeoutWhenDemandResumes() {
		// reactor-core#4377: the fair variant was reported to flush the open partial
		// batch
		// as soon as demand resumes; with the Reactor in use it waits for its timeout,
		// and
		// either way nothing is lost
		Sinks.Many<StreamEvent> source = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> BatchingProcessor.batches(source.asFlux(), 2, Duration.ofSeconds(10)), 0)
			.thenRequest(1)
			.then(() -> {
				source.tryEmitNext(START);
				source.tryEmitNext(delta(0));
				source.tryEmitNext(delta(1));
			})
			.expectNext(List.of(START, delta(0)))
			.thenRequest(1)
			.expectNoEvent(Duration.ofSeconds(9))
			.thenAwait(Duration.ofSeconds(1))
			.expectNext(List.of(delta(1)))
			.thenRequest(1)
			.then(source::tryEmitComplete)
			.verifyComplete();
	}

	@Test
	void batchesShouldBeUnmodifiable() {
		List<StreamEvent> batch = BatchingProcessor.batches(Flux.just(START), 2, Duration.ofSeconds(1))
			.blockFirst(WAIT);
		assertThat(batch).containsExactly(START);
		assertThat(batch).isUnmodifiable();
	}

	@Test
	void builderShouldKeepTheDefaults() {
		BatchingProcessor processor = BatchingProcessor.builder(collecting()).build();
		assertThat(processor.size()).isEqualTo(BatchingProcessor.DEFAULT_SIZE);
		assertThat(processor.timeout()).isEqualTo(Duration.ofMillis(200));
		assertThat(processor.background()).isNull();
	}

	@Test
	void builderShouldRejectInvalidArguments() {
		assertThatNullPointerException().isThrownBy(() -> BatchingProcessor.builder(null))
			.withMessage("handler must not be null");
		BatchingProcessor.Builder builder = BatchingProcessor.builder(collecting());
		assertThatIllegalArgumentException().isThrownBy(() -> builder.size(0))
			.withMessage("size must be between 1 and 65536, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.size(BatchingProcessor.MAX_SIZE + 1))
			.withMessage("size must be between 1 and 65536, was 65537");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.timeout(Duration.ZERO))
			.withMessage("timeout must be positive, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.timeout(Duration.ofMillis(-1)))
			.withMessage("timeout must be positive, was PT-0.001S");
	}

}
