package io.steer.llm.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.steer.llm.assembly.ScriptedAdapter;
import io.steer.llm.assembly.StreamContext;
import io.steer.llm.assembly.TestStreams;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.retry.StreamingRetryManager;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static io.steer.llm.assembly.ScriptedAdapter.sse;
import static io.steer.llm.assembly.TestStreams.buffer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamExchange} over a WebClient whose responses are scripted, without HTTP, in
 * virtual time: an attempt's outcome ({@link AttemptResult}) ends its events, and the
 * exchange alone decides to retry, resume or end the stream.
 */
class StreamExchangeTests {

	/** How long a verification waits for what it expects: a failure, never a hang. */
	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final StreamingOptions OPTIONS = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(100))
		.maxRetryDelay(Duration.ofSeconds(2))
		.maxReconnectAttempts(3)
		.build();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final List<Function<ClientRequest, ClientResponse>> responses = new ArrayList<>();

	private final AtomicBoolean bodyCancelled = new AtomicBoolean();

	private Flux<StreamEvent> events(ScriptedAdapter adapter) {
		WebClient webClient = WebClient.builder().exchangeFunction((request) -> {
			this.requests.add(request.url().getPath()
					+ ((request.url().getQuery() != null) ? "?" + request.url().getQuery() : ""));
			return Mono.just(this.responses.remove(0).apply(request));
		}).build();
		StreamContext context = TestStreams.context(adapter, OPTIONS, new AtomicLong());
		return new StreamExchange(webClient, context, adapter.createRequest(TestStreams.REQUEST, "m", OPTIONS),
				new StreamingRetryManager())
			.events();
	}

	private void respond(Flux<DataBuffer> body) {
		this.responses.add((request) -> ClientResponse.create(HttpStatus.OK)
			.header(HttpHeaders.CONTENT_TYPE, "text/event-stream")
			.body(body.doOnCancel(() -> this.bodyCancelled.set(true)))
			.build());
	}

	private void respond(String... commands) {
		respond(Flux.just(buffer(sse(commands))));
	}

	private void respondWithStatus(HttpStatus status, String retryAfter) {
		this.responses.add((request) -> ClientResponse.create(status)
			.header(HttpHeaders.RETRY_AFTER, retryAfter)
			.body("{}")
			.build());
	}

	@Test
	void eventsWhenTheFirstAttemptIsRefusedShouldRetryAfterTheWaitWithOneStartEvent() {
		respondWithStatus(HttpStatus.SERVICE_UNAVAILABLE, "1");
		respond("text 0 Hi", "end");
		StepVerifier.withVirtualTime(() -> events(ScriptedAdapter.reportingUsage()))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(999))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((event) -> assertThat(event).isInstanceOf(StreamStartEvent.class))
			.assertNext((event) -> assertThat(event).isInstanceOf(StreamDeltaEvent.class))
			.assertNext((event) -> assertThat(event).isInstanceOf(StreamUsageEvent.class))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamCompleteEvent.class,
					(complete) -> assertThat(complete.attempts()).isEqualTo(2)))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.requests).containsExactly("/stream", "/stream");
	}

	@Test
	void eventsWhenAnAttemptFailsAfterADeltaWithoutContinuationShouldEndWithTheFailure() {
		respond("text 0 Hi", "fail", "text 0 never");
		StepVerifier.withVirtualTime(() -> events(ScriptedAdapter.reportingUsage()))
			.expectNextMatches(StreamStartEvent.class::isInstance)
			.expectNextMatches((event) -> event instanceof StreamDeltaEvent delta && delta.delta().equals("Hi"))
			.expectNextMatches(StreamUsageEvent.class::isInstance)
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
				assertThat(error.partialText()).isEqualTo("Hi");
			}))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.requests).hasSize(1);
	}

	@Test
	void eventsWhenABufferFailsTheAttemptAfterItsEventsShouldEndItWithoutWaitingForTheBody() {
		respond(Flux.concat(Flux.just(buffer(sse("text 0 Hi", "fail"))), Flux.never()));
		StepVerifier.withVirtualTime(() -> events(ScriptedAdapter.reportingUsage()))
			.expectNextCount(3)
			.expectNextMatches(
					(event) -> event instanceof StreamErrorEvent error && error.errorType() == StreamErrorType.PROVIDER)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.bodyCancelled).isTrue();
	}

	@Test
	void eventsWhenABufferFailsTheAttemptWithoutAnEventShouldEndItAtOnce() {
		respond(Flux.concat(Flux.just(buffer(sse("text 0 Hi")), buffer(sse("fail"))), Flux.never()));
		StepVerifier.withVirtualTime(() -> events(ScriptedAdapter.reportingUsage()))
			.expectNextCount(3)
			.expectNextMatches(StreamErrorEvent.class::isInstance)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.bodyCancelled).isTrue();
	}

	@Test
	void eventsWhenTheEndMarkerArrivesShouldCompleteWithoutWaitingForTheBody() {
		respond(Flux.concat(Flux.just(buffer(sse("text 0 Hi", "end", "text 0 after"))), Flux.never()));
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		try {
			StepVerifier.create(events(ScriptedAdapter.reportingUsage()))
				.expectNextCount(3)
				.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamCompleteEvent.class,
						(complete) -> assertThat(complete.response().metadata())
							.containsEntry("stream.events_after_end", 1)))
				.expectComplete()
				.verify(TIMEOUT);
			// the body is read on for its connection to be used again, at most for the
			// drain limit, then cancelled
			assertThat(this.bodyCancelled).isFalse();
			time.advanceTimeBy(StreamExchange.DRAIN_AFTER_END);
			assertThat(this.bodyCancelled).isTrue();
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

	@Test
	void eventsWhenTheBodyBreaksAndTheProviderCanResumeShouldContinueTheStream() {
		respond(Flux.concat(Flux.just(buffer(sse("id resp-1", "seq 1", "text 0 Hel", "seq 2"))),
				Flux.error(new IOException("connection reset"))));
		respond("seq 2", "text 0 Hel", "seq 3", "text 0 lo", "end");
		ScriptedAdapter adapter = ScriptedAdapter.continuing((progress, failure) -> Continuation
			.resume(ScriptedAdapter.request("http://localhost:1/resume?after=" + progress.sequenceNumber())));
		List<String> deltas = new ArrayList<>();
		StepVerifier.withVirtualTime(() -> events(adapter))
			.expectNextMatches(StreamStartEvent.class::isInstance)
			.expectNextMatches((event) -> deltas
				.add(((StreamDeltaEvent) event).chunkIndex() + ":" + ((StreamDeltaEvent) event).delta()))
			.thenAwait(Duration.ofSeconds(2))
			.expectNextMatches((event) -> deltas
				.add(((StreamDeltaEvent) event).chunkIndex() + ":" + ((StreamDeltaEvent) event).delta()))
			.expectNextMatches(StreamUsageEvent.class::isInstance)
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamCompleteEvent.class, (complete) -> {
				assertThat(complete.response().text()).isEqualTo("Hello");
				assertThat(complete.response().metadata()).containsEntry("reconnects", 1);
			}))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(deltas).containsExactly("0:Hel", "1:lo");
		assertThat(this.requests).containsExactly("/stream", "/resume?after=2");
	}

	@Test
	void eventsWhenTheContinuationIsRefusedShouldEndWithTheFailureThatBrokeTheStream() {
		respond(Flux.concat(Flux.just(buffer(sse("text 0 Hel"))), Flux.error(new IOException("connection reset"))));
		respondWithStatus(HttpStatus.BAD_REQUEST, "0");
		ScriptedAdapter adapter = ScriptedAdapter.continuing(
				(progress, failure) -> Continuation.prefill(ScriptedAdapter.request("http://localhost:1/prefill"), ""));
		StepVerifier.withVirtualTime(() -> events(adapter))
			.expectNextCount(2)
			.thenAwait(Duration.ofSeconds(2))
			.expectNextMatches(StreamUsageEvent.class::isInstance)
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
				assertThat(error.error().getSuppressed()).singleElement()
					.isInstanceOfSatisfying(ProviderHttpException.class,
							(refusal) -> assertThat(refusal.getStatusCode()).isEqualTo(400));
				assertThat(error.partialText()).isEqualTo("Hel");
			}))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.requests).containsExactly("/stream", "/prefill");
	}

	@Test
	void attemptResultShouldTellWhetherTheAttemptFailed() {
		assertThat(AttemptResult.of(List.of())).isSameAs(AttemptResult.NONE);
		assertThat(AttemptResult.NONE.failed()).isFalse();
		StreamInterruptedException failure = new StreamInterruptedException("scripted", "reset", null);
		AttemptResult failed = AttemptResult.failed(List.of(), failure);
		assertThat(failed.failed()).isTrue();
		assertThat(failed.failure()).isSameAs(failure);
	}

}
