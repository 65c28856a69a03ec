package io.steer.llm.json;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonStreamHandler} on hand-made (synthetic) texts.
 */
class JsonStreamHandlerTests {

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private static final JsonStreamHandler.Settings VALIDATING = new JsonStreamHandler.Settings(true,
			JsonDuplicatePolicy.FIRST, true);

	@Test
	void snapshotsShowOpenStringsDropDanglingKeysAndListChangedPaths() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		JsonSnapshot root = handler.append("{\"na");
		assertThat(root.value()).isEqualTo(json("{}"));
		assertThat(root.changedPaths()).containsExactly("");
		JsonSnapshot name = handler.append("me\": \"Wid");
		assertThat(name.value()).isEqualTo(json("{\"name\":\"Wid\"}"));
		assertThat(name.changedPaths()).containsExactly("/name");
		JsonSnapshot grown = handler.append("get\", \"pr");
		assertThat(grown.value()).isEqualTo(json("{\"name\":\"Widget\"}"));
		assertThat(grown.changedPaths()).containsExactly("/name");
		assertThat(handler.append("ice\": 1")).isNull();
		JsonSnapshot price = handler.append("2.5, \"tags\": [\"a\", {\"x/y~\": tr");
		assertThat(price.value()).isEqualTo(json("{\"name\":\"Widget\",\"price\":12.5,\"tags\":[\"a\",{}]}"));
		assertThat(price.changedPaths()).containsExactly("/price", "/tags");
		JsonSnapshot literal = handler.append("ue}");
		assertThat(literal.changedPaths()).containsExactly("/tags/1", "/tags/1/x~1y~0");
		assertThat(literal.complete()).isFalse();
		JsonSnapshot done = handler.append("]}");
		assertThat(done.complete()).isTrue();
		assertThat(done.changedPaths()).containsExactly("", "/tags");
		assertThat(done.value())
			.isEqualTo(json("{\"name\":\"Widget\",\"price\":12.5,\"tags\":[\"a\",{\"x/y~\":true}]}"));
		assertThat(handler.finish().value()).isSameAs(done.value());
	}

	@Test
	void closedContainersAreSharedBetweenSnapshots() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		JsonSnapshot first = handler.append("{\"a\": {\"b\": 1}, \"c\": \"x");
		JsonSnapshot second = handler.append("y");
		assertThat(second.value().get("a")).isSameAs(first.value().get("a"));
		assertThat(first.value()).isEqualTo(json("{\"a\":{\"b\":1},\"c\":\"x\"}"));
	}

	@Test
	void topLevelArrayCountsCompletedElements() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		JsonSnapshot open = handler.append("[{\"id\": 1");
		assertThat(open.value()).isEqualTo(json("[{}]"));
		assertThat(open.completedElements()).isZero();
		JsonSnapshot closed = handler.append(", \"n\": 2}");
		assertThat(closed.completedElements()).isOne();
		assertThat(closed.changedPaths()).containsExactly("/0", "/0/id", "/0/n");
		JsonSnapshot next = handler.append(", 3, [");
		assertThat(next.completedElements()).isEqualTo(2);
		assertThat(next.value()).isEqualTo(json("[{\"id\":1,\"n\":2},3,[]]"));
		JsonSnapshot done = handler.append("]]");
		assertThat(done.completedElements()).isEqualTo(3);
		assertThat(done.complete()).isTrue();
	}

	@Test
	void brokenJsonWhenValidatingThrowsAtTheFirstBadCharacter() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, VALIDATING);
		assertThat(handler.append("Sure: {\"é\": \"ü\", ")).isNotNull();
		assertThatExceptionOfType(JsonStreamException.class).isThrownBy(() -> handler.append("\"b\": [1 }"))
			.satisfies((ex) -> {
				assertThat(ex.offset()).isEqualTo(25);
				assertThat(ex.reason()).isEqualTo("unexpected character '}'");
			});
		assertThatExceptionOfType(JsonStreamException.class)
			.isThrownBy(() -> new JsonStreamHandler(MAPPER, VALIDATING).append("{\"a\" 1}"))
			.satisfies((ex) -> {
				assertThat(ex.offset()).isEqualTo(5);
				assertThat(ex.reason()).isEqualTo("unexpected character '1'");
			});
	}

	@Test
	void brokenJsonWhenNotValidatingStopsSnapshotsAndFinishReportsIt() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		assertThat(handler.append("{\"a\": [1, 2")).isNotNull();
		assertThat(handler.append(", }, \"b\": \"c\"")).isNull();
		assertThat(handler.append("}")).isNull();
		JsonOutcome outcome = handler.finish();
		assertThat(outcome.value()).isNull();
		assertThat(outcome.error().offset()).isEqualTo(13);
		assertThat(outcome.error().reason()).isEqualTo("unexpected character '}'");
		assertThat(handler.length()).isEqualTo(25);
	}

	@Test
	void truncatedTextIsReportedByFinishAtItsLength() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		handler.append("```json\n{\"a\": \"unfinish");
		JsonOutcome outcome = handler.finish();
		assertThat(outcome.value()).isNull();
		assertThat(outcome.error().reason()).isEqualTo("unexpected end of the JSON text");
		assertThat(outcome.error().offset()).isEqualTo(23);
	}

	@Test
	void toolArgumentsAllowOnlyWhitespaceBeforeTheValue() {
		assertThat(new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.TOOL_ARGUMENTS).finish())
			.isEqualTo(new JsonOutcome(null, 0, null));
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.TOOL_ARGUMENTS);
		assertThat(handler.append(" x{\"a\":1}")).isNull();
		assertThat(handler.finish().error().offset()).isEqualTo(1);
		assertThat(handler.finish().error().reason()).isEqualTo("unexpected character 'x'");
	}

	@Test
	void duplicatesUnderEachPolicy() {
		String twice = "{\"a\":1}\n{\"a\":1}";
		String different = "{\"a\":1}{\"b\":[2]}";
		String repeat = "Here: {\"a\":\"x\"} and again: {\"a\":\"x\"}";
		for (String text : List.of(twice, different, repeat)) {
			JsonOutcome first = feed(text, JsonDuplicatePolicy.FIRST);
			assertThat(first.value())
				.isEqualTo(MAPPER.readTree(text.substring(text.indexOf('{'), text.indexOf('}') + 1)));
			assertThat(first.duplicates()).isOne();
			JsonOutcome last = feed(text, JsonDuplicatePolicy.LAST);
			assertThat(last.value()).isEqualTo(MAPPER.readTree(text.substring(text.lastIndexOf('{'))));
			assertThat(last.duplicates()).isOne();
			JsonStreamHandler handler = handler(JsonDuplicatePolicy.FAIL);
			handler.append(text.substring(0, text.lastIndexOf('{') - 1));
			assertThatExceptionOfType(JsonStreamException.class)
				.isThrownBy(() -> handler.append(text.substring(text.lastIndexOf('{') - 1)))
				.satisfies((ex) -> {
					assertThat(ex.offset()).isEqualTo(text.lastIndexOf('{'));
					assertThat(ex.reason()).isEqualTo("a second JSON value");
				});
		}
	}

	@Test
	void laterValueBrokenOrUnfinishedDoesNotReplaceTheFirst() {
		JsonOutcome unfinished = feed("{\"a\":1} {\"b\":", JsonDuplicatePolicy.LAST);
		assertThat(unfinished.value()).isEqualTo(json("{\"a\":1}"));
		assertThat(unfinished.duplicates()).isOne();
		assertThat(unfinished.error()).isNull();
		JsonOutcome broken = feed("{\"a\":1} {\"b\" 2} done", JsonDuplicatePolicy.LAST);
		assertThat(broken.value()).isEqualTo(json("{\"a\":1}"));
		assertThat(broken.duplicates()).isZero();
		assertThat(broken.error()).isNull();
		JsonOutcome unfinishedFirst = feed("[1] [2", JsonDuplicatePolicy.FIRST);
		assertThat(unfinishedFirst.value()).isEqualTo(json("[1]"));
		assertThat(unfinishedFirst.duplicates()).isOne();
	}

	@Test
	void secondValueMakesNoSnapshot() {
		JsonStreamHandler handler = handler(JsonDuplicatePolicy.LAST);
		assertThat(handler.append("{\"a\":1}").complete()).isTrue();
		assertThat(handler.append("{\"b\":\"x")).isNull();
		assertThat(handler.append("\"}")).isNull();
		assertThat(handler.finish().value()).isEqualTo(json("{\"b\":\"x\"}"));
	}

	@Test
	void fencesThinkingAndProseAroundTheValueAreSkipped() {
		String text = "<think>maybe {\"no\": 1} or [2]</think>\n<thinking>{x}</thinking>Sure, here it is:\n"
				+ "```json\n{\"ok\": true}\n```\nHope it helps.";
		for (int split = 0; split <= text.length(); split++) {
			JsonStreamHandler handler = new JsonStreamHandler(MAPPER, VALIDATING);
			handler.append(text.substring(0, split));
			handler.append(text.substring(split));
			assertThat(handler.finish()).isEqualTo(new JsonOutcome(json("{\"ok\":true}"), 0, null));
		}
	}

	@Test
	void unicodeEscapesAndSurrogatePairsSplitAcrossDeltas() {
		String text = "{\"s\": \"caf\\u00e9 \\uD83D\\uDE00 \uD83D\uDE00 \\n\\\"q\\\\\"}";
		JsonNode expected = MAPPER.readTree(text);
		for (int split = 0; split <= text.length(); split++) {
			if (split > 0 && Character.isHighSurrogate(text.charAt(split - 1))) {
				continue;
			}
			List<JsonSnapshot> snapshots = new ArrayList<>();
			JsonStreamHandler handler = new JsonStreamHandler(MAPPER, VALIDATING);
			for (String delta : List.of(text.substring(0, split), text.substring(split))) {
				JsonSnapshot snapshot = handler.append(delta);
				if (snapshot != null) {
					snapshots.add(snapshot);
				}
			}
			for (JsonSnapshot snapshot : snapshots) {
				if (snapshot.value().get("s") == null) {
					continue;
				}
				String s = snapshot.value().get("s").asString();
				assertThat(expected.get("s").asString()).startsWith(s);
				assertThat(Character.isHighSurrogate(s.isEmpty() ? 'x' : s.charAt(s.length() - 1))).isFalse();
			}
			assertThat(handler.finish().value()).isEqualTo(expected);
		}
		List<String> chars = new ArrayList<>();
		text.codePoints().forEach((cp) -> chars.add(new String(Character.toChars(cp))));
		JsonStreamHandlerFixtureTests.check(chars, expected, VALIDATING);
	}

	@Test
	void emojiSplitBetweenItsTwoCharsIsHeldBack() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, VALIDATING);
		assertThat(handler.append("{\"e\": \"a\uD83D").value()).isEqualTo(json("{\"e\":\"a\"}"));
		assertThat(handler.append("\uDE00\"}").value().get("e").asString()).isEqualTo("a\uD83D\uDE00");
		assertThat(handler.length()).isEqualTo(12);
	}

	@Test
	void deepNesting() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 300; i++) {
			text.append((i % 2 == 0) ? "{\"k\":" : "[");
		}
		text.append("\"leaf\"");
		for (int i = 299; i >= 0; i--) {
			text.append((i % 2 == 0) ? "}" : "]");
		}
		List<String> deltas = new ArrayList<>();
		for (int i = 0; i < text.length(); i += 3) {
			deltas.add(text.substring(i, Math.min(text.length(), i + 3)));
		}
		JsonStreamHandlerFixtureTests.check(deltas, MAPPER.readTree(text.toString()), VALIDATING);
	}

	@Test
	void numbersAndLiteralsAppearOnlyWhenComplete() {
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		assertThat(handler.append("[12").value()).isEqualTo(json("[]"));
		assertThat(handler.append("34")).isNull();
		assertThat(handler.append(", nu")).satisfies((s) -> assertThat(s.value()).isEqualTo(json("[1234]")));
		assertThat(handler.append("ll, -1.5e3, 12345678901234567890]").value())
			.isEqualTo(json("[1234, null, -1.5e3, 12345678901234567890]"));
	}

	@Test
	void openSnapshotsReadLikeAnyObjectAndCannotBeChanged() {
		StringBuilder text = new StringBuilder("{");
		for (int i = 0; i < 20; i++) {
			text.append("\"key").append(i).append("\": [").append(i).append("], ");
		}
		text.append("\"open\": [1, {\"s\": \"ab");
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		JsonNode value = handler.append(text.toString()).value();
		assertThat(value.size()).isEqualTo(21);
		assertThat(value.get("key15")).isEqualTo(json("[15]"));
		assertThat(value.has("nokey")).isFalse();
		assertThat(value.at("/open/1/s").asString()).isEqualTo("ab");
		assertThat(MAPPER.writeValueAsString(value)).endsWith("\"key19\":[19],\"open\":[1,{\"s\":\"ab\"}]}");
		assertThat(json(MAPPER.writeValueAsString(value))).isEqualTo(value);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ((tools.jackson.databind.node.ObjectNode) value).put("x", 1));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ((tools.jackson.databind.node.ArrayNode) value.get("open")).add(2));
	}

	@Test
	void repeatedKeysEndAsReadTreeHasThem() {
		String text = "{\"a\": \"x\", \"b\": 1, \"a\": {\"c\": [2]}, \"d\": 3}";
		JsonStreamHandler handler = new JsonStreamHandler(MAPPER, JsonStreamHandler.Settings.ANSWER);
		List<JsonSnapshot> snapshots = new ArrayList<>();
		List<JsonNode> copies = new ArrayList<>();
		for (int i = 0; i < text.length(); i++) {
			JsonSnapshot snapshot = handler.append(text.substring(i, i + 1));
			if (snapshot != null) {
				snapshots.add(snapshot);
				copies.add(snapshot.value().deepCopy());
			}
		}
		for (int i = 0; i < snapshots.size(); i++) {
			assertThat(snapshots.get(i).value()).isEqualTo(copies.get(i));
		}
		assertThat(handler.finish().value()).isEqualTo(MAPPER.readTree(text));
		assertThat(MAPPER.writeValueAsString(handler.finish().value()))
			.isEqualTo("{\"a\":{\"c\":[2]},\"b\":1,\"d\":3}");
	}

	private static JsonOutcome feed(String text, JsonDuplicatePolicy policy) {
		JsonStreamHandler handler = handler(policy);
		for (int i = 0; i < text.length(); i += 2) {
			handler.append(text.substring(i, Math.min(text.length(), i + 2)));
		}
		return handler.finish();
	}

	private static JsonStreamHandler handler(JsonDuplicatePolicy policy) {
		return new JsonStreamHandler(MAPPER, new JsonStreamHandler.Settings(false, policy, true));
	}

	private static JsonNode json(String text) {
		return MAPPER.readTree(text);
	}

}
