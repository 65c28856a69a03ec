package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.RESPONSES;
import static io.steer.llm.reliability.Reliability.openAiClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream that began and then fails has a usage event before its error event, as a
 * complete stream has before its complete event: the provider's usage (once), else the
 * estimate made at the failure.
 */
class UsageOnFailureTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static List<StreamUsageEvent> usageEvents(List<StreamEvent> events) {
		return events.stream().filter(StreamUsageEvent.class::isInstance).map(StreamUsageEvent.class::cast).toList();
	}

	/** The usage event right before the error event, the only one. */
	private static StreamUsageEvent usageBeforeError(List<StreamEvent> events) {
		StreamErrorEvent error = Reliability.error(events);
		assertThat(usageEvents(events)).hasSize(1);
		assertThat(events.get(events.size() - 2)).isInstanceOf(StreamUsageEvent.class);
		StreamUsageEvent usage = (StreamUsageEvent) events.get(events.size() - 2);
		assertThat(error.partialResponse().usage()).isEqualTo(usage.usage());
		assertThat(error.partialResponse().usageEstimated()).isEqualTo(usage.isEstimated());
		return usage;
	}

	private static List<byte[]> responsesEventsThen(int n, String rawEvent) {
		List<byte[]> events = new ArrayList<>(SseFixture.load("openai", "responses-text").events().subList(0, n));
		events.add(rawEvent.getBytes(StandardCharsets.UTF_8));
		return events;
	}

	@Test
	void chatCompletionsDroppedMidStreamShouldEmitTheEstimatedUsageBeforeTheError() {
		// four deltas, then the connection drops before the usage chunk
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).dropAfterEvents(5));
		List<StreamEvent> events = openAiClient(server).streamEvents(CHAT).collectList().block();
		StreamUsageEvent usage = usageBeforeError(events);
		assertThat(Reliability.error(events).error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(usage.isEstimated()).isTrue();
		assertThat(usage.confidence()).isGreaterThan(0).isLessThan(1);
		assertThat(usage.usage().promptTokens()).isPositive();
		// "I'm unable to provide": a few tokens
		assertThat(usage.usage().completionTokens()).isBetween(3, 6);
	}

	@Test
	void responsesFailedWithUsageShouldEmitTheProviderUsageOnceBeforeTheError() {
		server.server()
			.enqueue(MockResponse.chunks(responsesEventsThen(6, "event: response.failed\ndata: {\"type\":"
					+ "\"response.failed\",\"sequence_number\":6,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\","
					+ "\"error\":{\"code\":\"invalid_prompt\",\"message\":\"no\"},\"usage\":{\"input_tokens\":444,"
					+ "\"output_tokens\":2,\"total_tokens\":446}}}\n\n")));
		List<StreamEvent> events = openAiClient(server).streamEvents(RESPONSES).collectList().block();
		StreamUsageEvent usage = usageBeforeError(events);
		assertThat(Reliability.error(events).error()).isInstanceOf(ProviderStreamException.class);
		assertThat(usage.isEstimated()).isFalse();
		assertThat(usage.confidence()).isEqualTo(1.0);
		assertThat(usage.usage().totalTokens()).isEqualTo(446);
	}

	@Test
	void responsesFailedWithoutUsageShouldEmitTheEstimatedUsageBeforeTheError() {
		server.server()
			.enqueue(MockResponse.chunks(responsesEventsThen(6, "event: response.failed\ndata: {\"type\":"
					+ "\"response.failed\",\"sequence_number\":6,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\","
					+ "\"error\":{\"code\":\"invalid_prompt\",\"message\":\"no\"},\"usage\":null}}\n\n")));
		List<StreamEvent> events = openAiClient(server).streamEvents(RESPONSES).collectList().block();
		StreamUsageEvent usage = usageBeforeError(events);
		assertThat(usage.isEstimated()).isTrue();
		assertThat(usage.usage().completionTokens()).isPositive();
	}

	@Test
	void providerErrorBeforeAnyDeltaShouldEmitNoEstimatedUsageEvent() {
		// nothing was generated: the estimate (the prompt's tokens) stays in the partial
		// response
		server.server()
			.enqueue(MockResponse.chunks(responsesEventsThen(2,
					"event: error\ndata: {\"type\":\"error\","
							+ "\"sequence_number\":2,\"error\":{\"type\":\"insufficient_quota\",\"code\":"
							+ "\"insufficient_quota\",\"message\":\"quota\"}}\n\n")));
		List<StreamEvent> events = openAiClient(server).streamEvents(RESPONSES).collectList().block();
		StreamErrorEvent error = Reliability.error(events);
		assertThat(usageEvents(events)).isEmpty();
		assertThat(error.partialResponse().usageEstimated()).isTrue();
	}

	@Test
	void httpErrorShouldEmitNoUsageEvent() {
		// the provider never answered with a stream: nothing to bill, no start event, no
		// usage event
		server.server()
			.enqueue(MockResponse.status(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
		List<StreamEvent> events = openAiClient(server).streamEvents(CHAT).collectList().block();
		Reliability.error(events);
		assertThat(events).hasSize(1);
	}

}
