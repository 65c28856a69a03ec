package io.steer.llm.sample;

import java.time.Duration;
import java.util.List;

import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample on a random port with no API key, so that it streams from the
 * embedded replay provider, and reads its endpoints with a real HTTP client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "steer.providers.openai.api-key=",
		"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=0ms" })
class SampleChatApplicationTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private List<ServerSentEvent<String>> events(String query) {
		return http().get()
			.uri("/chat" + query)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private static String expectedText(String provider, String name) {
		return MAPPER.readTree(SseFixture.load(provider, name).expectedJson().orElseThrow()).get("text").asString();
	}

	@Test
	void chatShouldStreamTypedEventsOfTheRecordedOpenAiStream() {
		List<ServerSentEvent<String>> events = events("?prompt=Invent%20a%20holiday&model=gpt-4o-mini");
		assertThat(events).extracting(ServerSentEvent::event)
			.startsWith("start", "delta")
			.endsWith("usage", "complete", "done");
		StringBuilder text = new StringBuilder();
		for (ServerSentEvent<String> event : events) {
			if ("delta".equals(event.event())) {
				JsonNode delta = MAPPER.readTree(event.data());
				assertThat(delta.get("kind").asString()).isEqualTo("text");
				text.append(delta.get("text").asString());
			}
		}
		assertThat(text.toString()).isEqualTo(expectedText("openai", "chat-text-usage-details-gpt-4.1-nano"));
		JsonNode start = MAPPER.readTree(events.get(0).data());
		assertThat(start.get("provider").asString()).isEqualTo("openai");
		JsonNode complete = complete(events);
		assertThat(complete.get("finishReason").asString()).isEqualTo("stop");
		assertThat(complete.get("model").asString()).isEqualTo("gpt-4.1-nano-2025-04-14");
	}

	@Test
	void chatWithGrokShouldStreamReasoningThenText() {
		List<ServerSentEvent<String>> events = events("?prompt=Say%20a%20single%20word&model=grok-3-mini");
		List<String> kinds = events.stream()
			.filter((event) -> "delta".equals(event.event()))
			.map((event) -> MAPPER.readTree(event.data()).get("kind").asString())
			.distinct()
			.toList();
		assertThat(kinds).containsExactly("reasoning", "text");
		JsonNode start = MAPPER.readTree(events.get(0).data());
		assertThat(start.get("provider").asString()).isEqualTo("xai");
	}

	@Test
	void chatWithClaudeShouldStreamThinkingThenText() {
		List<ServerSentEvent<String>> events = events("?prompt=Divide%20by%205&model=claude-sonnet-4-5");
		assertThat(MAPPER.readTree(events.get(0).data()).get("provider").asString()).isEqualTo("anthropic");
		assertThat(deltaText(events, "text")).isEqualTo(expectedText("anthropic", "thinking-signature"));
		assertThat(deltaText(events, "reasoning"))
			.isEqualTo(MAPPER.readTree(SseFixture.load("anthropic", "thinking-signature").expectedJson().orElseThrow())
				.get("thinking")
				.asString());
		assertThat(events).extracting(ServerSentEvent::event).endsWith("complete", "done");
	}

	@Test
	void chatWithTheResponsesApiShouldStreamTheRecordedResponsesStream() {
		List<ServerSentEvent<String>> events = events("?prompt=hi&model=gpt-5.2&api=responses");
		assertThat(deltaText(events, "text")).isEqualTo(expectedText("openai", "responses-text"));
		assertThat(events).extracting(ServerSentEvent::event).endsWith("complete", "done");
	}

	@ParameterizedTest
	@CsvSource({ "model=gpt-4o-mini, stop, stop", "model=claude-sonnet-4-5, end_turn, stop",
			"model=gpt-5.2&api=responses, completed, stop" })
	void completeEventShouldCarryTheProvidersAndTheNormalizedFinishReason(String query, String finishReason,
			String normalized) {
		List<ServerSentEvent<String>> events = events("?prompt=hi&" + query);
		assertThat(events).extracting(ServerSentEvent::event).endsWith("complete", "done");
		JsonNode complete = complete(events);
		assertThat(complete.get("finishReason").asString()).isEqualTo(finishReason);
		assertThat(complete.get("normalizedFinishReason").asString()).isEqualTo(normalized);
	}

	@Test
	void chatFromTheReplayProviderShouldSayWhichRecordingAnswersWhateverThePrompt() {
		List<ServerSentEvent<String>> events = events("?prompt=Invent%20a%20holiday&model=gpt-4o-mini");
		JsonNode start = MAPPER.readTree(events.get(0).data());
		JsonNode complete = complete(events);
		assertThat(start.get("model").asString()).isEqualTo("gpt-4o-mini");
		JsonNode metadata = start.get("metadata");
		assertThat(metadata.get("replay.recording").asString())
			.isEqualTo("openai/chat-text-usage-details-gpt-4.1-nano");
		assertThat(metadata.get("replay.prompt_ignored").asBoolean()).isTrue();
		assertThat(metadata.get("replay.recorded_model").asString()).isEqualTo("gpt-4.1-nano-2025-04-14")
			.isEqualTo(complete.get("model").asString());
		assertThat(metadata.get("replay.note").asString()).contains("openai/chat-text-usage-details-gpt-4.1-nano",
				"whatever the prompt", "'gpt-4o-mini'");
		assertThat(metadata.get("http.status").asInt()).isEqualTo(200);
	}

	@ParameterizedTest
	@CsvSource({ "model=gpt-5.2&api=responses, openai/responses-text, gpt-5.2-2025-12-11",
			"model=grok-3-mini, xai/chat-reasoning-text, grok-3-mini",
			"model=grok-code-fast-1&api=responses, xai/responses-reasoning-summary-text, grok-code-fast-1",
			"model=claude-sonnet-4-5, anthropic/thinking-signature, claude-sonnet-4-5-20250929" })
	void startMetadataShouldNameTheRecordingThatTheStreamReplays(String query, String recording, String recordedModel) {
		List<ServerSentEvent<String>> events = events("?prompt=hi&" + query);
		JsonNode metadata = MAPPER.readTree(events.get(0).data()).get("metadata");
		assertThat(metadata.get("replay.recording").asString()).isEqualTo(recording);
		assertThat(metadata.get("replay.recorded_model").asString()).isEqualTo(recordedModel)
			.isEqualTo(complete(events).get("model").asString());
		String[] parts = recording.split("/");
		assertThat(deltaText(events, "text")).isEqualTo(expectedText(parts[0], parts[1]));
	}

	/** The {@code complete} event's JSON, the event before the final {@code done}. */
	private static JsonNode complete(List<ServerSentEvent<String>> events) {
		assertThat(events).extracting(ServerSentEvent::event).endsWith("complete", "done");
		return MAPPER.readTree(events.get(events.size() - 2).data());
	}

	private static String deltaText(List<ServerSentEvent<String>> events, String kind) {
		StringBuilder text = new StringBuilder();
		for (ServerSentEvent<String> event : events) {
			if ("delta".equals(event.event())) {
				JsonNode delta = MAPPER.readTree(event.data());
				if (kind.equals(delta.get("kind").asString())) {
					text.append(delta.get("text").asString());
				}
			}
		}
		return text.toString();
	}

	@Test
	void chatTextShouldStreamTheAnswerText() {
		String text = http().get()
			.uri("/chat/text?prompt=hi")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(30));
		assertThat(text).isEqualTo(expectedText("openai", "chat-text-usage-details-gpt-4.1-nano"));
	}

}
