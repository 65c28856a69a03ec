package io.steer.llm.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamConnectionException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HTTP errors, mid-stream provider errors, broken connections and unreadable data all end
 * the stream with a typed error that keeps what arrived, and never show the API key.
 */
class StreamErrorTests {

	private static final String API_KEY = "sk-secret-0123456789abcdef";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private SteerLLMClient client() {
		// one attempt: these tests map one failed exchange, retries are tested in
		// reliability
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(SINGLE_ATTEMPT)
			.build();
	}

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private static final StreamingOptions SINGLE_ATTEMPT = StreamingOptions.builder()
		.retryOnConnectionError(false)
		.build();

	/**
	 * The first {@code n} events of the recorded text stream, then the given raw event.
	 */
	private static List<byte[]> firstEventsThen(int n, String rawEvent) {
		List<byte[]> events = new ArrayList<>(SseFixture.load("openai", "chat-text-usage").events().subList(0, n));
		events.add(rawEvent.getBytes(StandardCharsets.UTF_8));
		return events;
	}

	/** Text of the deltas in the first {@code n} events of the recorded text stream. */
	private static String textOfFirstEvents(int n) {
		// event 0 is the role chunk with empty content; events 1.. carry the words
		return String.join("", List.of("I'm", " unable", " to", " provide", " real", "-time", " weather", " updates")
			.subList(0, n - 1));
	}

	private static StreamErrorEvent lastErrorEvent(List<StreamEvent> events) {
		assertThat(events).last().isInstanceOf(StreamErrorEvent.class);
		assertThat(events.stream().filter(StreamEvent::isTerminal)).hasSize(1);
		return (StreamErrorEvent) events.get(events.size() - 1);
	}

	private static void assertNoSecret(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
			assertThat(t.toString()).doesNotContain(API_KEY);
		}
	}

	@ParameterizedTest
	@CsvSource({ "429, true, rate_limit_exceeded", "500, true, server_error", "503, true, server_error",
			"408, true, timeout", "409, true, conflict", "400, false, invalid_request_error",
			"401, false, invalid_request_error", "403, false, permission_denied", "404, false, not_found",
			"422, false, unprocessable" })
	void streamEventsWhenHttpErrorShouldEndWithTypedErrorEvent(int status, boolean retryable, String type) {
		server.server()
			.enqueue(MockResponse
				.status(status,
						"{\"error\":{\"message\":\"Failed for key " + API_KEY + "\",\"type\":\"" + type
								+ "\",\"param\":null,\"code\":\"c" + status + "\"}}")
				.header("x-request-id", "req_123"));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		StreamErrorEvent error = lastErrorEvent(events);
		assertThat(events).hasSize(1);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.HTTP);
		assertThat(error.isRetryable()).isEqualTo(retryable);
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(status);
			assertThat(ex.getProviderErrorType()).isEqualTo(type);
			assertThat(ex.getProviderErrorCode()).isEqualTo("c" + status);
			assertThat(ex.getProviderMessage()).startsWith("Failed for key ");
			assertThat(ex.getRequestId()).isEqualTo("req_123");
			assertThat(ex.getProvider()).isEqualTo("openai");
		});
		assertNoSecret(error.error());
	}

	@Test
	void streamWhenHttpErrorBodyIsNotJsonShouldKeepTheBodyAsMessage() {
		server.server().enqueue(MockResponse.status(502, "<html>Bad gateway</html>").contentType("text/html"));
		assertThatExceptionOfType(ProviderHttpException.class).isThrownBy(() -> client().stream(REQUEST).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains("HTTP 502").contains("Bad gateway");
			});
	}

	@Test
	void streamEventsWhenProviderErrorMidStreamShouldKeepTheTextSoFar() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(4,
					"data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		StreamErrorEvent error = lastErrorEvent(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(4));
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProviderErrorType()).isEqualTo("server_error");
			assertThat(ex.getPartialText()).isEqualTo(textOfFirstEvents(4));
		});
	}

	@Test
	void streamWhenProviderErrorMidStreamShouldEmitTheTextThenFail() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(3,
					"data: {\"error\":{\"message\":\"overloaded\",\"type\":\"invalid_request_error\"}}\n\n")));
		List<String> received = new ArrayList<>();
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> client().stream(REQUEST).doOnNext(received::add).blockLast())
			.satisfies((ex) -> assertThat(ex.isRetryable()).isFalse());
		assertThat(String.join("", received)).isEqualTo(textOfFirstEvents(3));
	}

	@Test
	void streamEventsWhenChunkIsInvalidJsonShouldFailWithParseErrorKeepingTheText() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(5, "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
	}

	@Test
	void streamEventsWhenConnectionDroppedMidStreamShouldFailAsInterruptedKeepingTheText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).dropAfterEvents(6));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(6));
	}

	@Test
	void streamEventsWhenBodyEndsCleanlyBeforeDoneShouldFailAsInterrupted() {
		server.server()
			.enqueue(MockResponse.chunks(SseFixture.load("openai", "chat-text-usage").events().subList(0, 7)));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(7));
	}

	@Test
	void streamEventsWhenNothingListensShouldFailWithRetryableConnectionError() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of("http://127.0.0.1:" + port + "/v1", API_KEY))
			.defaultOptions(SINGLE_ATTEMPT)
			.build();
		StreamErrorEvent error = lastErrorEvent(client.streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.CONNECTION);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOf(StreamConnectionException.class);
		assertThat(error.partialText()).isEmpty();
		assertNoSecret(error.error());
	}

	@Test
	void streamWithUsageWhenFailedShouldSignalTheExceptionWithThePartialResponse() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).dropAfterEvents(3));
		assertThatExceptionOfType(SteerLLMException.class).isThrownBy(() -> client().streamWithUsage(REQUEST).block())
			.satisfies((ex) -> {
				assertThat(ex.getPartialResponse()).isNotNull();
				assertThat(ex.getPartialResponse().text()).isEqualTo(textOfFirstEvents(3));
				assertThat(ex.getPartialResponse().id()).isEqualTo("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL");
			});
	}

	@Test
	void toStringOfSettingsAndRequestShouldNotShowTheApiKey() {
		ProviderSettings settings = ProviderSettings.of(server.baseUrl(), API_KEY);
		assertThat(settings.toString()).doesNotContain(API_KEY).contains("******");
		assertThat(io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter
			.openAi(settings, tools.jackson.databind.json.JsonMapper.builder().build())
			.createRequest(REQUEST, "gpt-4o-mini", StreamingOptions.DEFAULTS)
			.toString()).doesNotContain(API_KEY);
	}

}
