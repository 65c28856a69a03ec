package io.steer.llm.reliability;

import java.util.List;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.json.JsonSnapshot;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.ResponseFormat;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON answer whose stream is resumed reads as one: the JSON stream handler lives with
 * the answer across attempts and sees only what the continuation guard lets through, so a
 * resumed stream that repeats earlier events neither breaks the JSON nor counts a
 * duplicate.
 */
class JsonResumeTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	@Test
	void streamEventsWhenJsonAnswerResumedWithRepeatsShouldParseOnceWithoutDuplicates() {
		SseFixture fixture = SseFixture.load("openai", "responses-structured-output");
		// events 0-11: six of the fourteen text deltas, then the connection drops; the
		// resumed stream replays from the start
		server.server().enqueue(MockResponse.replay(fixture).dropAfterEvents(12));
		server.server().enqueue(MockResponse.chunks(fixture.events()));
		ChatRequest request = ChatRequest.builder()
			.prompt("Weather in New York as JSON")
			.model("gpt-5-mini")
			.api(ProviderApi.RESPONSES)
			.providerOption("background", true)
			.responseFormat(ResponseFormat.jsonObject())
			.build();
		List<StreamEvent> events = Reliability.openAiAndAnthropicClient(server, new StreamingRetryManager())
			.streamEvents(request, StreamingOptions.JSON_MODE.toBuilder().logStreamingMetrics(false).build())
			.collectList()
			.block();
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.attempts()).isEqualTo(2);
		String text = "{\"temperatureCelsius\":22,\"condition\":\"Partly Cloudy\"}";
		assertThat(complete.response().text()).isEqualTo(text);
		assertThat(complete.response().json()).isEqualTo(JsonMapper.builder().build().readTree(text));
		assertThat(complete.response().jsonResult().duplicates()).isZero();
		assertThat(complete.response().metadata()).doesNotContainKey("json.duplicates");
		List<JsonSnapshot> snapshots = events.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map((event) -> ((StreamDeltaEvent) event).jsonSnapshot())
			.filter((snapshot) -> snapshot != null)
			.toList();
		assertThat(snapshots).filteredOn(JsonSnapshot::complete).singleElement();
		assertThat(snapshots.get(snapshots.size() - 1).value()).isEqualTo(complete.response().json());
	}

}
