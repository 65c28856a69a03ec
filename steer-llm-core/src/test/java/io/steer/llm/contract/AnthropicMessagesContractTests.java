package io.steer.llm.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every recorded Anthropic Messages stream, replayed by the loopback server through the
 * real client, yields exactly its expected values; the error example ends with a provider
 * error. Hand-made streams in the shapes of Anthropic's documentation cover what no
 * recording holds: server tools with citations, redacted thinking with thinking tokens,
 * unknown blocks.
 */
class AnthropicMessagesContractTests {

	static final String API_KEY = "sk-ant-test";

	/** Model of requests whose fixture names none (the error example). */
	private static final String FALLBACK_MODEL = "claude-sonnet-4-5-20250929";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<SseFixture> anthropicFixtures() {
		return SseFixture.all("anthropic").stream();
	}

	/** Fixtures that end normally with {@code message_stop}. */
	static Stream<SseFixture> completeFixtures() {
		return anthropicFixtures().filter((fixture) -> !hasErrors(fixture));
	}

	/** Fixtures that hold an {@code error} event. */
	static Stream<SseFixture> errorFixtures() {
		return anthropicFixtures().filter(AnthropicMessagesContractTests::hasErrors);
	}

	private static boolean hasErrors(SseFixture fixture) {
		JsonNode errors = FixtureExpectations.expected(fixture).get("errors");
		return errors != null && !errors.isEmpty();
	}

	static SteerLLMClient client(LoopbackProviderServer server) {
		// one attempt: these tests read one recorded stream, retries are tested in
		// reliability
		return SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(StreamingOptions.builder().retryOnConnectionError(false).build())
			.build();
	}

	static ChatRequest requestFor(SseFixture fixture) {
		String model = FixtureExpectations.text(FixtureExpectations.expected(fixture), "model");
		return ChatRequest.builder()
			.prompt("What's the weather like in San Francisco?")
			.model((model != null) ? model : FALLBACK_MODEL)
			.build();
	}

