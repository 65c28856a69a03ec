package io.steer.llm.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.steer.llm.test.SseFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonStreamHandler} over every JSON text of the recorded streams, split
 * at every char position, one char per delta, and at random.
 */
class JsonStreamHandlerFixtureTests {

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private static final Map<String, List<String>> JSON_TEXTS = Map.of("openai",
			List.of("chat-json-object", "chat-json-schema", "chat-n3-choices", "responses-structured-output"),
			"anthropic", List.of("structured-output-json-schema"));

	private static final Map<String, List<String>> TOOL_CALLS = Map.of("openai",
			List.of("chat-tool-call-strict", "chat-tool-call-nonstrict", "chat-parallel-tool-calls",
					"responses-function-call"),
			"anthropic", List.of("tool-use-input-json-delta", "docs-tool-use", "text-and-tool-use-no-args"), "xai",
			List.of("chat-reasoning-tool-call"));

	static Stream<Arguments> texts() {
		List<Arguments> texts = new ArrayList<>();
		JSON_TEXTS.forEach((provider, names) -> names.forEach((name) -> {
			JsonNode expected = expected(provider, name);
			texts.add(Arguments.of(provider + "/" + name, expected.get("text").asString(),
					JsonStreamHandler.Settings.ANSWER));
			JsonNode choices = expected.get("choices");
			if (choices != null) {
				choices.forEach((choice) -> texts
					.add(Arguments.of(provider + "/" + name + " choice " + choice.get("index").asInt(),
							choice.get("text").asString(), JsonStreamHandler.Settings.ANSWER)));
			}
		}));
		TOOL_CALLS.forEach((provider, names) -> names.forEach((name) -> {
			JsonNode calls = expected(provider, name).get("tool_calls");
			assertThat(calls.size()).isPositive();
			calls.forEach((call) -> texts.add(Arguments.of(provider + "/" + name + " " + call.get("name").asString(),
					call.get("arguments").asString(), JsonStreamHandler.Settings.TOOL_ARGUMENTS)));
		}));
		assertThat(texts).hasSizeGreaterThanOrEqualTo(17);
		return texts.stream();
	}

	private static JsonNode expected(String provider, String name) {
		return MAPPER.readTree(SseFixture.load(provider, name).expectedJson().orElseThrow());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("texts")
	void everyTwoDeltaSplitYieldsTheParsedText(String name, String text, JsonStreamHandler.Settings settings) {
		JsonNode expected = text.isBlank() ? null : MAPPER.readTree(text);
		for (int split = 0; split <= text.length(); split++) {
			check(List.of(text.substring(0, split), text.substring(split)), expected, settings);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("texts")
	void oneCharPerDeltaYieldsTheParsedText(String name, String text, JsonStreamHandler.Settings settings) {
		JsonNode expected = text.isBlank() ? null : MAPPER.readTree(text);
		List<String> deltas = new ArrayList<>();
		for (int i = 0; i < text.length(); i++) {
			deltas.add(text.substring(i, i + 1));
		}
		check(deltas, expected, settings);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("texts")
	void randomSplitsYieldTheParsedText(String name, String text, JsonStreamHandler.Settings settings) {
		JsonNode expected = text.isBlank() ? null : MAPPER.readTree(text);
		Random random = new Random(12);
		for (int run = 0; run < 50; run++) {
			List<String> deltas = new ArrayList<>();
			int at = 0;
			while (at < text.length()) {
				int next = Math.min(text.length(), at + random.nextInt(8));
				deltas.add(text.substring(at, next));
				at = next;
			}
			check(deltas, expected, settings);
		}
	}

	static void check(List<String> deltas, JsonNode expected, JsonStreamHandler.Settings settings) {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, settings);
		List<JsonSnapshot> snapshots = new ArrayList<>();
		List<JsonNode> copies = new ArrayList<>();
		for (String delta : deltas) {
			JsonSnapshot snapshot = handler.append(delta);
			if (snapshot != null) {
				assertThat(snapshot.changedPaths()).isNotEmpty();
				snapshots.add(snapshot);
				copies.add(snapshot.value().deepCopy());
			}
		}
		JsonOutcome outcome = handler.finish();
		assertThat(outcome.error()).isNull();
		assertThat(outcome.duplicates()).isZero();
		assertThat(outcome.value()).isEqualTo(expected);
		assertThat(handler.finish()).isSameAs(outcome);
		if (expected == null) {
			assertThat(snapshots).isEmpty();
			return;
		}
		for (int i = 0; i < snapshots.size(); i++) {
			assertThat(snapshots.get(i).value()).as("snapshot %d unchanged", i).isEqualTo(copies.get(i));
			if (i > 0) {
				JsonSnapshots.assertGrows(copies.get(i - 1), copies.get(i));
			}
		}
		JsonSnapshot last = snapshots.get(snapshots.size() - 1);
		assertThat(last.complete()).isTrue();
		assertThat(last.value()).isEqualTo(expected);
		assertThat(snapshots.subList(0, snapshots.size() - 1)).noneMatch(JsonSnapshot::complete);
		if (expected.isArray()) {
			assertThat(last.completedElements()).isEqualTo(expected.size());
		}
	}

}
