package io.steer.llm.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link StreamStore}, run against every store (one subclass each):
 * create, append and read; reading after a sequence; the live tail; no gap and no
 * duplicate under a concurrent appender; the errors ({@code NOT_FOUND},
 * {@code INVALID_ID}, {@code OVERFLOW}, a wrong sequence); stop requests; the info; and
 * both payload codecs.
 * <p>
 * Nothing here waits on a clock, so a store that keeps real time for its own expiry
 * (Redis) runs every case; time-to-live cases live in the stores' own tests. Each case
 * uses fresh stream ids, so a subclass may share one store (or one server) between cases.
 */
public abstract class StreamStoreContractTests {

	/** Longest any case waits for a store (a bound, not a sleep). */
	protected static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Time to live of the streams created here: longer than any case runs. */
	protected static final Duration TTL = Duration.ofMinutes(10);

	/**
	 * Events kept per stream by the default store: more than any case appends, except the
	 * trimming cases.
	 */
	protected static final int MAX_EVENTS = 10_000;

	/**
	 * A store to test.
	 * @param scheduler the store's clock
	 * @param maxEventsPerStream how many events the store keeps per stream
	 * @param goneRetention how long an expired stream is reported gone
	 * @param codec how the store keeps payloads
	 * @return the store
	 */
	protected abstract StreamStore store(Scheduler scheduler, int maxEventsPerStream, Duration goneRetention,
			PayloadCodec codec);

	/**
	 * Whether the store reads all its time from the scheduler it is given, so that the
	 * contract may give it a {@link VirtualTimeScheduler} and check the instants it
	 * records exactly; {@code false} (the default) for a store that also keeps real time
	 * (Redis key expiry), which is then given {@link Schedulers#parallel()}.
	 * @return whether the store keeps virtual time
	 */
	protected boolean supportsVirtualTime() {
		return false;
	}

	private Scheduler scheduler() {
		return supportsVirtualTime() ? VirtualTimeScheduler.create() : Schedulers.parallel();
	}

	private StreamStore store() {
		return store(scheduler(), MAX_EVENTS, Duration.ofHours(1), PayloadCodec.plain());
	}

	/**
	 * A fresh stream id.
	 * @return an id of the stores' form
	 */
	protected static String newId() {
		return "contract-" + UUID.randomUUID();
	}

	/**
	 * The event of a sequence, with data that names it.
	 * @param sequence the sequence
	 * @return the event
	 */
	protected static StoredEvent event(long sequence) {
		return new StoredEvent(sequence, "delta", "{\"text\":\"t" + sequence + "\",\"chunkIndex\":" + sequence + "}");
	}

	/**
	 * The events {@code from} to {@code to}, both included.
	 * @param from the first sequence
	 * @param to the last sequence
	 * @return the events
	 */
	protected static List<StoredEvent> events(long from, long to) {
		return LongStream.rangeClosed(from, to).mapToObj(StreamStoreContractTests::event).toList();
	}

	/**
	 * Asserts a failure is a {@link ResumeException} of a type.
	 * @param failure the failure
	 * @param type the expected type
	 * @param streamId the stream it should name
	 */
	protected static void assertResumeError(Throwable failure, ResumeErrorType type, String streamId) {
		assertThat(failure).isInstanceOfSatisfying(ResumeException.class, (ex) -> {
			assertThat(ex.getErrorType()).isEqualTo(type);
			assertThat(ex.getStreamId()).isEqualTo(streamId);
		});
	}

	private static void created(StreamStore store, String streamId) {
		store.create(streamId, TTL).block(TIMEOUT);
	}

	private static void append(StreamStore store, String streamId, List<StoredEvent> events) {
		store.append(streamId, events).block(TIMEOUT);
	}