	@Test
	void fixturesShouldCoverTheMainShapes() {
		assertThat(anthropicFixtures()).hasSizeGreaterThanOrEqualTo(12);
		assertThat(errorFixtures()).extracting(SseFixture::name).containsExactly("docs-error-overloaded");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completeFixtures")
	void streamWithUsageWhenFixtureReplayedShouldYieldExpectedValues(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		StreamingResponse response = client(server.server()).streamWithUsage(requestFor(fixture)).block();
		assertAnthropic(fixture, response);
		assertThat(response.provider()).isEqualTo("anthropic");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completeFixtures")
	void streamWithUsageWhenAggregationOffShouldGiveExactlyTheProviderUsage(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		StreamingOptions options = StreamingOptions.builder().enableUsageAggregation(false).build();
		StreamingResponse response = client(server.server()).streamWithUsage(requestFor(fixture), options).block();
		JsonNode merged = FixtureExpectations.expected(fixture).get("usage").get("merged");
		if (merged == null || merged.isNull()) {
			assertThat(response.usage()).isNull();
		}
		else {
			assertThat(response.usageEstimated()).isFalse();
			assertThat((JsonNode) FixtureExpectations.MAPPER.valueToTree(response.usage().raw())).isEqualTo(merged);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completeFixtures")
	void streamEventsWhenFixtureReplayedShouldAgreeWithTheAssembledResponse(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server()).streamEvents(requestFor(fixture)).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events.get(events.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
		assertThat(events.stream().filter(StreamEvent::isTerminal)).hasSize(1);
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		StringBuilder text = new StringBuilder();
		StringBuilder reasoning = new StringBuilder();
		Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
		List<StreamDeltaEvent> deltas = new ArrayList<>();
		List<StreamUsageEvent> usages = new ArrayList<>();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta) {
				deltas.add(delta);
				assertThat(delta.choiceIndex()).isZero();
				if (delta.kind() == DeltaKind.TEXT) {
					text.append(delta.getText());
				}
				if (delta.kind() == DeltaKind.REASONING) {
					reasoning.append(delta.getText());
				}
				if (delta.kind() == DeltaKind.TOOL_CALL && !delta.toolCall().providerExecuted()) {
					arguments.computeIfAbsent(delta.toolCall().index(), (i) -> new StringBuilder())
						.append(delta.getText());
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
		assertThat(complete.totalChunks()).isEqualTo(deltas.size());
		assertThat(text.toString()).isEqualTo(complete.response().text());
		assertThat(reasoning.toString()).isEqualTo(complete.response().reasoning());
		Map<Integer, String> assembled = new LinkedHashMap<>();
		complete.response().toolCalls().forEach((call) -> assembled.put(call.index(), call.arguments()));
		Map<Integer, String> streamed = new LinkedHashMap<>();
		arguments.forEach((index, args) -> streamed.put(index, args.toString()));
		assertThat(streamed).isEqualTo(assembled);
		// the provider's usage is reported once, when it sent any; an estimate may stand
		// in otherwise
		List<StreamUsageEvent> providerUsages = usages.stream().filter((usage) -> !usage.isEstimated()).toList();
		JsonNode merged = FixtureExpectations.expected(fixture).get("usage").get("merged");
		if (merged == null || merged.isNull()) {
			assertThat(providerUsages).isEmpty();
			assertNoProviderUsage(fixture.toString(), complete.response());
		}
		else {
			assertThat(usages).hasSize(1);
			assertThat(usages.get(0).isEstimated()).isFalse();
			assertThat(usages.get(0).confidence()).isEqualTo(1.0);
			assertThat(usages.get(0).usage()).isEqualTo(complete.usage());
		}
		assertAnthropic(fixture, complete.response());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("completeFixtures")
	void streamWhenFixtureReplayedShouldEmitTheText(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<String> chunks = client(server.server()).stream(requestFor(fixture)).collectList().block();
		assertThat(String.join("", chunks)).isEqualTo(FixtureExpectations.expected(fixture).get("text").asString());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errorFixtures")
	void streamEventsWhenErrorFixtureReplayedShouldEndWithTheProviderError(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server()).streamEvents(requestFor(fixture)).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events).last().isInstanceOf(StreamErrorEvent.class);
		assertThat(events.stream().filter(StreamEvent::isTerminal)).hasSize(1);
		assertAnthropicError(fixture, (StreamErrorEvent) events.get(events.size() - 1));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errorFixtures")
	void streamWithUsageWhenErrorFixtureReplayedShouldSignalTheProviderError(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		JsonNode error = FixtureExpectations.expected(fixture).get("errors").get(0);
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> client(server.server()).streamWithUsage(requestFor(fixture)).block())
			.satisfies((ex) -> {
				assertThat(ex.getProviderErrorType()).isEqualTo(error.get("type").asString());
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getPartialResponse()).isNotNull();
			});
	}

	/**
	 * A turn in which Claude only searched the web and answered: the shape of the
	 * "Streaming request with web search tool use" example of Anthropic's streaming page
	 * (whose elided parts are filled in), with a {@code citations_delta} as the web
	 * search tool page shows it. Anthropic ran the tool, so the turn ends with
	 * {@code end_turn} and there is no tool call for the caller.
	 */
	static final String SERVER_TOOLS_ONLY = """
			event: message_start
			data: {"type":"message_start","message":{"id":"msg_01G","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}

			event: content_block_start
			data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_014h","name":"web_search","input":{}}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"query"}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\": \\"weather NYC today\\"}"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":0 }

			event: content_block_start
			data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014h","content":[{"type":"web_search_result","title":"Weather in New York City","url":"https://example.com/nyc","encrypted_content":"Ev0DCioIAxgCIiQ3","page_age":null}]}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":1}

			event: content_block_start
			data: {"type":"content_block_start","index":2,"content_block":{"citations":[],"type":"text","text":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"Sunny, high of 21 C","url":"https://example.com/nyc","title":"Weather in New York City","encrypted_index":"Eo8BCioIAhgB"}}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"It is sunny in New York City."}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":2}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}

			event: message_stop
			data: {"type":"message_stop"}

			""";

	@Test
	void streamOfOnlyServerToolsEndingEndTurnShouldStopWithoutToolCalls() {
		SseFixture fixture = SseFixture.of("server-tools-only", SERVER_TOOLS_ONLY.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server())
			.streamEvents(ChatRequest.builder()
				.prompt("What is the weather like in New York City today?")
				.model(FALLBACK_MODEL)
				.build())
			.collectList()
			.block();
		assertThat(events).last().isInstanceOf(StreamCompleteEvent.class);
		StreamingResponse response = ((StreamCompleteEvent) events.get(events.size() - 1)).response();
		assertThat(response.finishReason()).isEqualTo("end_turn");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.STOP);
		assertThat(response.toolCalls()).isEmpty();
		assertThat(response.serverToolCalls()).singleElement().satisfies((call) -> {
			assertThat(call.index()).isZero();
			assertThat(call.id()).isEqualTo("srvtoolu_014h");
			assertThat(call.name()).isEqualTo("web_search");
			assertThat(call.input()).isEqualTo("{\"query\": \"weather NYC today\"}");
			assertThat(call.resultType()).isEqualTo("web_search_tool_result");
			assertThat(call.result().get(0).get("url").asString()).isEqualTo("https://example.com/nyc");
		});
		assertThat(response.citations()).singleElement().satisfies((citation) -> {
			assertThat(citation.type()).isEqualTo("web_search_result_location");
			assertThat(citation.url()).isEqualTo("https://example.com/nyc");
			assertThat(citation.title()).isEqualTo("Weather in New York City");
			assertThat(citation.citedText()).isEqualTo("Sunny, high of 21 C");
		});
		assertThat(response.text()).isEqualTo("It is sunny in New York City.");
		assertThat(response.metadata()).doesNotContainKey("stream.unrecognized");
		// the search's input is streamed too, marked as run by the provider
		List<StreamDeltaEvent> toolDeltas = FixtureExpectations.providerExecutedToolDeltas(events);
		assertThat(String.join("", toolDeltas.stream().map(StreamDeltaEvent::getText).toList()))
			.isEqualTo(response.serverToolCalls().get(0).input());
	}

	/**
	 * Extended thinking with a {@code redacted_thinking} block (as the extended thinking
	 * page shows it) and the thinking tokens of the final {@code message_delta}, and a
	 * block type this client does not know ({@code compaction}, with its delta): the
	 * stream completes, the redacted thinking is kept for sending back, the unknown parts
	 * are counted.
	 */
	static final String REDACTED_THINKING_AND_UNKNOWN_BLOCK = """
			event: message_start
			data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":1}}}

			event: content_block_start
			data: {"type":"content_block_start","index":0,"content_block":{"type":"compaction","content":null}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"compaction_delta","content":"Earlier turns, summarised."}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":0}

			event: content_block_start
			data: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":1}

			event: content_block_start
			data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"12,231"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":2}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":300,"output_tokens_details":{"thinking_tokens":280}}}

			event: message_stop
			data: {"type":"message_stop"}

			""";

	@Test
	void redactedThinkingThinkingTokensAndUnknownBlocksShouldReachTheResponse() {
		SseFixture fixture = SseFixture.of("redacted-thinking",
				REDACTED_THINKING_AND_UNKNOWN_BLOCK.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.replay(fixture));
		StreamingResponse response = client(server.server())
			.streamWithUsage(ChatRequest.builder().prompt("What is 27 * 453?").model(FALLBACK_MODEL).build())
			.block();
		assertThat(response.text()).isEqualTo("12,231");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.LENGTH);
		assertThat(response.metadata().get("redacted_thinking")).isEqualTo(List.of("EmwKAhgBEgy3va3pzix"));
		assertThat(response.metadata().get("stream.unrecognized"))
			.isEqualTo(Map.of("content_block:compaction", 1, "delta:compaction_delta", 1));
		assertThat(response.usageEstimated()).isFalse();
		assertThat(response.usage().completionTokens()).isEqualTo(300);
		assertThat(response.usage().reasoningTokens()).isEqualTo(280);
		assertThat(response.serverToolCalls()).isEmpty();
		assertThat(response.toolCalls()).isEmpty();
	}

	/**
	 * Asserts a stream that ended with an {@code error} event matches the expected
	 * errors.
	 */
	static void assertAnthropicError(SseFixture fixture, StreamErrorEvent event) {
		JsonNode expected = FixtureExpectations.expected(fixture);
		String what = fixture.toString();
		JsonNode errors = expected.get("errors");
		// the stream ends at the first error event
		JsonNode first = errors.get(0);
		assertThat(event.errorType()).as(what + " error type").isEqualTo(StreamErrorType.PROVIDER);
		assertThat(event.isRetryable()).as(what + " retryable").isTrue();
		assertThat(event.error()).isInstanceOfSatisfying(ProviderStreamException.class, (ex) -> {
			assertThat(ex.getProvider()).isEqualTo("anthropic");
			assertThat(ex.getProviderErrorType()).as(what + " provider error type")
				.isEqualTo(FixtureExpectations.text(first, "type"));
			assertThat(ex.getProviderMessage()).as(what + " provider message")
				.isEqualTo(FixtureExpectations.text(first, "message"));
			assertThat(ex.getProviderErrorCode()).isNull();
			assertThat(ex.isRetryable()).isTrue();
		});
		StreamingResponse partial = event.partialResponse();
		assertThat(partial.id()).as(what + " id").isEqualTo(FixtureExpectations.text(expected, "id"));
		assertThat(partial.text()).as(what + " text").isEqualTo(FixtureExpectations.text(expected, "text"));
		assertThat(partial.finishReason()).as(what + " stop reason")
			.isEqualTo(FixtureExpectations.text(expected, "stop_reason"));
		// no stop reason arrived before the error
		assertThat(partial.normalizedFinishReason()).as(what + " normalised finish reason")
			.isEqualTo(FinishReason.ERROR);
		assertThat(partial.toolCalls()).as(what + " tool calls").isEmpty();
		assertNoProviderUsage(what, partial);
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

	/** Asserts an Anthropic Messages response equals the fixture's expected values. */
	static void assertAnthropic(SseFixture fixture, StreamingResponse response) {
		JsonNode expected = FixtureExpectations.expected(fixture);
		String what = fixture.toString();
		assertThat(response.id()).as(what + " id").isEqualTo(FixtureExpectations.text(expected, "id"));
		assertThat(response.model()).as(what + " model").isEqualTo(FixtureExpectations.text(expected, "model"));
		assertThat(response.text()).as(what + " text").isEqualTo(FixtureExpectations.text(expected, "text"));
		String thinking = FixtureExpectations.text(expected, "thinking");
		assertThat(response.reasoning()).as(what + " thinking").isEqualTo((thinking != null) ? thinking : "");
		assertThat(response.refusal()).as(what + " refusal").isNull();
		JsonNode signatures = expected.get("thinking_signatures");
		if (signatures == null || signatures.isNull()) {
			assertThat(response.metadata()).as(what + " thinking signatures").doesNotContainKey("thinking_signatures");
		}
		else {
			List<String> expectedSignatures = new ArrayList<>();
			signatures.forEach((signature) -> expectedSignatures.add(signature.asString()));
			assertThat(response.metadata().get("thinking_signatures")).as(what + " thinking signatures")
				.isEqualTo(expectedSignatures);
		}
		assertThat(response.finishReason()).as(what + " stop reason")
			.isEqualTo(FixtureExpectations.text(expected, "stop_reason"));
		assertThat(response.normalizedFinishReason()).as(what + " normalised finish reason")
			.isEqualTo(normalized(FixtureExpectations.text(expected, "stop_reason")));
		assertThat(response.choices().get(0).normalizedFinishReason()).as(what + " choice normalised finish reason")
			.isEqualTo(response.normalizedFinishReason());
		// the recordings hold no server tool, citation or redacted thinking, and nothing
		// unknown
		assertThat(response.serverToolCalls()).as(what + " server tool calls").isEmpty();
		assertThat(response.citations()).as(what + " citations").isEmpty();
		assertThat(response.metadata()).as(what + " metadata")
			.doesNotContainKeys("redacted_thinking", "stream.unrecognized");
		String stopSequence = FixtureExpectations.text(expected, "stop_sequence");
		if (stopSequence == null) {
			assertThat(response.metadata()).as(what + " stop sequence").doesNotContainKey("stop_sequence");
		}
		else {
			assertThat(response.metadata().get("stop_sequence")).as(what + " stop sequence").isEqualTo(stopSequence);
		}
		assertToolCalls(what, expected.get("tool_calls"), response.toolCalls());
		assertUsage(what, expected.get("usage").get("merged"), response);
		assertThat(response.choices()).as(what + " choices").hasSize(1);
	}

	/**
	 * The normalised finish reason of an Anthropic stop reason, written out here rather
	 * than taken from {@link FinishReason#fromAnthropic}, so that the mapping itself is
	 * checked.
	 */
	private static FinishReason normalized(String stopReason) {
		return switch (stopReason) {
			case "end_turn", "stop_sequence" -> FinishReason.STOP;
			case "max_tokens" -> FinishReason.LENGTH;
			case "tool_use" -> FinishReason.TOOL_CALLS;
			default -> throw new IllegalArgumentException("no recording ends with " + stopReason);
		};
	}

	private static void assertToolCalls(String what, JsonNode expectedCalls, List<ToolCall> actual) {
		List<String> expected = new ArrayList<>();
		for (JsonNode call : expectedCalls) {
			expected.add(FixtureExpectations.text(call, "id") + "|" + FixtureExpectations.text(call, "name") + "|"
					+ FixtureExpectations.text(call, "arguments"));
		}
		assertThat(actual).as(what + " tool calls")
			.extracting((call) -> call.id() + "|" + call.name() + "|" + call.arguments())
			.containsExactlyElementsOf(expected);
		for (int i = 0; i < actual.size(); i++) {
			// "" arguments (a call without input) mean the input {}
			String arguments = actual.get(i).arguments();
			JsonNode input = FixtureExpectations.MAPPER.readTree(arguments.isEmpty() ? "{}" : arguments);
			assertThat(input).as(what + " tool call input").isEqualTo(expectedCalls.get(i).get("input"));
		}
	}

	private static void assertUsage(String what, JsonNode merged, StreamingResponse response) {
		if (merged == null || merged.isNull()) {
			assertNoProviderUsage(what, response);
			return;
		}
		Usage usage = response.usage();
		assertThat(usage).as(what + " usage").isNotNull();
		assertThat(response.usageEstimated()).as(what + " usage estimated").isFalse();
		assertThat((JsonNode) FixtureExpectations.MAPPER.valueToTree(usage.raw())).as(what + " raw usage")
			.isEqualTo(merged);
		// key order as sent: message_start's keys, then any the message_delta added
		List<String> keys = new ArrayList<>();
		merged.propertyNames().forEach(keys::add);
		assertThat(usage.raw().keySet()).as(what + " raw usage keys").containsExactlyElementsOf(keys);
		int input = merged.path("input_tokens").asInt(0);
		int cacheRead = merged.path("cache_read_input_tokens").asInt(0);
		int cacheCreation = merged.path("cache_creation_input_tokens").asInt(0);
		int output = merged.path("output_tokens").asInt(0);
		assertThat(usage.promptTokens()).as(what + " prompt tokens").isEqualTo(input + cacheRead + cacheCreation);
		assertThat(usage.completionTokens()).as(what + " completion tokens").isEqualTo(output);
		assertThat(usage.totalTokens()).as(what + " total tokens")
			.isEqualTo(input + cacheRead + cacheCreation + output);
		assertThat(usage.cachedPromptTokens()).as(what + " cached prompt tokens").isEqualTo(cacheRead);
		assertThat(usage.cacheCreationTokens()).as(what + " cache creation tokens").isEqualTo(cacheCreation);
		// output_tokens_details.thinking_tokens, which no recording has
		assertThat(usage.reasoningTokens()).as(what + " reasoning tokens")
			.isEqualTo(merged.path("output_tokens_details").path("thinking_tokens").asInt(0))
			.isZero();
	}

}
