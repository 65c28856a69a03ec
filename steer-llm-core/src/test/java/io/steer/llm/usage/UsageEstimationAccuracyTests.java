package io.steer.llm.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every recorded stream that carries provider usage with that usage removed, so that
 * the client has to estimate it, and compares the estimate with the provider's count.
 * Prints the table that the README shows.
 */
class UsageEstimationAccuracyTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final List<String> TABLE = new ArrayList<>();

	/** Provider and estimated completion tokens (reasoning included) of one fixture. */
	record Measurement(SseFixture fixture, int provider, int tiktoken, int character) {

		double tiktokenError() {
			return error(this.tiktoken);
		}

		double characterError() {
			return error(this.character);
		}

		private double error(int estimate) {
			return (this.provider == 0) ? 0 : (estimate - this.provider) / (double) this.provider;
		}

	}

	@Test
	void estimatesOnOpenAiChatFixturesShouldBeWithinTheTargets() {
		List<Measurement> measurements = measureAll();
		List<Measurement> openAiChat = measurements.stream()
			.filter((m) -> m.fixture().provider().equals("openai") && m.fixture().name().startsWith("chat-"))
			.toList();
		assertThat(openAiChat).hasSize(11);
		// tiktoken: within 3% on the whole set, and on every fixture whose answer is text
		// alone
		assertThat(Math.abs(totalError(openAiChat, true))).isLessThanOrEqualTo(0.03);
		openAiChat.stream()
			.filter((m) -> !m.fixture().name().contains("tool") && !m.fixture().name().contains("refusal"))
			.forEach((m) -> assertThat(Math.abs(m.tiktokenError())).as(m.fixture().name()).isLessThanOrEqualTo(0.03));
		// characters: within 30% on the whole set
		assertThat(Math.abs(totalError(openAiChat, false))).isLessThanOrEqualTo(0.30);
	}

	private static double totalError(List<Measurement> measurements, boolean tiktoken) {
		int provider = measurements.stream().mapToInt(Measurement::provider).sum();
		int estimate = measurements.stream().mapToInt((m) -> tiktoken ? m.tiktoken() : m.character()).sum();
		return (estimate - provider) / (double) provider;
	}

	private static List<Measurement> measureAll() {
		List<Measurement> measurements = new ArrayList<>();
		for (SseFixture fixture : SseFixture.all()) {
			JsonNode expected = MAPPER.readTree(fixture.expectedJson().orElseThrow());
			int provider = providerCompletionTokens(fixture, expected);
			if (provider < 0) {
				continue;
			}
			int tiktoken = estimate(fixture, expected, AggregatorType.TIKTOKEN);
			int character = estimate(fixture, expected, AggregatorType.CHARACTER);
			Measurement m = new Measurement(fixture, provider, tiktoken, character);
			measurements.add(m);
			TABLE.add(String.format(Locale.ROOT, "| `%s/%s` | %d | %d (%+.1f%%) | %d (%+.1f%%) |", fixture.provider(),
					fixture.name(), provider, tiktoken, 100 * m.tiktokenError(), character, 100 * m.characterError()));
		}
		return measurements;
	}

	@AfterAll
	static void printTable() {
		System.out.println("| fixture | provider completion tokens | tiktoken estimate | character estimate |");
		System.out.println("|---|---|---|---|");
		TABLE.forEach(System.out::println);
	}

	/**
	 * Output tokens the provider counted, reasoning included; -1 when it sent no usage.
	 */
	private static int providerCompletionTokens(SseFixture fixture, JsonNode expected) {
		JsonNode usage = expected.path("usage");
		if (usage.has("merged")) {
			usage = usage.get("merged");
		}
		if (usage.isMissingNode() || usage.isNull() || usage.isEmpty()) {
			return -1;
		}
		if (usage.has("completion_tokens")) {
			int reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0);
			// xAI leaves reasoning tokens out of completion_tokens
			return usage.get("completion_tokens").asInt() + (fixture.provider().equals("xai") ? reasoning : 0);
		}
		return usage.path("output_tokens").asInt();
	}

	private static int estimate(SseFixture fixture, JsonNode expected, AggregatorType type) {
		server.server().enqueue(MockResponse.chunks(withoutUsage(fixture)));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.xai(ProviderSettings.of(server.baseUrl(), "xai-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
			.build();
		ChatRequest.Builder request = ChatRequest.builder()
			.prompt("What's the weather like in San Francisco?")
			.model(fixture.provider() + ":" + expected.get("model").asString());
		if (fixture.name().startsWith("responses-")) {
			request.api(ProviderApi.RESPONSES);
		}
		if (expected.has("choices")) {
			request.n(expected.get("choices").size());
		}
		StreamingOptions options = StreamingOptions.builder().aggregatorType(type).build();
		List<StreamEvent> events = client.streamEvents(request.build(), options).collectList().block();
		StreamEvent last = events.get(events.size() - 1);
		StreamingResponse response = (last instanceof io.steer.llm.event.StreamCompleteEvent complete)
				? complete.response() : ((io.steer.llm.event.StreamErrorEvent) last).partialResponse();
		assertThat(response.usageEstimated()).as(fixture + " usage is estimated").isTrue();
		if (last.isTerminal() && last instanceof io.steer.llm.event.StreamCompleteEvent) {
			List<StreamUsageEvent> usageEvents = events.stream()
				.filter(StreamUsageEvent.class::isInstance)
				.map(StreamUsageEvent.class::cast)
				.toList();
			assertThat(usageEvents).hasSize(1);
			assertThat(usageEvents.get(0).isEstimated()).isTrue();
			assertThat(usageEvents.get(0).confidence()).isLessThan(1.0);
		}
		int reasoning = response.usage().reasoningTokens();
		return response.usage().completionTokens() + (fixture.provider().equals("xai") ? reasoning : 0);
	}

	/** The fixture's events with every {@code usage} object removed from their JSON. */
	private static List<byte[]> withoutUsage(SseFixture fixture) {
		List<byte[]> events = new ArrayList<>();
		for (byte[] event : fixture.events()) {
			StringBuilder rewritten = new StringBuilder();
			for (String line : new String(event, StandardCharsets.UTF_8).split("\n", -1)) {
				if (line.startsWith("data: {")) {
					JsonNode data = MAPPER.readTree(line.substring(6));
					removeUsage(data);
					if (data.path("choices").isArray() && data.path("choices").isEmpty() && !data.has("type")) {
						continue; // the Chat Completions usage-only chunk: drop it whole
					}
					line = "data: " + MAPPER.writeValueAsString(data);
				}
				rewritten.append(line).append('\n');
			}
			events.add(rewritten.substring(0, rewritten.length() - 1).getBytes(StandardCharsets.UTF_8));
		}
		return events;
	}

	private static void removeUsage(JsonNode node) {
		if (node instanceof ObjectNode object) {
			object.remove("usage");
			object.forEach(UsageEstimationAccuracyTests::removeUsage);
		}
		else if (node.isArray()) {
			node.forEach(UsageEstimationAccuracyTests::removeUsage);
		}
	}

}
