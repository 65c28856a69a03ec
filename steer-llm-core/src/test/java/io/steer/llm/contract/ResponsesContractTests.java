package io.steer.llm.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ServerToolCall;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every recorded OpenAI and xAI Responses API stream, replayed by the loopback server
 * through the real client, yields exactly its expected values: with the Responses API as
 * the provider's configured API, and with Chat Completions configured and the Responses
 * API chosen per request.
 */
class ResponsesContractTests {

	static final String OPENAI_KEY = "sk-test-openai-key";

	static final String XAI_KEY = "xai-test-key";

	static final String ERROR_FIXTURE = "responses-error-insufficient-quota";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	/** How the Responses API is chosen. */
	enum ApiChoice {

		/** The providers are configured with the Responses API as their default. */
		CONFIGURED,

		/**
		 * The providers default to Chat Completions; each request asks for the Responses
		 * API.
		 */
		PER_REQUEST

	}

	static Stream<SseFixture> responsesFixtures() {
		return Stream.concat(SseFixture.all("openai").stream(), SseFixture.all("xai").stream())
			.filter((fixture) -> fixture.name().startsWith("responses-"));
	}

	/** The fixtures whose stream ends with {@code response.completed}. */
	static Stream<SseFixture> completedFixtures() {
		return responsesFixtures().filter((fixture) -> !fixture.name().equals(ERROR_FIXTURE));
	}

	static Stream<Arguments> completedFixturesAndApiChoices() {
		return completedFixtures().flatMap((fixture) -> Stream.of(Arguments.of(fixture, ApiChoice.CONFIGURED),
				Arguments.of(fixture, ApiChoice.PER_REQUEST)));
	}

