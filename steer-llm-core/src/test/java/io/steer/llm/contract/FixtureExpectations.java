package io.steer.llm.contract;

import java.util.ArrayList;
import java.util.List;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.Choice;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.test.SseFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a fixture's {@code .expected.json} and checks a {@link StreamingResponse} against
 * it. The expected values were derived from the recording by a script outside this
 * repository; they are never edited to fit the code. Also the checks of a stream's events
 * that several contract tests make.
 */
final class FixtureExpectations {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private FixtureExpectations() {
	}

	static JsonNode expected(SseFixture fixture) {
		return MAPPER
			.readTree(fixture.expectedJson().orElseThrow(() -> new AssertionError("no .expected.json for " + fixture)));
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	/**
	 * The normalised finish reason of each recorded OpenAI and xAI stream, written out by
	 * hand from the recording's {@code finish_reason} (Chat Completions) or status and
	 * output items (Responses API), so that a new recording must be added here.
	 */
	static FinishReason normalizedFinishReason(SseFixture fixture) {
		return switch (fixture.provider() + "/" + fixture.name()) {
			case "openai/chat-text-usage", "openai/chat-text-usage-details-gpt-4.1-nano", "openai/chat-json-schema",
					"openai/chat-json-object", "openai/chat-refusal", "openai/chat-n3-choices", "openai/chat-logprobs",
					"xai/chat-reasoning-text" ->
				FinishReason.STOP;
			case "openai/chat-finish-length" -> FinishReason.LENGTH;
			case "openai/chat-tool-call-strict", "openai/chat-tool-call-nonstrict", "openai/chat-parallel-tool-calls",
					"xai/chat-reasoning-tool-call" ->
				FinishReason.TOOL_CALLS;
			case "openai/responses-text", "openai/responses-text-with-reasoning-item",
					"openai/responses-text-after-function-output", "openai/responses-structured-output",
					"xai/responses-reasoning-summary-text" ->
				FinishReason.STOP;
			case "openai/responses-function-call", "openai/responses-reasoning-summary-function-call" ->
				FinishReason.TOOL_CALLS;
			case "openai/responses-error-insufficient-quota" -> FinishReason.ERROR;
			default -> throw new AssertionError("no normalised finish reason written down for " + fixture);
		};
	}

	/**
	 * Asserts what every recorded stream holds: its normalised finish reason (on the
	 * response and on each choice), no provider-run tool call, no citation, and nothing
	 * the parser did not understand.
	 */
	static void assertNormalized(SseFixture fixture, StreamingResponse response) {
		String what = fixture.toString();
		FinishReason expected = normalizedFinishReason(fixture);
		assertThat(response.normalizedFinishReason()).as(what + " normalized finish reason").isEqualTo(expected);
		assertThat(response.choices()).as(what + " normalized finish reason of each choice")
			.allSatisfy((choice) -> assertThat(choice.normalizedFinishReason()).isEqualTo(expected));
		assertThat(response.serverToolCalls()).as(what + " server tool calls").isEmpty();
		assertThat(response.citations()).as(what + " citations").isEmpty();
		assertThat(response.metadata()).as(what + " unrecognized parts").doesNotContainKey("stream.unrecognized");
	}

	/** Asserts a Chat Completions response (OpenAI or xAI) equals the expected values. */
	static void assertChatCompletions(SseFixture fixture, StreamingResponse response) {
		JsonNode expected = expected(fixture);
		String what = fixture.toString();
		assertThat(response.id()).as(what + " id").isEqualTo(text(expected, "id"));
		assertThat(response.model()).as(what + " model").isEqualTo(text(expected, "model"));
		assertThat(response.text()).as(what + " text").isEqualTo(text(expected, "text"));
		assertThat(response.finishReason()).as(what + " finish reason").isEqualTo(text(expected, "finish_reason"));
		assertThat(response.refusal()).as(what + " refusal").isEqualTo(text(expected, "refusal"));
		String reasoning = text(expected, "reasoning_content");
		assertThat(response.reasoning()).as(what + " reasoning").isEqualTo((reasoning != null) ? reasoning : "");
		assertUsage(what, expected.get("usage"), response);
		assertCost(what, expected.get("usage"), response);
		assertToolCalls(what, expected.get("tool_calls"), response.toolCalls());
		JsonNode choices = expected.get("choices");
		if (choices != null) {
			assertThat(response.choices()).as(what + " choices").hasSize(choices.size());
			for (JsonNode choice : choices) {
				Choice actual = response.choices().get(choice.get("index").asInt());
				assertThat(actual.text()).as(what + " choice text").isEqualTo(text(choice, "text"));
				assertThat(actual.finishReason()).as(what + " choice finish").isEqualTo(text(choice, "finish_reason"));
			}
		}
		else {
			assertThat(response.choices()).as(what + " choices").hasSize(1);
		}
		assertNormalized(fixture, response);
	}

	static void assertUsage(String what, JsonNode expectedUsage, StreamingResponse response) {
		assertThat(response.usage()).as(what + " usage").isNotNull();
		assertThat(response.usageEstimated()).as(what + " usage estimated").isFalse();
		assertThat((JsonNode) MAPPER.valueToTree(response.usage().raw())).as(what + " raw usage")
			.isEqualTo(expectedUsage);
		assertThat(response.usage().promptTokens()).isEqualTo(expectedUsage.get("prompt_tokens").asInt());
		assertThat(response.usage().completionTokens()).isEqualTo(expectedUsage.get("completion_tokens").asInt());
		assertThat(response.usage().totalTokens()).isEqualTo(expectedUsage.get("total_tokens").asInt());
		assertThat(response.usage().reasoningTokens())
			.isEqualTo(expectedUsage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
		assertThat(response.usage().cachedPromptTokens())
			.isEqualTo(expectedUsage.path("prompt_tokens_details").path("cached_tokens").asInt(0));
	}

	/**
	 * Every recorded model has a price, so the cost is known and exact; where xAI
	 * recorded what it billed ({@code cost_in_usd_ticks}, 1 tick = 1e-10 USD) the cost
	 * equals it.
	 */
	static void assertCost(String what, JsonNode expectedUsage, StreamingResponse response) {
		assertThat(response.costUsd()).as(what + " cost").isNotNull().isPositive();
		assertThat(response.costEstimated()).as(what + " cost estimated").isFalse();
		if (expectedUsage.has("cost_in_usd_ticks")) {
			java.math.BigDecimal billed = new java.math.BigDecimal(expectedUsage.get("cost_in_usd_ticks").asLong())
				.scaleByPowerOfTen(-10);
			assertThat(response.costUsd()).as(what + " cost equals xAI's bill").isEqualByComparingTo(billed);
		}
	}

	static void assertToolCalls(String what, JsonNode expectedCalls, List<ToolCall> actual) {
		List<String> expected = new ArrayList<>();
		for (JsonNode call : expectedCalls) {
			expected.add(text(call, "id") + "|" + text(call, "name") + "|" + text(call, "arguments"));
			if (call.has("arguments_is_valid_json") && call.get("arguments_is_valid_json").asBoolean()) {
				assertThat(MAPPER.readTree(text(call, "arguments")).isObject())
					.as(what + " arguments are a JSON object")
					.isTrue();
			}
		}
		assertThat(actual).as(what + " tool calls")
			.extracting((call) -> call.id() + "|" + call.name() + "|" + call.arguments())
			.containsExactlyElementsOf(expected);
	}

	/**
	 * The tool call deltas of a stream in which the provider ran one tool: asserts there
	 * are some, and that each is marked as run by the provider and belongs to call 0.
	 * @param events the events of the stream
	 * @return the tool call deltas, in order
	 */
	static List<StreamDeltaEvent> providerExecutedToolDeltas(List<StreamEvent> events) {
		List<StreamDeltaEvent> toolDeltas = events.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map(StreamDeltaEvent.class::cast)
			.filter((delta) -> delta.kind() == DeltaKind.TOOL_CALL)
			.toList();
		assertThat(toolDeltas).isNotEmpty().allSatisfy((delta) -> {
			assertThat(delta.toolCall().providerExecuted()).isTrue();
			assertThat(delta.toolCall().index()).isZero();
		});
		return toolDeltas;
	}

}
