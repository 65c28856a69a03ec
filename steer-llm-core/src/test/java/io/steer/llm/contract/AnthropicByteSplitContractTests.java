package io.steer.llm.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Anthropic fixture, served split at many byte positions (inside multi-byte UTF-8
 * characters such as the "°" and "÷" of the recordings, and between CR and LF) and with
 * LF, CRLF or CR line ends, gives the same expected values as served whole.
 */
class AnthropicByteSplitContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<Arguments> splits() {
		List<Arguments> arguments = new ArrayList<>();
		AnthropicMessagesContractTests.anthropicFixtures().forEach((fixture) -> {
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
		assertThat(chunks).hasSizeGreaterThan(Math.min(100, body.length / 2));
		server.server().enqueue(MockResponse.chunks(chunks));
		List<StreamEvent> events = AnthropicMessagesContractTests.client(server.server())
			.streamEvents(AnthropicMessagesContractTests.requestFor(fixture))
			.collectList()
			.block();
		StreamEvent last = events.get(events.size() - 1);
		if (AnthropicMessagesContractTests.errorFixtures().anyMatch((f) -> f.name().equals(fixture.name()))) {
			assertThat(last).isInstanceOf(StreamErrorEvent.class);
			AnthropicMessagesContractTests.assertAnthropicError(fixture, (StreamErrorEvent) last);
		}
		else {
			assertThat(last).isInstanceOf(StreamCompleteEvent.class);
			StreamingResponse response = ((StreamCompleteEvent) last).response();
			AnthropicMessagesContractTests.assertAnthropic(fixture, response);
		}
	}

}