	static SteerLLMClient client(LoopbackProviderServer server, ApiChoice choice) {
		ProviderApi api = (choice == ApiChoice.CONFIGURED) ? ProviderApi.RESPONSES : ProviderApi.CHAT_COMPLETIONS;
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), OPENAI_KEY), api)
			.xai(ProviderSettings.of(server.baseUrl(), XAI_KEY), api)
			.build();
	}

	static SteerLLMClient client(LoopbackProviderServer server) {
		return client(server, ApiChoice.CONFIGURED);
	}

	static ChatRequest requestFor(SseFixture fixture, ApiChoice choice) {
		return ChatRequest.builder()
			.prompt("What's the weather like in New York City?")
			.model(FixtureExpectations.expected(fixture).get("model").asString())
			.api((choice == ApiChoice.PER_REQUEST) ? ProviderApi.RESPONSES : null)
			.build();
	}

	static ChatRequest requestFor(SseFixture fixture) {
		return requestFor(fixture, ApiChoice.CONFIGURED);
	}

	/**
	 * Asserts a Responses API response (OpenAI or xAI) equals the fixture's expected
	 * values: text, reasoning summary, tool calls, status as finish reason, usage (raw
	 * and normalised), id and model.
	 */
	static void assertResponses(SseFixture fixture, StreamingResponse response) {
		JsonNode expected = FixtureExpectations.expected(fixture);
		String what = fixture.toString();
		assertThat(expected.get("api").asString()).as(what + " api").isEqualTo("responses");
		assertThat(response.provider()).as(what + " provider").isEqualTo(fixture.provider());
		assertThat(response.id()).as(what + " id").isEqualTo(FixtureExpectations.text(expected, "id"));
		assertThat(response.model()).as(what + " model").isEqualTo(FixtureExpectations.text(expected, "model"));
		assertThat(response.text()).as(what + " text").isEqualTo(FixtureExpectations.text(expected, "text"));
		String reasoning = FixtureExpectations.text(expected, "reasoning_summary");
		assertThat(response.reasoning()).as(what + " reasoning").isEqualTo((reasoning != null) ? reasoning : "");
		assertThat(response.refusal()).as(what + " refusal").isNull();
		String status = FixtureExpectations.text(expected, "status");
		assertThat(response.finishReason()).as(what + " finish reason").isEqualTo(status);
		assertThat(response.metadata()).as(what + " metadata").containsEntry("status", status);
		FixtureExpectations.assertToolCalls(what, expected.get("tool_calls"), response.toolCalls());
		for (int i = 0; i < response.toolCalls().size(); i++) {
			assertThat(response.toolCalls().get(i).index()).as(what + " tool call index").isEqualTo(i);
		}
		assertThat(response.choices()).as(what + " choices").hasSize(1);
		assertResponsesUsage(what, expected.get("usage"), response);
		FixtureExpectations.assertNormalized(fixture, response);
	}

	static void assertResponsesUsage(String what, JsonNode expectedUsage, StreamingResponse response) {
		if (expectedUsage == null || expectedUsage.isNull()) {
			assertNoProviderUsage(what, response);
			return;
		}
		assertThat(response.usage()).as(what + " usage").isNotNull();
		assertThat(response.usageEstimated()).as(what + " usage estimated").isFalse();
		assertThat((JsonNode) FixtureExpectations.MAPPER.valueToTree(response.usage().raw())).as(what + " raw usage")
			.isEqualTo(expectedUsage);
		assertThat(response.usage().promptTokens()).as(what + " prompt tokens")
			.isEqualTo(expectedUsage.get("input_tokens").asInt());
		assertThat(response.usage().completionTokens()).as(what + " completion tokens")
			.isEqualTo(expectedUsage.get("output_tokens").asInt());
		assertThat(response.usage().totalTokens()).as(what + " total tokens")
			.isEqualTo(expectedUsage.get("total_tokens").asInt());
		assertThat(response.usage().cachedPromptTokens()).as(what + " cached tokens")
			.isEqualTo(expectedUsage.path("input_tokens_details").path("cached_tokens").asInt(0));
		assertThat(response.usage().reasoningTokens()).as(what + " reasoning tokens")
			.isEqualTo(expectedUsage.path("output_tokens_details").path("reasoning_tokens").asInt(0));
		assertThat(response.usage().cacheCreationTokens()).as(what + " cache creation tokens").isZero();
	}

	/**
	 * Asserts a response holds no usage from the provider: none at all, or an estimate
	 * when usage aggregation is on.
	 */
	static void assertNoProviderUsage(String what, StreamingResponse response) {
		if (response.usage() != null) {
			assertThat(response.usageEstimated()).as(what + " usage is an estimate").isTrue();
			assertThat(response.usage().raw()).as(what + " raw usage").isEmpty();
		}
	}

	/**
	 * Asserts the stream of the recorded {@code insufficient_quota} fixture ended with
	 * its first error, the {@code error} event, not with the {@code response.failed}
	 * after it.
	 */
	static void assertInsufficientQuota(SseFixture fixture, StreamErrorEvent error) {
		JsonNode expected = FixtureExpectations.expected(fixture);
		JsonNode providerError = expected.get("errors").get(0).get("error");
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROVIDER);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProvider()).isEqualTo(fixture.provider());
			assertThat(ex.isRetryable()).isFalse();
			assertThat(ex.getProviderErrorType()).isEqualTo(providerError.get("type").asString())
				.isEqualTo("insufficient_quota");
			assertThat(ex.getProviderErrorCode()).isEqualTo(providerError.get("code").asString())
				.isEqualTo("insufficient_quota");
			assertThat(ex.getProviderMessage()).isEqualTo(providerError.get("message").asString());
			assertThat(ex.getPartialResponse()).isSameAs(error.partialResponse());
		});
		StreamingResponse partial = error.partialResponse();
		assertThat(partial.id()).isEqualTo(FixtureExpectations.text(expected, "id"));
		assertThat(partial.model()).isEqualTo(FixtureExpectations.text(expected, "model"));
		assertThat(partial.text()).isEqualTo(FixtureExpectations.text(expected, "text")).isEmpty();
		assertNoProviderUsage(fixture.toString(), partial);
		// the error event (sequence number 2) ended the stream: response.failed (3) was
		// not read
		assertThat(partial.finishReason()).isNull();
		assertThat(partial.normalizedFinishReason()).isEqualTo(FixtureExpectations.normalizedFinishReason(fixture))
			.isEqualTo(FinishReason.ERROR);
		assertThat(partial.metadata()).containsEntry("sequence_number", 2L).doesNotContainKey("status");
	}

	/** The {@code sequence_number} of the last event of a recorded stream. */
	static long lastSequenceNumber(SseFixture fixture) {
		List<byte[]> events = fixture.events();
		String last = new String(events.get(events.size() - 1), StandardCharsets.UTF_8);
		for (String line : last.split("\n")) {
			if (line.startsWith("data:")) {
				return FixtureExpectations.MAPPER.readTree(line.substring(5).strip()).get("sequence_number").asLong();
			}
		}
		throw new AssertionError("no data line in the last event of " + fixture);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("completedFixturesAndApiChoices")
	void streamWithUsageWhenFixtureReplayedShouldYieldExpectedValues(SseFixture fixture, ApiChoice choice) {
		server.server().enqueue(MockResponse.replay(fixture));
		StreamingResponse response = client(server.server(), choice).streamWithUsage(requestFor(fixture, choice))
			.block();
		assertResponses(fixture, response);
		RecordedRequest request = server.server().takeRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/responses");
		assertThat(request.header("Authorization"))
			.isEqualTo("Bearer " + ("openai".equals(fixture.provider()) ? OPENAI_KEY : XAI_KEY));
		JsonNode body = FixtureExpectations.MAPPER.readTree(request.bodyAsString());
		assertThat(body.get("model").asString()).isEqualTo(requestFor(fixture).model());
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.has("messages")).isFalse();
		assertThat(body.has("stream_options")).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completedFixtures")
	void streamEventsWhenFixtureReplayedShouldAgreeWithTheAssembledResponse(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server()).streamEvents(requestFor(fixture)).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		assertThat(events.stream().filter(StreamEvent::isTerminal)).hasSize(1);
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		StringBuilder text = new StringBuilder();
		StringBuilder reasoning = new StringBuilder();
		Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
		Map<Integer, String> callIds = new LinkedHashMap<>();
		List<StreamDeltaEvent> deltas = new ArrayList<>();
		List<StreamUsageEvent> usages = new ArrayList<>();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta) {
				deltas.add(delta);
				assertThat(delta.choiceIndex()).isZero();
				switch (delta.kind()) {
					case TEXT -> text.append(delta.getText());
					case REASONING -> reasoning.append(delta.getText());
					case TOOL_CALL -> {
						int index = delta.toolCall().index();
						if (!arguments.containsKey(index)) {
							// the first fragment of a call names it
							assertThat(delta.toolCall().id()).isNotNull();
							assertThat(delta.toolCall().name()).isNotNull();
							callIds.put(index, delta.toolCall().id());
						}
						else {
							assertThat(delta.toolCall().id()).isNull();
						}
						arguments.computeIfAbsent(index, (i) -> new StringBuilder()).append(delta.getText());
					}
					default -> throw new AssertionError("unexpected delta kind " + delta.kind());
				}
			}
			if (event instanceof StreamUsageEvent usage) {
				usages.add(usage);
			}
		}
		// chunk indexes are 0..n-1 in order: nothing lost, repeated or reordered
		for (int i = 0; i < deltas.size(); i++) {
			assertThat(deltas.get(i).chunkIndex()).isEqualTo(i);
		}
		StreamingResponse response = complete.response();
		assertThat(complete.totalChunks()).isEqualTo(deltas.size());
		assertThat(text.toString()).isEqualTo(response.text());
		assertThat(reasoning.toString()).isEqualTo(response.reasoning());
		List<ToolCall> calls = response.toolCalls();
		assertThat(arguments.keySet()).containsExactlyElementsOf(calls.stream().map(ToolCall::index).toList());
		for (ToolCall call : calls) {
			assertThat(arguments.get(call.index()).toString()).isEqualTo(call.arguments());
			assertThat(callIds.get(call.index())).isEqualTo(call.id());
		}
		assertThat(usages).hasSize(1);
		assertThat(usages.get(0).isEstimated()).isFalse();
		assertThat(usages.get(0).confidence()).isEqualTo(1.0);
		assertThat(usages.get(0).usage()).isEqualTo(complete.usage()).isEqualTo(response.usage());
		assertThat(response.metadata()).containsEntry("sequence_number", lastSequenceNumber(fixture));
		assertResponses(fixture, response);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completedFixtures")
	void streamWhenFixtureReplayedShouldEmitTheTextOnly(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<String> chunks = client(server.server()).stream(requestFor(fixture)).collectList().block();
		assertThat(String.join("", chunks)).isEqualTo(FixtureExpectations.expected(fixture).get("text").asString());
	}

	/**
	 * The README notes that the {@code event:} lines of the xAI recording were added
	 * framing; the type in each event's JSON is enough.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("completedFixtures")
	void streamWithUsageWhenEventLinesAbsentShouldYieldExpectedValues(SseFixture fixture) {
		String withoutEventLines = fixture.bodyAsString().replaceAll("(?m)^event: [^\n]*\n", "");
		assertThat(withoutEventLines).doesNotContain("event:");
		server.server()
			.enqueue(MockResponse
				.replay(SseFixture.of(fixture.name(), withoutEventLines.getBytes(StandardCharsets.UTF_8))));
		assertResponses(fixture, client(server.server()).streamWithUsage(requestFor(fixture)).block());
	}

	@ParameterizedTest
	@EnumSource(ApiChoice.class)
	void streamEventsWhenErrorEventThenResponseFailedShouldEndWithTheFirstAsProviderError(ApiChoice choice) {
		SseFixture fixture = SseFixture.load("openai", ERROR_FIXTURE);
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server(), choice).streamEvents(requestFor(fixture, choice))
			.collectList()
			.block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events).hasSize(2).last().isInstanceOf(StreamErrorEvent.class);
		assertInsufficientQuota(fixture, (StreamErrorEvent) events.get(1));
		assertThat(server.server().takeRequest().path()).isEqualTo("/responses");
	}

	@ParameterizedTest
	@EnumSource(ApiChoice.class)
	void streamWithUsageWhenErrorEventShouldSignalProviderStreamException(ApiChoice choice) {
		SseFixture fixture = SseFixture.load("openai", ERROR_FIXTURE);
		server.server().enqueue(MockResponse.replay(fixture));
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> client(server.server(), choice).streamWithUsage(requestFor(fixture, choice)).block())
			.satisfies((ex) -> {
				assertThat(ex.getProviderErrorCode()).isEqualTo("insufficient_quota");
				assertThat(ex.getPartialResponse().id())
					.isEqualTo(FixtureExpectations.expected(fixture).get("id").asString());
			});
	}

	/**
	 * SYNTHETIC, not a recording: a Responses API stream with a provider-run web search,
	 * then a function call for the caller and an answer with a {@code url_citation},
	 * written after the documented shapes of the {@code web_search_call} item, its
	 * progress events and {@code response.output_text.annotation.added} (OpenAI Responses
	 * streaming reference). The citation comes in the annotation event and again in the
	 * done events.
	 */
	static final String WEB_SEARCH_STREAM = """
			event: response.created
			data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_ws1","object":"response","status":"in_progress","model":"gpt-5-2025-08-07","output":[],"usage":null}}

			event: response.output_item.added
			data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}}

			event: response.web_search_call.in_progress
			data: {"type":"response.web_search_call.in_progress","sequence_number":2,"output_index":0,"item_id":"ws_1"}

			event: response.web_search_call.searching
			data: {"type":"response.web_search_call.searching","sequence_number":3,"output_index":0,"item_id":"ws_1"}

			event: response.web_search_call.completed
			data: {"type":"response.web_search_call.completed","sequence_number":4,"output_index":0,"item_id":"ws_1"}

			event: response.output_item.done
			data: {"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather New York City"}}}

			event: response.output_item.added
			data: {"type":"response.output_item.added","sequence_number":6,"output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}

			event: response.content_part.added
			data: {"type":"response.content_part.added","sequence_number":7,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

			event: response.output_text.delta
			data: {"type":"response.output_text.delta","sequence_number":8,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Sunny, 21 °C."}

			event: response.output_text.annotation.added
			data: {"type":"response.output_text.annotation.added","sequence_number":9,"item_id":"msg_1","output_index":1,"content_index":0,"annotation_index":0,"annotation":{"type":"url_citation","start_index":0,"end_index":13,"url":"https://weather.example/nyc","title":"NYC weather"}}

			event: response.output_text.done
			data: {"type":"response.output_text.done","sequence_number":10,"item_id":"msg_1","output_index":1,"content_index":0,"text":"Sunny, 21 °C."}

			event: response.content_part.done
			data: {"type":"response.content_part.done","sequence_number":11,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"Sunny, 21 °C.","annotations":[{"type":"url_citation","start_index":0,"end_index":13,"url":"https://weather.example/nyc","title":"NYC weather"}]}}

			event: response.output_item.done
			data: {"type":"response.output_item.done","sequence_number":12,"output_index":1,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Sunny, 21 °C.","annotations":[{"type":"url_citation","start_index":0,"end_index":13,"url":"https://weather.example/nyc","title":"NYC weather"}]}]}}

			event: response.completed
			data: {"type":"response.completed","sequence_number":13,"response":{"id":"resp_ws1","object":"response","status":"completed","model":"gpt-5-2025-08-07","usage":{"input_tokens":120,"input_tokens_details":{"cached_tokens":0},"output_tokens":30,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":150}}}

			""";

	/** Asserts what {@link #WEB_SEARCH_STREAM} yields. */
	static void assertWebSearch(StreamingResponse response) {
		assertThat(response.text()).isEqualTo("Sunny, 21 °C.");
		assertThat(response.toolCalls()).isEmpty();
		assertThat(response.serverToolCalls()).singleElement().satisfies((call) -> {
			assertThat(call)
				.extracting(ServerToolCall::index, ServerToolCall::id, ServerToolCall::name, ServerToolCall::input,
						ServerToolCall::resultType)
				.containsExactly(0, "ws_1", "web_search_call",
						"{\"type\":\"search\",\"query\":\"weather New York City\"}", "completed");
			assertThat(call.result().get("action").get("query").asString()).isEqualTo("weather New York City");
		});
		assertThat(response.citations()).singleElement()
			.extracting(Citation::type, Citation::url, Citation::title, Citation::startIndex, Citation::endIndex)
			.containsExactly("url_citation", "https://weather.example/nyc", "NYC weather", 0, 13);
		assertThat(response.finishReason()).isEqualTo("completed");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.STOP);
		assertThat(response.usage().totalTokens()).isEqualTo(150);
		assertThat(response.costUsd()).isNotNull().isPositive();
		assertThat(response.metadata()).doesNotContainKey("stream.unrecognized");
	}

	@Test
	void streamEventsWhenProviderRunsAToolShouldReportItAsProviderExecutedAndNotAsAToolCall() {
		server.server()
			.enqueue(MockResponse
				.replay(SseFixture.of("web-search", WEB_SEARCH_STREAM.getBytes(StandardCharsets.UTF_8))));
		List<StreamEvent> events = client(server.server())
			.streamEvents(ChatRequest.of("What's the weather like in New York City?", "gpt-5-2025-08-07"))
			.collectList()
			.block();
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		List<StreamDeltaEvent> toolDeltas = FixtureExpectations.providerExecutedToolDeltas(events);
		assertThat(toolDeltas.get(0).toolCall().id()).isEqualTo("ws_1");
		assertThat(toolDeltas.get(0).toolCall().name()).isEqualTo("web_search_call");
		assertWebSearch(((StreamCompleteEvent) events.get(events.size() - 1)).response());
	}

}
