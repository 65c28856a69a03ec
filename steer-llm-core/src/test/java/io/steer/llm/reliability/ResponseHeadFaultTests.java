package io.steer.llm.reliability;

import java.time.Duration;
import java.util.List;

import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CHAT_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.chat;
import static io.steer.llm.reliability.Reliability.openAiClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults in the response head and in bodies that are not a stream: headers too large, a
 * connection closed before or during the headers, a success status whose body is not an
 * event stream, a huge error body. Each ends in the category that says what happened,
 * retried only when a retry may help.
 */
class ResponseHeadFaultTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static List<StreamEvent> stream() {
		return openAiClient(server).streamEvents(CHAT).collectList().block(Duration.ofSeconds(10));
	}

	@Test
	void streamEventsWhenTheResponseHeadersAreTooLargeShouldFailWithParseErrorWithoutRetrying() {
		// the connection was made and the provider answered: not a connection failure
		server.server().setDefaultResponse(chat().header("X-Huge", "x".repeat(20_000)));
		StreamErrorEvent error = Reliability.error(stream());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(StreamParseException.class)
			.hasMessageContaining("openai")
			.hasMessageContaining("headers");
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "before", "during" })
	void streamEventsWhenTheConnectionClosesBeforeOrDuringTheHeadersShouldRetry(String when) {
		server.server().enqueue(when.equals("before") ? chat().closeBeforeHeaders() : chat().closeDuringHeaders());
		server.server().enqueue(chat());
		StreamCompleteEvent complete = Reliability.complete(stream());
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
		assertThat(complete.attempts()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "before", "during" })
	void streamEventsWhenTheConnectionAlwaysClosesBeforeOrDuringTheHeadersShouldFailInterrupted(String when) {
		server.server()
			.setDefaultResponse(when.equals("before") ? chat().closeBeforeHeaders() : chat().closeDuringHeaders());
		List<StreamEvent> events = stream();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class)
			.hasMessageContaining("openai closed the connection before the response headers");
		assertThat(error.partialResponse().attempts()).isEqualTo(4);
		// no response: no start event
		assertThat(events).hasSize(1);
	}

	@Test
	void streamEventsWhenA200IsAnHtmlPageShouldFailAtOnceNamingTheContentType() {
		server.server()
			.setDefaultResponse(MockResponse
				.status(200,
						"<html><head><title>Sign in</title></head><body>Proxy " + "authentication required for "
								+ API_KEY + "</body></html>")
				.contentType("text/html; charset=utf-8"));
		List<StreamEvent> events = stream();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(events).hasSize(1);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.HTTP);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(200);
			assertThat(ex.isRetryable()).isFalse();
			assertThat(ex.getMessage())
				.startsWith(
						"openai answered HTTP 200 with Content-Type text/html; charset=utf-8, not text/event-stream: ")
				.contains("<title>Sign in</title>")
				.contains("Proxy authentication required for ******")
				.doesNotContain(API_KEY);
		});
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenA200IsAJsonErrorShouldFailAtOnceWithTheProviderError() {
		server.server()
			.setDefaultResponse(MockResponse.status(200,
					"{\"error\":{\"message\":\"stream is not supported\",\"type\":\"invalid_request_error\","
							+ "\"code\":\"unsupported_parameter\"}}"));
		StreamErrorEvent error = Reliability.error(stream());
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(200);
			assertThat(ex.isRetryable()).isFalse();
			assertThat(ex.getProviderErrorType()).isEqualTo("invalid_request_error");
			assertThat(ex.getProviderErrorCode()).isEqualTo("unsupported_parameter");
			assertThat(ex.getProviderMessage()).isEqualTo("stream is not supported");
			assertThat(ex.getMessage()).isEqualTo("openai answered HTTP 200 with Content-Type application/json, not "
					+ "text/event-stream: stream is not supported");
		});
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenTheStreamHasNoContentTypeShouldComplete() {
		server.server().enqueue(chat().withoutHeader("Content-Type"));
		StreamCompleteEvent complete = Reliability.complete(stream());
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "text/event-stream; charset=utf-8", "TEXT/EVENT-STREAM", "text/event-stream;charset=UTF-8" })
	void streamEventsWhenTheContentTypeIsAnEventStreamWithParametersShouldComplete(String contentType) {
		server.server().enqueue(chat().contentType(contentType));
		StreamCompleteEvent complete = Reliability.complete(stream());
		assertThat(complete.response().text()).isEqualTo(CHAT_TEXT);
	}

	@Test
	void streamEventsWhenAnErrorBodyIsHugeShouldReadItsStartAndKeepTheStatus() {
		// 4 MiB: far more than the 64 KiB read of an error body (and than Spring's 256
		// KiB codec limit)
		server.server()
			.enqueue(MockResponse
				.status(400,
						"{\"error\":{\"message\":\"" + "too long ".repeat(466_034)
								+ "\",\"type\":\"invalid_request_error\"}}")
				.contentType("application/json"));
		StreamErrorEvent error = Reliability.error(stream());
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(400);
			assertThat(ex.isRetryable()).isFalse();
			// not JSON once cut: the start of the body is the message, shortened
			assertThat(ex.getMessage()).startsWith("openai returned HTTP 400: {\"error\":{\"message\":\"too long")
				.hasSizeLessThan(600);
		});
	}

	@Test
	void streamEventsWhenA200IsAHugeHtmlPageShouldQuoteItsStartOnly() {
		server.server()
			.enqueue(MockResponse.status(200, "<html>" + "<p>maintenance</p>".repeat(100_000) + "</html>")
				.contentType("text/html"));
		StreamErrorEvent error = Reliability.error(stream());
		assertThat(error.error()).isInstanceOf(ProviderHttpException.class)
			.hasMessageStartingWith("openai answered HTTP 200 with Content-Type text/html, not text/event-stream: "
					+ "<html><p>maintenance</p>");
		assertThat(error.error().getMessage()).hasSizeLessThan(700);
	}

	@Test
	void streamEventsWhenAnErrorBodyStallsShouldFailWithTheStatusAfterTheReadTimeout() {
		// the 401 head, then nothing: the status decides, not the read timeout (which is
		// retryable)
		server.server().setDefaultResponse(MockResponse.status(401, "{\"error\":{}}").stallAfterEvents(0));
		List<StreamEvent> events = openAiClient(server)
			.streamEvents(CHAT, FAST_RETRIES.toBuilder().readTimeout(Duration.ofMillis(300)).build())
			.collectList()
			.block(Duration.ofSeconds(10));
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(401);
			assertThat(ex.isRetryable()).isFalse();
		});
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void streamEventsWhenAnErrorBodyBreaksShouldFailWithTheStatus() {
		// the 401 head, then the connection drops: still a 401, not an interruption to
		// retry
		server.server().setDefaultResponse(MockResponse.status(401, "{\"error\":{}}").dropAfterEvents(0));
		StreamErrorEvent error = Reliability.error(stream());
		assertThat(error.error()).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(401);
			assertThat(ex.isRetryable()).isFalse();
		});
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

}
