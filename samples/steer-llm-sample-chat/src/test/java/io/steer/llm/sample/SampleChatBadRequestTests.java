package io.steer.llm.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
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
 * Bad input gets 400 and a problem body before any stream starts; {@code POST /chat}
 * takes a JSON body, so that long prompts and conversations fit. Real HTTP against the
 * sample on a random port, streaming from the embedded replay provider.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "steer.providers.openai.api-key=",
		"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=0ms" })
class SampleChatBadRequestTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"/chat?model=llama-3 | model | No provider for model 'llama-3': use a model whose name starts with gpt-",
			"/chat?model=foo:bar | model | Unknown provider 'foo' in model 'foo:bar'; configured providers: openai, "
					+ "xai, anthropic",
			"/chat?model=openai: | model | No model after 'openai:': write provider:model, e.g. openai:gpt-4o-mini",
			"/chat?api=foo | api | Unknown API 'foo'; accepted: chat-completions, responses",
			"/chat?model=claude-sonnet-4-5&api=responses | api | Provider anthropic (model 'claude-sonnet-4-5') does "
					+ "not serve the api 'responses'",
			"/chat?prompt= | prompt | The prompt is empty",
			"/chat/text?model=llama-3 | model | No provider for model 'llama-3'",
			"/chat/text?prompt= | prompt | The prompt is empty" })
	void getWithBadInputShouldAnswer400WithAProblem(String uri, String field, String detail) {
		Reply reply = http().get()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM, MediaType.TEXT_PLAIN)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((body) -> new Reply(response.statusCode().value(), response.headers().contentType().orElse(null),
						body)))
			.block(Duration.ofSeconds(30));
		assertProblem(reply, field, detail);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"/chat?buffer=words | buffer | Unknown buffer 'words'; accepted: none, character, word, sentence, line, "
					+ "paragraph, token",
			"/chat?rate=0 | rate | The rate '0' is not a number of tokens per second greater than 0",
			"/chat?rate=-3 | rate | The rate '-3' is not a number",
			"/chat?rate=fast | rate | The rate 'fast' is not a number of tokens per second",
			"/chat?rate=NaN | rate | The rate 'NaN' is not a number",
			"/chat?progress=maybe | progress | Unknown " + "progress 'maybe'; accepted: true, false" })
	void getWithBadShapingShouldAnswer400NamingTheParameter(String uri, String field, String detail) {
		getWithBadInputShouldAnswer400WithAProblem(uri, field, detail);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = {
					"{\"prompt\": \"hi\", \"buffer\": \"clause\"} | buffer | Unknown buffer 'clause'; accepted: none,",
					"{\"prompt\": \"hi\", \"rate\": 0} | rate | The rate '0.0' is not a number of tokens per second" })
	void postWithBadShapingShouldAnswer400NamingTheField(String json, String field, String detail) {
		assertProblem(post(json), field, detail);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"prompt\": \"hi\", \"model\": \"llama-3\"} | model | No provider for model 'llama-3'",
			"{\"prompt\": \"hi\", \"api\": \"foo\"} | api | Unknown API 'foo'; accepted: chat-completions, responses",
			"{\"prompt\": \"\"} | prompt | The prompt is empty",
			"{\"prompt\": \" \\n \"} | prompt | The prompt is empty", "{} | messages | No prompt and no messages",
			"{\"messages\": []} | messages | No prompt and no messages",
			"{\"prompt\": \"hi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | prompt | Give a prompt "
					+ "or messages, not both",
			"{\"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]} | messages[0].role | messages[0].role 'bot' "
					+ "is not one of: system, user, assistant",
			"{\"messages\": [{\"content\": \"hi\"}]} | messages[0].role | messages[0].role is missing",
			"{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"user\"}]} | messages[1].content "
					+ "| messages[1].content is empty" })
	void postWithBadInputShouldAnswer400WithAProblem(String json, String field, String detail) {
		assertProblem(post(json), field, detail);
	}

	@Test
	void postWithMalformedJsonShouldAnswer400WithAProblem() {
		Reply reply = post("{\"prompt\": ");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(MAPPER.readTree(reply.body()).get("status").asInt()).isEqualTo(400);
	}

	@Test
	void postWithA12KbPromptShouldStreamTheAnswer() {
		String prompt = "Invent a holiday. ".repeat(700);
		assertThat(prompt.length()).isGreaterThan(12 * 1024);
		List<ServerSentEvent<String>> events = postForEvents(
				MAPPER.writeValueAsString(Map.of("prompt", prompt, "model", "gpt-4o-mini")));
		assertThat(events).extracting(ServerSentEvent::event).startsWith("start", "delta").endsWith("complete", "done");
		assertThat(deltaText(events)).isEqualTo(expectedText("openai", "chat-text-usage-details-gpt-4.1-nano"));
	}

	@Test
	void postWithMessagesShouldStreamTheAnswer() {
		List<ServerSentEvent<String>> events = postForEvents("{\"messages\": [{\"role\": \"system\", \"content\": "
				+ "\"Be brief\"}, {\"role\": \"user\", \"content\": \"Sonoran food?\"}], \"model\": \"grok-code-fast-1\", "
				+ "\"api\": \"responses\"}");
		JsonNode start = MAPPER.readTree(events.get(0).data());
		assertThat(start.get("provider").asString()).isEqualTo("xai");
		assertThat(deltaText(events)).isEqualTo(expectedText("xai", "responses-reasoning-summary-text"));
		assertThat(events).extracting(ServerSentEvent::event).endsWith("complete", "done");
	}

	private Reply post(String json) {
		return http().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(json)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((body) -> new Reply(response.statusCode().value(), response.headers().contentType().orElse(null),
						body)))
			.block(Duration.ofSeconds(30));
	}

	private List<ServerSentEvent<String>> postForEvents(String json) {
		return http().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(json)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private static void assertProblem(Reply reply, String field, String detail) {
		assertThat(reply.status()).as(reply.body()).isEqualTo(400);
		assertThat(reply.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = MAPPER.readTree(reply.body());
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("title").asString()).isEqualTo("Invalid chat request");
		assertThat(problem.get("field").asString()).isEqualTo(field);
		assertThat(problem.get("detail").asString()).startsWith(detail);
	}

	private static String deltaText(List<ServerSentEvent<String>> events) {
		StringBuilder text = new StringBuilder();
		for (ServerSentEvent<String> event : events) {
			if ("delta".equals(event.event())) {
				JsonNode delta = MAPPER.readTree(event.data());
				if ("text".equals(delta.get("kind").asString())) {
					text.append(delta.get("text").asString());
				}
			}
		}
		return text.toString();
	}

	private static String expectedText(String provider, String name) {
		return MAPPER.readTree(SseFixture.load(provider, name).expectedJson().orElseThrow()).get("text").asString();
	}

	record Reply(int status, @Nullable MediaType contentType, String body) {
	}

}
