package io.steer.llm.contract;

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
import io.steer.llm.event.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
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
 * Every recorded Anthropic Messages stream, replayed by the loopback server through the real
 * client, yields exactly its expected values; the error example ends with a provider error.
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
		// one attempt: these tests read one recorded stream, retries are tested in reliability
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
				if (delta.kind() == DeltaKind.TOOL_CALL) {
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
		// the provider's usage is reported once, when it sent any; an estimate may stand in otherwise
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

	/** Asserts a stream that ended with an {@code error} event matches the expected errors. */
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
		assertThat(partial.toolCalls()).as(what + " tool calls").isEmpty();
		assertNoProviderUsage(what, partial);
	}

	/**
	 * Asserts a response holds no usage from the provider: none at all, or an estimate when
	 * usage aggregation is on.
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
		assertThat(usage.totalTokens()).as(what + " total tokens").isEqualTo(input + cacheRead + cacheCreation + output);
		assertThat(usage.cachedPromptTokens()).as(what + " cached prompt tokens").isEqualTo(cacheRead);
		assertThat(usage.cacheCreationTokens()).as(what + " cache creation tokens").isEqualTo(cacheCreation);
		// output_tokens_details.thinking_tokens, which no recording has
		assertThat(usage.reasoningTokens()).as(what + " reasoning tokens")
			.isEqualTo(merged.path("output_tokens_details").path("thinking_tokens").asInt(0))
			.isZero();
	}

}
