package io.steer.llm.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CLAUDE_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.RESPONSES_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream that breaks after deltas were delivered goes on with the same answer where the
 * provider allows it (OpenAI Responses API background responses are resumed, Anthropic
 * messages continued with a prefill) and otherwise ends with a typed error carrying what
 * arrived; no delta is ever delivered twice.
 */
class MidStreamReconnectTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String RESPONSE_ID = "resp_0b0392bd3bb81302006994e83ac0ac819396f3f5aa5f239e03";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	private SteerLLMClient client() {
		return Reliability.openAiAndAnthropicClient(server, this.retryManager);
	}

	// OpenAI Responses API

	private static ChatRequest responsesRequest(boolean background) {
		ChatRequest.Builder builder = ChatRequest.builder()
			.prompt("Which architecture is this Mac?")
			.model("gpt-5.2")
			.api(ProviderApi.RESPONSES);
		return background ? builder.providerOption("background", true).build() : builder.build();
	}

	/**
	 * Events of the recorded stream: event {@code i} has {@code sequence_number}
	 * {@code i}.
	 */
	private static List<byte[]> responsesEvents() {
		return SseFixture.load("openai", "responses-text").events();
	}

	private static MockResponse responsesFrom(int firstEvent) {
		List<byte[]> events = responsesEvents();
		return MockResponse.chunks(events.subList(firstEvent, events.size()));
	}

	@Test
	void streamEventsWhenBackgroundResponseDropsMidStreamShouldResumeAfterTheLastSequenceNumber() {
		// events 0-7 (sequence numbers 0 to 7, the first four text deltas), then the
		// connection drops
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).dropAfterEvents(8));
		server.server().enqueue(responsesFrom(8));
		List<StreamEvent> events = client().streamEvents(responsesRequest(true)).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(Reliability.text(events)).isEqualTo(RESPONSES_TEXT);
		assertThat(
				events.stream().filter(StreamDeltaEvent.class::isInstance).map((e) -> ((StreamDeltaEvent) e).delta()))
			.containsExactly("`", "arm", "64", "`", " (", "Apple", " Silicon", ").");
		assertThat(complete.attempts()).isEqualTo(2);
		StreamingResponse response = complete.response();
		assertThat(response.id()).isEqualTo(RESPONSE_ID);
		assertThat(response.metadata()).containsEntry("reconnects", 1).containsEntry("sequence_number", 15L);
		assertThat(response.usage().totalTokens()).isEqualTo(456);
		assertThat(response.usageEstimated()).isFalse();
		List<RecordedRequest> requests = server.server().requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).method()).isEqualTo("POST");
		assertThat(requests.get(0).bodyAsString()).contains("\"background\":true");
		RecordedRequest resume = requests.get(1);
		assertThat(resume.method()).isEqualTo("GET");
		assertThat(resume.path()).isEqualTo("/responses/" + RESPONSE_ID + "?stream=true&starting_after=7");
		assertThat(resume.header("Authorization")).isEqualTo("Bearer " + API_KEY);
		assertThat(resume.header("Accept")).isEqualTo("text/event-stream");
		assertThat(resume.body()).isEmpty();
		assertThat(this.retryManager.states()).singleElement().satisfies((state) -> {
			assertThat(state.attempts()).isEqualTo(2);
			assertThat(state.responseId()).isEqualTo(RESPONSE_ID);
			assertThat(state.lastSequenceNumber()).isEqualTo(7);
			assertThat(state.partialText()).isEqualTo("`arm64`");
			assertThat(state.completed()).isTrue();
		});
	}

	@Test
	void streamEventsWhenBackgroundResponseStallsMidStreamShouldResumeAfterTheReadTimeout() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).stallAfterEvents(10));
		server.server().enqueue(responsesFrom(10));
		StreamingOptions options = FAST_RETRIES.toBuilder().readTimeout(Duration.ofMillis(300)).build();
		List<StreamEvent> events = client().streamEvents(responsesRequest(true), options).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(RESPONSES_TEXT);
		assertThat(server.server().requests().get(1).path()).endsWith("?stream=true&starting_after=9");
	}

	@Test
	void streamEventsWhenBackgroundResponseDropsBeforeAnyDeltaShouldResumeRatherThanCreateAnother() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).dropAfterEvents(2));
		server.server().enqueue(responsesFrom(2));
		List<StreamEvent> events = client().streamEvents(responsesRequest(true)).collectList().block();
		assertThat(Reliability.complete(events).response().text()).isEqualTo(RESPONSES_TEXT);
		assertThat(server.server().requests().get(1).path())
			.isEqualTo("/responses/" + RESPONSE_ID + "?stream=true&starting_after=1");
	}

	@Test
	void streamEventsWhenTheResumedStreamRepeatsEarlierEventsShouldSkipThem() {
		// a server that ignores starting_after and replays the response from its start
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).dropAfterEvents(8));
		server.server().enqueue(responsesFrom(0));
		List<StreamEvent> events = client().streamEvents(responsesRequest(true)).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(
				events.stream().filter(StreamDeltaEvent.class::isInstance).map((e) -> ((StreamDeltaEvent) e).delta()))
			.containsExactly("`", "arm", "64", "`", " (", "Apple", " Silicon", ").");
		assertThat(complete.response().text()).isEqualTo(RESPONSES_TEXT);
	}

	@Test
	void streamEventsWhenResponseIsNotInBackgroundShouldFailInterruptedKeepingTheText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).dropAfterEvents(8));
		List<StreamEvent> events = client().streamEvents(responsesRequest(false)).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(Reliability.text(events)).isEqualTo("`arm64`");
		assertThat(error.partialText()).isEqualTo("`arm64`");
		assertThat(error.partialResponse().metadata()).containsEntry("sequence_number", 7L);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenResumeIsRefusedShouldFailWithTheInterruption() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "responses-text")).dropAfterEvents(8));
		server.server()
			.enqueue(MockResponse.status(404, "{\"error\":{\"message\":\"Response with id '" + RESPONSE_ID
					+ "' not found.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
		List<StreamEvent> events = client().streamEvents(responsesRequest(true)).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.error().getSuppressed()).singleElement()
			.isInstanceOfSatisfying(ProviderHttpException.class, (ex) -> assertThat(ex.getStatusCode()).isEqualTo(404));
		assertThat(error.partialText()).isEqualTo("`arm64`");
		assertThat(error.partialResponse().attempts()).isEqualTo(2);
		assertThat(server.server().requestCount()).isEqualTo(2);
	}

	// Anthropic Messages

	private static final ChatRequest CLAUDE = ChatRequest.of("Hello", "claude-sonnet-4-5-20250929");

	private static List<byte[]> claudeEvents() {
		return SseFixture.load("anthropic", "text").events();
	}

	/**
	 * A continuation message in Anthropic's wire format, as the recorded stream's events.
	 */
	private static MockResponse claudeContinuation(int inputTokens, int outputTokens, String... texts) {
		List<String> raw = new ArrayList<>();
		raw.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
				+ "\"id\":\"msg_continuation\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":null,"
				+ "\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":1}}}\n\n");
		raw.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
		for (String text : texts) {
			raw.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
					+ "{\"type\":\"text_delta\",\"text\":" + JSON.writeValueAsString(text) + "}}\n\n");
		}
		raw.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
		raw.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
				+ "\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":" + outputTokens + "}}\n\n");
		raw.add("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
		return MockResponse.chunks(Reliability.bytes(raw.toArray(String[]::new)));
	}

	private static JsonNode lastMessage(RecordedRequest request) {
		JsonNode messages = JSON.readTree(request.bodyAsString()).get("messages");
		return messages.get(messages.size() - 1);
	}

	@Test
	void streamEventsWhenAnthropicDropsMidStreamShouldContinueWithThePartialTextAsPrefill() {
		// message_start, content_block_start, ping and three text deltas, then the
		// connection drops
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")).dropAfterEvents(6));
		server.server()
			.enqueue(claudeContinuation(25, 20, ". How are you doing today?", " Is",
					" there anything I can help you with?"));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(CLAUDE_TEXT);
		assertThat(
				events.stream().filter(StreamDeltaEvent.class::isInstance).map((e) -> ((StreamDeltaEvent) e).delta()))
			.containsExactly("Hello", "! I", "'m doing well, thank you for asking", ". How are you doing today?", " Is",
					" there anything I can help you with?");
		assertThat(complete.attempts()).isEqualTo(2);
		StreamingResponse response = complete.response();
		assertThat(response.id()).isEqualTo("msg_01QC4g3HwBThD4BaNtBckFDJ");
		assertThat(response.finishReason()).isEqualTo("end_turn");
		assertThat(response.metadata()).containsEntry("reconnects", 1);
		// the continuation's usage (its input counts the prefill) plus the broken
		// message's estimate
		assertThat(response.usageEstimated()).isTrue();
		assertThat(response.usage().promptTokens()).isGreaterThan(25);
		assertThat(response.usage().completionTokens()).isGreaterThan(20);
		assertThat(events.stream().filter(StreamUsageEvent.class::isInstance)).singleElement()
			.satisfies((usage) -> assertThat(((StreamUsageEvent) usage).usage()).isEqualTo(response.usage()));
		RecordedRequest first = server.server().requests().get(0);
		RecordedRequest continuation = server.server().requests().get(1);
		assertThat(continuation.method()).isEqualTo("POST");
		assertThat(continuation.path()).isEqualTo("/v1/messages");
		JsonNode prefill = lastMessage(continuation);
		assertThat(prefill.get("role").stringValue()).isEqualTo("assistant");
		assertThat(prefill.get("content").get(0).get("text").stringValue())
			.isEqualTo("Hello! I'm doing well, thank you for asking");
		assertThat(JSON.readTree(continuation.bodyAsString()).get("messages").size())
			.isEqualTo(JSON.readTree(first.bodyAsString()).get("messages").size() + 1);
	}

	@Test
	void streamEventsWhenPrefillEndsWithWhitespaceShouldLeaveItOutAndNotRepeatIt() {
		server.server()
			.enqueue(MockResponse.chunks(Reliability.concat(claudeEvents().subList(0, 3), Reliability.bytes(
					"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
					"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world. \"}}\n\n")))
				.dropAfterEvents(5));
		server.server().enqueue(claudeContinuation(20, 5, " How", " are you?"));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo("Hello world. How are you?");
		assertThat(
				events.stream().filter(StreamDeltaEvent.class::isInstance).map((e) -> ((StreamDeltaEvent) e).delta()))
			.containsExactly("Hello", " world. ", "How", " are you?");
		JsonNode prefill = lastMessage(server.server().requests().get(1));
		assertThat(prefill.get("content").get(0).get("text").stringValue()).isEqualTo("Hello world.");
	}

	@Test
	void streamEventsWhenAnthropicSendsOverloadedErrorMidStreamShouldContinue() {
		server.server()
			.enqueue(MockResponse.chunks(Reliability.concat(claudeEvents().subList(0, 6), Reliability.bytes(
					"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"))));
		server.server()
			.enqueue(claudeContinuation(25, 20, ". How are you doing today?", " Is",
					" there anything I can help you with?"));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		assertThat(Reliability.complete(events).response().text()).isEqualTo(CLAUDE_TEXT);
	}

	@Test
	void streamEventsWhenAnthropicRefusesThePrefillShouldFailWithTheInterruption() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")).dropAfterEvents(6));
		server.server()
			.enqueue(MockResponse.status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
					+ "\"message\":\"This model does not support assistant message prefill.\"}}"));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.error().getSuppressed()).singleElement().isInstanceOf(ProviderHttpException.class);
		assertThat(error.partialText()).isEqualTo("Hello! I'm doing well, thank you for asking");
		assertThat(Reliability.text(events)).isEqualTo(error.partialText());
	}

	@Test
	void streamEventsWhenAnthropicToolUseWasDeliveredShouldNotContinue() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "docs-tool-use")).dropAfterEvents(21));
		List<StreamEvent> events = client().streamEvents(CLAUDE).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(error.partialResponse().toolCalls()).singleElement()
			.satisfies((call) -> assertThat(call.arguments()).isEqualTo("{\"location\": \"San"));
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenThinkingIsEnabledShouldNotContinue() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")).dropAfterEvents(6));
		ChatRequest thinking = CLAUDE.toBuilder()
			.providerOption("thinking", java.util.Map.of("type", "enabled", "budget_tokens", 1024))
			.build();
		StreamErrorEvent error = Reliability.error(client().streamEvents(thinking).collectList().block());
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	// Chat Completions: no way to continue

	private static final ChatRequest CHAT = ChatRequest.builder()
		.prompt("Weather in Edinburgh and the AAPL price?")
		.model("gpt-4o-mini")
		.tool(new ToolDefinition("GetWeatherArgs", null, java.util.Map.of(), false))
		.build();

	@Test
	void streamEventsWhenChatCompletionsDropMidStreamShouldFailKeepingTextToolCallsAndUsage() {
		SseFixture toolCalls = SseFixture.load("openai", "chat-parallel-tool-calls");
		server.server().enqueue(MockResponse.replay(toolCalls).dropAfterEvents(12));
		List<StreamEvent> events = client().streamEvents(CHAT).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.INTERRUPTED);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		StreamingResponse partial = error.partialResponse();
		assertThat(partial.toolCalls()).extracting(ToolCall::name).contains("GetWeatherArgs");
		String delivered = String.join("",
				events.stream()
					.filter(StreamDeltaEvent.class::isInstance)
					.map(StreamDeltaEvent.class::cast)
					.filter((delta) -> delta.kind() == DeltaKind.TOOL_CALL)
					.map(StreamDeltaEvent::delta)
					.toList());
		assertThat(partial.toolCalls().stream().map(ToolCall::arguments).reduce("", String::concat))
			.isEqualTo(delivered);
		assertThat(partial.usage()).isNotNull();
		assertThat(partial.usageEstimated()).isTrue();
		assertThat(partial.usage().completionTokens()).isPositive();
		assertThat(partial.attempts()).isEqualTo(1);
		// never sent again: that would start the answer over
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenPreservePartialResponseIsOffShouldFailWithoutTheContent() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).dropAfterEvents(6));
		StreamingOptions options = FAST_RETRIES.toBuilder().preservePartialResponse(false).build();
		List<StreamEvent> events = client().streamEvents(CHAT, options).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(Reliability.text(events)).isNotEmpty();
		assertThat(error.partialText()).isEmpty();
		assertThat(error.partialResponse().choices()).isEmpty();
		assertThat(error.partialResponse().usage()).isNotNull();
		assertThat(error.partialResponse().metrics().chunks()).isEqualTo(5);
	}

}
