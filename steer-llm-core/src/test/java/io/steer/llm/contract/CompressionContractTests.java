package io.steer.llm.contract;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamingOptions#enableCompression()} end to end with the client's default
 * connector: on, each built-in adapter asks for gzip and the gzipped stream the server
 * sends is decoded into the recorded answer; off, nothing asks for gzip, so a server that
 * gzips only when asked sends the stream as is.
 */
class CompressionContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final StreamingOptions COMPRESSED = StreamingOptions.builder()
		.enableCompression(true)
		.reconnectDelay(Duration.ZERO)
		.build();

	static Stream<Arguments> streams() {
		return Stream.of(Arguments.of("openai", "chat-text-usage", ProviderApi.CHAT_COMPLETIONS, "/chat/completions"),
				Arguments.of("openai", "responses-text", ProviderApi.RESPONSES, "/responses"),
				Arguments.of("anthropic", "text", null, "/v1/messages"));
	}

	private static SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
			.build();
	}

	private static ChatRequest request(SseFixture fixture, ProviderApi api) {
		return ChatRequest.builder()
			.prompt("What's the weather like in San Francisco?")
			.model(FixtureExpectations.text(FixtureExpectations.expected(fixture), "model"))
			.api(api)
			.build();
	}

	@ParameterizedTest(name = "{0}/{1}")
	@MethodSource("streams")
	void streamWhenCompressionEnabledShouldAskForGzipAndDecodeTheGzippedStream(String provider, String name,
			ProviderApi api, String path) {
		SseFixture fixture = SseFixture.load(provider, name);
		server.server().enqueue(MockResponse.replay(fixture).gzipWhenAccepted());
		StreamingResponse response = client().streamWithUsage(request(fixture, api), COMPRESSED)
			.block(Duration.ofSeconds(10));
		RecordedRequest recorded = server.server().takeRequest();
		assertThat(recorded.path()).isEqualTo(path);
		assertThat(recorded.headers().get("Accept-Encoding")).containsExactly("gzip");
		assertThat(response.text()).isEqualTo(FixtureExpectations.text(FixtureExpectations.expected(fixture), "text"));
	}

	@ParameterizedTest(name = "{0}/{1}")
	@MethodSource("streams")
	void streamWhenCompressionDisabledShouldNotAskForGzip(String provider, String name, ProviderApi api, String path) {
		SseFixture fixture = SseFixture.load(provider, name);
		server.server().enqueue(MockResponse.replay(fixture).gzipWhenAccepted());
		StreamingResponse response = client().streamWithUsage(request(fixture, api), StreamingOptions.DEFAULTS)
			.block(Duration.ofSeconds(10));
		RecordedRequest recorded = server.server().takeRequest();
		assertThat(recorded.path()).isEqualTo(path);
		assertThat(recorded.headers()).doesNotContainKey("Accept-Encoding");
		assertThat(response.text()).isEqualTo(FixtureExpectations.text(FixtureExpectations.expected(fixture), "text"));
	}

	@Test
	void streamWhenCompressedBackgroundResponseDropsShouldAskForGzipWhenItResumes() {
		SseFixture fixture = SseFixture.load("openai", "responses-text");
		List<byte[]> events = fixture.events();
		server.server().enqueue(MockResponse.replay(fixture).dropAfterEvents(8).gzipWhenAccepted());
		server.server().enqueue(MockResponse.chunks(events.subList(8, events.size())).gzipWhenAccepted());
		ChatRequest request = request(fixture, ProviderApi.RESPONSES).toBuilder()
			.providerOption("background", true)
			.build();
		StreamingResponse response = client().streamWithUsage(request, COMPRESSED).block(Duration.ofSeconds(10));
		assertThat(response.text()).isEqualTo(FixtureExpectations.text(FixtureExpectations.expected(fixture), "text"));
		List<RecordedRequest> requests = server.server().requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(1).method()).isEqualTo("GET");
		assertThat(requests)
			.allSatisfy((recorded) -> assertThat(recorded.headers().get("Accept-Encoding")).containsExactly("gzip"));
	}

	@Test
	void streamWhenCompressedAnthropicStreamDropsShouldAskForGzipWhenItContinues() {
		SseFixture fixture = SseFixture.load("anthropic", "text");
		server.server().enqueue(MockResponse.replay(fixture).dropAfterEvents(5).gzipWhenAccepted());
		server.server().enqueue(MockResponse.replay(fixture).gzipWhenAccepted());
		client().streamWithUsage(request(fixture, null), COMPRESSED).block(Duration.ofSeconds(10));
		List<RecordedRequest> requests = server.server().requests();
		assertThat(requests).hasSize(2);
		assertThat(requests)
			.allSatisfy((recorded) -> assertThat(recorded.headers().get("Accept-Encoding")).containsExactly("gzip"));
	}

}
