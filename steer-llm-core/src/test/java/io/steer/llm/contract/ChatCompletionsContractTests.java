package io.steer.llm.contract;

import java.nio.charset.StandardCharsets;
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
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
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

	/**
	 * SYNTHETIC, not a recording: an Azure OpenAI stream with content filters on. Its
	 * first chunk carries only {@code prompt_filter_results}, with empty {@code choices}
	 * and {@code ""} as id and model (the shape Azure documents for content filtering in
	 * streaming mode); the later chunks name the model snapshot, but for the annotation
	 * chunk of the asynchronous filter, again with {@code ""} and a choice without
	 * {@code delta}. The request names the deployment, which has no price: the cost is
	 * found through the model the stream names.
	 */
	@Test
	void streamWithUsageWhenFirstChunkHasEmptyIdAndModelShouldTakeTheFirstNonEmptyOnesAndFindTheCost() {
		String body = """
				data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

				data: {"choices":[{"content_filter_results":{},"delta":{"content":"","refusal":null,"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-AZURE1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_b2ffeb16ee","usage":null}

				data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Sunny"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-AZURE1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_b2ffeb16ee","usage":null}

				data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-AZURE1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_b2ffeb16ee","usage":null}

				data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"content_filter_offsets":{"check_offset":5,"start_offset":5,"end_offset":5}}],"usage":null}

				data: {"choices":[],"created":1727000000,"id":"chatcmpl-AZURE1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_b2ffeb16ee","usage":{"completion_tokens":1,"prompt_tokens":14,"total_tokens":15}}

				data: [DONE]

				""";
		server.server()
			.enqueue(MockResponse.replay(SseFixture.of("azure-content-filter", body.getBytes(StandardCharsets.UTF_8))));
		StreamingResponse response = client(server.server())
			.streamWithUsage(ChatRequest.of("What's the weather like in San Francisco?", "openai:my-gpt-4o-deployment"))
			.block();
		assertThat(response.id()).isEqualTo("chatcmpl-AZURE1");
		assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(response.costUsd()).isNotNull().isPositive();
		assertThat(response.text()).isEqualTo("Sunny");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.STOP);
		assertThat(response.metadata()).containsEntry("system_fingerprint", "fp_b2ffeb16ee")
			.doesNotContainKey("stream.unrecognized");
	}

}
