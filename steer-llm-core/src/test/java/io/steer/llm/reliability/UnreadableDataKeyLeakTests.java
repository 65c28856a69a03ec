package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.reliability.Reliability.CapturedLog;
import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk that is not JSON and echoes the key as a bare token: the JSON parser's message
 * quotes the token it did not recognise ({@code Unrecognized token '<key>'}), so that
 * message is provider text too and must be redacted before it reaches the exception (its
 * message and its causes), the error event, the retry state or a log line. The key has
 * the shape of an Azure OpenAI key (32 hexadecimal digits): one word, as the JSON parser
 * reads a token.
 */
class UnreadableDataKeyLeakTests {

	private static final String KEY = "a3f09c1be4d7a85e6f20b9c4d1e7a6b2";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	@ParameterizedTest
	@CsvSource({ "openai, chat-text-usage, 4, gpt-4o-mini, chat-completions",
			"openai, responses-text, 6, gpt-5.2, responses", "anthropic, text, 4, claude-sonnet-4-5, messages" })
	void chunkThatIsNotJsonAndEchoesTheKeyShouldNotLeakIt(String provider, String fixture, int events, String model,
			String api) {
		List<byte[]> body = new ArrayList<>(SseFixture.load(provider, fixture).events().subList(0, events));
		String event = provider.equals("anthropic") ? "event: content_block_delta\n" : "";
		body.add((event + "data: " + KEY + " is not a valid key\n\n").getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(body));
		ChatRequest request = ChatRequest.builder()
			.prompt("Hello")
			.model(model)
			.api(api.equals("responses") ? ProviderApi.RESPONSES : null)
			.build();
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), KEY))
			.anthropic(ProviderSettings.of(server.baseUrl(), KEY))
			.defaultOptions(StreamingOptions.builder().retryOnConnectionError(false).build())
			.retryManager(this.retryManager)
			.build();
		List<StreamEvent> received;
		String logged;
		try (CapturedLog log = CapturedLog.everythingAtTrace()) {
			received = client.streamEvents(request).collectList().block(Duration.ofSeconds(10));
			logged = log.text();
		}
		assertThat(received).last().isInstanceOf(StreamErrorEvent.class);
		StreamErrorEvent error = (StreamErrorEvent) received.get(received.size() - 1);
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.error().getMessage()).contains("******");
		for (Throwable t = error.error(); t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
			assertThat(t.toString()).doesNotContain(KEY);
		}
		for (StreamEvent each : received) {
			assertThat(each.toString()).doesNotContain(KEY);
		}
		for (RetryState state : this.retryManager.states()) {
			assertThat(String.valueOf(state.lastError())).doesNotContain(KEY);
		}
		assertThat(logged).doesNotContain(KEY);
	}

}
