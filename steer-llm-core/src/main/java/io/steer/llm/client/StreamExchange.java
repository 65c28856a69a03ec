package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import java.util.function.Consumer;

import io.steer.llm.assembly.StreamContext;
import io.steer.llm.error.ProviderErrorException;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.StreamCancelledException;
import io.steer.llm.error.StreamTimeoutException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.Secrets;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.retry.RetryDelays;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One stream's HTTP attempts: opens the exchange, applies the time limits, and retries,
 * resumes or continues the stream after a failure, as {@link StreamingOptions} allow.
 * <p>
 * Time limits:
 * <ul>
 * <li>{@code connection-timeout}: one timer per attempt, from subscribing until the
 * connector is ready to write the request (name resolution, pool acquisition, TCP
 * connect, TLS). It works with any connector; a connector's own connect timeout (Reactor
 * Netty's {@code CONNECT_TIMEOUT_MILLIS}, 30 s by default) still applies when
 * shorter.</li>
 * <li>{@code read-timeout}: the longest gap between two signs of progress of an attempt:
 * the request about to be sent, the response headers, each complete SSE event. Bytes that
 * complete no event do not count, so a server trickling bytes cannot hold a stream until
 * the total timeout, and the wait for the headers is bounded by the same limit. One
 * {@link IdleWatchdog} per attempt (a field holding the time of the last activity and a
 * single timer that re-arms itself for the remainder, never a timer per event) on
 * {@code Schedulers.parallel()}, so virtual time applies in tests. It works with any
 * connector, and replaces both Reactor Netty's per-request {@code responseTimeout}, which
 * counted network reads, and the timeout on body buffers used with other connectors. A
 * {@code responseTimeout} or {@code ReadTimeoutHandler} configured on your own Reactor
 * Netty {@code HttpClient} still applies; it ends the attempt with the same read timeout
 * failure.</li>
 * <li>{@code total-timeout}: one timer per stream, retries and their waits included.</li>
 * </ul>
 * <p>
 * After a failed attempt, and while retries remain ({@code retry-on-connection-error} on
 * and fewer than {@code max-reconnect-attempts} retries made):
 * <ul>
 * <li>before any delta, a retryable failure (connection refused or reset, connect or read
 * timeout, HTTP 408, 409, 429, 5xx, a retryable provider error as the stream's first
 * event) sends the request again, or resumes the response when the provider can (a
 * background Responses API response whose id arrived);</li>
 * <li>after a delta, only a {@linkplain ProviderAdapter#continuation continuation} of the
 * same answer is made; without one the stream ends with the failure, carrying the partial
 * response.</li>
 * </ul>
 * The wait comes from {@link RetryDelays}.
 * <p>
 * The session reads an attempt's body one network buffer at a time; each read gives an
 * {@link AttemptResult}, its events and whether the attempt ended with it: the stream
 * completed (its last event is the complete event) or the attempt failed. The attempt's
 * events end with that buffer's last event, or at once when it had none; what follows a
 * failed attempt is decided here alone. Each retry is logged at INFO and recorded in the
 * stream's {@link RetryState}, which is registered with the {@link StreamingRetryManager}
 * when the stream first fails, times out or is cancelled: a stream whose first attempt
 * succeeds costs the manager nothing.
 */
final class StreamExchange {

	private static final Log logger = LogFactory.getLog(StreamExchange.class);

	/**
	 * Network buffers read ahead of the parsing (each up to 64 KiB with Reactor Netty's
	 * defaults), so that a slow subscriber pins little memory per stream.
	 */
	private static final int BODY_PREFETCH = 16;

	/**
	 * Longest time the body is read on after the stream's end marker, for the response to
	 * end and its connection to go back to the pool (see {@link EndOfAttempt}).
	 */
	static final Duration DRAIN_AFTER_END = Duration.ofSeconds(1);

	/** Most bytes read of a body that is not a stream: 64 KiB. */
	static final int MAX_TEXT_BODY = 64 * 1024;

	private final WebClient webClient;

	private final StreamContext context;

	private final ProviderAdapter adapter;

	private final StreamingOptions options;

	/** The HTTP request of the first attempt, built before the stream started. */
	private final ProviderRequest firstRequest;

	private final StreamSession session;

	private final StreamingRetryManager retryManager;

	/** Told the partial response of a cancelled stream (the observation tap). */
	private final Consumer<StreamingResponse> cancelListener;

	/** Created when first needed: a stream that succeeds at once has none. */
	private volatile @Nullable RetryState retryState;

	private volatile int attempts;

	private volatile boolean totalTimedOut;

	/**
	 * Emits when an operator cancels the stream ({@link #cancelByOperator()}); kept, so
	 * that a cancel before the stream was subscribed still ends it at once.
	 */
	private final Sinks.One<Boolean> operatorCancel = Sinks.one();

	private volatile boolean cancelledByOperator;

	/**
	 * The failure that made the stream continue, for when the continuation is refused.
	 */
	private volatile @Nullable SteerLLMException interruption;

	/**
	 * Creates the exchange of one stream.
	 * @param webClient the client's WebClient
	 * @param context the stream
	 * @param firstRequest the HTTP request of the first attempt
	 * @param retryManager the manager of the client's retry states
	 */
	StreamExchange(WebClient webClient, StreamContext context, ProviderRequest firstRequest,
			StreamingRetryManager retryManager) {
		this(webClient, context, firstRequest, retryManager, (partial) -> {
		});
	}

	/**
	 * Creates the exchange of one stream.
	 * @param webClient the client's WebClient
	 * @param context the stream
	 * @param firstRequest the HTTP request of the first attempt
	 * @param retryManager the manager of the client's retry states
	 * @param cancelListener told what a cancelled stream produced (its usage so far),
	 * before the cancel goes on upstream
	 */
	StreamExchange(WebClient webClient, StreamContext context, ProviderRequest firstRequest,
			StreamingRetryManager retryManager, Consumer<StreamingResponse> cancelListener) {
		this.cancelListener = cancelListener;
		this.webClient = webClient;
		this.context = context;
		this.adapter = context.adapter();
		this.options = context.options();
		this.firstRequest = firstRequest;
		this.session = new StreamSession(context);
		this.retryManager = retryManager;
	}

	/**
	 * The stream's events, across its attempts, ending with one terminal event.
	 * <p>
	 * Cancelling closes the connection of the current attempt (or stops a retry's wait);
	 * the usage so far is then estimated and recorded in the retry state. An operator's
	 * cancel ({@link #cancelByOperator()}) closes it likewise, but ends the stream with a
	 * {@link StreamCancelledException} error event. Backpressure: at most
	 * {@code buffer-size} events are read ahead of the subscriber, then the connection's
	 * reads pause.
	 * @return the events
	 */
	Flux<StreamEvent> events() {
		Mono<Long> totalTimer = Mono.delay(this.options.totalTimeout()).doOnNext((tick) -> this.totalTimedOut = true);
		return Flux.defer(() -> attempt(1, null))
			// one operator for both: each takeUntilOther serializes every event
			.takeUntilOther(Mono.firstWithSignal(totalTimer, this.operatorCancel.asMono()))
			.concatWith(Flux.defer(this::afterStop))
			.doOnCancel(this::onCancel)
			.limitRate(this.options.bufferSize());
	}

	/**
	 * An operator cancels the stream, from any thread: the current attempt ends (its
	 * connection is closed) or the wait for the next one stops, and the stream ends with
	 * a {@link StreamCancelledException} error event whose partial response holds the
	 * text and usage so far; recorded in the stream's retry state. Does nothing once the
	 * stream ended. Idempotent.
	 */
	void cancelByOperator() {
		this.cancelledByOperator = true;
		this.operatorCancel.tryEmitValue(Boolean.TRUE);
	}

	private Flux<StreamEvent> attempt(int number, @Nullable Continuation continuation) {
		Attempt attempt = new Attempt();
		if (number > 1) {
			this.session.beginAttempt(continuation);
		}
		this.attempts = number;
		RetryState state = this.retryState;
		if (state != null) {
			state.recordAttempt();
		}
		// a retry builds its request again: an adapter may make each one afresh (a
		// signature)
		ProviderRequest http = (continuation != null) ? continuation.request() : (number == 1) ? this.firstRequest
				: this.adapter.createRequest(this.context.request(), this.context.model(), this.options);
		WebClient.RequestBodySpec spec = this.webClient.method(http.method())
			.uri(http.uri())
			.headers((headers) -> http.headers().forEach(headers::set))
			.httpRequest(attempt::onRequest);
		WebClient.RequestHeadersSpec<?> ready = (http.body().length > 0) ? spec.bodyValue(http.body()) : spec;
		return ready.exchangeToFlux((response) -> read(attempt, response))
			.transform((events) -> new EndOfAttempt(events, attempt::isLastOfFailedAttempt, DRAIN_AFTER_END,
					Schedulers.parallel()))
			.onErrorResume(this::failed)
			// one operator for both limits: each takeUntilOther serializes every event
			.takeUntilOther(Mono.firstWithSignal(connectTimer(attempt), attempt.stopped.asMono()))
			.doFinally((signal) -> attempt.watchdog.stop())
			.concatWith(Flux.defer(() -> afterAttempt(number, attempt)));
	}

	/** The attempt failed with an error of the exchange: its events end. */
	private Mono<StreamEvent> failed(Throwable error) {
		this.session.fail(error);
		return Mono.empty();
	}

	private Flux<StreamEvent> read(Attempt attempt, ClientResponse response) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		String requestId = this.adapter.requestId(headers);
		attempt.watchdog.touch();
		if (!response.statusCode().is2xxSuccessful()) {
			attempt.headers = headers;
			// what the attempt failed with if the body is too slow to read
			attempt.answer = this.adapter.httpError(status, requestId, "");
			return readText(response).flatMapMany((body) -> {
				this.session.fail(this.adapter.httpError(status, requestId, body));
				return Flux.empty();
			});
		}
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		if (contentType != null && !isEventStream(contentType)) {
			attempt.answer = notAnEventStream(status, contentType, requestId, "");
			return readText(response).flatMapMany((body) -> {
				this.session.fail(notAnEventStream(status, contentType, requestId, body));
				return Flux.empty();
			});
		}
		this.session.start(requestId, status, attempt.watchdog::touch);
		Flux<DataBuffer> body = response.body(BodyExtractors.toDataBuffers());
		// a body that breaks fails the attempt only once the buffers read before the
		// break are parsed: one of them may hold the end marker, which completes the
		// stream
		return body.onErrorResume((ex) -> {
			attempt.bodyError = ex;
			return Mono.empty();
		}).concatMapIterable(attempt::read, BODY_PREFETCH).concatWith(Flux.defer(attempt::endOfBody));
	}

	/**
	 * Reads a body that is not a stream (an HTTP error, a page that is not an event
	 * stream) as UTF-8 text, at most {@link #MAX_TEXT_BODY} bytes of it: the buffers
	 * straight from the connector, not through a codec, so that no framework logger sees
	 * the text (Spring's {@code StringDecoder} logs what it decodes at DEBUG and TRACE)
	 * before it is redacted. Every buffer is released; the rest of a longer body is not
	 * read (the connection is then closed). A body that breaks gives what arrived before
	 * the break: the status is what matters.
	 * @return the text, empty when the body is
	 */
	private static Mono<String> readText(ClientResponse response) {
		Flux<DataBuffer> head = DataBufferUtils
			.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()), MAX_TEXT_BODY)
			.onErrorComplete();
		return DataBufferUtils.join(head).map((joined) -> {
			try {
				return joined.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(joined);
			}
		}).defaultIfEmpty("");
	}

	/**
	 * Whether a {@code Content-Type} is {@code text/event-stream}, whatever its case and
	 * parameters (such as {@code ; charset=utf-8}).
	 */
	static boolean isEventStream(String contentType) {
		int semicolon = contentType.indexOf(';');
		String type = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim();
		return type.equalsIgnoreCase("text/event-stream");
	}

	/**
	 * A success status with a body that is not an event stream, such as a proxy's HTML
	 * page or a JSON error: not retried, as the same request likely gets the same answer.
	 * The adapter reads the body like an HTTP error body (provider error type, code and
	 * message when it is the provider's JSON error, else the redacted text), which
	 * becomes the excerpt the message ends with.
	 */
	private ProviderHttpException notAnEventStream(int status, String contentType, @Nullable String requestId,
			String body) {
		SteerLLMException parsed = this.adapter.httpError(status, requestId, body);
		String type = null;
		String code = null;
		String excerpt = null;
		if (parsed instanceof ProviderErrorException error) {
			type = error.getProviderErrorType();
			code = error.getProviderErrorCode();
			excerpt = error.getProviderMessage();
		}
		String name = this.adapter.name();
		String message = name + " answered HTTP " + status + " with Content-Type "
				+ Secrets.redact(contentType, this.adapter.settings().apiKey()) + ", not text/event-stream"
				+ ((excerpt != null && !excerpt.isEmpty()) ? ": " + excerpt : "");
		return new ProviderHttpException(message, name, status, type, code, excerpt, requestId, false);
	}

	/**
	 * Fires when the attempt is not connected within the connection timeout, else never.
	 */
	private Mono<Long> connectTimer(Attempt attempt) {
		return Mono.delay(this.options.connectionTimeout()).flatMap((tick) -> {
			if (attempt.connected) {
				return Mono.never();
			}
			attempt.connectTimedOut = true;
			return Mono.just(tick);
		});
	}

	private Flux<StreamEvent> afterAttempt(int number, Attempt attempt) {
		attempt.watchdog.stop();
		if (attempt.connectTimedOut) {
			this.session.fail(new StreamTimeoutException(this.adapter.name(), StreamTimeoutException.Limit.CONNECT,
					this.options.connectionTimeout(), null));
		}
		if (attempt.idle) {
			// a body that is not a stream, too slow to read: the status says more than
			// the timeout
			SteerLLMException answer = attempt.answer;
			this.session.fail((answer != null) ? answer : new StreamTimeoutException(this.adapter.name(),
					StreamTimeoutException.Limit.READ, this.options.readTimeout(), null));
		}
		SteerLLMException failure = this.session.endAttempt();
		if (failure == null) {
			// the stream completed
			if (this.retryState != null) {
				this.retryManager.complete(this.context.streamId());
			}
			return Flux.empty();
		}
		RetryState state = retryState();
		this.session.recordProgress(state);
		state.recordError(failure.getMessage());
		Retry retry = nextAttempt(number, failure, attempt.headers);
		if (retry != null) {
			logRetry(number, failure, retry);
			return Mono.delay(retry.delay()).thenMany(Flux.defer(() -> attempt(number + 1, retry.continuation())));
		}
		this.retryManager.complete(this.context.streamId());
		return Flux.fromIterable(this.session.finish(finalError(failure)));
	}

	/**
	 * Whether and how to make the attempt after attempt {@code number} failed.
	 * @return the retry, or {@code null} to end the stream with the failure
	 */
	private @Nullable Retry nextAttempt(int number, SteerLLMException failure, HttpHeaders headers) {
		if (!this.options.retryOnConnectionError() || number > this.options.maxReconnectAttempts()
				|| this.totalTimedOut) {
			return null;
		}
		StreamProgress progress = this.session.progress();
		Continuation continuation = null;
		if (progress.deltas() > 0 || progress.responseId() != null) {
			continuation = this.adapter.continuation(this.context.request(), this.context.model(), this.options,
					progress, failure);
			if (continuation == null && progress.deltas() > 0) {
				return null;
			}
		}
		Optional<Duration> delay = RetryDelays.compute(number, failure.isRetryable(), headers,
				this.options.reconnectDelay(), this.options.maxRetryDelay(), this.context.clock(),
				ThreadLocalRandom.current());
		if (delay.isEmpty()) {
			return null;
		}
		if (continuation != null && this.interruption == null) {
			// the failure that broke the stream, reported if the continuation is refused
			this.interruption = failure;
		}
		return new Retry(delay.get(), continuation, progress);
	}

	/**
	 * The exception a failed stream ends with: the last failure, except that when a
	 * continuation was refused (an HTTP error answered it) the failure that broke the
	 * stream is reported, with the refusal suppressed.
	 * @param last the last attempt's failure
	 * @return the exception to end the stream with
	 */
	private SteerLLMException finalError(SteerLLMException last) {
		SteerLLMException interruption = this.interruption;
		if (interruption != null && interruption != last && last instanceof ProviderHttpException) {
			interruption.addSuppressed(last);
			return interruption;
		}
		return last;
	}

	private void logRetry(int number, SteerLLMException failure, Retry retry) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		Continuation continuation = retry.continuation();
		String how;
		if (continuation == null) {
			how = "sending the request again";
		}
		else if (continuation.kind() == Continuation.Kind.RESUME) {
			how = "resuming response " + retry.progress().responseId() + " after sequence number "
					+ retry.progress().sequenceNumber();
		}
		else {
			how = "continuing the answer after its " + retry.progress().text().length() + " characters";
		}
		logger.info("Stream " + this.context.streamId() + " to " + this.adapter.name() + "/" + this.context.model()
				+ ": attempt " + number + " of " + (this.options.maxReconnectAttempts() + 1) + " failed after "
				+ retry.progress().deltas() + " deltas (" + failure.getMessage() + "); " + how + " in "
				+ retry.delay().toMillis() + " ms");
	}

	/**
	 * The attempts' events ended: after the stream's own end nothing follows; after an
	 * operator's cancel or the total timeout, the stream's error event.
	 */
	private Flux<StreamEvent> afterStop() {
		if (this.cancelledByOperator) {
			return afterOperatorCancel();
		}
		return afterTotalTimeout();
	}

	private Flux<StreamEvent> afterOperatorCancel() {
		StreamCancelledException cancelled = new StreamCancelledException(this.adapter.name());
		List<StreamEvent> events = this.session.finish(cancelled);
		if (events.isEmpty()) {
			// the stream had ended before the cancel
			return Flux.empty();
		}
		RetryState state = retryState();
		this.session.recordProgress(state);
		state.recordError(cancelled.getMessage());
		this.retryManager.complete(this.context.streamId());
		if (logger.isDebugEnabled()) {
			logger.debug("Stream " + this.context.streamId() + " to " + this.adapter.name() + "/" + this.context.model()
					+ " cancelled by an operator after " + this.session.progress().deltas() + " deltas");
		}
		return Flux.fromIterable(events);
	}

	private Flux<StreamEvent> afterTotalTimeout() {
		if (!this.totalTimedOut) {
			return Flux.empty();
		}
		// the cause, if any: the failure of the attempt whose retry was waiting
		StreamTimeoutException timeout = new StreamTimeoutException(this.adapter.name(),
				StreamTimeoutException.Limit.TOTAL, this.options.totalTimeout(), this.session.failure());
		RetryState state = retryState();
		this.session.recordProgress(state);
		state.recordError(timeout.getMessage());
		this.retryManager.complete(this.context.streamId());
		return Flux.fromIterable(this.session.finish(timeout));
	}

	/**
	 * The subscriber cancelled: the usage so far (the provider's, else estimated) and the
	 * partial text are recorded in the retry state, and logged at DEBUG.
	 */
	private void onCancel() {
		StreamingResponse partial = this.session.cancel();
		if (partial == null) {
			return;
		}
		this.cancelListener.accept(partial);
		Usage usage = partial.usage();
		String message = "cancelled by the subscriber after " + partial.metrics().chunks() + " deltas; usage so far: "
				+ ((usage != null) ? usage.promptTokens() + " prompt + " + usage.completionTokens()
						+ " completion tokens" + (partial.usageEstimated() ? " (estimated)" : "") : "unknown");
		RetryState state = retryState();
		this.session.recordProgress(state);
		state.recordError(message);
		this.retryManager.complete(this.context.streamId());
		if (logger.isDebugEnabled()) {
			logger.debug("Stream " + this.context.streamId() + " to " + this.adapter.name() + "/" + this.context.model()
					+ " " + message);
		}
	}

	/**
	 * The stream's retry state, registered with the manager on first use (a failure, a
	 * timeout, a cancel), with the attempts made so far.
	 */
	private synchronized RetryState retryState() {
		RetryState state = this.retryState;
		if (state == null) {
			state = this.retryManager.begin(this.context.streamId(), this.adapter.name(), this.context.model());
			for (int i = 0; i < this.attempts; i++) {
				state.recordAttempt();
			}
			this.retryState = state;
		}
		return state;
	}

	/**
	 * What one attempt learnt about its connection, and its read timeout.
	 */
	private final class Attempt {

		/**
		 * The read timeout: started when the request is about to be sent, touched by the
		 * response headers and by each complete SSE event.
		 */
		private final IdleWatchdog watchdog = new IdleWatchdog(Schedulers.parallel(),
				StreamExchange.this.options.readTimeout(), this::onIdle);

		/**
		 * Emits when the attempt ends at once: the watchdog fired, or a buffer failed the
		 * attempt without an event to end on.
		 */
		private final Sinks.One<Boolean> stopped = Sinks.one();

		/**
		 * The last event of the buffer that failed the attempt: the attempt's events end
		 * with it.
		 */
		private volatile @Nullable StreamEvent lastEvent;

		private volatile boolean idle;

		private volatile boolean connected;

		private volatile boolean connectTimedOut;

		private volatile HttpHeaders headers = HttpHeaders.EMPTY;

		/** Why the body broke, once it did. */
		private volatile @Nullable Throwable bodyError;

		/**
		 * For a response that is not a stream (an HTTP error, a body that is not an event
		 * stream), the failure its head alone makes, while its body is being read.
		 */
		private volatile @Nullable SteerLLMException answer;

		/**
		 * The connector is about to write the request, so the connection is ready: the
		 * read timeout starts.
		 */
		void onRequest(ClientHttpRequest request) {
			this.connected = true;
			this.watchdog.start();
		}

		/** The watchdog fired: the attempt ends, failed with a read timeout. */
		private void onIdle() {
			this.idle = true;
			this.stopped.tryEmitValue(Boolean.TRUE);
		}

		/** Reads one buffer of the body. */
		List<StreamEvent> read(DataBuffer buffer) {
			return events(StreamExchange.this.session.read(buffer));
		}

		/** The body ended, or broke. */
		Flux<StreamEvent> endOfBody() {
			Throwable broken = this.bodyError;
			return (broken != null) ? Flux.error(broken)
					: Flux.fromIterable(events(StreamExchange.this.session.endOfBody()));
		}

		/**
		 * The events of a read; when the attempt failed with it, they are the last ones
		 * of the attempt.
		 */
		private List<StreamEvent> events(AttemptResult result) {
			List<StreamEvent> events = result.events();
			if (result.failed()) {
				if (events.isEmpty()) {
					this.stopped.tryEmitValue(Boolean.TRUE);
				}
				else {
					this.lastEvent = events.get(events.size() - 1);
				}
			}
			return events;
		}

		/**
		 * Whether the event is the last one of the attempt, which failed with the buffer
		 * that held it.
		 */
		boolean isLastOfFailedAttempt(StreamEvent event) {
			return event == this.lastEvent;
		}

	}

	/**
	 * The next attempt: after how long, and how it continues the stream.
	 */
	private record Retry(Duration delay, @Nullable Continuation continuation, StreamProgress progress) {

	}

}
