package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamTimeoutException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.UnreachableEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CHAT_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.chat;
import static io.steer.llm.reliability.Reliability.textOfFirstEvents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code connection-timeout}, {@code read-timeout} and {@code total-timeout} each end a
 * stream with a {@link StreamTimeoutException} naming the limit, unless a retry or resume
 * recovers.
 */
class TimeoutTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static SteerLLMClient client(String baseUrl, StreamingRetryManager manager) {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(baseUrl, API_KEY)).retryManager(manager).build();
	}

	/**
	 * One stream before the tests: the first stream of a JVM loads and initialises much
	 * (the connector, the codecs, the price catalog, logging), which would count against
	 * the short limits below.
	 */
	@BeforeAll
	static void warmUp() {
		server.server().enqueue(chat());
		client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT).blockLast(Duration.ofSeconds(30));
		server.server().reset();
	}

	@Test
	void streamEventsWhenConnectNeverCompletesShouldFailWithConnectTimeoutAfterRetrying() {
		try (UnreachableEndpoint silent = UnreachableEndpoint.silent()) {
			StreamingRetryManager manager = new StreamingRetryManager();
			StreamingOptions options = FAST_RETRIES.toBuilder()
				.connectionTimeout(Duration.ofMillis(200))
				.maxReconnectAttempts(1)
				.build();
			long start = System.nanoTime();
			List<StreamEvent> events = client(silent.baseUrl(), manager).streamEvents(CHAT, options)
				.collectList()
				.block(Duration.ofSeconds(20));
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			StreamErrorEvent error = Reliability.error(events);
			assertThat(events).hasSize(1);
			assertThat(error.errorType()).isEqualTo(StreamErrorType.TIMEOUT);
			assertThat(error.isRetryable()).isTrue();
			assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class, (ex) -> {
				assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.CONNECT);
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(200));
				assertThat(ex.getMessage()).contains("connection-timeout of 200 ms");
			});
			assertThat(error.partialResponse().attempts()).isEqualTo(2);
			// two attempts of 200 ms, far below the connector's own 30 s connect timeout
			assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(10));
			assertThat(manager.states()).singleElement()
				.satisfies((state) -> assertThat(state.lastError()).contains("connection-timeout"));
		}
	}

	@Test
	void streamEventsWhenNoByteArrivesWithinTheReadTimeoutShouldRetry() {
		server.server().enqueue(chat().delayBeforeFirstByte(Duration.ofSeconds(3)));
		server.server().enqueue(chat());
		StreamingOptions options = FAST_RETRIES.toBuilder().readTimeout(Duration.ofMillis(300)).build();
		List<StreamEvent> events = client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
			.collectList()
			.block(Duration.ofSeconds(10));
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
		// the first attempt's connection was closed by the read timeout
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenNoByteEverArrivesShouldFailWithReadTimeout() {
		server.server().setDefaultResponse(chat().delayBeforeFirstByte(Duration.ofSeconds(3)));
		StreamingOptions options = FAST_RETRIES.toBuilder()
			.readTimeout(Duration.ofMillis(200))
			.maxReconnectAttempts(1)
			.build();
		StreamErrorEvent error = Reliability
			.error(client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
				.collectList()
				.block(Duration.ofSeconds(10)));
		assertThat(error.errorType()).isEqualTo(StreamErrorType.TIMEOUT);
		assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class,
				(ex) -> assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.READ));
		assertThat(error.partialResponse().attempts()).isEqualTo(2);
		assertThat(server.server().requestCount()).isEqualTo(2);
	}

	@Test
	void streamEventsWhenStreamStallsAfterDeltasShouldFailWithReadTimeoutKeepingTheText() {
		// Chat Completions cannot be resumed: the deltas delivered are never sent again
		server.server().enqueue(chat().stallAfterEvents(5));
		StreamingOptions options = FAST_RETRIES.toBuilder().readTimeout(Duration.ofMillis(300)).build();
		List<StreamEvent> events = client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
			.collectList()
			.block(Duration.ofSeconds(10));
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.TIMEOUT);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class, (ex) -> {
			assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.READ);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
		});
		assertThat(Reliability.text(events)).isEqualTo(textOfFirstEvents(5));
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
		assertThat(error.partialResponse().attempts()).isEqualTo(1);
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenStreamOutlastsTheTotalTimeoutShouldFailWithTotalTimeoutKeepingTheText() {
		server.server().enqueue(chat().delayBetweenEvents(Duration.ofMillis(100)));
		StreamingOptions options = FAST_RETRIES.toBuilder().totalTimeout(Duration.ofMillis(700)).build();
		List<StreamEvent> events = client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
			.collectList()
			.block(Duration.ofSeconds(10));
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.TIMEOUT);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class,
				(ex) -> assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.TOTAL));
		assertThat(Reliability.text(events)).isNotEmpty();
		assertThat(error.partialText()).startsWith(Reliability.text(events));
		assertThat(CHAT_TEXT).startsWith(error.partialText());
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenRetriesWouldOutlastTheTotalTimeoutShouldFailWithTotalTimeout() {
		server.server()
			.setDefaultResponse(
					MockResponse.status(503, "{\"error\":{\"message\":\"down\"}}").header("Retry-After", "30"));
		StreamingOptions options = FAST_RETRIES.toBuilder()
			.maxRetryDelay(Duration.ofSeconds(60))
			.totalTimeout(Duration.ofMillis(500))
			.build();
		long start = System.nanoTime();
		StreamErrorEvent error = Reliability
			.error(client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
				.collectList()
				.block(Duration.ofSeconds(10)));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class, (ex) -> {
			assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.TOTAL);
			// the failure whose retry was waiting
			assertThat(ex).cause().isInstanceOf(io.steer.llm.error.ProviderHttpException.class);
		});
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	// read-timeout: the gap between complete SSE events

	@Test
	void streamEventsWhenStreamStallsShouldFailWithReadTimeoutInVirtualTime() {
		server.server().enqueue(chat().stallAfterEvents(5));
		StreamingOptions options = FAST_RETRIES.toBuilder().readTimeout(Duration.ofSeconds(30)).build();
		SteerLLMClient client = client(server.baseUrl(), new StreamingRetryManager());
		StepVerifier.withVirtualTime(() -> client.streamEvents(CHAT, options))
			.expectNextMatches(StreamStartEvent.class::isInstance)
			.expectNextCount(4)
			// the events arrived at virtual time 0: nothing until 30 s after the last of
			// them
			.expectNoEvent(Duration.ofMillis(29_999))
			.thenAwait(Duration.ofMillis(1))
			// the usage of the deltas delivered, estimated, then the error
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamUsageEvent.class,
					(usage) -> assertThat(usage.isEstimated()).isTrue()))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class, (ex) -> {
					assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.READ);
					assertThat(ex.getTimeout()).isEqualTo(Duration.ofSeconds(30));
				});
				assertThat(error.isRetryable()).isTrue();
				assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
			}))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenTheServerTricklesBytesWithoutCompletingAnEventShouldTimeOutAndRetry() {
		// one byte every 100 ms, never a whole event: 30 s of network reads, no event
		byte[] event = ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\"" + "slow ".repeat(60) + "\"}}]}\n\n")
			.getBytes(StandardCharsets.UTF_8);
		List<byte[]> bytes = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			bytes.add(new byte[] { event[i] });
		}
		server.server().enqueue(MockResponse.chunks(bytes).delayBetweenEvents(Duration.ofMillis(100)));
		server.server().enqueue(chat());
		StreamingOptions options = FAST_RETRIES.toBuilder()
			.readTimeout(Duration.ofMillis(500))
			.totalTimeout(Duration.ofSeconds(20))
			.build();
		long start = System.nanoTime();
		List<StreamEvent> events = client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
			.collectList()
			.block(Duration.ofSeconds(15));
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		// the read timeout is retryable before the first delta, as before
		assertThat(complete.attempts()).isEqualTo(2);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenTheServerSendsKeepAliveCommentsLongerThanTheReadTimeoutShouldNotTimeOut() {
		// a proxy or a slow model behind one (OpenRouter's ": OPENROUTER PROCESSING")
		// sends whole
		// SSE comment lines while it waits: 10 of them 100 ms apart, 1 s in all, then the
		// answer
		List<byte[]> bytes = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			bytes.add(": keep-alive\n".getBytes(StandardCharsets.UTF_8));
		}
		bytes.add(io.steer.llm.test.SseFixture.load("openai", "chat-text-usage").bytes());
		server.server().enqueue(MockResponse.chunks(bytes).delayBetweenEvents(Duration.ofMillis(100)));
		StreamingOptions options = FAST_RETRIES.toBuilder()
			.readTimeout(Duration.ofMillis(400))
			.totalTimeout(Duration.ofSeconds(20))
			.build();
		List<StreamEvent> events = client(server.baseUrl(), new StreamingRetryManager()).streamEvents(CHAT, options)
			.collectList()
			.block(Duration.ofSeconds(15));
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(complete.attempts()).isEqualTo(1);
	}

	@Test
	void streamEventsWithAnotherConnectorWhenTheHeadersAreLateShouldTimeOutAndRetry() {
		// the JDK HttpClient connector: no Reactor Netty responseTimeout to fall back on
		server.server().enqueue(chat().delayBeforeFirstByte(Duration.ofSeconds(8)));
		server.server().enqueue(chat());
		SteerLLMClient client = SteerLLMClient.builder()
			.webClientBuilder(WebClient.builder().clientConnector(new JdkClientHttpConnector()))
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.build();
		StreamingOptions options = FAST_RETRIES.toBuilder()
			.readTimeout(Duration.ofMillis(300))
			.totalTimeout(Duration.ofSeconds(20))
			.build();
		List<StreamEvent> events = client.streamEvents(CHAT, options).collectList().block(Duration.ofSeconds(6));
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
	}

	@Test
	void streamEventsWithAnotherConnectorWhenTheStreamStallsShouldFailWithReadTimeout() {
		server.server().enqueue(chat().stallAfterEvents(5));
		SteerLLMClient client = SteerLLMClient.builder()
			.webClientBuilder(WebClient.builder().clientConnector(new JdkClientHttpConnector()))
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.build();
		// 1 s, not less: on a loaded machine the JDK connector's first response can take
		// longer
		// than a shorter limit, which then times out before the first delta and retries
		StreamingOptions options = FAST_RETRIES.toBuilder().readTimeout(Duration.ofSeconds(1)).build();
		StreamErrorEvent error = Reliability
			.error(client.streamEvents(CHAT, options).collectList().block(Duration.ofSeconds(10)));
		assertThat(error.error()).isInstanceOfSatisfying(StreamTimeoutException.class,
				(ex) -> assertThat(ex.getLimit()).isEqualTo(StreamTimeoutException.Limit.READ));
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
	}

}
