package io.steer.llm.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample on a random port with the {@code steer} and {@code health} endpoints
 * exposed, every provider on the embedded replay provider (whose keys are
 * {@code replay-<provider>}), and calls the endpoints over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "steer.providers.openai.api-key=", "steer.providers.xai.api-key=",
				"steer.providers.anthropic.api-key=", "steer.sample.replay-delay=20ms",
				"management.endpoints.web.exposure.include=steer,health",
				"management.endpoint.health.show-details=always", "steer.health.timeout=1s" })
class SampleActuatorTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private ResponseEntity<String> exchange(String method, String path) {
		return http().method(HttpMethod.valueOf(method))
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(TIMEOUT);
	}

	@Test
	void steerEndpointShouldShowProvidersPresetsStatisticsAndLiveStreamsWithoutKeys() {
		ResponseEntity<String> response = exchange("GET", "/actuator/steer");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		String body = response.getBody();
		assertThat(body).doesNotContain("replay-openai", "replay-xai", "replay-anthropic");
		JsonNode steer = MAPPER.readTree(body);
		JsonNode providers = steer.path("providers");
		assertThat(providers).hasSize(3);
		assertThat(providers.get(0).path("name").asString()).isEqualTo("openai");
		assertThat(providers.get(0).path("host").asString()).isEqualTo("127.0.0.1");
		assertThat(providers.get(0).path("api").asString()).isEqualTo("chat-completions");
		assertThat(providers.get(0).path("defaultModel").asString()).isEqualTo("gpt-4o-mini");
		assertThat(providers.get(0).path("apiKeySet").asBoolean()).isTrue();
		assertThat(providers.get(2).path("api").asString()).isEqualTo("messages");
		JsonNode defaults = steer.path("presets").path("steerStreamingOptions");
		assertThat(defaults.path("read-timeout").asString()).isEqualTo("30s");
		assertThat(defaults.path("log-streaming-metrics").asBoolean()).as("the sample's application.yml").isTrue();
		assertThat(steer.path("presets").has("lowLatencyOptions")).isTrue();
		assertThat(steer.path("statistics").isArray()).isTrue();
		assertThat(steer.path("liveStreams").isArray()).isTrue();
	}

	@Test
	void steerEndpointForAnUnknownStreamShouldAnswer404() {
		assertThat(exchange("GET", "/actuator/steer/no-such-stream").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void cancelOfAnUnknownStreamShouldAnswer404() {
		assertThat(exchange("DELETE", "/actuator/steer/no-such-stream").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void healthShouldShowEachProviderWithItsProbeAndPassiveSignalsWithoutKeys() {
		ResponseEntity<String> response = exchange("GET", "/actuator/health");
		assertThat(response.getStatusCode().value()).isIn(200, 503);
		String body = response.getBody();
		assertThat(body).doesNotContain("replay-openai", "replay-xai", "replay-anthropic");
		JsonNode providers = MAPPER.readTree(body).path("components").path("steer").path("components");
		for (String provider : List.of("openai", "xai", "anthropic")) {
			JsonNode details = providers.path(provider).path("details");
			assertThat(details.path("provider").asString()).as(provider).isEqualTo(provider);
			assertThat(details.path("host").asString()).as(provider).isEqualTo("127.0.0.1");
			// the replay provider answers the probe with a slow recorded stream: a
			// timeout
			assertThat(details.has("httpStatus") || details.has("reason")).as(provider + " was probed").isTrue();
			assertThat(details.has("recentStreams")).as(provider + " passive signals").isTrue();
			assertThat(details.has("failureRate")).as(provider + " passive signals").isTrue();
		}
	}

	@Test
	void livenessGroupShouldNotIncludeTheProviders() {
		ResponseEntity<String> response = exchange("GET", "/actuator/health/liveness");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(MAPPER.readTree(response.getBody()).path("status").asString()).isEqualTo("UP");
		assertThat(response.getBody()).doesNotContain("steer");
	}

	@Test
	void cancelOfALiveStreamShouldEndItsSubscriberWithACancelledErrorEvent() {
		Flux<ServerSentEvent<String>> chat = http().get()
			.uri("/chat?prompt=hi&model=gpt-4o-mini")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.cache();
		ServerSentEvent<String> start = chat.filter((event) -> "start".equals(event.event())).blockFirst(TIMEOUT);
		assertThat(start).isNotNull();
		String streamId = MAPPER.readTree(start.data()).path("streamId").asString();

		ResponseEntity<String> live = exchange("GET", "/actuator/steer/" + streamId);
		assertThat(live.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(MAPPER.readTree(live.getBody()).path("live").asBoolean()).isTrue();
		assertThat(MAPPER.readTree(exchange("GET", "/actuator/steer").getBody()).path("liveStreams").toString())
			.contains(streamId);

		ResponseEntity<String> cancelled = exchange("DELETE", "/actuator/steer/" + streamId);
		assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode body = MAPPER.readTree(cancelled.getBody());
		assertThat(body.path("streamId").asString()).isEqualTo(streamId);
		assertThat(body.path("cancelled").asBoolean()).isTrue();

		List<ServerSentEvent<String>> events = chat.collectList().block(TIMEOUT);
		assertThat(events).extracting(ServerSentEvent::event).endsWith("error", "done");
		assertThat(events.get(events.size() - 2)).satisfies((event) -> {
			assertThat(event.event()).isEqualTo("error");
			assertThat(MAPPER.readTree(event.data()).path("type").asString()).isEqualTo("CANCELLED");
		});
		JsonNode steer = MAPPER.readTree(exchange("GET", "/actuator/steer").getBody());
		assertThat(steer.path("liveStreams").toString()).doesNotContain(streamId);
		assertThat(steer.path("statistics"))
			.anySatisfy((statistics) -> assertThat(statistics.path("cancelled").asInt()).isPositive());
		assertThat(exchange("DELETE", "/actuator/steer/" + streamId).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

}
