package io.steer.llm.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
 * The sample's {@code /chat} events as a browser gets them, read back over real HTTP by
 * WebClient's SSE decoder: event names, {@code streamId:sequence} ids, the JSON payloads
 * of {@link io.steer.llm.web.ServerSentEvents}, and a provider error in the middle of a
 * stream as the estimated usage so far, an {@code error} event with the partial text then
 * {@code done}, in a 200 response, without the API key-shaped text the provider put in
 * its message.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "steer.providers.openai.api-key=" + SampleServerSentEventsTests.API_KEY,
				"steer.providers.openai.base-url=${" + SampleServerSentEventsTests.OPENAI_URL_PROPERTY + "}",
				"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=0ms",
				"steer.streaming.max-reconnect-attempts=0", "steer.streaming.retry-on-connection-error=false" })
class SampleServerSentEventsTests {

	static final String API_KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdefABCDEF";

	static final String OPENAI_URL_PROPERTY = "steer.test.sample-sse.openai-url";

	/** Another key-shaped token, as a provider or a proxy might echo in an error. */
	private static final String ECHOED_KEY = "sk-proj-EchoedByAProxy0123456789abcdefXYZ";

	private static final String ERROR_MODEL = "gpt-4o-midstream-error";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final LoopbackProviderServer openAi = openAi();

	@LocalServerPort
	int port;

	private static LoopbackProviderServer openAi() {
		LoopbackProviderServer server = LoopbackProviderServer.start();
		server.setDispatcher((RecordedRequest request) -> {
			if (request.bodyAsString().contains(ERROR_MODEL)) {
				return MockResponse.chunks(
						List.of(chunk("Hel"), chunk("lo"),
								("data: {\"error\":{\"message\":\"Rate limit reached for " + ECHOED_KEY + " and "
										+ API_KEY + "\",\"type\":\"invalid_request_error\"}}\n\n")
									.getBytes(StandardCharsets.UTF_8)));
			}
			return MockResponse.replay(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano"));
		});
		System.setProperty(OPENAI_URL_PROPERTY, server.baseUrl());
		return server;
	}

	private static byte[] chunk(String text) {
		return ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	@AfterAll
	static void stopOpenAi() {
		System.clearProperty(OPENAI_URL_PROPERTY);
		openAi.close();
	}

	private Reply chat(String model) {
		return chat(model, "");
	}

	private Reply chat(String model, String shaping) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri((uri) -> uri.path("/chat")
				.queryParam("prompt", "hi")
				.queryParam("model", model)
				.query(shaping)
				.build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono(
					(response) -> response.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
					}).collectList().map((events) -> new Reply(response.statusCode().value(), events)))
			.block(Duration.ofSeconds(30));
	}

