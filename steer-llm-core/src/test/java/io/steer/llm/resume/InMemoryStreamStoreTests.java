package io.steer.llm.resume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link InMemoryStreamStore} under the {@link StreamStoreContractTests}, and on virtual
 * time: the time to live after complete, then gone, then not found; the bound on streams;
 * a slow reader; the bytes kept.
 */
class InMemoryStreamStoreTests extends StreamStoreContractTests {

	private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

	@Override
	protected StreamStore store(Scheduler scheduler, int maxEventsPerStream, Duration goneRetention,
			PayloadCodec codec) {
		return InMemoryStreamStore.builder()
			.scheduler(scheduler)
			.maxEventsPerStream(maxEventsPerStream)
			.goneRetention(goneRetention)
			.codec(codec)
			.build();
	}

	@Override
	protected boolean supportsVirtualTime() {
		return true;
	}

	private InMemoryStreamStore.Builder builder() {
		return InMemoryStreamStore.builder().scheduler(this.clock);
	}

	private StreamState state(StreamStore store, String id) {
		return store.info(id).map(StreamInfo::state).block(TIMEOUT);
	}

	@Test
	void completedStreamShouldKeepItsEventsForTheTtlThenBeGoneThenNotFound() {
		InMemoryStreamStore store = builder().goneRetention(Duration.ofHours(1)).build();
		store.create("s1", Duration.ofMinutes(5)).block(TIMEOUT);
		store.append("s1", events(0, 2)).block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofMinutes(30));
		assertThat(state(store, "s1")).as("a running stream does not expire").isEqualTo(StreamState.RUNNING);
		store.complete("s1").block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofMinutes(5).minusMillis(1));
		assertThat(state(store, "s1")).isEqualTo(StreamState.COMPLETED);
		StepVerifier.create(store.read("s1", 0)).expectNext(event(1), event(2)).expectComplete().verify(TIMEOUT);
		assertThat(store.storedBytes()).isPositive();
		this.clock.advanceTimeBy(Duration.ofMillis(1));
		assertThat(store.info("s1").block(TIMEOUT)).isEqualTo(StreamInfo.absent("s1", StreamState.GONE));
		assertThat(store.storedBytes()).isZero();
		StepVerifier.create(store.read("s1", -1))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, "s1"))
			.verify(TIMEOUT);
		StepVerifier.create(store.requestStop("s1"))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, "s1"))
			.verify(TIMEOUT);
		StepVerifier.create(store.append("s1", List.of(event(3))))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, "s1"))
			.verify(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofHours(1).minusMillis(1));
		assertThat(state(store, "s1")).isEqualTo(StreamState.GONE);
		this.clock.advanceTimeBy(Duration.ofMillis(1));
		assertThat(store.info("s1").block(TIMEOUT)).isEqualTo(StreamInfo.absent("s1", StreamState.NOT_FOUND));
		StepVerifier.create(store.read("s1", -1))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.NOT_FOUND, "s1"))
			.verify(TIMEOUT);
	}

	@Test
	void aReaderWaitingOnASilentRunningStreamShouldKeepItFromBeingAbandoned() {
		InMemoryStreamStore store = builder().build();
		ResumableStreams streams = new ResumableStreams(store, new ResumeSettings(Duration.ofSeconds(10),
				Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(500), null), this.clock);
		TestPublisher<ServerSentEvent<String>> source = TestPublisher.create();
		String id = streams.start(source.flux()).block(TIMEOUT);
		List<String> names = new CopyOnWriteArrayList<>();
		Disposable reader = streams.events(id, null).map(ServerSentEvent::event).subscribe(names::add);
		source.next(ServerSentEvent.builder("{}").event("start").build());
		// the provider thinks for longer than the time to live, a reader watching
		this.clock.advanceTimeBy(Duration.ofSeconds(30));
		source.assertNotCancelled();
		assertThat(names).containsExactly("start");
		reader.dispose();
		// the time to live counts from when the last reader left
		this.clock.advanceTimeBy(Duration.ofSeconds(9));
		source.assertNotCancelled();
		this.clock.advanceTimeBy(Duration.ofSeconds(2));
		source.assertWasCancelled();
		streams.close();
	}

	@Test
	void aStopRacingTheSourcesDoneShouldWriteNothingAfterIt() {
		InMemoryStreamStore memory = builder().build();
		AtomicReference<ResumableStreams> holder = new AtomicReference<>();
		// a stop that arrives (from another thread, here from the append) while the
		// source's done is being queued
		StreamStore store = new StreamStore() {

			@Override
			public Mono<Void> create(String streamId, Duration ttl) {
				return memory.create(streamId, ttl);
			}

			@Override
			public Mono<Void> append(String streamId, List<StoredEvent> events) {
				return Mono.defer(() -> {
					if (events.stream().anyMatch((event) -> event.name().equals("done"))) {
						holder.get().stop(streamId).block(TIMEOUT);
					}
					return memory.append(streamId, events);
				});
			}

			@Override
			public Mono<Void> heartbeat(String streamId) {
				return memory.heartbeat(streamId);
			}

			@Override
			public Mono<Void> complete(String streamId) {
				return memory.complete(streamId);
			}

			@Override
			public Flux<StoredEvent> read(String streamId, long afterSequence) {
				return memory.read(streamId, afterSequence);
			}

			@Override
			public Mono<StreamInfo> info(String streamId) {
				return memory.info(streamId);
			}

			@Override
			public Mono<Boolean> requestStop(String streamId) {
				return memory.requestStop(streamId);
			}

			@Override
			public Mono<Void> stopRequested(String streamId, Duration pollInterval) {
				return memory.stopRequested(streamId, pollInterval);
			}

		};
		ResumableStreams streams = new ResumableStreams(store, ResumeSettings.DEFAULTS, this.clock);
		holder.set(streams);
		String id = streams.start(Flux.just(ServerSentEvent.builder("{}").event("start").build(),
				ServerSentEvent.builder("{}").event("done").build()))
			.block(TIMEOUT);
		StepVerifier.create(streams.events(id, null).map(ServerSentEvent::event))
			.expectNext("start", "done")
			.expectComplete()
			.verify(TIMEOUT);
		streams.close();
	}

	@Test
	void eachStreamShouldKeepItsOwnTtl() {
		InMemoryStreamStore store = builder().build();
		store.create("short", Duration.ofSeconds(10)).block(TIMEOUT);
		store.create("long", Duration.ofMinutes(10)).block(TIMEOUT);
		store.complete("short").then(store.complete("long")).block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(state(store, "short")).isEqualTo(StreamState.GONE);
		assertThat(state(store, "long")).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void readerOfAStreamThatExpiresBeforeItCatchesUpShouldGetGone() {
		InMemoryStreamStore store = builder().build();
		store.create("s1", Duration.ofMinutes(1)).block(TIMEOUT);
		store.append("s1", events(0, 2)).then(store.complete("s1")).block(TIMEOUT);
		StepVerifier.create(store.read("s1", -1), 1)
			.expectNext(event(0))
			.then(() -> this.clock.advanceTimeBy(Duration.ofMinutes(1)))
			.thenRequest(5)
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, "s1"))
			.verify(TIMEOUT);
	}

	@Test
	void fullStoreShouldEvictAGoneStreamFirstThenTheFirstCompletedAndOverflowWhenAllRun() {
		InMemoryStreamStore store = builder().maxStreams(3).build();
		store.create("b", Duration.ofHours(1)).block(TIMEOUT);
		store.create("a", Duration.ofMinutes(1)).block(TIMEOUT);
		store.create("c", Duration.ofHours(1)).block(TIMEOUT);
		StepVerifier.create(store.create("d", Duration.ofHours(1)))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, "d"))
			.verify(TIMEOUT);
		store.complete("b").block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofSeconds(1));
		store.complete("a").block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofMinutes(2));
		// a is gone (its ttl passed), b completed earlier but still has its events
		assertThat(state(store, "a")).isEqualTo(StreamState.GONE);
		store.create("d", Duration.ofHours(1)).block(TIMEOUT);
		assertThat(state(store, "a")).isEqualTo(StreamState.NOT_FOUND);
		assertThat(state(store, "b")).isEqualTo(StreamState.COMPLETED);
		store.create("e", Duration.ofHours(1)).block(TIMEOUT);
		assertThat(state(store, "b")).isEqualTo(StreamState.NOT_FOUND);
		assertThat(List.of("c", "d", "e"))
			.allSatisfy((id) -> assertThat(state(store, id)).isEqualTo(StreamState.RUNNING));
		StepVerifier.create(store.create("f", Duration.ofHours(1)))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, "f"))
			.verify(TIMEOUT);
	}

	@Test
	void evictingAStreamShouldEndItsReadersWithGone() {
		InMemoryStreamStore store = builder().maxStreams(1).build();
		store.create("old", Duration.ofHours(1)).block(TIMEOUT);
		store.append("old", events(0, 3)).then(store.complete("old")).block(TIMEOUT);
		StepVerifier.create(store.read("old", -1), 1)
			.expectNext(event(0))
			.then(() -> store.create("new", Duration.ofHours(1)).block(TIMEOUT))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, "old"))
			.verify(TIMEOUT);
	}

	@Test
	void streamsForgottenAfterTheirGoneRetentionShouldFreeTheirPlace() {
		InMemoryStreamStore store = builder().maxStreams(1).goneRetention(Duration.ofMinutes(1)).build();
		store.create("a", Duration.ofMinutes(1)).then(store.complete("a")).block(TIMEOUT);
		this.clock.advanceTimeBy(Duration.ofMinutes(2));
		store.create("b", Duration.ofMinutes(1)).block(TIMEOUT);
		assertThat(state(store, "a")).isEqualTo(StreamState.NOT_FOUND);
		assertThat(state(store, "b")).isEqualTo(StreamState.RUNNING);
	}

	@Test
	void slowReaderShouldNeverHoldAnAppendUpAndOverflowWhenItFallsBehindTheRing() {
		InMemoryStreamStore store = builder().maxEventsPerStream(100).build();
		store.create("s1", Duration.ofHours(1)).block(TIMEOUT);
		StepVerifier.create(store.read("s1", -1), 1)
			.then(() -> store.append("s1", events(0, 49)).block(Duration.ofSeconds(1)))
			.expectNext(event(0))
			.then(() -> {
				for (long i = 50; i < 100; i++) {
					store.append("s1", List.of(event(i))).block(Duration.ofSeconds(1));
				}
				assertThat(store.info("s1").block(TIMEOUT).nextSequence()).isEqualTo(100);
			})
			.thenRequest(1)
			.expectNext(event(1))
			.thenRequest(1)
			.expectNext(event(2))
			// the ring moves past the reader's next event (3): it ends at once, before
			// asking for more
			.then(() -> store.append("s1", events(100, 103)).block(Duration.ofSeconds(1)))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, "s1"))
			.verify(TIMEOUT);
		StreamInfo info = store.info("s1").block(TIMEOUT);
		assertThat(info.firstSequence()).isEqualTo(4);
		assertThat(info.nextSequence()).isEqualTo(104);
	}

	@Test
	void stopRequestedShouldNotCompleteUntilAStopIsRequested() {
		InMemoryStreamStore store = builder().build();
		store.create("s1", Duration.ofHours(1)).block(TIMEOUT);
		StepVerifier.withVirtualTime(() -> store.stopRequested("s1", Duration.ofSeconds(1)), () -> this.clock, 1)
			.expectSubscription()
			.expectNoEvent(Duration.ofHours(1))
			.then(() -> assertThat(store.requestStop("s1").block(TIMEOUT)).isTrue())
			.expectComplete()
			.verify(TIMEOUT);
		store.create("s2", Duration.ofHours(1)).block(TIMEOUT);
		StepVerifier.withVirtualTime(() -> store.stopRequested("s2", Duration.ofSeconds(1)), () -> this.clock, 1)
			.expectSubscription()
			.then(() -> store.complete("s2").block(TIMEOUT))
			.expectNoEvent(Duration.ofHours(1))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void storedBytesShouldCountThePayloadsAndNamesKept() {
		InMemoryStreamStore store = builder().maxEventsPerStream(2).build();
		store.create("s1", Duration.ofHours(1)).block(TIMEOUT);
		assertThat(store.storedBytes()).isZero();
		store.append("s1", List.of(new StoredEvent(0, "start", "{}"))).block(TIMEOUT);
		assertThat(store.storedBytes()).isEqualTo(5 + 2);
		store.append("s1", List.of(new StoredEvent(1, "delta", "{\"text\":\"é\"}"))).block(TIMEOUT);
		assertThat(store.storedBytes()).isEqualTo(5 + 2 + 5 + 13);
		store.append("s1", List.of(new StoredEvent(2, "done", "{}"))).block(TIMEOUT);
		assertThat(store.storedBytes()).as("the first event was trimmed").isEqualTo(5 + 13 + 4 + 2);
	}

	@Test
	void builderShouldRejectBoundsThatCannotHold() {
		assertThatIllegalArgumentException().isThrownBy(() -> InMemoryStreamStore.builder().maxStreams(0));
		assertThatIllegalArgumentException().isThrownBy(() -> InMemoryStreamStore.builder().maxEventsPerStream(0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InMemoryStreamStore.builder().goneRetention(Duration.ofSeconds(-1)));
	}

	@Test
	void createWithATtlThatIsNotPositiveShouldSignalIllegalArgument() {
		InMemoryStreamStore store = InMemoryStreamStore.create();
		StepVerifier.create(store.create("s1", Duration.ZERO))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
		assertThat(state(store, "s1")).isEqualTo(StreamState.NOT_FOUND);
	}

}
