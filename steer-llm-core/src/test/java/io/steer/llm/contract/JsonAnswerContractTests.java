package io.steer.llm.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Choice;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every recorded JSON answer, with the JSON stream handler on, served whole and split at
 * many byte positions: {@code json()} (and each choice's) equals the final text parsed;
 * the snapshots arrive on JSON text deltas, never shrink, and the last is complete and
 * equal to {@code json()}. Every recorded tool call gets argument snapshots ending equal
 * to its parsed arguments.
 */
class JsonAnswerContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final StreamingOptions OPTIONS = StreamingOptions.JSON_MODE.toBuilder()
		.retryOnConnectionError(false)
		.logStreamingMetrics(false)
		.build();

	private static final Map<String, Object> WEATHER_SCHEMA = Map.of(
			"type", "object", "properties", Map.of("city", Map.of("type", "string"), "temperature",
					Map.of("type", "number"), "units", Map.of("type", "string")),
			"required", List.of("city", "temperature", "units"));

	static Stream<Arguments> jsonAnswers() {
		List<Arguments> cases = new ArrayList<>();
		for (Split split : Split.values()) {
			cases.add(Arguments.of("openai", "chat-json-object", ResponseFormat.jsonObject(), split));
			cases.add(Arguments.of("openai", "chat-json-schema",
					ResponseFormat.jsonSchema("weather", WEATHER_SCHEMA, true), split));
			cases.add(Arguments.of("openai", "chat-n3-choices",
					ResponseFormat.jsonSchema("weather", WEATHER_SCHEMA, true), split));
			cases
				.add(Arguments.of("openai", "responses-structured-output",
						ResponseFormat.jsonSchema("weather",
								Map.of("type", "object", "properties", Map.of("temperatureCelsius",
										Map.of("type", "number"), "condition", Map.of("type", "string"))),
								true),
						split));
			cases.add(Arguments.of("anthropic", "structured-output-json-schema",
					ResponseFormat.jsonSchema("ids", Map.of("type", "array", "items", Map.of("type", "integer")), true),
					split));
		}
		return cases.stream();
	}

	static Stream<Arguments> toolCalls() {
		List<Arguments> cases = new ArrayList<>();
		List<String[]> fixtures = List.of(new String[] { "openai", "chat-tool-call-strict" },
				new String[] { "openai", "chat-tool-call-nonstrict" },
				new String[] { "openai", "chat-parallel-tool-calls" },
				new String[] { "openai", "responses-function-call" },
				new String[] { "xai", "chat-reasoning-tool-call" },
				new String[] { "anthropic", "tool-use-input-json-delta" },
				new String[] { "anthropic", "docs-tool-use" });
		for (Split split : Split.values()) {
			for (String[] fixture : fixtures) {
				cases.add(Arguments.of(fixture[0], fixture[1], split));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}/{1} {3}")
	@MethodSource("jsonAnswers")
	void streamEventsWhenJsonAnswerShouldYieldTheFinalTextParsedWithGrowingSnapshots(String provider, String name,
			ResponseFormat format, Split split) {
		SseFixture fixture = SseFixture.load(provider, name);
		server.server().enqueue(MockResponse.chunks(split.apply(fixture.bytes())));
		ChatRequest request = request(provider, fixture).toBuilder().responseFormat(format).build();
		List<StreamEvent> events = client(provider, fixture, server.server()).streamEvents(request, OPTIONS)
			.collectList()
			.block();
		StreamingResponse response = complete(events).response();
		assertThat(response.json()).isEqualTo(mapper.readTree(response.text()));
		assertThat(response.jsonResult()).isNotNull();
		assertThat(response.jsonResult().value()).isEqualTo(response.json());
		assertThat(response.jsonResult().schemaViolations()).isEmpty();
		assertThat(response.jsonResult().duplicates()).isZero();
		assertThat(response.choices()).isNotEmpty();
		for (Choice choice : response.choices()) {
			JsonNode parsed = mapper.readTree(choice.text());
			assertThat(choice.json()).isEqualTo(parsed);
			List<JsonSnapshot> snapshots = events.stream()
				.filter(StreamDeltaEvent.class::isInstance)
				.map(StreamDeltaEvent.class::cast)
				.filter((delta) -> delta.choiceIndex() == choice.index() && delta.jsonSnapshot() != null)
				.peek((delta) -> assertThat(delta.isJson()).isTrue())
				.peek((delta) -> assertThat(delta.kind()).isEqualTo(DeltaKind.TEXT))
				.map(StreamDeltaEvent::jsonSnapshot)
				.toList();
			assertGrowing(snapshots, parsed);
		}
	}

	@ParameterizedTest(name = "{0}/{1} {2}")
	@MethodSource("toolCalls")
	void streamEventsWhenToolCallShouldSnapshotItsArgumentsUpToTheParsedArguments(String provider, String name,
			Split split) {
		SseFixture fixture = SseFixture.load(provider, name);
		server.server().enqueue(MockResponse.chunks(split.apply(fixture.bytes())));
		List<StreamEvent> events = client(provider, fixture, server.server())
			.streamEvents(request(provider, fixture), OPTIONS)
			.collectList()
			.block();
		StreamingResponse response = complete(events).response();
		Map<Integer, List<JsonSnapshot>> byCall = new LinkedHashMap<>();
		events.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map(StreamDeltaEvent.class::cast)
			.filter((delta) -> delta.kind() == DeltaKind.TOOL_CALL && delta.toolCall() != null
					&& !delta.toolCall().providerExecuted() && delta.jsonSnapshot() != null)
			.forEach((delta) -> byCall.computeIfAbsent(delta.toolCall().index(), (index) -> new ArrayList<>())
				.add(delta.jsonSnapshot()));
		List<ToolCall> calls = response.toolCalls().stream().filter((call) -> !call.arguments().isBlank()).toList();
		assertThat(calls).isNotEmpty();
		for (ToolCall call : calls) {
			assertThat(byCall).containsKey(call.index());
			assertGrowing(byCall.get(call.index()), mapper.readTree(call.arguments()));
		}
	}

	private static void assertGrowing(List<JsonSnapshot> snapshots, JsonNode parsed) {
		assertThat(snapshots).isNotEmpty();
		for (int i = 1; i < snapshots.size(); i++) {
			JsonNode before = snapshots.get(i - 1).value();
			JsonNode after = snapshots.get(i).value();
			// a snapshot follows only a change: of the value, or of what is closed in it
			assertThat(after.equals(before)
					&& snapshots.get(i).completedElements() == snapshots.get(i - 1).completedElements()
					&& snapshots.get(i).complete() == snapshots.get(i - 1).complete())
				.isFalse();
			assertThat(after.size()).isGreaterThanOrEqualTo(before.size());
			assertThat(snapshots.get(i - 1).complete()).isFalse();
		}
		snapshots.forEach((snapshot) -> assertThat(snapshot.changedPaths()).isNotEmpty());
		JsonSnapshot last = snapshots.get(snapshots.size() - 1);
		assertThat(last.value()).isEqualTo(parsed);
		assertThat(last.complete()).isTrue();
	}

	private static StreamCompleteEvent complete(List<StreamEvent> events) {
		StreamEvent last = events.get(events.size() - 1);
		assertThat(last).isInstanceOf(StreamCompleteEvent.class);
		return (StreamCompleteEvent) last;
	}

	private static SteerLLMClient client(String provider, SseFixture fixture, LoopbackProviderServer server) {
		if (provider.equals("anthropic")) {
			return AnthropicMessagesContractTests.client(server);
		}
		return fixture.name().startsWith("responses-") ? ResponsesContractTests.client(server)
				: ChatCompletionsContractTests.client(server);
	}

	private static ChatRequest request(String provider, SseFixture fixture) {
		if (provider.equals("anthropic")) {
			return AnthropicMessagesContractTests.requestFor(fixture);
		}
		return fixture.name().startsWith("responses-") ? ResponsesContractTests.requestFor(fixture)
				: ChatCompletionsContractTests.requestFor(fixture);
	}

	/** How the body is cut into the network writes of the loopback server. */
	enum Split implements Function<byte[], List<byte[]>> {

		WHOLE {
			@Override
			public List<byte[]> apply(byte[] body) {
				return List.of(body);
			}
		},

		RANDOM_AND_INSIDE_UTF8 {
			@Override
			public List<byte[]> apply(byte[] body) {
				return ByteSplitContractTests.split(body, ByteSplitContractTests.splitPoints(body, body.length));
			}
		},

		EVERY_7_BYTES {
			@Override
			public List<byte[]> apply(byte[] body) {
				return every(body, 7);
			}
		},

		EVERY_61_BYTES {
			@Override
			public List<byte[]> apply(byte[] body) {
				return every(body, 61);
			}
		};

		private static List<byte[]> every(byte[] body, int size) {
			TreeSet<Integer> points = new TreeSet<>();
			for (int i = size; i < body.length; i += size) {
				points.add(i);
			}
			List<byte[]> chunks = ByteSplitContractTests.split(body, points);
			assertThat(chunks.stream().mapToInt((chunk) -> chunk.length).sum()).isEqualTo(body.length);
			assertThat(Arrays.equals(chunks.get(0), body)).isEqualTo(body.length <= size);
			return chunks;
		}

	}

}
