package io.steer.llm.sample;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's resumable {@code /streams} over real HTTP, read back by WebClient's SSE
 * decoder, streaming from the embedded replay provider: a stream is started once and read
 * by any number of readers, from the start or after a {@code Last-Event-ID} (or
 * {@code ?lastEventId=}), and stopped for all of them.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "steer.providers.openai.api-key=",
		"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=5ms" })
class SampleStreamsTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void postShouldAnswer201WithTheLocationOfTheStreamWhoseEventsAreTheAnswer() {
		Reply reply = post("{\"prompt\": \"hi\", \"model\": \"gpt-4o-mini\"}");
		assertThat(reply.status()).isEqualTo(201);
		JsonNode body = MAPPER.readTree(reply.body());
		String streamId = body.get("streamId").asString();
		assertThat(streamId).matches("[A-Za-z0-9_-]{22}");
		assertThat(reply.location()).isEqualTo("/streams/" + streamId);
		assertThat(body.get("eventsUrl").asString()).isEqualTo("/streams/" + streamId);
		List<ServerSentEvent<String>> events = events(streamId, null, null).collectList().block(TIMEOUT);
		assertThat(events).extracting(ServerSentEvent::event)
			.startsWith("start", "delta")
			.endsWith("usage", "complete", "done");
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).id()).isEqualTo(streamId + ":" + i);
		}
		assertThat(events.get(0).retry()).isEqualTo(Duration.ofSeconds(1));
		assertThat(deltaText(events)).isEqualTo(fixtureText());
	}

	@Test
	void aReaderWithTheLastEventIdOfTheFifthEventShouldGetExactlyTheRest() {
		String streamId = start("gpt-4o-mini");
		List<ServerSentEvent<String>> all = events(streamId, null, null).collectList().block(TIMEOUT);
		List<ServerSentEvent<String>> rest = events(streamId, streamId + ":4", null).collectList().block(TIMEOUT);
		assertThat(rest).hasSize(all.size() - 5);
		assertThat(rest).extracting(ServerSentEvent::id)
			.containsExactlyElementsOf(all.subList(5, all.size()).stream().map(ServerSentEvent::id).toList());
		assertThat(rest).extracting(ServerSentEvent::data)
			.containsExactlyElementsOf(all.subList(5, all.size()).stream().map(ServerSentEvent::data).toList());
	}

	@Test
	void aReaderWithTheLastEventIdParameterShouldGetExactlyTheRest() {
		String streamId = start("gpt-4o-mini");
		List<ServerSentEvent<String>> all = events(streamId, null, null).collectList().block(TIMEOUT);
		List<ServerSentEvent<String>> rest = events(streamId, null, streamId + ":4").collectList().block(TIMEOUT);
		assertThat(rest).extracting(ServerSentEvent::id)
			.containsExactlyElementsOf(all.subList(5, all.size()).stream().map(ServerSentEvent::id).toList());
		// the header, which a reconnecting browser sends, wins over the page's parameter
		List<ServerSentEvent<String>> fromHeader = events(streamId, streamId + ":9", streamId + ":4").collectList()
			.block(TIMEOUT);
		assertThat(fromHeader.get(0).id()).isEqualTo(streamId + ":10");
	}

	@Test
	void twoReadersShouldShareOneProviderRequest(CapturedOutput output) {
		String streamId = start("gpt-two-readers");
		Flux<ServerSentEvent<String>> first = events(streamId, null, null);
		Flux<ServerSentEvent<String>> second = events(streamId, null, null);
		List<List<ServerSentEvent<String>>> both = Flux.merge(first.collectList(), second.collectList())
			.collectList()
			.block(TIMEOUT);
		assertThat(deltaText(both.get(0))).isEqualTo(fixtureText());
		assertThat(both.get(1)).extracting(ServerSentEvent::id)
			.containsExactlyElementsOf(both.get(0).stream().map(ServerSentEvent::id).toList());
		assertThat(output.getAll().split("for model 'gpt-two-readers'", -1)).hasSize(2);
	}

	@Test
	void stopShouldEndEveryReaderWithStoppedThenDone(CapturedOutput output) {
		String streamId = start("gpt-to-stop");
		Flux<ServerSentEvent<String>> first = events(streamId, null, null).replay().autoConnect();
		Flux<ServerSentEvent<String>> second = events(streamId, null, null).replay().autoConnect();
		first.filter((event) -> "delta".equals(event.event())).elementAt(2).block(TIMEOUT);
		second.filter((event) -> "delta".equals(event.event())).elementAt(2).block(TIMEOUT);
		Reply stop = http().delete().uri("/streams/" + streamId).exchangeToMono(Reply::of).block(TIMEOUT);
		assertThat(stop.status()).isEqualTo(202);
		assertThat(MAPPER.readTree(stop.body()).get("stopped").asBoolean()).isTrue();
		for (Flux<ServerSentEvent<String>> reader : List.of(first, second)) {
			List<ServerSentEvent<String>> events = reader.collectList().block(TIMEOUT);
			assertThat(events).extracting(ServerSentEvent::event)
				.endsWith("stopped", "done")
				.doesNotContain("complete");
			assertThat(MAPPER.readTree(events.get(events.size() - 2).data()).get("reason").asString())
				.isEqualTo("requested");
			assertThat(deltaText(events)).isNotEqualTo(fixtureText());
			assertThat(fixtureText()).startsWith(deltaText(events));
		}
		Reply again = http().post().uri("/streams/" + streamId + "/stop").exchangeToMono(Reply::of).block(TIMEOUT);
		assertThat(again.status()).isEqualTo(202);
		assertThat(MAPPER.readTree(again.body()).get("stopped").asBoolean()).isFalse();
		assertThat(output.getAll().split("for model 'gpt-to-stop'", -1)).hasSize(2);
	}

	@Test
	void anUnknownStreamShouldBe404AndAMalformedId400() {
		Reply unknown = http().get()
			.uri("/streams/neverStarted")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono(Reply::of)
			.block(TIMEOUT);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(MAPPER.readTree(unknown.body()).get("errorType").asString()).isEqualTo("NOT_FOUND");
		Reply stopUnknown = http().delete().uri("/streams/neverStarted").exchangeToMono(Reply::of).block(TIMEOUT);
		assertThat(stopUnknown.status()).isEqualTo(404);
		Reply malformed = http().get()
			.uri("/streams/" + "a".repeat(129))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono(Reply::of)
			.block(TIMEOUT);
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(MAPPER.readTree(malformed.body()).get("errorType").asString()).isEqualTo("INVALID_ID");
	}

	@Test
	void badInputShouldBe400BeforeAnyStreamStarts() {
		Reply empty = post("{\"prompt\": \" \"}");
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(MAPPER.readTree(empty.body()).get("field").asString()).isEqualTo("prompt");
		Reply model = post("{\"prompt\": \"hi\", \"model\": \"llama-3\"}");
		assertThat(model.status()).isEqualTo(400);
		assertThat(MAPPER.readTree(model.body()).get("field").asString()).isEqualTo("model");
	}

	private String start(String model) {
		Reply reply = post("{\"prompt\": \"hi\", \"model\": \"" + model + "\"}");
		assertThat(reply.status()).as(reply.body()).isEqualTo(201);
		return MAPPER.readTree(reply.body()).get("streamId").asString();
	}

	private Reply post(String json) {
		return http().post()
			.uri("/streams")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchangeToMono(Reply::of)
			.block(TIMEOUT);
	}

	private Flux<ServerSentEvent<String>> events(String streamId, @Nullable String header, @Nullable String parameter) {
		return http().get()
			.uri((uri) -> uri.path("/streams/" + streamId)
				.queryParamIfPresent("lastEventId", Optional.ofNullable(parameter))
				.build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				if (header != null) {
					headers.set("Last-Event-ID", header);
				}
			})
			.retrieve()
			.bodyToFlux(SSE);
	}

	private static String fixtureText() {
		return MAPPER
			.readTree(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano").expectedJson().orElseThrow())
			.get("text")
			.asString();
	}

	private static String deltaText(List<ServerSentEvent<String>> events) {
		StringBuilder text = new StringBuilder();
		for (ServerSentEvent<String> event : events) {
			if ("delta".equals(event.event())) {
				text.append(MAPPER.readTree(event.data()).get("text").asString());
			}
		}
		return text.toString();
	}

	record Reply(int status, @Nullable MediaType contentType, @Nullable String location, String body) {

		static Mono<Reply> of(ClientResponse response) {
			return response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Reply(response.statusCode().value(), response.headers().contentType().orElse(null),
						response.headers().asHttpHeaders().getFirst("Location"), body));
		}

	}

}
