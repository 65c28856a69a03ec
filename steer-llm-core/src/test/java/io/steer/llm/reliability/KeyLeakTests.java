package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CLAUDE;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.RESPONSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys that a provider echoes back, in an HTTP error body or in an error event of an
 * open stream, reach neither the exception (message, {@code toString()}, causes,
 * suppressed), nor the error event, nor the retry state, nor any log line. Each test runs
 * with every logger at TRACE (ours, Spring's codecs and WebClient, Reactor Netty, Netty)
 * and searches all of them for the key.
 * <p>
 * The key is not shaped like a provider key ({@code sk-…}, {@code xai-…}), so only the
 * redaction of the configured key itself can hide it; a second, key-shaped token that is
 * not the configured key checks the redaction of anything that looks like a key.
 */
class KeyLeakTests {

	/** The configured key: matches none of the key-shaped patterns. */
	private static final String KEY = "steer-leak-test-key-8c41f0d2a97e";

	/** Another provider's key, echoed by a proxy: shaped like one, not configured. */
	private static final String FOREIGN_KEY = "sk-proj-Xz81LeakedByAProxy0042";

	private static final String ECHO = "Incorrect API key provided: " + KEY + " (also tried " + FOREIGN_KEY + ")";

	private static final ChatRequest GROK = ChatRequest.of("Hello", "grok-3-mini");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	private SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), KEY))
			.xai(ProviderSettings.of(server.baseUrl(), KEY))
			.anthropic(ProviderSettings.of(server.baseUrl(), KEY))
			.defaultOptions(FAST_RETRIES)
			.retryManager(this.retryManager)
			.build();
	}

	/**
	 * Runs a stream with every logger at TRACE, and checks that neither key is anywhere:
	 * the log lines, the events (the error's {@code toString()}, its causes and
	 * suppressed exceptions, the partial response) and the retry states.
	 * @return the events
	 */
	private List<StreamEvent> streamWithoutLeak(Supplier<List<StreamEvent>> stream) {
		List<StreamEvent> events;
		String logged;
		try (Reliability.CapturedLog log = Reliability.CapturedLog.everythingAtTrace()) {
			events = stream.get();
			logged = log.text();
			// something was logged at TRACE, or the search below would prove nothing
			assertThat(log.size()).isGreaterThan(10);
		}
		assertThat(logged).doesNotContain(KEY).doesNotContain(FOREIGN_KEY);
		for (StreamEvent event : events) {
			assertNoKey(event.toString());
			if (event instanceof StreamErrorEvent error) {
				assertNoKey(error.error());
				assertNoKey(error.partialResponse().toString());
			}
		}
		for (RetryState state : this.retryManager.states()) {
			assertNoKey(state.toString());
			assertNoKey(String.valueOf(state.lastError()));
		}
		return events;
	}

	private static void assertNoKey(String text) {
		assertThat(text).doesNotContain(KEY).doesNotContain(FOREIGN_KEY);
	}

	private static void assertNoKey(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			assertNoKey(String.valueOf(t.getMessage()));
			assertNoKey(t.toString());
			for (Throwable suppressed : t.getSuppressed()) {
				assertNoKey(suppressed);
			}
		}
		if (error instanceof ProviderHttpException http) {
			assertNoKey(String.valueOf(http.getProviderMessage()));
		}
		if (error instanceof ProviderStreamException stream) {
			assertNoKey(String.valueOf(stream.getProviderMessage()));
		}
	}

	private List<StreamEvent> stream(ChatRequest request) {
		return client().streamEvents(request).collectList().block(Duration.ofSeconds(10));
	}

	private static StreamErrorEvent errorOf(List<StreamEvent> events) {
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error().getMessage()).contains("******");
		return error;
	}

	private static String json(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	private static List<byte[]> firstEventsThen(String provider, String fixture, int n, String rawEvent) {
		List<byte[]> events = new ArrayList<>(SseFixture.load(provider, fixture).events().subList(0, n));
		events.add(rawEvent.getBytes(StandardCharsets.UTF_8));
		return events;
	}

	// errors inside an open stream

	@ParameterizedTest
	@ValueSource(strings = { "openai", "xai" })
	void chatCompletionsErrorChunkMidStreamShouldNotLeakTheKey(String provider) {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen("openai", "chat-text-usage", 4,
					"data: {\"error\":{\"message\":\"" + json(ECHO) + "\",\"type\":\"invalid_request_error\","
							+ "\"param\":null,\"code\":\"invalid_api_key\"}}\n\n")));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(provider.equals("xai") ? GROK : CHAT)));
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
		assertThat(error.partialText()).isNotEmpty();
	}

	@Test
	void chatCompletionsErrorEventMidStreamShouldNotLeakTheKey() {
		server.server()
			.enqueue(MockResponse
				.chunks(firstEventsThen("openai", "chat-text-usage", 4, "event: error\ndata: " + ECHO + "\n\n")));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(CHAT)));
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
	}

	@Test
	void responsesErrorEventShouldNotLeakTheKey() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen("openai", "responses-text", 6,
					"event: error\ndata: {\"type\":\"error\",\"sequence_number\":6,\"error\":{\"type\":"
							+ "\"invalid_request_error\",\"code\":\"invalid_api_key\",\"message\":\"" + json(ECHO)
							+ "\",\"param\":null}}\n\n")));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(RESPONSES)));
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
	}

	@Test
	void responsesFailedEventShouldNotLeakTheKey() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen("openai", "responses-text", 6,
					"event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":6,\"response\":"
							+ "{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"invalid_api_key\","
							+ "\"message\":\"" + json(ECHO) + "\"},\"usage\":null}}\n\n")));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(RESPONSES)));
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
	}

	@Test
	void anthropicErrorEventShouldNotLeakTheKey() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen("anthropic", "text", 4,
					"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
							+ "\"message\":\"" + json(ECHO) + "\"}}\n\n")));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(CLAUDE)));
		assertThat(error.error()).isInstanceOf(ProviderStreamException.class);
	}

	// HTTP error bodies

	private static MockResponse unauthorized(String provider) {
		String body = provider.equals("anthropic")
				? "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"" + json(ECHO)
						+ "\"}," + "\"request_id\":\"req_1\"}"
				: "{\"error\":{\"message\":\"" + json(ECHO) + "\",\"type\":\"invalid_request_error\",\"param\":null,"
						+ "\"code\":\"invalid_api_key\"}}";
		return MockResponse.status(401, body);
	}

	@ParameterizedTest
	@ValueSource(strings = { "openai", "openai-responses", "xai", "anthropic" })
	void http401BodyShouldNotLeakTheKey(String provider) {
		ChatRequest request = switch (provider) {
			case "openai" -> CHAT;
			case "openai-responses" -> RESPONSES;
			case "xai" -> GROK;
			default -> CLAUDE;
		};
		server.server().enqueue(unauthorized(provider));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(request)));
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class,
				(ex) -> assertThat(ex.getStatusCode()).isEqualTo(401));
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void http401BodyThatIsNotJsonShouldNotLeakTheKey() {
		server.server()
			.enqueue(MockResponse.status(401, "<html><body>" + ECHO + "</body></html>").contentType("text/html"));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(CHAT)));
		assertThat(error.error()).isInstanceOf(ProviderHttpException.class);
	}

	@Test
	void retried500WhoseBodyEchoesTheKeyShouldNotLeakItIntoTheRetryStateNorTheRetryLog() {
		server.server()
			.enqueue(MockResponse.status(500,
					"{\"error\":{\"message\":\"" + json(ECHO) + "\",\"type\":\"server_error\"}}"));
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		List<StreamEvent> events = streamWithoutLeak(() -> stream(CHAT));
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.attempts()).isEqualTo(2);
		assertThat(this.retryManager.states()).singleElement()
			.satisfies((state) -> assertThat(state.lastError()).contains("HTTP 500").contains("******"));
	}

	@Test
	void repeated500WhoseBodyEchoesTheKeyShouldNotLeakIt() {
		server.server()
			.setDefaultResponse(MockResponse.status(500,
					"{\"error\":{\"message\":\"" + json(ECHO) + "\",\"type\":\"server_error\"}}"));
		StreamErrorEvent error = errorOf(streamWithoutLeak(() -> stream(CLAUDE)));
		assertThat(error.error()).isInstanceOf(ProviderHttpException.class);
		assertThat(error.partialResponse().attempts()).isEqualTo(4);
		assertThat(this.retryManager.states()).singleElement()
			.satisfies((state) -> assertThat(state.lastError()).contains("******"));
		SteerLLMException last = error.error();
		assertThat(last.isRetryable()).isTrue();
	}

}
