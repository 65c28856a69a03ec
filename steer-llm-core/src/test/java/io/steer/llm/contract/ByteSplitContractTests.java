package io.steer.llm.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

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
 * Every Chat Completions fixture, served split at many byte positions (inside multi-byte
 * UTF-8 characters and between CR and LF among them) and with CRLF or CR line ends, gives
 * the same expected values as served whole.
 */
class ByteSplitContractTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<Arguments> splits() {
		List<Arguments> arguments = new ArrayList<>();
		ChatCompletionsContractTests.chatFixtures().forEach((fixture) -> {
			for (String lineEnd : List.of("\n", "\r\n", "\r")) {
				arguments.add(Arguments.of(fixture, lineEnd));
			}
		});
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} line end {1}")
	@MethodSource("splits")
	void streamWithUsageWhenBodySplitAtManyPointsShouldYieldExpectedValues(SseFixture fixture, String lineEnd) {
		byte[] body = withLineEnds(fixture.bytes(), lineEnd);
		List<byte[]> chunks = split(body, splitPoints(body, fixture.name().hashCode()));
		server.server().enqueue(MockResponse.chunks(chunks));
		StreamingResponse response = ChatCompletionsContractTests.client(server.server())
			.streamWithUsage(ChatCompletionsContractTests.requestFor(fixture))
			.block();
		FixtureExpectations.assertChatCompletions(fixture, response);
	}

	static byte[] withLineEnds(byte[] lf, String lineEnd) {
		if (lineEnd.equals("\n")) {
			return lf;
		}
		// JSON payloads escape their line breaks, so every raw LF is an SSE line end
		return new String(lf, StandardCharsets.UTF_8).replace("\n", lineEnd).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Split points: inside every multi-byte UTF-8 character (up to 200 of them), right
	 * after every CR (up to 200), and 200 random positions.
	 */
	static TreeSet<Integer> splitPoints(byte[] body, long seed) {
		TreeSet<Integer> points = new TreeSet<>();
		int utf8 = 0;
		int cr = 0;
		for (int i = 1; i < body.length; i++) {
			int b = body[i - 1] & 0xFF;
			if (b >= 0xC0 && utf8 < 200) {
				points.add(i);
				utf8++;
			}
			if (b == '\r' && cr < 200) {
				points.add(i);
				cr++;
			}
		}
		Random random = new Random(seed);
		for (int i = 0; i < 200; i++) {
			points.add(1 + random.nextInt(body.length - 1));
		}
		return points;
	}

	static List<byte[]> split(byte[] body, TreeSet<Integer> points) {
		List<byte[]> chunks = new ArrayList<>();
		int start = 0;
		for (int point : points) {
			chunks.add(java.util.Arrays.copyOfRange(body, start, point));
			start = point;
		}
		chunks.add(java.util.Arrays.copyOfRange(body, start, body.length));
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		chunks.forEach(joined::writeBytes);
		assertThat(joined.toByteArray()).isEqualTo(body);
		return chunks;
	}

}
