package io.steer.llm.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code /agent} endpoint over real HTTP, on every wire format of the replay
 * provider: the model's scripted calls of {@code factorial} and {@code current_time}
 * stream in, the real tools run (the clock is fixed here), their results go back to the
 * provider and come out in the second step's answer, and the events are the agent's, in
 * order, ending with {@code complete} then {@code done}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "steer.providers.openai.api-key=",
		"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=0ms" })
class SampleAgentTests {

	static final Instant NOW = Instant.parse("2026-12-01T12:34:56.789Z");

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini,", "gpt-5.2,responses", "grok-3-mini,", "grok-code-fast-1,responses",
			"claude-sonnet-4-5," })
	void agentShouldCallBothToolsAndAnswerWithTheirResults(String model, String api) {
		List<ServerSentEvent<String>> events = get("/agent?task=Calculate factorial of 10, and tell me the time&model="
				+ model + ((api != null) ? "&api=" + api : ""));
		List<String> names = events.stream().map(ServerSentEvent::event).toList();
		assertThat(names.get(0)).isEqualTo("step_start");
		assertThat(names).endsWith("step_complete", "complete", "done");
		assertThat(names.stream().filter("step_start"::equals)).hasSize(2);
		// the calls stream in, complete in call order, run, and their results come back
		assertThat(payloads(events, "tool_call_start")).extracting((call) -> call.get("name").asString())
			.containsExactly("factorial", "current_time");
		assertThat(names.indexOf("tool_call_delta")).isGreaterThan(names.indexOf("tool_call_start"));
		List<JsonNode> calls = payloads(events, "tool_call");
		assertThat(calls).extracting((call) -> call.get("name").asString())
			.containsExactly("factorial", "current_time");
		assertThat(calls.get(0).get("arguments")).isEqualTo(MAPPER.readTree("{\"n\": 10}"));
		assertThat(calls.get(1).get("arguments")).isEqualTo(MAPPER.readTree("{\"zone\": \"UTC\"}"));
		List<JsonNode> lastDeltas = payloads(events, "tool_call_delta");
		assertThat(lastDeltas).allSatisfy((delta) -> assertThat(delta.get("step").asInt()).isEqualTo(1));
		assertThat(payloads(events, "tool_execution_start")).hasSize(2);
		assertThat(payloads(events, "tool_result"))
			.extracting((result) -> result.get("name").asString() + "=" + result.get("result").asString())
			.containsExactlyInAnyOrder("factorial=3628800", "current_time=2026-12-01T12:34:56Z");
		assertThat(payloads(events, "tool_error")).isEmpty();
		List<JsonNode> steps = payloads(events, "step_complete");
		assertThat(steps).extracting((step) -> step.get("finishReason").asString())
			.containsExactly("tool_call", "stop");
		String answer = "10! = 3628800. The current time in UTC is 2026-12-01T12:34:56Z.";
		StringBuilder streamed = new StringBuilder();
		for (JsonNode delta : payloads(events, "delta")) {
			assertThat(delta.get("step").asInt()).isEqualTo(2);
			streamed.append(delta.get("text").asString());
		}
		assertThat(streamed).hasToString(answer);
		JsonNode complete = payloads(events, "complete").get(0);
		assertThat(complete.get("agent").asString()).isEqualTo("assistant");
		assertThat(complete.get("text").asString()).isEqualTo(answer);
		assertThat(complete.get("steps").asInt()).isEqualTo(2);
		// the scripted streams carry no usage: the client estimates it, and says so
		assertThat(complete.get("usage").get("estimated").asBoolean()).isTrue();
		assertThat(complete.get("usage").get("completionTokens").asInt()).isPositive();
		// ids: one run id, the sequence counting from 0
		String runId = events.get(0).id().substring(0, events.get(0).id().indexOf(':'));
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).id()).isEqualTo(runId + ":" + i);
		}
	}

	@Test
	void postShouldTakeTheTaskAndTheNumberFromIt() {
		List<ServerSentEvent<String>> events = http().post()
			.uri("/agent")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue("{\"task\": \"What is the factorial of 20?\", \"model\": \"claude-sonnet-4-5\"}")
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(payloads(events, "complete").get(0).get("text").asString()).startsWith("20! = 2432902008176640000.");
	}

	@Test
	void aToolThatFailsShouldBeAToolErrorTheModelSees() {
		List<ServerSentEvent<String>> events = get("/agent?task=factorial of 5000");
		JsonNode error = payloads(events, "tool_error").get(0);
		assertThat(error.get("name").asString()).isEqualTo("factorial");
		assertThat(error.get("message").asString()).contains("n must be a whole number from 0 to 1000, not 5000");
		assertThat(payloads(events, "complete").get(0).get("text").asString())
			.startsWith("The factorial tool failed (Error: ")
			.contains("not 5000");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "/agent?task= | task | The task is empty", "/agent?model=llama-3 | model | No provider for model",
					"/agent?api=foo | api | Unknown API 'foo'; accepted: chat-completions, responses" })
	void badInputShouldAnswer400NamingTheField(String uri, String field, String detail) {
		JsonNode problem = http().get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono((response) -> {
			assertThat(response.statusCode().value()).isEqualTo(400);
			return response.bodyToMono(String.class);
		}).map(MAPPER::readTree).block(Duration.ofSeconds(30));
		assertThat(problem.get("field").asString()).isEqualTo(field);
		assertThat(problem.get("detail").asString()).startsWith(detail);
	}

	private List<ServerSentEvent<String>> get(String uri) {
		return http().get()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private static List<JsonNode> payloads(List<ServerSentEvent<String>> events, String name) {
		List<JsonNode> payloads = new ArrayList<>();
		for (ServerSentEvent<String> event : events) {
			if (name.equals(event.event())) {
				payloads.add(MAPPER.readTree(event.data()));
			}
		}
		return payloads;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

}
