package io.steer.llm.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SseFixture}.
 */
class SseFixtureTests {

	private static final Path BUNDLED = Path.of("src/main/resources/io/steer/llm/test/fixtures/sse");

	private static final Pattern EVENT_COUNT = Pattern.compile("\"event_count\":\\s*(\\d+)");

	private static final Pattern CONTENT_DELTA = Pattern.compile("\"delta\":\\{\"content\":\"([^\"]*)\"\\}");

	@Test
	void loadReturnsBundledBytesVerbatim() throws IOException {
		SseFixture fixture = SseFixture.load("openai", "chat-text-usage");
		assertThat(fixture.provider()).isEqualTo("openai");
		assertThat(fixture.name()).isEqualTo("chat-text-usage");
		assertThat(fixture.bytes()).isEqualTo(Files.readAllBytes(BUNDLED.resolve("openai/chat-text-usage.sse")));
		assertThat(fixture.expectedJson()).hasValue(
				Files.readString(BUNDLED.resolve("openai/chat-text-usage.expected.json"), StandardCharsets.UTF_8));
		assertThat(fixture).hasToString("SseFixture[openai/chat-text-usage, " + fixture.bytes().length + " bytes]");
	}

	@Test
	void loadWhenFixtureIsMissingThrowsIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseFixture.load("openai", "no-such-stream"))
			.withMessageContaining("openai/no-such-stream");
	}

	@Test
	void bytesReturnsACopy() {
		SseFixture fixture = SseFixture.of("copy", "data: x\n\n".getBytes(StandardCharsets.UTF_8));
		fixture.bytes()[0] = 'X';
		fixture.events().get(0)[0] = 'X';
		assertThat(fixture.bodyAsString()).isEqualTo("data: x\n\n");
	}

	@Test
	void allListsEveryBundledFixtureOfEveryProvider() throws IOException {
		long files;
		try (Stream<Path> paths = Files.walk(BUNDLED)) {
			files = paths.filter((path) -> path.toString().endsWith(".sse")).count();
		}
		List<SseFixture> all = SseFixture.all();
		assertThat(all).hasSize((int) files);
		assertThat(all).extracting(SseFixture::provider).containsOnly("anthropic", "openai", "xai");
		assertThat(all).allSatisfy((fixture) -> assertThat(fixture.expectedJson()).isPresent());
	}

	@Test
	void allWithProviderListsOnlyThatProvidersFixtures() {
		assertThat(SseFixture.all("xai")).extracting(SseFixture::name)
			.containsExactly("chat-reasoning-text", "chat-reasoning-tool-call", "responses-reasoning-summary-text");
		assertThat(SseFixture.all("anthropic")).extracting(SseFixture::provider).containsOnly("anthropic");
	}

	@Test
	void allWithUnknownProviderThrowsIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseFixture.all("open")).withMessageContaining("'open'");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("bundledFixtures")
	void eventsSplitEveryBundledFixtureExactly(SseFixture fixture) {
		List<byte[]> events = fixture.events();
		assertThat(TestClients.concat(events)).isEqualTo(fixture.bytes());
		assertThat(events).allSatisfy((event) -> {
			String text = new String(event, StandardCharsets.UTF_8);
			assertThat(text).endsWith("\n\n");
			assertThat(text.substring(0, text.length() - 2)).doesNotContain("\n\n");
		});
		Matcher eventCount = EVENT_COUNT.matcher(fixture.expectedJson().orElseThrow());
		assertThat(eventCount.find()).isTrue();
		assertThat(events).hasSize(Integer.parseInt(eventCount.group(1)));
	}

	static List<SseFixture> bundledFixtures() {
		return SseFixture.all();
	}

	@Test
	void eventsSplitAfterEachBlankLineAndKeepTrailingBytes() {
		SseFixture fixture = SseFixture.of("lf",
				"data: a\n\nevent: b\ndata: b\n\n\ndata: c".getBytes(StandardCharsets.UTF_8));
		assertThat(fixture.provider()).isEmpty();
		assertThat(fixture.events()).extracting(SseFixtureTests::utf8)
			.containsExactly("data: a\n\n", "event: b\ndata: b\n\n", "\ndata: c");
	}

	@Test
	void eventsRecognizeCrLfAndCrLineTerminators() {
		SseFixture fixture = SseFixture.of("mixed",
				"data: a\r\n\r\ndata: b\r\rdata: c\r\n\ndata: d\n".getBytes(StandardCharsets.UTF_8));
		assertThat(fixture.events()).extracting(SseFixtureTests::utf8)
			.containsExactly("data: a\r\n\r\n", "data: b\r\r", "data: c\r\n\n", "data: d\n");
	}

	@Test
	void eventsOfEmptyBodyIsEmpty() {
		assertThat(SseFixture.of("empty", new byte[0]).events()).isEmpty();
	}

	@Test
	void fromPathReadsProviderNameAndExpectedJson(@TempDir Path dir) throws IOException {
		Path folder = Files.createDirectory(dir.resolve("anthropic"));
		Path sse = Files.writeString(folder.resolve("custom.sse"), "event: ping\ndata: {}\n\n");
		Files.writeString(folder.resolve("custom.expected.json"), "{\"ping_count\": 1}");
		Path bare = Files.writeString(folder.resolve("bare.sse"), "data: [DONE]\n\n");
		SseFixture fixture = SseFixture.fromPath(sse);
		assertThat(fixture.provider()).isEqualTo("anthropic");
		assertThat(fixture.name()).isEqualTo("custom");
		assertThat(fixture.bodyAsString()).isEqualTo("event: ping\ndata: {}\n\n");
		assertThat(fixture.expectedJson()).hasValue("{\"ping_count\": 1}");
		assertThat(SseFixture.fromPath(bare).expectedJson()).isEmpty();
	}

	@Test
	void syntheticOpenAiChatHasTheRequestedContentDeltasThenDone() {
		SseFixture fixture = SseFixture.syntheticOpenAiChat(2000);
		List<byte[]> events = fixture.events();
		assertThat(events).hasSize(2004);
		assertThat(CONTENT_DELTA.matcher(fixture.bodyAsString()).results().count()).isEqualTo(2000);
		assertThat(utf8(events.get(events.size() - 1))).isEqualTo("data: [DONE]\n\n");
		assertThat(utf8(events.get(events.size() - 2))).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":14,"
				+ "\"completion_tokens\":2000,\"total_tokens\":2014,");
		assertThat(fixture.provider()).isEqualTo("openai");
		assertThat(fixture.name()).isEqualTo("synthetic-chat-2000");
	}

	@Test
	void syntheticOpenAiChatHasTheShapeOfTheRecordedStream() {
		List<String> recorded = SseFixture.load("openai", "chat-text-usage")
			.events()
			.stream()
			.map(SseFixtureTests::utf8)
			.map((event) -> event.replace("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL", "ID"))
			.toList();
		List<String> synthetic = SseFixture.syntheticOpenAiChat(30)
			.events()
			.stream()
			.map(SseFixtureTests::utf8)
			.map((event) -> event.replace("chatcmpl-steerSyntheticStream000000000", "ID"))
			.toList();
		assertThat(synthetic).hasSameSizeAs(recorded);
		assertThat(synthetic.get(0)).isEqualTo(recorded.get(0));
		assertThat(synthetic.get(1)).isEqualTo(recorded.get(1).replace("I'm", " stream0"));
		assertThat(synthetic.subList(synthetic.size() - 3, synthetic.size()))
			.isEqualTo(recorded.subList(recorded.size() - 3, recorded.size()));
	}

	@Test
	void syntheticOpenAiChatExpectedJsonDescribesTheStream() {
		SseFixture fixture = SseFixture.syntheticOpenAiChat(25);
		StringBuilder text = new StringBuilder();
		CONTENT_DELTA.matcher(fixture.bodyAsString()).results().forEach((delta) -> text.append(delta.group(1)));
		assertThat(text.toString()).startsWith(" stream0 token1 delta2").contains(" stream10 ");
		String expectedJson = fixture.expectedJson().orElseThrow();
		assertThat(expectedJson).contains("\"text\": \"" + text + "\"", "\"finish_reason\": \"stop\"",
				"\"completion_tokens\": 25", "\"total_tokens\": 39", "\"done_marker\": true", "\"event_count\": 29");
	}

	@Test
	void syntheticOpenAiChatWithNegativeDeltasThrowsIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseFixture.syntheticOpenAiChat(-1));
	}

	private static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