	@Test
	void readShouldReplayEveryEventThenCompleteAfterComplete() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, List.of(event(0)));
		append(store, id, events(1, 2));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, -1))
			.expectNext(event(0), event(1), event(2))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void readAfterASequenceShouldStartWithTheNextEvent() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, events(0, 4));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, 2)).expectNext(event(3), event(4)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void readAfterTheLastEventOfACompletedStreamShouldCompleteAtOnce() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, events(0, 2));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, 2)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void readOfARunningStreamShouldTailLiveEventsUntilComplete() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, List.of(event(0)));
		StepVerifier.create(store.read(id, -1))
			.expectNext(event(0))
			.then(() -> append(store, id, List.of(event(1))))
			.expectNext(event(1))
			.then(() -> append(store, id, events(2, 3)))
			.expectNext(event(2), event(3))
			.then(() -> store.complete(id).block(TIMEOUT))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void readOfAStreamWithNoEventYetShouldWaitForTheFirst() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		StepVerifier.create(store.read(id, -1))
			.then(() -> append(store, id, List.of(event(0))))
			.expectNext(event(0))
			.then(() -> store.complete(id).block(TIMEOUT))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void cancellingAReaderShouldNotDisturbTheStreamOrOtherReaders() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, events(0, 1));
		StepVerifier.create(store.read(id, -1)).expectNext(event(0)).thenCancel().verify(TIMEOUT);
		append(store, id, events(2, 3));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, -1)).expectNextSequence(events(0, 3)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void readersStartingAnywhereWhileAnotherThreadAppendsShouldGetEveryLaterEventOnceInOrder() throws Exception {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		int total = 2_000;
		int readers = 8;
		AtomicLong appended = new AtomicLong();
		AtomicReference<Throwable> appendFailure = new AtomicReference<>();
		Random random = new Random(15);
		Thread appender = new Thread(() -> {
			try {
				Random sizes = new Random(42);
				long next = 0;
				while (next < total) {
					long last = Math.min(total - 1, next + sizes.nextInt(3));
					append(store, id, events(next, last));
					next = last + 1;
					appended.set(next);
					Thread.yield();
				}
				store.complete(id).block(TIMEOUT);
			}
			catch (Throwable ex) {
				appendFailure.set(ex);
			}
		}, "contract-appender");
		List<Long> afters = new ArrayList<>();
		List<CompletableFuture<List<StoredEvent>>> results = new ArrayList<>();
		appender.start();
		for (int i = 0; i < readers; i++) {
			// start each reader once the appender is that far (or done), somewhere
			// before or after the last event appended so far
			long mark = (long) i * total / readers;
			while (appended.get() < mark && appender.isAlive()) {
				Thread.yield();
			}
			long after = random.nextInt((int) Math.min(total, appended.get() + 50) + 1) - 1;
			afters.add(after);
			results.add(store.read(id, after).collectList().toFuture());
		}
		appender.join(TIMEOUT.toMillis());
		assertThat(appendFailure.get()).isNull();
		assertThat(appender.isAlive()).isFalse();
		for (int i = 0; i < readers; i++) {
			List<StoredEvent> events = results.get(i).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(events).as("reader %d after %d", i, afters.get(i))
				.containsExactlyElementsOf(events(afters.get(i) + 1, total - 1));
		}
	}

	@Test
	void readOfAnUnknownStreamShouldSignalNotFound() {
		StreamStore store = store();
		String id = newId();
		StepVerifier.create(store.read(id, -1))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.NOT_FOUND, id))
			.verify(TIMEOUT);
	}

	@Test
	void unknownStreamShouldBeNotFoundForInfoAppendAndStop() {
		StreamStore store = store();
		String id = newId();
		StepVerifier.create(store.info(id))
			.expectNext(StreamInfo.absent(id, StreamState.NOT_FOUND))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(store.append(id, List.of(event(0))))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.NOT_FOUND, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.requestStop(id))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.NOT_FOUND, id))
			.verify(TIMEOUT);
	}

	static Stream<String> invalidIds() {
		return Stream.of("", "has space", "colon:inside", "slash/inside", "dot.inside", "é", "x".repeat(129));
	}

	@ParameterizedTest
	@MethodSource("invalidIds")
	void createAndReadOfAnInvalidIdShouldSignalInvalidId(String id) {
		StreamStore store = store();
		StepVerifier.create(store.create(id, TTL))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.INVALID_ID, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.read(id, -1))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.INVALID_ID, id))
			.verify(TIMEOUT);
	}

	@Test
	void idOfTheLongestFormShouldBeAccepted() {
		StreamStore store = store();
		String id = "Az09_-" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(90);
		assertThat(id).hasSize(128);
		StepVerifier.create(store.create(id, TTL)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(store.info(id).map(StreamInfo::state))
			.expectNext(StreamState.RUNNING)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void createOfAnExistingIdShouldSignalInvalidIdAndKeepTheStream() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		append(store, id, events(0, 1));
		StepVerifier.create(store.create(id, TTL))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.INVALID_ID, id))
			.verify(TIMEOUT);
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, -1)).expectNextSequence(events(0, 1)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void appendWithAGapOrARepeatShouldSignalIllegalArgumentAndStoreNothing() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		StepVerifier.create(store.append(id, List.of(event(1))))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
		append(store, id, events(0, 1));
		StepVerifier.create(store.append(id, List.of(event(1))))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
		StepVerifier.create(store.append(id, List.of(event(2), event(4))))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
		append(store, id, List.of(event(2)));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, -1)).expectNextSequence(events(0, 2)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void readFromTrimmedEventsShouldSignalOverflowAndTheKeptOnesShouldStillBeRead() {
		// Redis trims with MAXLEN ~, whole nodes of (by default) 100 entries at a time:
		// 250
		// appends over a bound of 10 trim at least the first 100
		StreamStore store = store(scheduler(), 10, Duration.ofHours(1), PayloadCodec.plain());
		String id = newId();
		created(store, id);
		for (long i = 0; i < 250; i += 10) {
			append(store, id, events(i, i + 9));
		}
		store.complete(id).block(TIMEOUT);
		StreamInfo info = store.info(id).block(TIMEOUT);
		assertThat(info.nextSequence()).isEqualTo(250);
		assertThat(info.firstSequence()).isBetween(1L, 240L);
		StepVerifier.create(store.read(id, -1))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.read(id, info.firstSequence() - 2))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.read(id, info.firstSequence() - 1))
			.expectNextSequence(events(info.firstSequence(), 249))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void readerFallingBehindTheBoundWhileReadingShouldSignalOverflow() {
		StreamStore store = store(scheduler(), 10, Duration.ofHours(1), PayloadCodec.plain());
		String id = newId();
		created(store, id);
		append(store, id, List.of(event(0)));
		List<StoredEvent> received = new ArrayList<>();
		StepVerifier.create(store.read(id, -1), 1).expectNext(event(0)).then(() -> {
			for (long i = 1; i < 250; i += 10) {
				append(store, id, events(i, i + 9));
			}
		})
			.thenRequest(Long.MAX_VALUE)
			.thenConsumeWhile((event) -> received.add(event))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.OVERFLOW, id))
			.verify(TIMEOUT);
		// what a store had fetched before trimming may come first, without a gap
		assertThat(received).containsExactlyElementsOf(events(1, received.size()));
	}

	@Test
	void requestStopShouldCompleteStopRequestedAndAnswerWhetherTheStreamRan() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		Duration poll = Duration.ofMillis(10);
		StepVerifier.create(store.stopRequested(id, poll))
			.then(() -> assertThat(store.requestStop(id).block(TIMEOUT)).isTrue())
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(store.stopRequested(id, poll)).expectComplete().verify(TIMEOUT);
		assertThat(store.info(id).block(TIMEOUT).stopRequested()).isTrue();
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.requestStop(id)).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void requestStopOfACompletedStreamShouldAnswerFalse() {
		StreamStore store = store();
		String id = newId();
		created(store, id);
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.requestStop(id)).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void infoShouldFollowTheStream() {
		Scheduler scheduler = scheduler();
		StreamStore store = store(scheduler, MAX_EVENTS, Duration.ofHours(1), PayloadCodec.plain());
		String id = newId();
		created(store, id);
		StreamInfo created = store.info(id).block(TIMEOUT);
		assertThat(created.streamId()).isEqualTo(id);
		assertThat(created.state()).isEqualTo(StreamState.RUNNING);
		assertThat(created.nextSequence()).isZero();
		assertThat(created.firstSequence()).isZero();
		assertThat(created.lastRead()).isNull();
		assertThat(created.stopRequested()).isFalse();
		advance(scheduler, Duration.ofSeconds(3));
		append(store, id, events(0, 2));
		StreamInfo appended = store.info(id).block(TIMEOUT);
		assertThat(appended.nextSequence()).isEqualTo(3);
		assertThat(appended.firstSequence()).isZero();
		assertThat(appended.lastHeartbeat()).isNotNull();
		assertThat(appended.lastRead()).isNull();
		if (supportsVirtualTime()) {
			assertThat(appended.lastHeartbeat().toEpochMilli()).isEqualTo(3_000);
		}
		advance(scheduler, Duration.ofSeconds(2));
		store.heartbeat(id).block(TIMEOUT);
		StreamInfo beat = store.info(id).block(TIMEOUT);
		assertThat(beat.lastHeartbeat()).isAfterOrEqualTo(appended.lastHeartbeat());
		if (supportsVirtualTime()) {
			assertThat(beat.lastHeartbeat().toEpochMilli()).isEqualTo(5_000);
		}
		advance(scheduler, Duration.ofSeconds(1));
		StepVerifier.create(store.read(id, 1)).expectNext(event(2)).thenCancel().verify(TIMEOUT);
		StreamInfo read = store.info(id).block(TIMEOUT);
		assertThat(read.lastRead()).isNotNull();
		if (supportsVirtualTime()) {
			assertThat(read.lastRead().toEpochMilli()).isEqualTo(6_000);
		}
		store.complete(id).block(TIMEOUT);
		StreamInfo completed = store.info(id).block(TIMEOUT);
		assertThat(completed.state()).isEqualTo(StreamState.COMPLETED);
		assertThat(completed.nextSequence()).isEqualTo(3);
		assertThat(completed.firstSequence()).isZero();
		assertThat(completed.stopRequested()).isFalse();
	}

	private static void advance(Scheduler scheduler, Duration duration) {
		if (scheduler instanceof VirtualTimeScheduler virtual) {
			virtual.advanceTimeBy(duration);
		}
	}

	static Stream<PayloadCodec> codecs() {
		return Stream.of(PayloadCodec.plain(), PayloadCodec.deflate());
	}

	@ParameterizedTest
	@MethodSource("codecs")
	void payloadsShouldRoundTripThroughTheCodec(PayloadCodec codec) {
		StreamStore store = store(scheduler(), MAX_EVENTS, Duration.ofHours(1), codec);
		String id = newId();
		List<StoredEvent> events = List.of(new StoredEvent(0, "start", "{\"streamId\":\"s1\",\"provider\":\"xai\"}"),
				new StoredEvent(1, "delta", ""), new StoredEvent(2, "delta", "{\"text\":\"héllo wörld ✓ 😀 日本語\"}"),
				new StoredEvent(3, "delta", "{\"text\":\"" + "the quick brown fox ".repeat(3_000) + "\"}"),
				new StoredEvent(4, "done", "{}"));
		created(store, id);
		append(store, id, events.subList(0, 2));
		append(store, id, events.subList(2, 5));
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, -1)).expectNextSequence(events).expectComplete().verify(TIMEOUT);
	}

	@Test
	void operationsShouldBeLazy() {
		StreamStore store = store();
		String id = newId();
		Mono<Void> create = store.create(id, TTL);
		StepVerifier.create(store.info(id).map(StreamInfo::state))
			.expectNext(StreamState.NOT_FOUND)
			.expectComplete()
			.verify(TIMEOUT);
		create.block(TIMEOUT);
		Mono<Void> append = store.append(id, List.of(event(0)));
		Mono<Void> complete = store.complete(id);
		store.requestStop(id);
		StreamInfo info = store.info(id).block(TIMEOUT);
		assertThat(info.nextSequence()).isZero();
		assertThat(info.state()).isEqualTo(StreamState.RUNNING);
		assertThat(info.stopRequested()).isFalse();
		append.then(complete).block(TIMEOUT);
		assertThat(store.info(id).block(TIMEOUT).state()).isEqualTo(StreamState.COMPLETED);
	}

}
