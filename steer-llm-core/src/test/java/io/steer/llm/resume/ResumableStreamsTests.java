package io.steer.llm.resume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResumableStreams} over a {@link TestStreamStore} on virtual time: one producer
 * subscription whatever the readers, resuming from a last event id, stop, abandonment,
 * heartbeats and the watchdog, failures as typed {@code error} events, a slow reader.
 */
class ResumableStreamsTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration TTL = Duration.ofSeconds(60);

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private static final Duration WATCHDOG = Duration.ofSeconds(5);

	private static final Duration STOP_POLL = Duration.ofMillis(500);

	private static final Duration RETRY = Duration.ofSeconds(2);

	private static final ResumeSettings SETTINGS = new ResumeSettings(TTL, HEARTBEAT, WATCHDOG, STOP_POLL, RETRY);

	private static final String KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdef";

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final TestStreamStore store = new TestStreamStore(this.time);

	private final ResumableStreams streams = new ResumableStreams(this.store, SETTINGS, this.time);

	private final TestPublisher<ServerSentEvent<String>> source = TestPublisher.create();

	@AfterEach
	void stopEverything() {
		this.streams.close();
		this.time.dispose();
	}

	private static ServerSentEvent<String> sse(String name, String data) {
		return ServerSentEvent.builder(data).event(name).id("provider-id").build();
	}

	private static ServerSentEvent<String> delta(int index) {
		return sse("delta", "{\"text\":\"t" + index + "\",\"chunkIndex\":" + index + "}");
	}

	private static ServerSentEvent<String> done() {
		return sse("done", "{}");
	}

	/** start, 8 deltas, done: 10 events, sequences 0 to 9. */
	private static Flux<ServerSentEvent<String>> tenEvents() {
		return Flux.range(0, 8)
			.map(ResumableStreamsTests::delta)
			.startWith(sse("start", "{\"model\":\"m\"}"))
			.concatWith(Flux.just(done()));
	}

	private String start(Flux<ServerSentEvent<String>> events) {
		return this.streams.start(events).block(Duration.ofSeconds(5));
	}

	private static Reader read(ResumableStreams streams, String streamId) {
		Reader reader = new Reader();
		streams.events(streamId, null).subscribe(reader);
		return reader;
	}

	private Reader read(String streamId, @Nullable String lastEventId) {
		Reader reader = new Reader();
		this.streams.events(streamId, lastEventId).subscribe(reader);
		return reader;
	}

	private static List<String> names(List<ServerSentEvent<String>> events) {
		return events.stream().map(ServerSentEvent::event).toList();
	}

	private static List<@Nullable String> ids(List<ServerSentEvent<String>> events) {
		return events.stream().map(ServerSentEvent::id).toList();
	}

	private static JsonNode json(ServerSentEvent<String> event) {
		return MAPPER.readTree(event.data());
	}

	private static List<String> idsFrom(String streamId, int from, int to) {
		return java.util.stream.IntStream.rangeClosed(from, to)
			.mapToObj((sequence) -> ResumableStreams.eventId(streamId, sequence))
			.toList();
	}

	@Test
	void startShouldReturnANewIdAndSubscribeOnceWhateverTheReaders() {
		String id = start(this.source.flux());
		assertThat(id).matches("[A-Za-z0-9_-]{22}");
		assertThat(start(Flux.never())).isNotEqualTo(id);
		Reader first = read(id, null);
		Reader second = read(id, null);
		this.source.next(sse("start", "{}"), delta(0));
		Reader third = read(id, null);
		this.source.next(delta(1), done());
		this.source.assertWasSubscribed();
		assertThat(this.source.subscribeCount()).isOne();
		for (Reader reader : List.of(first, second, third)) {
			assertThat(reader.completed).isTrue();
			assertThat(names(reader.events)).containsExactly("start", "delta", "delta", "done");
			assertThat(ids(reader.events)).containsExactlyElementsOf(idsFrom(id, 0, 3));
			assertThat(reader.events).extracting(ServerSentEvent::retry).containsExactly(RETRY, null, null, null);
			assertThat(reader.events.get(2).data()).isEqualTo("{\"text\":\"t1\",\"chunkIndex\":1}");
		}
		this.source.assertWasCancelled();
	}

	@Test
	void aGivenIdShouldBeCheckedAndNotTakenTwice() {
		assertThat(this.streams.start("my-stream_1", Flux.never()).block()).isEqualTo("my-stream_1");
		StepVerifier.create(this.streams.start("my-stream_1", this.source.flux()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResumeException.class,
					(resume) -> assertThat(resume.getErrorType()).isEqualTo(ResumeErrorType.INVALID_ID)))
			.verify();
		StepVerifier.create(this.streams.start("not a valid id", this.source.flux()))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.INVALID_ID))
			.verify();
		StepVerifier.create(this.streams.start("x".repeat(129), this.source.flux()))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.INVALID_ID))
			.verify();
		this.source.assertWasNotSubscribed();
	}

	@Test
	void readersOfACompletedStreamShouldGetEveryEventAfterTheirLastOne() {
		String id = start(tenEvents());
		Reader all = read(id, null);
		Reader fromId = read(id, id + ":5");
		Reader fromBare = read(id, "5");
		Reader fromBlank = read(id, "  ");
		Reader afterEnd = read(id, id + ":7");
		Reader fromLast = read(id, id + ":9");
		assertThat(ids(all.events)).containsExactlyElementsOf(idsFrom(id, 0, 9));
		assertThat(ids(fromBlank.events)).containsExactlyElementsOf(idsFrom(id, 0, 9));
		assertThat(ids(fromId.events)).containsExactlyElementsOf(idsFrom(id, 6, 9));
		assertThat(ids(fromBare.events)).containsExactlyElementsOf(idsFrom(id, 6, 9));
		assertThat(names(afterEnd.events)).containsExactly("delta", "done");
		assertThat(json(afterEnd.events.get(0)).get("chunkIndex").asInt()).isEqualTo(7);
		assertThat(afterEnd.events.get(0).retry()).isEqualTo(RETRY);
		assertThat(fromLast.events).isEmpty();
		assertThat(List.of(all, fromId, fromBare, fromBlank, afterEnd, fromLast))
			.allSatisfy((reader) -> assertThat(reader.completed).isTrue());
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void aReaderFromTheLastEventOfARunningStreamShouldGetOnlyTheLiveRest() {
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"), delta(0), delta(1));
		Reader reader = read(id, id + ":2");
		assertThat(reader.events).isEmpty();
		assertThat(reader.completed).isFalse();
		this.source.next(delta(2));
		assertThat(ids(reader.events)).containsExactly(id + ":3");
		assertThat(reader.events.get(0).retry()).isEqualTo(RETRY);
		this.source.next(done());
		assertThat(names(reader.events)).containsExactly("delta", "done");
		assertThat(reader.completed).isTrue();
	}

	@Test
	void anUnknownStreamIdShapedLikeAnApiKeyShouldNotBeEchoed() {
		String keyShaped = "sk-proj-T3stOnlyNotARealKey0123456789abcdef";
		StepVerifier.create(this.streams.events(keyShaped, null))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResumeException.class, (resume) -> {
				assertThat(resume.getErrorType()).isEqualTo(ResumeErrorType.NOT_FOUND);
				assertThat(resume.getMessage()).startsWith("Resumable stream ").doesNotContain(keyShaped);
			}))
			.verify();
	}

	@Test
	void aStreamThatNeverExistedShouldBeNotFoundAndAnExpiredOneGone() {
		StepVerifier.create(this.streams.events("never-started", null))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.NOT_FOUND))
			.verify();
		String id = start(tenEvents());
		this.time.advanceTimeBy(TTL.plusSeconds(1));
		StepVerifier.create(this.streams.events(id, id + ":3"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResumeException.class, (resume) -> {
				assertThat(resume.getErrorType()).isEqualTo(ResumeErrorType.GONE);
				assertThat(resume.getStreamId()).isEqualTo(id);
			}))
			.verify();
		StepVerifier.create(this.streams.stop(id))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.GONE))
			.verify();
	}

	@Test
	void badIdsShouldBeInvalidBeforeAnyEvent() {
		String id = start(tenEvents());
		String other = start(tenEvents());
		for (String lastEventId : List.of("abc", other + ":3", "-1", id + ":", id + ":x", ":3", "3:4:5",
				"99999999999999999999")) {
			StepVerifier.create(this.streams.events(id, lastEventId))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResumeException.class,
						(resume) -> assertThat(resume.getErrorType()).as(lastEventId)
							.isEqualTo(ResumeErrorType.INVALID_ID)))
				.verify();
		}
		StepVerifier.create(this.streams.events("bad id!", null))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.INVALID_ID))
			.verify();
		StepVerifier.create(this.streams.stop("bad/id"))
			.expectErrorSatisfies(
					(ex) -> assertThat(((ResumeException) ex).getErrorType()).isEqualTo(ResumeErrorType.INVALID_ID))
			.verify();
	}

	@Test
	void aReaderThatGoesAwayShouldNotCancelTheProducer() {
		String id = start(this.source.flux());
		StepVerifier.create(this.streams.events(id, null))
			.then(() -> this.source.next(sse("start", "{}"), delta(0)))
			.expectNextCount(2)
			.thenCancel()
			.verify();
		assertThat(this.store.readerCount()).isZero();
		this.source.assertNotCancelled();
		this.source.next(delta(1), delta(2), done());
		Reader later = read(id, null);
		assertThat(names(later.events)).containsExactly("start", "delta", "delta", "delta", "done");
		assertThat(later.completed).isTrue();
	}

	@Test
	void stopShouldCancelTheSourceAndEndEveryReaderWithStoppedThenDone() {
		String id = start(this.source.flux());
		Reader first = read(id, null);
		this.source.next(sse("start", "{}"), delta(0));
		Reader second = read(id, id + ":0");
		assertThat(this.streams.stop(id).block()).isTrue();
		this.source.assertWasCancelled();
		assertThat(names(first.events)).containsExactly("start", "delta", "stopped", "done");
		assertThat(ids(first.events)).containsExactlyElementsOf(idsFrom(id, 0, 3));
		assertThat(json(first.events.get(2)).get("reason").asString()).isEqualTo("requested");
		assertThat(names(second.events)).containsExactly("delta", "stopped", "done");
		assertThat(first.completed && second.completed).isTrue();
		assertThat(this.streams.stop(id).block()).isFalse();
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void aStopRequestedElsewhereShouldBeFoundByPolling() {
		String id = start(this.source.flux());
		Reader reader = read(id, null);
		this.source.next(sse("start", "{}"));
		assertThat(this.store.requestStop(id).block()).isTrue();
		this.source.assertNotCancelled();
		this.time.advanceTimeBy(STOP_POLL);
		this.source.assertWasCancelled();
		assertThat(names(reader.events)).containsExactly("start", "stopped", "done");
		assertThat(reader.completed).isTrue();
	}

	@Test
	void aStreamNobodyReadsForItsTimeToLiveShouldBeStoppedAsAbandoned() {
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"), delta(0));
		this.time.advanceTimeBy(TTL.minusSeconds(1));
		this.source.assertNotCancelled();
		this.time.advanceTimeBy(HEARTBEAT.multipliedBy(2));
		this.source.assertWasCancelled();
		List<StoredEvent> events = this.store.events(id);
		assertThat(events).extracting(StoredEvent::name).containsExactly("start", "delta", "stopped", "done");
		assertThat(events.get(2).data()).isEqualTo("{\"reason\":\"abandoned\"}");
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void aStreamReadRecentlyShouldNotBeAbandoned() {
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"));
		this.time.advanceTimeBy(Duration.ofSeconds(40));
		Reader reader = read(id, null);
		reader.dispose();
		this.time.advanceTimeBy(Duration.ofSeconds(40));
		this.source.assertNotCancelled();
		this.time.advanceTimeBy(Duration.ofSeconds(22));
		this.source.assertWasCancelled();
		assertThat(this.store.events(id)).extracting(StoredEvent::name).containsExactly("start", "stopped", "done");
	}

	@Test
	void heartbeatsShouldKeepTheReadersOfASlowSourceWaitingPastTheWatchdog() {
		String id = start(this.source.flux());
		StepVerifier
			.withVirtualTime(() -> this.streams.events(id, null).map(ServerSentEvent::event), () -> this.time,
					Long.MAX_VALUE)
			.then(() -> this.source.next(sse("start", "{}")))
			.expectNext("start")
			.expectNoEvent(WATCHDOG.multipliedBy(4))
			.then(() -> this.source.next(delta(0), done()))
			.expectNext("delta", "done")
			.verifyComplete();
		assertThat(this.store.info(id).block().lastHeartbeat()).isNotNull();
	}

	@Test
	void aLiveProducerShouldNotBeLostToAWatchdogShorterThanTwoHeartbeats() {
		// the watchdog only has to be longer than the heartbeat interval
		ResumableStreams tight = new ResumableStreams(this.store,
				new ResumeSettings(TTL, HEARTBEAT, Duration.ofMillis(1500), STOP_POLL, null), this.time);
		String id = tight.start(this.source.flux()).block(Duration.ofSeconds(5));
		this.time.advanceTimeBy(Duration.ofMillis(100));
		// appended just after the stream started, then nothing for a while
		this.source.next(sse("start", "{}"));
		this.time.advanceTimeBy(Duration.ofMillis(700));
		Reader reader = read(tight, id);
		this.time.advanceTimeBy(WATCHDOG.multipliedBy(2));
		assertThat(names(reader.events)).containsExactly("start");
		assertThat(reader.completed).isFalse();
		this.source.next(delta(0), done());
		assertThat(names(reader.events)).containsExactly("start", "delta", "done");
		tight.close();
	}

	@Test
	void aProducerThatDiedShouldEndItsReadersWithProducerLostAfterTheWatchdog() {
		String id = start(this.source.flux());
		StepVerifier.withVirtualTime(() -> this.streams.events(id, null), () -> this.time, Long.MAX_VALUE)
			.then(() -> this.source.next(sse("start", "{}")))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("start"))
			.then(this.streams::close)
			.expectNoEvent(WATCHDOG)
			.thenAwait(HEARTBEAT)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				assertThat(event.id()).isNull();
				assertThat(json(event).get("type").asString()).isEqualTo("RESUME_PRODUCER_LOST");
				assertThat(json(event).get("retryable").asBoolean()).isFalse();
				assertThat(json(event).get("partialText").asString()).isEmpty();
			})
			.assertNext((event) -> assertThat(event).extracting(ServerSentEvent::event, ServerSentEvent::id)
				.containsExactly("done", null))
			.verifyComplete();
		this.source.assertWasCancelled();
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.RUNNING);
	}

	@Test
	void aSourceErrorShouldBeAnErrorEventThenDoneWithoutTheKey() {
		String id = start(Flux.just(sse("start", "{}"))
			.concatWith(Flux.error(new IllegalStateException("filter broke with Bearer " + KEY))));
		Reader reader = read(id, null);
		assertThat(names(reader.events)).containsExactly("start", "error", "done");
		assertThat(ids(reader.events)).containsExactlyElementsOf(idsFrom(id, 0, 2));
		assertThat(reader.events.get(1).data()).isEqualTo("{\"type\":\"PROCESSOR\",\"message\":"
				+ "\"IllegalStateException: filter broke with Bearer ******\",\"retryable\":false,\"partialText\":\"\"}");
		assertThat(reader.events.get(2).data()).isEqualTo("{}");
		assertThat(reader.completed).isTrue();
	}

	@Test
	void aSourceEndingWithoutDoneShouldGetOne() {
		String id = start(Flux.just(sse("start", "{}"), ServerSentEvent.<String>builder().comment("c").build()));
		Reader reader = read(id, null);
		assertThat(reader.events).extracting(ServerSentEvent::event, ServerSentEvent::data)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("start", "{}"),
					org.assertj.core.groups.Tuple.tuple("message", ""),
					org.assertj.core.groups.Tuple.tuple("done", "{}"));
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void theSourcesDoneShouldEndTheStream() {
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"), done());
		this.source.assertWasCancelled();
		this.source.next(delta(0));
		assertThat(this.store.events(id)).extracting(StoredEvent::name).containsExactly("start", "done");
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	@Test
	void aStoreThatFailsWhileReadingShouldGiveATypedErrorThenDone() {
		String id = start(this.source.flux());
		Reader reader = read(id, null);
		this.source.next(sse("start", "{}"));
		this.store.failReads();
		assertThat(names(reader.events)).containsExactly("start", "error", "done");
		assertThat(ids(reader.events)).containsExactly(id + ":0", null, null);
		JsonNode error = json(reader.events.get(1));
		assertThat(error.get("type").asString()).isEqualTo("RESUME_UNAVAILABLE");
		assertThat(error.get("retryable").asBoolean()).isTrue();
		assertThat(reader.completed).isTrue();
		Reader later = read(id, id + ":0");
		assertThat(names(later.events)).containsExactly("error", "done");
		assertThat(later.events.get(0).retry()).isEqualTo(RETRY);
	}

	@Test
	void aReaderFurtherBehindThanTheStoreKeepsShouldGetOverflow() {
		TestStreamStore small = new TestStreamStore(this.time, 3);
		ResumableStreams bounded = new ResumableStreams(small, SETTINGS, this.time);
		String id = bounded.start(tenEvents()).block();
		List<ServerSentEvent<String>> behind = bounded.events(id, id + ":2").collectList().block();
		assertThat(names(behind)).containsExactly("error", "done");
		assertThat(json(behind.get(0)).get("type").asString()).isEqualTo("RESUME_OVERFLOW");
		assertThat(json(behind.get(0)).get("retryable").asBoolean()).isFalse();
		assertThat(ids(bounded.events(id, id + ":6").collectList().block()))
			.containsExactlyElementsOf(idsFrom(id, 7, 9));
	}

	@Test
	void aStoreThatFailsWhileWritingShouldCancelTheSource() {
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"));
		this.store.failAppends();
		this.source.next(delta(0));
		this.source.assertWasCancelled();
		this.time.advanceTimeBy(TTL.multipliedBy(2));
		assertThat(this.store.events(id)).extracting(StoredEvent::name).containsExactly("start");
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.RUNNING);
	}

	@Test
	void aSlowReaderShouldNotDelayTheProducer() {
		String id = start(this.source.flux());
		Reader slow = new Reader(1);
		this.streams.events(id, null).subscribe(slow);
		this.source.next(sse("start", "{}"));
		for (int i = 0; i < 50; i++) {
			this.source.next(delta(i));
		}
		this.source.assertMinRequested(Long.MAX_VALUE);
		this.source.next(done());
		assertThat(this.store.events(id)).hasSize(52);
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
		assertThat(slow.events).hasSize(1);
		slow.request(Long.MAX_VALUE);
		assertThat(ids(slow.events)).containsExactlyElementsOf(idsFrom(id, 0, 51));
		assertThat(slow.completed).isTrue();
	}

	@Test
	void eventsThatArriveWhileAnAppendRunsShouldBeAppendedTogetherInOrder() {
		this.store.appendDelay(Duration.ofMillis(100));
		String id = start(this.source.flux());
		this.source.next(sse("start", "{}"), delta(0), delta(1), delta(2), delta(3));
		assertThat(this.store.events(id)).isEmpty();
		this.time.advanceTimeBy(Duration.ofMillis(100));
		this.source.next(done());
		this.time.advanceTimeBy(Duration.ofMillis(200));
		assertThat(this.store.batchSizes()).containsExactly(1, 4, 1);
		assertThat(this.store.events(id)).extracting(StoredEvent::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
		assertThat(this.store.events(id)).extracting(StoredEvent::name)
			.containsExactly("start", "delta", "delta", "delta", "delta", "done");
		assertThat(this.store.info(id).block().state()).isEqualTo(StreamState.COMPLETED);
	}

	/** Collects a reader's events, requesting as told. */
	private static final class Reader extends BaseSubscriber<ServerSentEvent<String>> {

		final List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();

		private final long initialRequest;

		volatile boolean completed;

		volatile @Nullable Throwable error;

		Reader() {
			this(Long.MAX_VALUE);
		}

		Reader(long initialRequest) {
			this.initialRequest = initialRequest;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(this.initialRequest);
		}

		@Override
		protected void hookOnNext(ServerSentEvent<String> event) {
			this.events.add(event);
		}

		@Override
		protected void hookOnComplete() {
			this.completed = true;
		}

		@Override
		protected void hookOnError(Throwable failure) {
			this.error = failure;
		}

	}

}
