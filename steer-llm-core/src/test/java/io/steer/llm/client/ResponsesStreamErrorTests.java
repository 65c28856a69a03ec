package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.openai.OpenAiResponsesAdapter;
import io.steer.llm.provider.openai.ResponsesIncompleteException;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Responses API streams that end badly: {@code response.incomplete}, {@code error} and
 * {@code response.failed} events, a dropped connection, a body that ends before
 * {@code response.completed}, unreadable data and HTTP errors. Each ends the stream with
 * a typed error that keeps what arrived and never shows the API key.
 * <p>
 * Faults marked SYNTHETIC below are hand-written events appended to, or spliced into, the
 * recorded {@code openai/responses-text} stream; they are not recordings. Their shape
 * follows the OpenAI Responses streaming reference
 * (https://platform.openai.com/docs/api-reference/responses-streaming).
 */
class ResponsesStreamErrorTests {

	private static final String API_KEY = "sk-secret-0123456789abcdef";

	private static final String RESPONSE_ID = "resp_0b0392bd3bb81302006994e83ac0ac819396f3f5aa5f239e03";

	/** The text deltas of the recorded stream, events 4 to 11. */
	private static final List<String> DELTAS = List.of("`", "arm", "64", "`", " (", "Apple", " Silicon", ").");

	private static final ChatRequest REQUEST = ChatRequest.of("Which architecture is this Mac?", "gpt-5.2");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private SteerLLMClient client() {
		// one attempt: these tests map one failed exchange, retries are tested in
		// reliability
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY), ProviderApi.RESPONSES)
			.defaultOptions(StreamingOptions.builder().retryOnConnectionError(false).build())
			.build();
	}

	private static SseFixture recorded() {
		return SseFixture.load("openai", "responses-text");
	}

	/**
	 * The first {@code n} events of the recorded text stream, then the given raw events.
	 */
	private static List<byte[]> firstEventsThen(int n, String... rawEvents) {
		List<byte[]> events = new ArrayList<>(recorded().events().subList(0, n));
		for (String rawEvent : rawEvents) {
			events.add(rawEvent.getBytes(StandardCharsets.UTF_8));
		}
		return events;
	}

	/** Text of the deltas in the first {@code n} events of the recorded text stream. */
	private static String textOfFirstEvents(int n) {
		// events 0-3 are response.created, response.in_progress, output_item.added,
		// content_part.added
		return String.join("", DELTAS.subList(0, Math.max(0, Math.min(n, 12) - 4)));
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

	/**
	 * SYNTHETIC FAULT, not a recording: a {@code response.incomplete} event as OpenAI
	 * documents it, for the response of the recorded stream cut at
	 * {@code max_output_tokens}.
	 */
	private static String syntheticIncompleteEvent(int sequenceNumber) {
		return "event: response.incomplete\n" + "data: {\"type\":\"response.incomplete\",\"response\":{\"id\":\""
				+ RESPONSE_ID + "\",\"object\":\"response\",\"status\":\"incomplete\",\"model\":\"gpt-5.2-2025-12-11\","
				+ "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"output\":[],\"usage\":{\"input_tokens\":444,"
				+ "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":4,"
				+ "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":448}},\"sequence_number\":"
				+ sequenceNumber + "}\n\n";
	}

	@Test
	void streamEventsWhenResponseIncompleteShouldReportUsageThenFailWithReasonAndPartialText() {
		server.server().enqueue(MockResponse.chunks(firstEventsThen(8, syntheticIncompleteEvent(8))));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		StreamErrorEvent error = lastErrorEvent(events);
		// the usage is reported before the error
		assertThat(events.get(events.size() - 2)).isInstanceOfSatisfying(StreamUsageEvent.class,
				(usage) -> assertThat(usage.usage().completionTokens()).isEqualTo(4));
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.partialText()).isEqualTo("`arm64`").isEqualTo(textOfFirstEvents(8));
		assertThat(error.error()).isInstanceOfSatisfying(ResponsesIncompleteException.class, (ex) -> {
			assertThat(ex.getReason()).isEqualTo("max_output_tokens");
			assertThat(ex.getProviderErrorType()).isEqualTo("incomplete");
			assertThat(ex.getProviderErrorCode()).isEqualTo("max_output_tokens");
			assertThat(ex.getMessage()).contains("max_output_tokens");
			assertThat(ex.getProvider()).isEqualTo("openai");
		});
		StreamingResponse partial = error.partialResponse();
		assertThat(partial.id()).isEqualTo(RESPONSE_ID);
		assertThat(partial.finishReason()).isEqualTo("incomplete");
		assertThat(partial.usage()).isNotNull();
		assertThat(partial.usageEstimated()).isFalse();
		assertThat(partial.usage().promptTokens()).isEqualTo(444);
		assertThat(partial.usage().totalTokens()).isEqualTo(448);
		assertThat(partial.metadata()).containsEntry("status", "incomplete")
			.containsEntry("incomplete_reason", "max_output_tokens")
			.containsEntry("sequence_number", 8L);
	}

	@Test
	void streamWithUsageWhenResponseIncompleteShouldSignalTheExceptionWithPartialTextAndUsage() {
		server.server().enqueue(MockResponse.chunks(firstEventsThen(10, syntheticIncompleteEvent(10))));
		assertThatExceptionOfType(ResponsesIncompleteException.class)
			.isThrownBy(() -> client().streamWithUsage(REQUEST).block())
			.isInstanceOf(ProviderStreamException.class)
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getPartialText()).isEqualTo(textOfFirstEvents(10));
				assertThat(ex.getPartialResponse().usage().raw()).containsEntry("output_tokens", 4);
			});
	}

	@Test
	void streamEventsWhenConnectionDroppedMidStreamShouldFailAsInterruptedKeepingTheText() {
		server.server().enqueue(MockResponse.replay(recorded()).dropAfterEvents(9));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.partialText()).isEqualTo("`arm64` (").isEqualTo(textOfFirstEvents(9));
		assertThat(error.partialResponse().id()).isEqualTo(RESPONSE_ID);
		// where to resume from: GET /responses/{id}?stream=true&starting_after=8
		assertThat(error.partialResponse().metadata()).containsEntry("sequence_number", 8L);
	}

	@Test
	void streamEventsWhenBodyEndsCleanlyBeforeResponseCompletedShouldFailAsInterrupted() {
		// every event but response.completed: the *.done events do not repeat the text
		List<byte[]> events = recorded().events();
		server.server().enqueue(MockResponse.chunks(events.subList(0, events.size() - 1)));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class)
			.hasMessageContaining("response.completed");
		assertThat(error.partialText()).isEqualTo("`arm64` (Apple Silicon).");
		// no usage from the provider: at most the client's estimate
		if (error.partialResponse().usage() != null) {
			assertThat(error.partialResponse().usageEstimated()).isTrue();
			assertThat(error.partialResponse().usage().raw()).isEmpty();
		}
	}

	@Test
	void streamWhenProviderErrorEventMidStreamShouldEmitTheTextThenFail() {
		// SYNTHETIC FAULT, not a recording: an error event in the recorded nested shape
		server.server()
			.enqueue(MockResponse
				.chunks(firstEventsThen(7, "event: error\ndata: {\"type\":\"error\",\"sequence_number\":7,"
						+ "\"error\":{\"type\":\"server_error\",\"code\":\"server_error\",\"message\":\"The server had an error.\","
						+ "\"param\":null}}\n\n")));
		List<String> received = new ArrayList<>();
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> client().stream(REQUEST).doOnNext(received::add).blockLast())
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getProviderErrorType()).isEqualTo("server_error");
				assertThat(ex.getProviderMessage()).isEqualTo("The server had an error.");
				assertThat(ex.getPartialText()).isEqualTo(textOfFirstEvents(7));
			});
		assertThat(String.join("", received)).isEqualTo(textOfFirstEvents(7));
	}

	@ParameterizedTest
	@CsvSource({ "rate_limit_exceeded, true", "server_error, true", "invalid_prompt, false" })
	void streamEventsWhenFlatErrorEventShouldUseItsCode(String code, boolean retryable) {
		// SYNTHETIC FAULT, not a recording: the error event in its documented flat shape
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(6, "event: error\ndata: {\"type\":\"error\",\"code\":\"" + code
					+ "\",\"message\":\"Something went wrong.\",\"param\":null,\"sequence_number\":6}\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isEqualTo(retryable);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(6));
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProviderErrorType()).isNull();
			assertThat(ex.getProviderErrorCode()).isEqualTo(code);
			assertThat(ex.getProviderMessage()).isEqualTo("Something went wrong.");
		});
	}

	@Test
	void streamEventsWhenResponseFailedAloneShouldFailWithItsError() {
		// the recorded insufficient_quota stream without its error event: response.failed
		// alone
		List<byte[]> recordedEvents = SseFixture.load("openai", "responses-error-insufficient-quota").events();
		server.server()
			.enqueue(MockResponse.chunks(List.of(recordedEvents.get(0), recordedEvents.get(1), recordedEvents.get(3))));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProviderErrorCode()).isEqualTo("insufficient_quota");
			assertThat(ex.getProviderMessage()).startsWith("You exceeded your current quota");
		});
		assertThat(error.partialResponse().id()).isEqualTo("resp_0265b28bea036ff60068df845920648196938b4f36acdcee37");
		assertThat(error.partialResponse().finishReason()).isEqualTo("failed");
		assertThat(error.partialResponse().metadata()).containsEntry("status", "failed");
	}

	@Test
	void streamEventsWhenResponseFailedWithServerErrorShouldBeRetryable() {
		// SYNTHETIC FAULT, not a recording: response.failed with a server_error
		server.server()
			.enqueue(MockResponse
				.chunks(firstEventsThen(5, "event: response.failed\ndata: {\"type\":\"response.failed\","
						+ "\"sequence_number\":5,\"response\":{\"id\":\"" + RESPONSE_ID + "\",\"status\":\"failed\","
						+ "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed to generate a response.\"},"
						+ "\"usage\":null}}\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.isRetryable()).isTrue();
		assertThat(error.partialText()).isEqualTo("`");
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class,
				(ex) -> assertThat(ex.getProviderErrorCode()).isEqualTo("server_error"));
	}

	@Test
	void streamEventsWhenEventIsInvalidJsonShouldFailWithParseErrorKeepingTheText() {
		// SYNTHETIC FAULT, not a recording: a truncated JSON payload
		server.server()
			.enqueue(MockResponse.chunks(firstEventsThen(9,
					"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"x\n\n")));
		StreamErrorEvent error = lastErrorEvent(client().streamEvents(REQUEST).collectList().block());
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PARSE);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.partialText()).isEqualTo(textOfFirstEvents(9));
	}

	@Test
	void streamWithUsageWhenKnownEventHasWrongShapeShouldSkipWhatItCannotReadAndCountIt() {
		// SYNTHETIC, not a recording: an output_item.added whose item is a string, and an
		// output_text.delta whose item_id is an object and whose delta is a number,
		// spliced into
		// the recorded stream after its first delta; neither may end the stream
		List<byte[]> events = new ArrayList<>(recorded().events());
		events.add(5, ("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
				+ "\"item\":\"oops\",\"output_index\":1}\n\n")
			.getBytes(StandardCharsets.UTF_8));
		events.add(6,
				("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
						+ "\"item_id\":{\"x\":1},\"output_index\":1,\"delta\":7}\n\n")
					.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		StreamingResponse response = client().streamWithUsage(REQUEST).block();
		assertThat(response.text()).isEqualTo("`arm64` (Apple Silicon).");
		assertThat(response.finishReason()).isEqualTo("completed");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.STOP);
		assertThat(response.usage().totalTokens()).isEqualTo(456);
		assertThat(response.metadata()).containsEntry("stream.unrecognized",
				Map.of("field:response.output_item.added.item:string", 1,
						"field:response.output_text.delta.item_id:object", 1,
						"field:response.output_text.delta.delta:number", 1));
	}

	@Test
	void streamWithUsageWhenUnknownEventsArriveShouldIgnoreThem() {
		// SYNTHETIC, not a recording: event types this adapter does not know, of any
		// shape,
		// spliced into the recorded stream after its first delta
		List<byte[]> events = new ArrayList<>(recorded().events());
		events.add(5, ("event: response.future_thing.delta\ndata: {\"type\":\"response.future_thing.delta\","
				+ "\"delta\":{\"x\":[1,2]},\"item_id\":42,\"output_index\":\"0\",\"item\":[1,2],\"response\":true,"
				+ "\"sequence_number\":5}\n\n")
			.getBytes(StandardCharsets.UTF_8));
		events.add(6, "event: keepalive\ndata: {\"type\":\"keepalive\"}\n\n".getBytes(StandardCharsets.UTF_8));
		events.add(7, ": comment\n\n".getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events));
		StreamingResponse response = client().streamWithUsage(REQUEST).block();
		assertThat(response.text()).isEqualTo("`arm64` (Apple Silicon).");
		assertThat(response.finishReason()).isEqualTo("completed");
		assertThat(response.usage().totalTokens()).isEqualTo(456);
		// counted, not fatal; keepalive is a known event
		assertThat(response.metadata()).containsEntry("stream.unrecognized",
				Map.of("event:response.future_thing.delta", 1));
	}

	@ParameterizedTest
	@CsvSource({ "429, true, rate_limit_exceeded", "500, true, server_error", "503, true, server_error",
			"400, false, invalid_request_error", "401, false, invalid_request_error" })
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
			assertThat(ex.getProviderMessage()).isEqualTo("Failed for key ******");
			assertThat(ex.getRequestId()).isEqualTo("req_123");
		});
		assertNoSecret(error.error());
		assertThat(server.server().takeRequest().path()).isEqualTo("/responses");
	}

	@Test
	void httpErrorOfTheAdapterItselfShouldReadTheOpenAiErrorBody() {
		OpenAiResponsesAdapter adapter = OpenAiResponsesAdapter.xai(ProviderSettings.of(server.baseUrl(), API_KEY),
				JsonMapper.builder().build());
		assertThat(adapter.httpError(429, "req_1",
				"{\"error\":{\"message\":\"Slow down " + API_KEY
						+ "\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"))
			.isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getProvider()).isEqualTo("xai");
				assertThat(ex.getProviderErrorType()).isEqualTo("requests");
				assertThat(ex.getProviderErrorCode()).isEqualTo("rate_limit_exceeded");
				assertThat(ex.getProviderMessage()).isEqualTo("Slow down ******");
				assertThat(ex.getRequestId()).isEqualTo("req_1");
				assertNoSecret(ex);
			});
		assertThat(adapter.httpError(502, null, "<html>Bad gateway</html>"))
			.isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains("HTTP 502").contains("Bad gateway");
			});
		assertThat(adapter.httpError(404, null, "")).isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> {
			assertThat(ex.isRetryable()).isFalse();
			assertThat(ex.getProviderMessage()).isNull();
		});
	}

}
