package io.steer.llm.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Responses API fixture, served split at many byte positions (inside multi-byte
 * UTF-8 characters, between CR and LF, and at random points) and with LF, CRLF or CR line
 * ends, gives the same expected values as served whole.
 */
class ResponsesByteSplitContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<Arguments> splits() {
		List<Arguments> arguments = new ArrayList<>();
		ResponsesContractTests.responsesFixtures().forEach((fixture) -> {
			for (String lineEnd : List.of("\n", "\r\n", "\r")) {
				arguments.add(Arguments.of(fixture, lineEnd));
			}
		});
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} line end {1}")
	@MethodSource("splits")
	void streamEventsWhenBodySplitAtManyPointsShouldYieldExpectedValues(SseFixture fixture, String lineEnd) {
		byte[] body = ByteSplitContractTests.withLineEnds(fixture.bytes(), lineEnd);
		List<byte[]> chunks = ByteSplitContractTests.split(body,
				ByteSplitContractTests.splitPoints(body, fixture.name().hashCode()));
		server.server().enqueue(MockResponse.chunks(chunks));
		List<StreamEvent> events = ResponsesContractTests.client(server.server())
			.streamEvents(ResponsesContractTests.requestFor(fixture))
			.collectList()
			.block();
		StreamEvent last = events.get(events.size() - 1);
		if (fixture.name().equals(ResponsesContractTests.ERROR_FIXTURE)) {
			assertThat(last).isInstanceOf(StreamErrorEvent.class);
			ResponsesContractTests.assertInsufficientQuota(fixture, (StreamErrorEvent) last);
		}
		else {
			assertThat(last).isInstanceOf(StreamCompleteEvent.class);
			StreamingResponse response = ((StreamCompleteEvent) last).response();
			ResponsesContractTests.assertResponses(fixture, response);
			assertThat(response.metadata()).containsEntry("sequence_number",
					ResponsesContractTests.lastSequenceNumber(fixture));
		}
	}

	@ParameterizedTest(name = "line end {0}")
	@ValueSource(strings = { "\n", "\r\n", "\r" })
	void streamWithUsageWhenProviderRunToolStreamSplitAtManyPointsShouldYieldTheSameValues(String lineEnd) {
		byte[] body = ByteSplitContractTests
			.withLineEnds(ResponsesContractTests.WEB_SEARCH_STREAM.getBytes(StandardCharsets.UTF_8), lineEnd);
		server.server()
			.enqueue(MockResponse
				.chunks(ByteSplitContractTests.split(body, ByteSplitContractTests.splitPoints(body, 7))));
		ResponsesContractTests.assertWebSearch(ResponsesContractTests.client(server.server())
			.streamWithUsage(ChatRequest.of("What's the weather like in New York City?", "gpt-5-2025-08-07"))
			.block());
	}

}
