package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderErrorException;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.StreamCompleteEvent;
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
 * Anthropic HTTP errors, {@code event: error} in a stream, broken connections and
 * unreadable events end the stream with a typed error that keeps what arrived and never
 * shows the API key.
 */
class AnthropicStreamErrorTests {

	private static final String API_KEY = "sk-ant-secret-0123456789abcdef";

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "claude-sonnet-4-5-20250929");

	/** Text of the recorded text stream's deltas: events 3 to 8. */
	private static final List<String> WORDS = List.of("Hello", "! I", "'m doing well, thank you for asking",
			". How are you doing today?", " Is", " there anything I can help you with?");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private SteerLLMClient client() {
		// one attempt: these tests map one failed exchange, retries are tested in
		// reliability
		return SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(StreamingOptions.builder().retryOnConnectionError(false).build())
			.build();
	}

	private static List<byte[]> textEvents() {
		return SseFixture.load("anthropic", "text").events();
	}

	/**
	 * The first {@code n} events of the recorded text stream, then the given raw events.
	 */
	private static List<byte[]> firstEventsThen(int n, String... rawEvents) {
		List<byte[]> events = new ArrayList<>(textEvents().subList(0, n));
		for (String raw : rawEvents) {
			events.add(raw.getBytes(StandardCharsets.UTF_8));
		}
		return events;
	}

	/** Text of the deltas in the first {@code n} events of the recorded text stream. */
	private static String textOfFirstEvents(int n) {
		// events 0 to 2 are message_start, content_block_start and ping
		return String.join("", WORDS.subList(0, Math.max(0, Math.min(n, 9) - 3)));
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
			if (t instanceof ProviderErrorException provider) {
				assertThat(String.valueOf(provider.getProviderMessage())).doesNotContain(API_KEY);
			}
		}
	}

	@ParameterizedTest
	@CsvSource({ "400, false, invalid_request_error", "401, false, authentication_error",
			"403, false, permission_error", "404, false, not_found_error", "413, false, request_too_large",
			"429, true, rate_limit_error", "500, true, api_error", "529, true, overloaded_error" })
	void streamEventsWhenHttpErrorShouldEndWithTypedErrorEvent(int status, boolean retryable, String type) {
		server.server()
			.enqueue(MockResponse
				.status(status,
						"{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Failed for key "
								+ API_KEY + "\"}}")
				.header("request-id", "req_018EeWyXxfu5pfWkrYcMdjWG"));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		StreamErrorEvent error = lastErrorEvent(events);
		assertThat(events).hasSize(1);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.HTTP);
		assertThat(error.isRetryable()).isEqualTo(retryable);
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(status);
			assertThat(ex.getProviderErrorType()).isEqualTo(type);
			assertThat(ex.getProviderErrorCode()).isNull();
			assertThat(ex.getProviderMessage()).isEqualTo("Failed for key ******");
			assertThat(ex.getRequestId()).isEqualTo("req_018EeWyXxfu5pfWkrYcMdjWG");
			assertThat(ex.getProvider()).isEqualTo("anthropic");
			assertThat(ex.isRetryable()).isEqualTo(retryable);
		});
		assertNoSecret(error.error());
	}

	@Test
	void streamWhenOverloaded529ShouldFailRetryableWithTheProviderErrorType() {
		server.server()
			.enqueue(MockResponse
				.status(529,
						"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
				.header("request-id", "req_529"));
		assertThatExceptionOfType(ProviderHttpException.class).isThrownBy(() -> client().stream(REQUEST).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(529);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getProviderErrorType()).isEqualTo("overloaded_error");
				assertThat(ex.getProviderMessage()).isEqualTo("Overloaded");
				assertThat(ex.getRequestId()).isEqualTo("req_529");
				assertThat(ex.getMessage()).contains("HTTP 529").contains("overloaded_error").contains("Overloaded");
			});
	}

	@Test
	void streamWhenHttpErrorHasNoRequestIdHeaderShouldUseTheBodys() {
		server.server()
			.enqueue(MockResponse.status(400,
					"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"},\"request_id\":\"req_body\"}"));
		assertThatExceptionOfType(ProviderHttpException.class).isThrownBy(() -> client().stream(REQUEST).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getRequestId()).isEqualTo("req_body");
				assertThat(ex.getProviderMessage()).isEqualTo("max_tokens: Field required");
			});
	}

	@Test
	void streamWhenHttpErrorBodyIsNotJsonShouldKeepTheRedactedBodyAsMessage() {
		server.server()
			.enqueue(MockResponse.status(502, "<html>Bad gateway for " + API_KEY + "</html>").contentType("text/html"));
		assertThatExceptionOfType(ProviderHttpException.class).isThrownBy(() -> client().stream(REQUEST).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getProviderErrorType()).isNull();
				assertThat(ex.getProviderMessage()).isEqualTo("<html>Bad gateway for ******</html>");
				assertThat(ex.getMessage()).contains("HTTP 502").contains("Bad gateway");
				assertNoSecret(ex);
			});
	}

	@Test
	void streamEventsWhenErrorEventMidStreamShouldKeepTheTextSoFar() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(6,
					"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n")));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		StreamErrorEvent error = lastErrorEvent(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(6))
			.isEqualTo("Hello! I'm doing well, thank you for asking");
		assertThat(error.partialResponse().id()).isEqualTo("msg_01QC4g3HwBThD4BaNtBckFDJ");
		assertThat(error.partialResponse().model()).isEqualTo("claude-sonnet-4-5-20250929");
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProviderErrorType()).isEqualTo("overloaded_error");
			assertThat(ex.getProviderMessage()).isEqualTo("Overloaded");
			assertThat(ex.getPartialText()).isEqualTo(textOfFirstEvents(6));
		});
	}

	@Test
	void streamEventsWhenApiErrorEventShouldBeRetryable() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(4,
					"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.partialText()).isEqualTo("Hello");
	}

	@Test
	void streamWhenNonRetryableErrorEventMidStreamShouldEmitTheTextThenFail() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(5,
					"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Bad key "
							+ API_KEY + "\"}}\n\n")));
		List<String> received = new ArrayList<>();
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> client().stream(REQUEST).doOnNext(received::add).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getProviderErrorType()).isEqualTo("invalid_request_error");
				assertNoSecret(ex);
			});
		assertThat(String.join("", received)).isEqualTo(textOfFirstEvents(5)).isEqualTo("Hello! I");
	}

	@Test
	void streamEventsWhenErrorEventIsNotJsonShouldUseItsDataAsMessage() {
		server.server().enqueue(MockResponse.chunks(firstEventsThen(4, "event: error\ndata: upstream timeout\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class,
				(ex) -> assertThat(ex.getProviderMessage()).isEqualTo("upstream timeout"));
	}

	@Test
	void streamEventsWhenEventIsInvalidJsonShouldFailWithParseErrorKeepingTheText() {
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(5,
					"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(5));
	}

	@Test
	void streamEventsWhenUnknownEventsArriveShouldIgnoreThem() {
		List<byte[]> events = new ArrayList<>(textEvents());
		events.add(4,
				("event: content_block_future\ndata: {\"type\":\"content_block_future\",\"index\":0,\"x\":[1,2]}\n\n")
					.getBytes(StandardCharsets.UTF_8));
		events.add(5, ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
				+ "{\"type\":\"citations_delta\",\"citation\":{\"type\":\"char_location\",\"cited_text\":\"x\"}}}\n\n")
			.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		List<StreamEvent> received = client().streamEvents(REQUEST).collectList().block();
		assertThat(received).last()
			.isInstanceOfSatisfying(StreamCompleteEvent.class,
					(complete) -> assertThat(complete.response().text()).isEqualTo(String.join("", WORDS)));
	}

	@Test
	void streamEventsWhenConnectionDroppedMidStreamShouldFailAsInterruptedKeepingTheText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")).dropAfterEvents(6));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(6));
		// message_start's usage is not reported on its own: only message_delta's or
		// message_stop's
		if (error.partialResponse().usage() != null) {
			assertThat(error.partialResponse().usageEstimated()).isTrue();
		}
	}

	@Test
	void streamEventsWhenBodyEndsCleanlyBeforeMessageStopShouldFailAsInterruptedKeepingUsage() {
		// everything up to and including message_delta, without message_stop
		server.server().enqueue(MockResponse.chunks(textEvents().subList(0, 11)));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("message_stop");
		assertThat(error.partialText()).isEqualTo(String.join("", WORDS));
		assertThat(error.partialResponse().finishReason()).isEqualTo("end_turn");
		assertThat(error.partialResponse().usageEstimated()).isFalse();
		assertThat(error.partialResponse().usage().completionTokens()).isEqualTo(30);
	}

	@Test
	void streamWithUsageWhenFailedShouldSignalTheExceptionWithThePartialResponse() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "docs-tool-use")).dropAfterEvents(21));
		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> client().streamWithUsage(REQUEST).block())
			.satisfies((ex) -> {
				assertThat(ex.getPartialResponse()).isNotNull();
				assertThat(ex.getPartialResponse().text())
					.isEqualTo("Okay, let's check the weather for San Francisco, CA:");
				assertThat(ex.getPartialResponse().toolCalls()).singleElement().satisfies((call) -> {
					assertThat(call.id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
					assertThat(call.name()).isEqualTo("get_weather");
					assertThat(call.arguments()).isEqualTo("{\"location\": \"San");
				});
			});
	}

}
