package io.steer.llm.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LoopbackProviderServer} and {@link MockResponse}.
 */
class LoopbackProviderServerTests {

	private static final SseFixture CHAT = SseFixture.load("openai", "chat-text-usage");

	private LoopbackProviderServer server;

	private HttpClient reactorClient;

	@BeforeEach
	void startServer() {
		this.server = LoopbackProviderServer.start();
		this.reactorClient = HttpClient.newConnection().baseUrl(this.server.baseUrl());
	}

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void startBindsToLoopbackOnEphemeralPort() {
		assertThat(this.server.port()).isPositive();
		assertThat(this.server.baseUrl()).isEqualTo("http://127.0.0.1:" + this.server.port());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.steer.llm.test.SseFixtureTests#bundledFixtures")
	void replayReturnsTheExactBytes(SseFixture fixture) {
		this.server.enqueue(MockResponse.replay(fixture));
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/v1/chat/completions");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
		assertThat(response.body()).isEqualTo(fixture.bytes());
	}

	@Test
	void eventsWrittenCountsTheWritesOfStreamedResponsesUntilReset() {
		this.server.enqueue(MockResponse.replay(CHAT));
		this.server.enqueue(MockResponse.replay(CHAT).dropAfterEvents(3));
		TestClients.get(this.server.baseUrl() + "/v1/chat/completions");
		assertThat(this.server.eventsWritten()).isEqualTo(CHAT.events().size());
		receiveBuffersIgnoringErrors();
		assertThat(this.server.eventsWritten()).isEqualTo(CHAT.events().size() + 3);
		this.server.reset();
		assertThat(this.server.eventsWritten()).isZero();
	}

	@Test
	void replaySendsEachEventAsItsOwnChunk() {
		this.server.enqueue(MockResponse.replay(CHAT));
		List<byte[]> received = receiveBuffers();
		assertThat(TestClients.concat(received)).isEqualTo(CHAT.bytes());
		assertThat(TestClients.boundaries(received)).containsAll(TestClients.boundaries(CHAT.events()));
	}

	@Test
	void replayWithDelayBetweenEventsDeliversEachEventSeparately() {
		SseFixture fixture = SseFixture.load("openai", "chat-finish-length");
		this.server.enqueue(MockResponse.replay(fixture).delayBetweenEvents(Duration.ofMillis(20)));
		List<byte[]> received = receiveBuffers();
		assertThat(received).hasSizeGreaterThanOrEqualTo(fixture.events().size());
		assertThat(TestClients.concat(received)).isEqualTo(fixture.bytes());
	}

	@Test
	void chunksPreservesSplitsInsideCharactersAndLineTerminators() {
		byte[] body = "data: {\"content\":\"é€😀\"}\r\n\r\ndata: [DONE]\r\n\r\n".getBytes(StandardCharsets.UTF_8);
		int euro = indexOf(body, "€".getBytes(StandardCharsets.UTF_8));
		int emoji = indexOf(body, "😀".getBytes(StandardCharsets.UTF_8));
		int carriageReturn = indexOf(body, "\r\n".getBytes(StandardCharsets.UTF_8));
		List<byte[]> chunks = List.of(Arrays.copyOfRange(body, 0, euro + 1),
				Arrays.copyOfRange(body, euro + 1, euro + 2), Arrays.copyOfRange(body, euro + 2, emoji + 3),
				Arrays.copyOfRange(body, emoji + 3, carriageReturn + 1),
				Arrays.copyOfRange(body, carriageReturn + 1, body.length));
		this.server.enqueue(MockResponse.chunks(chunks));
		List<byte[]> received = receiveBuffers();
		assertThat(TestClients.concat(received)).isEqualTo(body);
		assertThat(TestClients.boundaries(received)).containsAll(TestClients.boundaries(chunks))
			.contains(euro + 1, euro + 2, emoji + 3, carriageReturn + 1);
	}

	@Test
	void recordsMethodPathHeadersAndBody() {
		String json = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}";
		this.server.enqueue(MockResponse.replay(CHAT));
		TestClients.send(HttpRequest.newBuilder(URI.create(this.server.baseUrl() + "/v1/chat/completions?trace=1&x=y"))
			.header("Authorization", "Bearer sk-test")
			.header("Content-Type", "application/json")
			.header("X-Custom", "a")
			.header("X-Custom", "b")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.discarding());
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v1/chat/completions?trace=1&x=y");
		assertThat(request.header("authorization")).isEqualTo("Bearer sk-test");
		assertThat(request.header("CONTENT-TYPE")).isEqualTo("application/json");
		assertThat(request.header("x-missing")).isNull();
		assertThat(request.headers().get("x-custom")).containsExactly("a", "b");
		assertThat(request.body()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
		assertThat(request.bodyAsString()).isEqualTo(json);
		assertThat(this.server.requestCount()).isOne();
		assertThat(this.server.requests()).containsExactly(request);
	}

	@Test
	void recordsRequestWithoutBody() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		TestClients.get(this.server.baseUrl() + "/v1/models");
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.path()).isEqualTo("/v1/models");
		assertThat(request.body()).isEmpty();
		assertThat(request.bodyAsString()).isEmpty();
	}

	@Test
	void takeRequestWhenNoneArrivesThrowsAssertionError() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.server.takeRequest(Duration.ofMillis(50)))
			.withMessageContaining("No request received");
	}

	@Test
	void takeRequestReturnsRequestsInArrivalOrderOnce() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		TestClients.get(this.server.baseUrl() + "/first");
		TestClients.get(this.server.baseUrl() + "/second");
		assertThat(this.server.takeRequest().path()).isEqualTo("/first");
		assertThat(this.server.takeRequest().path()).isEqualTo("/second");
		assertThat(this.server.requests()).extracting(RecordedRequest::path).containsExactly("/first", "/second");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.server.takeRequest(Duration.ofMillis(50)));
	}

	@Test
	void statusSendsStatusHeadersAndBodyWithContentLength() {
		String error = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
				+ "\"code\":\"rate_limit_exceeded\"}}";
		this.server.enqueue(MockResponse.status(429, error).header("Retry-After", "2"));
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/v1/chat/completions");
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(error.length()));
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(error);
	}

	@Test
	void statusWithEmptyBodySendsNoContent() {
		this.server.enqueue(MockResponse.status(503, ""));
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void headerAndContentTypeReplaceHeadersIgnoringCase() {
		this.server.enqueue(MockResponse.replay(CHAT)
			.contentType("text/event-stream; charset=utf-8")
			.header("x-request-id", "req_1")
			.header("X-Request-Id", "req_2")
			.withStatus(201));
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().allValues("Content-Type")).containsExactly("text/event-stream; charset=utf-8");
		assertThat(response.headers().allValues("X-Request-Id")).containsExactly("req_2");
		assertThat(response.body()).isEqualTo(CHAT.bytes());
	}

	@Test
	void unscriptedRequestGets500ExplainingNoResponseWasScripted() {
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/v1/messages?beta=true");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(new String(response.body(), StandardCharsets.UTF_8))
			.contains("No response scripted for GET /v1/messages?beta=true", "enqueue(MockResponse)");
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void enqueuedResponsesAreUsedInOrderThenTheDefaultResponse() {
		this.server.enqueue(MockResponse.status(200, "first"));
		this.server.enqueue(MockResponse.status(201, "second"));
		this.server.setDefaultResponse(MockResponse.status(202, "default"));
		assertThat(List.of(bodyOf("/"), bodyOf("/"), bodyOf("/"), bodyOf("/"))).containsExactly("first", "second",
				"default", "default");
		this.server.setDefaultResponse(null);
		assertThat(TestClients.get(this.server.baseUrl() + "/").statusCode()).isEqualTo(500);
	}

	@Test
	void dispatcherChoosesResponsesAfterTheQueueAndBeforeTheDefault() {
		this.server.enqueue(MockResponse.status(200, "queued"));
		this.server.setDispatcher((request) -> request.path().startsWith("/x") ? MockResponse.status(200, "x") : null);
		this.server.setDefaultResponse(MockResponse.status(202, "default"));
		assertThat(List.of(bodyOf("/x"), bodyOf("/x"), bodyOf("/y"))).containsExactly("queued", "x", "default");
		this.server.reset();
		assertThat(TestClients.get(this.server.baseUrl() + "/x").statusCode()).isEqualTo(500);
	}

	@Test
	void resetForgetsScriptedResponsesAndRecordedRequests() {
		this.server.enqueue(MockResponse.status(200, "queued"));
		this.server.setDefaultResponse(MockResponse.status(200, "default"));
		TestClients.get(this.server.baseUrl() + "/before");
		this.server.enqueue(MockResponse.status(200, "queued"));
		this.server.reset();
		assertThat(this.server.requestCount()).isZero();
		assertThat(this.server.requests()).isEmpty();
		assertThat(TestClients.get(this.server.baseUrl() + "/after").statusCode()).isEqualTo(500);
		assertThat(this.server.takeRequest().path()).isEqualTo("/after");
	}

	@Test
	void delayBeforeFirstByteSendsNothingUntilTheDelayHasPassed() throws IOException {
		Duration delay = Duration.ofMillis(400);
		this.server.enqueue(MockResponse.replay(CHAT).delayBeforeFirstByte(delay));
		long start = System.nanoTime();
		HttpResponse<InputStream> response = TestClients.send(
				HttpRequest.newBuilder(URI.create(this.server.baseUrl() + "/")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		Duration untilHeaders = Duration.ofNanos(System.nanoTime() - start);
		try (InputStream body = response.body()) {
			assertThat(body.readAllBytes()).isEqualTo(CHAT.bytes());
		}
		assertThat(untilHeaders).isGreaterThanOrEqualTo(delay);
	}

	@Test
	void dropAfterEventsClosesPrematurelyAfterExactlyTheFirstEvents() {
		this.server.enqueue(MockResponse.replay(CHAT).dropAfterEvents(3));
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		StepVerifier.create(responseContent().doOnNext(received::writeBytes))
			.thenConsumeWhile((bytes) -> true)
			.expectError(PrematureCloseException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(received.toByteArray()).isEqualTo(TestClients.concat(CHAT.events().subList(0, 3)));
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(200))).isFalse();
	}

	@Test
	void dropAfterEventsClosesTheConnectionWithoutTheLastChunk() throws IOException {
		this.server.enqueue(MockResponse.replay(CHAT).dropAfterEvents(5));
		byte[] response;
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			response = socket.getInputStream().readAllBytes();
		}
		String head = new String(response, StandardCharsets.ISO_8859_1);
		int bodyStart = head.indexOf("\r\n\r\n") + 4;
		assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("transfer-encoding: chunked\r\n");
		ByteArrayOutputStream expectedChunks = new ByteArrayOutputStream();
		for (byte[] event : CHAT.events().subList(0, 5)) {
			expectedChunks.writeBytes((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			expectedChunks.writeBytes(event);
			expectedChunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		assertThat(Arrays.copyOfRange(response, bodyStart, response.length)).isEqualTo(expectedChunks.toByteArray());
	}

	@Test
	void dropAfterEventsBeyondTheLastEventSendsAllButTheEndOfTheResponse() {
		this.server.enqueue(MockResponse.replay(CHAT).dropAfterEvents(1000));
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		StepVerifier.create(responseContent().doOnNext(received::writeBytes))
			.thenConsumeWhile((bytes) -> true)
			.expectError(PrematureCloseException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(received.toByteArray()).isEqualTo(CHAT.bytes());
	}

	@Test
	void dropAfterZeroEventsSendsOnlyTheHeaders() {
		this.server.enqueue(MockResponse.replay(CHAT).dropAfterEvents(0));
		AtomicReference<Integer> status = new AtomicReference<>();
		StepVerifier.create(this.reactorClient.get().uri("/").response((response, content) -> {
			status.set(response.status().code());
			return content.asByteArray();
		})).expectError(PrematureCloseException.class).verify(Duration.ofSeconds(10));
		assertThat(status.get()).isEqualTo(200);
	}

	@Test
	void stallAfterEventsKeepsTheConnectionOpenUntilTheClientLeaves() throws InterruptedException {
		this.server.enqueue(MockResponse.replay(CHAT).stallAfterEvents(2));
		byte[] expected = TestClients.concat(CHAT.events().subList(0, 2));
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		Disposable subscription = responseContent().subscribe((bytes) -> {
			synchronized (received) {
				received.writeBytes(bytes);
			}
		});
		TestClients.await("the first two events arrive", () -> receivedSize(received) >= expected.length);
		Thread.sleep(200);
		synchronized (received) {
			assertThat(received.toByteArray()).isEqualTo(expected);
		}
		assertThat(this.server.openConnections()).isOne();
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(50))).isFalse();
		subscription.dispose();
		assertThat(this.server.awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
		TestClients.await("the connection is closed", () -> this.server.openConnections() == 0);
	}

	@Test
	void stallAfterEventsBeyondTheLastEventSendsEveryWriteAndKeepsTheBodyOpen() {
		this.server.enqueue(MockResponse.replay(CHAT).stallAfterEvents(CHAT.events().size()));
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		AtomicReference<String> ended = new AtomicReference<>();
		Disposable subscription = responseContent().subscribe((bytes) -> {
			synchronized (received) {
				received.writeBytes(bytes);
			}
		}, (error) -> ended.set("error"), () -> ended.set("complete"));
		TestClients.await("every event arrives", () -> receivedSize(received) >= CHAT.bytes().length);
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(100))).isFalse();
		synchronized (received) {
			assertThat(received.toByteArray()).isEqualTo(CHAT.bytes());
		}
		// the body did not end after the last event
		assertThat(ended.get()).isNull();
		subscription.dispose();
		assertThat(this.server.awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void closeBeforeHeadersClosesTheConnectionWithoutSendingAByte() throws IOException {
		this.server.enqueue(MockResponse.replay(CHAT).closeBeforeHeaders());
		assertThat(rawExchange()).isEmpty();
		this.server.enqueue(MockResponse.replay(CHAT).closeBeforeHeaders());
		StepVerifier.create(responseContent())
			.expectError(PrematureCloseException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(100))).isFalse();
	}

	@Test
	void closeDuringHeadersSendsTheStatusLineAndAnUnterminatedHeaderThenCloses() throws IOException {
		this.server.enqueue(MockResponse.replay(CHAT).closeDuringHeaders());
		assertThat(new String(rawExchange(), StandardCharsets.ISO_8859_1))
			.isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Partial-Head");
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(100))).isFalse();
	}

	@Test
	void withoutHeaderRemovesTheHeaderIgnoringCase() {
		this.server.enqueue(MockResponse.replay(CHAT).withoutHeader("content-type"));
		HttpResponse<byte[]> response = TestClients.get(this.server.baseUrl() + "/");
		assertThat(response.headers().firstValue("Content-Type")).isEmpty();
		assertThat(response.body()).isEqualTo(CHAT.bytes());
	}

	@Test
	void clientCancellingDuringDelayedEventsIsSeenAsClientDisconnect() {
		this.server.enqueue(MockResponse.replay(CHAT).delayBetweenEvents(Duration.ofMillis(50)));
		StepVerifier.create(responseContent().take(1)).expectNextCount(1).verifyComplete();
		assertThat(this.server.awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void completeResponseIsNotAClientDisconnect() {
		this.server.enqueue(MockResponse.replay(CHAT));
		assertThat(TestClients.concat(receiveBuffers())).isEqualTo(CHAT.bytes());
		assertThat(this.server.awaitClientDisconnect(Duration.ofMillis(200))).isFalse();
	}

	@Test
	void closeEndsStalledResponsesAndStopsListening() {
		this.server.enqueue(MockResponse.replay(CHAT).stallAfterEvents(1));
		int port = this.server.port();
		StepVerifier.create(responseContent().publishOn(Schedulers.boundedElastic()))
			.expectNextCount(1)
			.then(this.server::close)
			.thenConsumeWhile((bytes) -> true)
			.expectError(PrematureCloseException.class)
			.verify(Duration.ofSeconds(10));
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
		this.server.close();
	}

	@Test
	void replaysSyntheticStreamOfTwoThousandDeltas() {
		SseFixture fixture = SseFixture.syntheticOpenAiChat(2000);
		this.server.enqueue(MockResponse.replay(fixture));
		assertThat(TestClients.get(this.server.baseUrl() + "/").body()).isEqualTo(fixture.bytes());
	}

	@Test
	void mockResponseRejectsInvalidArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> MockResponse.status(99, ""));
		assertThatIllegalArgumentException().isThrownBy(() -> MockResponse.status(600, ""));
		MockResponse response = MockResponse.replay(CHAT);
		assertThatIllegalArgumentException().isThrownBy(() -> response.withStatus(1000));
		assertThatIllegalArgumentException().isThrownBy(() -> response.delayBetweenEvents(Duration.ofMillis(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> response.delayBeforeFirstByte(Duration.ofMillis(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> response.dropAfterEvents(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> response.stallAfterEvents(-1));
	}

	/**
	 * Sends a GET over a plain socket and returns every byte received until the server
	 * closes.
	 */
	private byte[] rawExchange() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			return socket.getInputStream().readAllBytes();
		}
	}

	private Flux<byte[]> responseContent() {
		return this.reactorClient.get().uri("/v1/chat/completions").responseContent().asByteArray();
	}

	private List<byte[]> receiveBuffers() {
		return responseContent().collectList().block(Duration.ofSeconds(10));
	}

	private void receiveBuffersIgnoringErrors() {
		responseContent().onErrorComplete().collectList().block(Duration.ofSeconds(10));
	}

	private String bodyOf(String path) {
		return new String(TestClients.get(this.server.baseUrl() + path).body(), StandardCharsets.UTF_8);
	}

	private static int receivedSize(ByteArrayOutputStream received) {
		synchronized (received) {
			return received.size();
		}
	}

	private static int indexOf(byte[] bytes, byte[] part) {
		for (int i = 0; i <= bytes.length - part.length; i++) {
			if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
				return i;
			}
		}
		throw new IllegalArgumentException("Not found");
	}

}
