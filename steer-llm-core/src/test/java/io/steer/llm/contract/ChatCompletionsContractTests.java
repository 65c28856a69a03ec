package io.steer.llm.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every recorded OpenAI and xAI Chat Completions stream, replayed by the loopback server
 * through the real client, yields exactly its expected values.
 */
class ChatCompletionsContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<SseFixture> chatFixtures() {
		return Stream.concat(SseFixture.all("openai").stream(), SseFixture.all("xai").stream())
			.filter((fixture) -> fixture.name().startsWith("chat-"));
	}

	static SteerLLMClient client(LoopbackProviderServer server) {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test-openai-key"))
			.xai(ProviderSettings.of(server.baseUrl(), "xai-test-key"))
			.build();
	}

	static ChatRequest requestFor(SseFixture fixture) {
		JsonNode expected = FixtureExpectations.expected(fixture);
		ChatRequest.Builder builder = ChatRequest.builder()
			.prompt("What's the weather like in San Francisco?")
			.model(expected.get("model").asString());
		if (expected.has("choices")) {
			builder.n(expected.get("choices").size());
		}
		return builder.build();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("chatFixtures")
	void streamWithUsageWhenFixtureReplayedShouldYieldExpectedValues(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		StreamingResponse response = client(server.server()).streamWithUsage(requestFor(fixture)).block();
		FixtureExpectations.assertChatCompletions(fixture, response);
		assertThat(response.provider()).isEqualTo(fixture.provider());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("chatFixtures")
	void streamEventsWhenFixtureReplayedShouldAgreeWithTheAssembledResponse(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<StreamEvent> events = client(server.server()).streamEvents(requestFor(fixture)).collectList().block();
		assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		assertThat(events.get(events.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		StringBuilder text = new StringBuilder();
		StringBuilder reasoning = new StringBuilder();
		List<StreamDeltaEvent> deltas = new ArrayList<>();
		List<StreamUsageEvent> usages = new ArrayList<>();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta) {
				deltas.add(delta);
				if (delta.choiceIndex() == 0 && delta.kind() == DeltaKind.TEXT) {
					text.append(delta.getText());
				}
				if (delta.choiceIndex() == 0 && delta.kind() == DeltaKind.REASONING) {
					reasoning.append(delta.getText());
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
		assertThat(usages).hasSize(1);
		assertThat(usages.get(0).isEstimated()).isFalse();
		assertThat(usages.get(0).confidence()).isEqualTo(1.0);
		assertThat(usages.get(0).usage()).isEqualTo(complete.usage());
		FixtureExpectations.assertChatCompletions(fixture, complete.response());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("chatFixtures")
	void streamWhenFixtureReplayedShouldSendAStreamingRequestAndEmitTheText(SseFixture fixture) {
		server.server().enqueue(MockResponse.replay(fixture));
		List<String> chunks = client(server.server()).stream(requestFor(fixture)).collectList().block();
		assertThat(String.join("", chunks)).isEqualTo(FixtureExpectations.expected(fixture).get("text").asString());
		RecordedRequest request = server.server().takeRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/chat/completions");
		assertThat(request.header("Authorization"))
			.isEqualTo("openai".equals(fixture.provider()) ? "Bearer sk-test-openai-key" : "Bearer xai-test-key");
		JsonNode body = FixtureExpectations.MAPPER.readTree(request.bodyAsString());
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
		assertThat(body.get("model").asString()).isEqualTo(requestFor(fixture).model());
		assertThat(body.get("messages").get(0).get("role").asString()).isEqualTo("user");
	}

}
