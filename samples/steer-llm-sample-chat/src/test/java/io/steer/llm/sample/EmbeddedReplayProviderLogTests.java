package io.steer.llm.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up log names the recordings the embedded replay provider answers with and
 * says that the prompt is ignored; each replayed request is logged with its recording. A
 * context of its own (its replay delay differs from the other tests'), so that its
 * start-up is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "steer.providers.openai.api-key=", "steer.providers.xai.api-key=sk-xai-real",
				"steer.providers.anthropic.api-key=", "steer.sample.replay-delay=1ms" })
class EmbeddedReplayProviderLogTests {

	@LocalServerPort
	int port;

	@Test
	void startUpLogShouldNameTheRecordingsOfEachReplayedProviderAndSayThePromptIsIgnored(CapturedOutput output) {
		assertThat(output.getAll())
			.contains("No API key for openai: its streams come from the embedded replay provider",
					"the prompt is ignored and the answer is the recording's: Chat Completions: "
							+ "openai/chat-text-usage-details-gpt-4.1-nano (answered by gpt-4.1-nano-2025-04-14); "
							+ "Responses API: openai/responses-text (answered by gpt-5.2-2025-12-11)",
					"No API key for anthropic",
					"Messages: anthropic/thinking-signature (answered by " + "claude-sonnet-4-5-20250929)")
			.doesNotContain("No API key for xai");
	}

	@Test
	void eachReplayedRequestShouldBeLoggedWithItsRecording(CapturedOutput output) {
		WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/chat/text?prompt=hi&model=gpt-4o-mini")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(30));
		assertThat(output.getAll()).contains("Replaying openai/chat-text-usage-details-gpt-4.1-nano (answered by "
				+ "gpt-4.1-nano-2025-04-14) for a request to openai for model 'gpt-4o-mini'; the prompt is ignored");
	}

}