	@Test
	void eventsShouldHaveTheirNamesIdsAndJsonPayloads() {
		Reply reply = chat("gpt-4o-mini");
		assertThat(reply.status()).isEqualTo(200);
		List<ServerSentEvent<String>> events = reply.events();
		assertThat(events).extracting(ServerSentEvent::event)
			.startsWith("start", "delta")
			.endsWith("usage", "complete", "done")
			.containsOnly("start", "delta", "usage", "complete", "done");
		JsonNode start = MAPPER.readTree(events.get(0).data());
		String streamId = start.get("streamId").asString();
		assertThat(start.get("provider").asString()).isEqualTo("openai");
		assertThat(start.get("model").asString()).isEqualTo("gpt-4o-mini");
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).id()).isEqualTo(streamId + ":" + i);
		}
		String text = MAPPER
			.readTree(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano").expectedJson().orElseThrow())
			.get("text")
			.asString();
		StringBuilder deltas = new StringBuilder();
		int chunkIndex = 0;
		for (ServerSentEvent<String> event : events) {
			if ("delta".equals(event.event())) {
				JsonNode delta = MAPPER.readTree(event.data());
				assertThat(delta.get("kind").asString()).isEqualTo("text");
				assertThat(delta.get("chunkIndex").asInt()).isEqualTo(chunkIndex++);
				assertThat(delta.get("choiceIndex").asInt()).isZero();
				deltas.append(delta.get("text").asString());
			}
		}
		assertThat(deltas).hasToString(text);
		JsonNode usage = MAPPER.readTree(events.get(events.size() - 3).data());
		assertThat(usage.get("estimated").asBoolean()).isFalse();
		JsonNode complete = MAPPER.readTree(events.get(events.size() - 2).data());
		assertThat(complete.get("text").asString()).isEqualTo(text);
		assertThat(complete.get("finishReason").asString()).isEqualTo("stop");
		assertThat(complete.get("chunks").asInt()).isEqualTo(chunkIndex);
		assertThat(complete.get("usage").get("totalTokens").asInt()).isEqualTo(usage.get("totalTokens").asInt())
			.isPositive();
		assertThat(complete.get("costUsd").isNumber()).isTrue();
		assertThat(complete.get("durationMs").asDouble()).isPositive();
		assertThat(complete.get("ttftMs").isNumber()).isTrue();
		assertThat(events.get(events.size() - 1).data()).isEqualTo("{}");
	}

	@Test
	void aProviderErrorMidStreamShouldBeAnErrorEventThenDoneInA200Response() {
		Reply reply = chat(ERROR_MODEL);
		assertThat(reply.status()).isEqualTo(200);
		List<ServerSentEvent<String>> events = reply.events();
		assertThat(events).extracting(ServerSentEvent::event)
			.containsExactly("start", "delta", "delta", "usage", "error", "done");
		String streamId = MAPPER.readTree(events.get(0).data()).get("streamId").asString();
		assertThat(events).extracting(ServerSentEvent::id)
			.containsExactly(streamId + ":0", streamId + ":1", streamId + ":2", streamId + ":3", streamId + ":4",
					streamId + ":5");
		assertThat(MAPPER.readTree(events.get(3).data()).get("estimated").asBoolean()).isTrue();
		JsonNode error = MAPPER.readTree(events.get(4).data());
		assertThat(error.get("type").asString()).isEqualTo("PROVIDER");
		assertThat(error.get("retryable").asBoolean()).isFalse();
		assertThat(error.get("partialText").asString()).isEqualTo("Hello");
		assertThat(error.get("message").asString()).contains("Rate limit reached for sk-******");
		assertThat(events).allSatisfy((event) -> assertThat(event.data()).doesNotContain(API_KEY, ECHOED_KEY));
		assertThat(events.get(5).data()).isEqualTo("{}");
	}

	@Test
	void paragraphBufferRateAndProgressShouldShapeTheEventsOfOneProviderRequest() {
		int requests = openAi.requestCount();
		Reply reply = chat("gpt-4o-mini", "buffer=paragraph&rate=100000&progress=true");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(openAi.requestCount()).isEqualTo(requests + 1);
		List<ServerSentEvent<String>> events = reply.events();
		assertThat(events).extracting(ServerSentEvent::event)
			.startsWith("start", "progress")
			.endsWith("progress", "complete", "done")
			.containsOnly("start", "progress", "delta", "usage", "complete", "done");
		String text = fixtureText();
		List<String> deltas = deltas(events);
		assertThat(String.join("", deltas)).isEqualTo(text);
		// a paragraph ends with its blank line; the last one at the end of the text
		assertThat(deltas).hasSize(text.split("\n\n").length);
		assertThat(deltas.subList(0, deltas.size() - 1)).allSatisfy((delta) -> assertThat(delta).endsWith("\n\n"));
		List<JsonNode> progress = events.stream()
			.filter((event) -> "progress".equals(event.event()))
			.map((event) -> MAPPER.readTree(event.data()))
			.toList();
		JsonNode last = progress.get(progress.size() - 1);
		assertThat(last.get("complete").asBoolean()).isTrue();
		assertThat(last.get("percentage").asDouble()).isEqualTo(100.0);
		assertThat(last.get("tokensReceived").asLong()).isEqualTo(300);
		assertThat(progress.subList(0, progress.size() - 1))
			.allSatisfy((snapshot) -> assertThat(snapshot.get("complete").asBoolean()).isFalse());
	}

	@Test
	void sentenceBufferShouldReleaseFewerLongerDeltasWithTheSameText() {
		List<String> raw = deltas(chat("gpt-4o-mini").events());
		List<String> sentences = deltas(chat("gpt-4o-mini", "buffer=SENTENCE").events());
		assertThat(String.join("", sentences)).isEqualTo(fixtureText());
		assertThat(sentences.size()).isLessThan(raw.size() / 4);
		assertThat(sentences).contains(
				" It emphasizes celebrating cultural differences while promoting empathy and " + "collaboration.");
	}

	@Test
	void aSentenceBufferShouldReleaseWhatItHoldsBeforeAnErrorEvent() {
		Reply reply = chat(ERROR_MODEL, "buffer=sentence");
		assertThat(reply.events()).extracting(ServerSentEvent::event)
			.containsExactly("start", "delta", "usage", "error", "done");
		assertThat(deltas(reply.events())).containsExactly("Hello");
	}

	private static String fixtureText() {
		return MAPPER
			.readTree(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano").expectedJson().orElseThrow())
			.get("text")
			.asString();
	}

	private static List<String> deltas(List<ServerSentEvent<String>> events) {
		return events.stream()
			.filter((event) -> "delta".equals(event.event()))
			.map((event) -> MAPPER.readTree(event.data()).get("text").asString())
			.toList();
	}

	record Reply(int status, List<ServerSentEvent<String>> events) {
	}

}
