package io.steer.llm.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.EventProcessorException;
import io.steer.llm.error.JsonSchemaViolationException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * JSON answers through the client over the loopback server, on hand-made (synthetic) Chat
 * Completions streams: the seed's JSON-mode example, typed results, typed elements of an
 * array, the early and the late failure of invalid JSON, the duplicate policies, the JSON
 * processor and the schema.
 */
class JsonAnswerTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final StreamingOptions QUIET = StreamingOptions.builder()
		.enableJsonStreamHandler(true)
		.retryOnConnectionError(false)
		.build();

	private static final String BROKEN = "{\"name\": \"Steer Mug\", \"price\": 12.5,, \"tags\": []}";

	record Product(String name, double price, List<String> tags) {

	}

	record Item(String name, double price) {

	}

	@Test
	void streamWithUsageWhenJsonModeShouldGiveTheProductAsTheSeedDoes() {
		serve("synthetic-chat-json-product.sse");
		StreamingResponse response = client()
			.streamWithUsage(ChatRequest.builder()
				.prompt("Describe one product as JSON with name and price")
				.model("gpt-4o-mini")
				.responseFormat(ResponseFormat.jsonObject())
				.build(), StreamingOptions.JSON_MODE)
			.block();
		JsonNode data = response.json();
		assertThat(data.get("name").asString()).isEqualTo("Steer Mug");
		assertThat(data.get("price").asDouble()).isEqualTo(12.5);
		// the fence around the object is skipped
		assertThat(response.text()).startsWith("```json");
	}

	@Test
	void jsonWhenTypedShouldConvertThroughTheClientsMapper() {
		serve("synthetic-chat-json-product.sse");
		StreamingResponse response = client().streamWithUsage(jsonRequest(), QUIET).block();
		assertThat(response.json(Product.class)).isEqualTo(new Product("Steer Mug", 12.5, List.of("kitchen", "gift")));
		Map<String, Object> map = response.json(new TypeReference<Map<String, Object>>() {
		});
		assertThat(map).containsEntry("name", "Steer Mug").containsKey("tags");
		assertThat(response.choices().get(0).json()).isEqualTo(response.json());
	}

	@Test
	void jsonWhenNoJsonFormatShouldBeNull() {
		serve("synthetic-chat-json-product.sse");
		StreamingResponse response = client()
			.streamWithUsage(ChatRequest.builder().prompt("hi").model("gpt-4o-mini").build(), QUIET)
			.block();
		assertThat(response.json()).isNull();
		assertThat(response.jsonResult()).isNull();
		assertThat(response.json(Product.class)).isNull();
	}

	@Test
	void streamEventsWhenHandlerOffShouldParseTheFinalTextWithoutSnapshots() {
		serve("synthetic-chat-json-array.sse");
		List<StreamEvent> events = client()
			.streamEvents(jsonRequest(), StreamingOptions.builder().retryOnConnectionError(false).build())
			.collectList()
			.block();
		assertThat(deltas(events)).allSatisfy((delta) -> assertThat(delta.jsonSnapshot()).isNull());
		StreamingResponse response = ((StreamCompleteEvent) events.get(events.size() - 1)).response();
		assertThat(response.json()).hasSize(3);
		assertThat(response.json(new TypeReference<List<Item>>() {
		})).extracting(Item::name).containsExactly("Mug", "Teapot", "Spoon");
	}

	@Test
	void streamElementsShouldGiveEachArrayElementTyped() {
		serve("synthetic-chat-json-array.sse");
		StepVerifier
			.create(client().streamElements(jsonRequest(),
					StreamingOptions.builder().retryOnConnectionError(false).build(), Item.class))
			.expectNext(new Item("Mug", 12.5), new Item("Teapot", 30), new Item("Spoon", 2.25))
			.verifyComplete();
	}

	@Test
	void streamEventsWhenArrayShouldCompleteEachElementBeforeTheTextEnds() {
		serve("synthetic-chat-json-array.sse");
		List<StreamDeltaEvent> deltas = deltas(client().streamEvents(jsonRequest(), QUIET).collectList().block());
		int firstElement = -1;
		for (int i = 0; i < deltas.size(); i++) {
			JsonSnapshot snapshot = deltas.get(i).jsonSnapshot();
			if (snapshot != null && snapshot.completedElements() >= 1) {
				firstElement = i;
				break;
			}
		}
		assertThat(firstElement).isBetween(0, deltas.size() / 2);
		assertThat(deltas.get(firstElement).jsonSnapshot().value().get(0).get("name").asString()).isEqualTo("Mug");
	}

	@Test
	void streamElementsWhenStreamFailsShouldSignalItsError() {
		serve("synthetic-chat-json-broken.sse");
		StepVerifier.create(client().streamElements(jsonRequest(), StreamingOptions.JSON_MODE, Item.class))
			.expectError(StreamParseException.class)
			.verify();
	}

	@Test
	void streamElementsWhenNoJsonFormatShouldSignalIllegalArgument() {
		StepVerifier
			.create(client().streamElements(ChatRequest.builder().prompt("hi").model("gpt-4o-mini").build(), QUIET,
					Item.class))
			.expectError(IllegalArgumentException.class)
			.verify();
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void streamEventsWhenValidatingIncrementallyShouldFailAtTheBadDeltaKeepingThePartialText() {
		serve("synthetic-chat-json-broken.sse");
		List<StreamEvent> events = client()
			.streamEvents(jsonRequest(),
					StreamingOptions.JSON_MODE.toBuilder().maxReconnectAttempts(3).logStreamingMetrics(false).build())
			.collectList()
			.block();
		StreamErrorEvent error = (StreamErrorEvent) events.get(events.size() - 1);
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		StreamParseException parse = (StreamParseException) error.error();
		assertThat(parse.offset()).isEqualTo(BROKEN.indexOf(",,") + 1);
		assertThat(parse.getMessage()).contains("offset " + parse.offset());
		assertThat(error.retryable()).isFalse();
		String partial = error.partialResponse().text();
		// the bad delta is the last one delivered, and is in the partial text
		assertThat(partial).contains(",,").hasSizeLessThan(BROKEN.length());
		assertThat(BROKEN).startsWith(partial);
		assertThat(String.join("", deltas(events).stream().map(StreamDeltaEvent::delta).toList())).isEqualTo(partial);
		// not retried: the same request would stream the same text
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenNotValidatingIncrementallyShouldFailOnceTheTextEnded() {
		serve("synthetic-chat-json-broken.sse");
		StreamErrorEvent error = lastError(client().streamEvents(jsonRequest(), QUIET).collectList().block());
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.partialResponse().text()).isEqualTo(BROKEN);
		assertThat(((StreamParseException) error.error()).offset()).isEqualTo(BROKEN.indexOf(",,") + 1);
	}

	@Test
	void streamEventsWhenTruncatedShouldFailOnceTheTextEnded() {
		serve("synthetic-chat-json-truncated.sse");
		StreamErrorEvent error = lastError(
				client().streamEvents(jsonRequest(), StreamingOptions.JSON_MODE).collectList().block());
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(error.error().getMessage()).contains("unexpected end of the JSON text");
		String partial = "{\"name\": \"Steer Mug\", \"price\": 1";
		assertThat(error.partialResponse().text()).isEqualTo(partial);
		assertThat(((StreamParseException) error.error()).offset()).isEqualTo(partial.length());
	}

	@Test
	void streamWithUsageWhenDuplicatedAndFirstShouldKeepTheFirstAndCount() {
		serve("synthetic-chat-json-duplicated.sse");
		StreamingResponse response = client().streamWithUsage(jsonRequest(), QUIET).block();
		assertThat(response.json(Item.class)).isEqualTo(new Item("Mug", 12.5));
		assertThat(response.jsonResult().duplicates()).isEqualTo(1);
		assertThat(response.metadata()).containsEntry("json.duplicates", 1);
	}

	@Test
	void streamWithUsageWhenDuplicatedAndLastShouldKeepTheLast() {
		serve("synthetic-chat-json-duplicated.sse");
		StreamingResponse response = client()
			.streamWithUsage(jsonRequest(), QUIET.toBuilder().jsonDuplicatePolicy(JsonDuplicatePolicy.LAST).build())
			.block();
		assertThat(response.json(Item.class)).isEqualTo(new Item("Teapot", 30));
		assertThat(response.jsonResult().duplicates()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenDuplicatedAndFailShouldFailAtTheSecondValue() {
		serve("synthetic-chat-json-duplicated.sse");
		StreamErrorEvent error = lastError(client()
			.streamEvents(jsonRequest(), QUIET.toBuilder().jsonDuplicatePolicy(JsonDuplicatePolicy.FAIL).build())
			.collectList()
			.block());
		assertThat(error.error()).isInstanceOf(StreamParseException.class);
		assertThat(((StreamParseException) error.error()).offset())
			.isEqualTo("{\"name\": \"Mug\", \"price\": 12.5}\n".length());
	}

	@Test
	void streamWithUsageWhenJsonProcessorShouldDeliverItsValue() {
		serve("synthetic-chat-json-product.sse");
		JsonProcessor processor = (value) -> ((ObjectNode) value.deepCopy()).put("processed", true);
		StreamingResponse response = client().streamWithUsage(jsonRequest(), QUIET.withJsonProcessor(processor))
			.block();
		assertThat(response.json().get("processed").asBoolean()).isTrue();
		assertThat(response.choices().get(0).json()).isEqualTo(response.json());
		assertThat(response.jsonResult().value()).isEqualTo(response.json());
	}

	@Test
	void streamEventsWhenJsonProcessorThrowsShouldFailAsProcessor() {
		serve("synthetic-chat-json-product.sse");
		JsonProcessor processor = (value) -> {
			throw new IllegalStateException("no");
		};
		StreamErrorEvent error = lastError(
				client().streamEvents(jsonRequest(), QUIET.withJsonProcessor(processor)).collectList().block());
		assertThat(error.error()).isInstanceOf(EventProcessorException.class);
		assertThat(error.errorType()).isEqualTo(StreamErrorType.PROCESSOR);
		assertThat(error.error().getCause()).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void streamWithUsageWhenSchemaViolatedShouldReportTheViolations() {
		serve("synthetic-chat-json-product.sse");
		StreamingResponse response = client().streamWithUsage(schemaRequest(), QUIET).block();
		assertThat(response.jsonResult().schemaViolations()).singleElement().asString().contains("currency");
		assertThat(response.metadata()).containsKey("json.schema_violations");
		assertThat(response.json(Product.class).name()).isEqualTo("Steer Mug");
	}

	@Test
	void streamWithUsageWhenSchemaViolatedAndFailOnSchemaViolationShouldFail() {
		serve("synthetic-chat-json-product.sse");
		assertThatExceptionOfType(JsonSchemaViolationException.class)
			.isThrownBy(() -> client()
				.streamWithUsage(schemaRequest(), QUIET.toBuilder().failOnSchemaViolation(true).build())
				.block())
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().asString().contains("currency"))
			.satisfies((ex) -> assertThat(ex.getPartialResponse().text()).contains("Steer Mug"));
	}

	private static ChatRequest jsonRequest() {
		return ChatRequest.builder()
			.prompt("Products as JSON")
			.model("gpt-4o-mini")
			.responseFormat(ResponseFormat.jsonObject())
			.build();
	}

	private static ChatRequest schemaRequest() {
		Map<String, Object> schema = Map.of(
				"type", "object", "properties", Map.of("name", Map.of("type", "string"), "price",
						Map.of("type", "number"), "currency", Map.of("type", "string")),
				"required", List.of("name", "price", "currency"));
		return jsonRequest().toBuilder().responseFormat(ResponseFormat.jsonSchema("product", schema, true)).build();
	}

	private static List<StreamDeltaEvent> deltas(List<StreamEvent> events) {
		return events.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map(StreamDeltaEvent.class::cast)
			.filter((delta) -> delta.kind() == DeltaKind.TEXT)
			.toList();
	}

	private static StreamErrorEvent lastError(List<StreamEvent> events) {
		StreamEvent last = events.get(events.size() - 1);
		assertThat(last).isInstanceOf(StreamErrorEvent.class);
		return (StreamErrorEvent) last;
	}

	private static SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.server().baseUrl(), "sk-test-key")).build();
	}

	private static void serve(String name) {
		try (InputStream in = JsonAnswerTests.class.getResourceAsStream("/json/" + name)) {
			server.server().enqueue(MockResponse.replay(SseFixture.of(name, in.readAllBytes())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
