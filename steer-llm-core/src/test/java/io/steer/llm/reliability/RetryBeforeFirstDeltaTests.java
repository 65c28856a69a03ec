package io.steer.llm.reliability;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.client.DefaultSteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamConnectionException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import io.steer.llm.test.UnreachableEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CHAT_TEXT;
import static io.steer.llm.reliability.Reliability.CLAUDE_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures before the first delta are retried, as the provider's status and headers
 * allow, up to {@code max-reconnect-attempts}; the subscriber sees one stream with one
 * start event, and the attempts in the final response, the retry state and the log.
 */
class RetryBeforeFirstDeltaTests {

	private static final ChatRequest CLAUDE = ChatRequest.of("Hello", "claude-sonnet-4-5-20250929");

	private static final String RATE_LIMITED = "{\"error\":{\"message\":\"Rate limit reached for key " + API_KEY
			+ "\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	private SteerLLMClient client() {
		return Reliability.openAiAndAnthropicClient(server, this.retryManager);
	}

	private static MockResponse claude() {
		return MockResponse.replay(SseFixture.load("anthropic", "text"));
	}

	private RetryState onlyRetryState() {
		assertThat(this.retryManager.states()).hasSize(1);
		return this.retryManager.states().get(0);
	}

	@Test
	void streamEventsWhen429WithRetryAfterThenSuccessShouldWaitAndCompleteWithTwoAttempts() {
		server.server().enqueue(MockResponse.status(429, RATE_LIMITED).header("Retry-After", "1"));
		server.server().enqueue(chat());
		List<StreamEvent> events;
		try (Reliability.CapturedLog log = new Reliability.CapturedLog(Reliability.EXCHANGE_LOGGER)) {
			long start = System.nanoTime();
			events = client().streamEvents(CHAT).collectList().block();
			long elapsed = System.nanoTime() - start;
			// Retry-After: 1 is honoured, not replaced by the 10 ms backoff
			assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
			assertThat(log.messages(Level.INFO)).singleElement().satisfies((line) -> {
				assertThat(line).contains("attempt 1 of 4 failed").contains("HTTP 429").contains("in 1000 ms");
				assertThat(line).doesNotContain(API_KEY);
			});
		}
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.attempts()).isEqualTo(2);
		assertThat(complete.response().attempts()).isEqualTo(2);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(events.get(0)).isInstanceOfSatisfying(StreamStartEvent.class,
				(start) -> assertThat(start.metadata()).containsEntry("http.status", 200));
		assertThat(server.server().requestCount()).isEqualTo(2);
		RetryState state = onlyRetryState();
		assertThat(state.requestId()).isEqualTo(complete.streamId());
		assertThat(state.attempts()).isEqualTo(2);
		assertThat(state.completed()).isTrue();
		assertThat(state.lastError()).contains("HTTP 429").doesNotContain(API_KEY);
	}

	@Test
	void streamWhenRetryAfterAsksForMoreThanMaxRetryDelayShouldWaitTheMaximum() {
		server.server().enqueue(MockResponse.status(429, RATE_LIMITED).header("Retry-After", "3600"));
		server.server().enqueue(chat());
		StreamingOptions options = FAST_RETRIES.toBuilder().maxRetryDelay(Duration.ofMillis(50)).build();
		String text = String.join("", client().stream(CHAT, options).collectList().block(Duration.ofSeconds(10)));
		assertThat(text).isEqualTo(CHAT_TEXT);
		assertThat(server.server().requestCount()).isEqualTo(2);
	}

	@Test
	void streamWithUsageWhen500ThenSuccessShouldCompleteWithTwoAttempts() {
		server.server()
			.enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
		server.server().enqueue(chat());
		StreamingResponse response = client().streamWithUsage(CHAT).block();
		assertThat(response.text()).isEqualTo(CHAT_TEXT);
		assertThat(response.attempts()).isEqualTo(2);
		assertThat(response.metadata()).doesNotContainKey("reconnects");
		assertThat(response.usage().totalTokens()).isEqualTo(44);
	}

	@Test
	void streamEventsWhenAnthropic529OverloadedThenSuccessShouldCompleteWithTwoAttempts() {
		server.server()
			.enqueue(MockResponse.status(529,
					"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
		server.server().enqueue(claude());
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CLAUDE_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
	}

	@Test
	void streamEventsWhenAnthropic529OverloadedEveryTimeShouldFailAfterMaxAttempts() {
		server.server()
			.setDefaultResponse(MockResponse
				.status(529,
						"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
				.header("request-id", "req_529"));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		// HTTP errors never produced a response: no start event
		assertThat(events).hasSize(1);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.HTTP);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(529);
			assertThat(ex.getProviderErrorType()).isEqualTo("overloaded_error");
		});
		assertThat(error.partialResponse().attempts()).isEqualTo(4);
		assertThat(server.server().requestCount()).isEqualTo(4);
		assertThat(onlyRetryState().attempts()).isEqualTo(4);
	}

	@Test
	void streamEventsWhenAnthropicOverloadedErrorIsTheFirstEventShouldRetry() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "docs-error-overloaded")));
		server.server().enqueue(claude());
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CLAUDE_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
		assertThat(complete.response().id()).isEqualTo("msg_01QC4g3HwBThD4BaNtBckFDJ");
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 403, 404, 422 })
	void streamEventsWhenClientErrorShouldNeverRetry(int status) {
		server.server()
			.setDefaultResponse(MockResponse.status(status,
					"{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
		StreamErrorEvent error = Reliability.error(client().streamEvents(CHAT).collectList().block());
		assertThat(error.isRetryable()).isFalse();
		assertThat(((ProviderHttpException) error.error()).getStatusCode()).isEqualTo(status);
		assertThat(error.partialResponse().attempts()).isEqualTo(1);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenXShouldRetryFalseShouldNotRetryA503() {
		server.server()
			.setDefaultResponse(MockResponse.status(503, "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}")
				.header("x-should-retry", "false"));
		StreamErrorEvent error = Reliability.error(client().streamEvents(CHAT).collectList().block());
		assertThat(((ProviderHttpException) error.error()).getStatusCode()).isEqualTo(503);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenXShouldRetryTrueShouldRetryA400() {
		server.server()
			.enqueue(MockResponse
				.status(400, "{\"error\":{\"message\":\"try again\",\"type\":\"invalid_request_error\"}}")
				.header("x-should-retry", "true")
				.header("retry-after-ms", "20"));
		server.server().enqueue(chat());
		StreamCompleteEvent complete = Reliability.complete(client().streamEvents(CHAT).collectList().block());
		assertThat(complete.attempts()).isEqualTo(2);
	}

	@Test
	void streamEventsWhenRetryOnConnectionErrorIsOffShouldMakeOneAttempt() {
		server.server().setDefaultResponse(MockResponse.status(500, "{\"error\":{\"message\":\"boom\"}}"));
		StreamingOptions options = FAST_RETRIES.toBuilder().retryOnConnectionError(false).build();
		StreamErrorEvent error = Reliability.error(client().streamEvents(CHAT, options).collectList().block());
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.partialResponse().attempts()).isEqualTo(1);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenMaxReconnectAttemptsIsZeroShouldMakeOneAttempt() {
		server.server().setDefaultResponse(MockResponse.status(500, "{\"error\":{\"message\":\"boom\"}}"));
		StreamingOptions options = FAST_RETRIES.toBuilder().maxReconnectAttempts(0).build();
		Reliability.error(client().streamEvents(CHAT, options).collectList().block());
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenConnectionRefusedShouldRetryThenFailWithConnectionError() {
		try (UnreachableEndpoint refusing = UnreachableEndpoint.refusing()) {
			StreamingRetryManager manager = new StreamingRetryManager();
			SteerLLMClient client = SteerLLMClient.builder()
				.openAi(ProviderSettings.of(refusing.baseUrl(), API_KEY))
				.defaultOptions(FAST_RETRIES.toBuilder().maxReconnectAttempts(2).build())
				.retryManager(manager)
				.build();
			List<StreamEvent> events = client.streamEvents(CHAT).collectList().block();
			StreamErrorEvent error = Reliability.error(events);
			assertThat(events).hasSize(1);
			assertThat(error.errorType()).isEqualTo(StreamErrorType.CONNECTION);
			assertThat(error.error()).isInstanceOf(StreamConnectionException.class);
			assertThat(error.partialResponse().attempts()).isEqualTo(3);
			assertThat(manager.states()).singleElement().satisfies((state) -> {
				assertThat(state.attempts()).isEqualTo(3);
				assertThat(state.completed()).isTrue();
				assertThat(state.lastError()).contains("could not connect");
			});
		}
	}

	@Test
	void streamEventsWhenConnectionDroppedBeforeTheFirstDeltaShouldRetryWithOneStartEvent() {
		// the role chunk (no delta) arrives, then the connection drops
		server.server().enqueue(chat().dropAfterEvents(1));
		server.server().enqueue(chat());
		List<StreamEvent> events = client().streamEvents(CHAT).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
		List<RecordedRequest> requests = server.server().requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(1).bodyAsString()).isEqualTo(requests.get(0).bodyAsString());
	}

	@Test
	void retryStateShouldExistOnlyForStreamsThatFailedAnAttempt() {
		DefaultSteerLLMClient client = (DefaultSteerLLMClient) SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(FAST_RETRIES)
			.build();
		server.server().enqueue(chat());
		client.streamWithUsage(CHAT).block();
		assertThat(client.retryManager().size()).isZero();
		server.server().enqueue(MockResponse.status(503, "{\"error\":{\"message\":\"down\"}}"));
		server.server().enqueue(chat());
		List<StreamEvent> events = client.streamEvents(CHAT).collectList().block();
		assertThat(client.retryManager().state(events.get(0).streamId())).hasValueSatisfying((state) -> {
			assertThat(state.attempts()).isEqualTo(2);
			assertThat(state.completed()).isTrue();
			assertThat(state.lastError()).contains("HTTP 503");
		});
	}

	@Test
	void defaultOptionsShouldRetryWithBackoffFromReconnectDelay() {
		// 500 ms default reconnect delay: the first retry waits 375 to 500 ms
		server.server().enqueue(MockResponse.status(502, "bad gateway"));
		server.server().enqueue(chat());
		long start = System.nanoTime();
		StreamingResponse response = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.build()
			.streamWithUsage(CHAT)
			.block();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(370));
		assertThat(response.attempts()).isEqualTo(2);
	}

	@Test
	void streamEventsWhenProviderErrorIsNotRetryableAsFirstEventShouldNotRetry() {
		server.server()
			.enqueue(MockResponse.chunks(Reliability.bytes(
					"data: {\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":null}}\n\n")));
		StreamErrorEvent error = Reliability.error(client().streamEvents(CHAT).collectList().block());
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

}
