package io.steer.llm.resume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import io.steer.llm.web.ServerSentEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PayloadCodec#plain()} and {@link PayloadCodec#deflate()}: round trips, the
 * stored fallback for a payload that would not shrink, garbage refused; and the measure
 * of what deflate saves on the longest recording, its server-sent events kept in an
 * {@link InMemoryStreamStore}.
 */
class PayloadCodecTests {

	private static final String FIXTURE_PROVIDER = "xai";

	private static final String FIXTURE_NAME = "responses-reasoning-summary-text";

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	static Stream<PayloadCodec> codecs() {
		return Stream.of(PayloadCodec.plain(), PayloadCodec.deflate());
	}

	static Stream<Arguments> codecsAndPayloads() {
		Random random = new Random(15);
		StringBuilder large = new StringBuilder(64 * 1024);
		String[] words = { "stream", "token", "delta", "chunk", "résumé", "日本", "😀", "\"quoted\"", "\\n" };
		while (large.length() < 64 * 1024) {
			large.append(words[random.nextInt(words.length)]).append(' ');
		}
		List<String> payloads = List.of("", "{}", "x", "{\"text\":\"héllo wörld ✓ naïve façade\"}",
				"{\"text\":\"😀👍🏽🇫🇷 \\ud83d\"}", "日本語のテキスト、中文文本、한국어 텍스트", large.toString(),
				"{\"text\":\" the\",\"kind\":\"text\",\"chunkIndex\":12,\"choiceIndex\":0}");
		return codecs().flatMap((codec) -> payloads.stream().map((payload) -> Arguments.of(codec, payload)));
	}

	@ParameterizedTest(name = "{0} {index}")
	@MethodSource("codecsAndPayloads")
	void payloadShouldRoundTrip(PayloadCodec codec, String payload) {
		assertThat(codec.decode(codec.encode(payload))).isEqualTo(payload);
	}

	@Test
	void plainShouldBeUtf8() {
		assertThat(PayloadCodec.plain().encode("é😀")).isEqualTo("é😀".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void deflateShouldKeepAPayloadThatWouldNotShrinkAsUtf8AfterAMarker() {
		for (String payload : List.of("", "x", "ab")) {
			byte[] bytes = PayloadCodec.deflate().encode(payload);
			byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
			assertThat(bytes).hasSize(utf8.length + 1);
			assertThat(bytes[0]).isZero();
			assertThat(Arrays.copyOfRange(bytes, 1, bytes.length)).isEqualTo(utf8);
		}
	}

	@Test
	void deflateShouldShrinkEvenAShortDeltaThanksToTheDictionary() {
		String delta = "{\"text\":\" the\",\"kind\":\"text\",\"chunkIndex\":12,\"choiceIndex\":0}";
		byte[] bytes = PayloadCodec.deflate().encode(delta);
		assertThat(bytes[0]).isEqualTo((byte) 1);
		assertThat(bytes.length).isLessThan(delta.length() / 2);
	}

	@Test
	void deflateShouldRefuseBytesThatAreNotItsOwn() {
		PayloadCodec codec = PayloadCodec.deflate();
		byte[] deflated = codec.encode("{\"text\":\"" + "a longer text that compresses well ".repeat(20) + "\"}");
		assertThat(deflated[0]).isEqualTo((byte) 1);
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(new byte[] { 7, 'a' }));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode("{\"text\":\"x\"}".getBytes()));
		// a reserved block type
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(new byte[] { 1, (byte) 0xff, (byte) 0xff }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> codec.decode(Arrays.copyOf(deflated, deflated.length / 2)))
			.withMessageContaining("truncated");
	}

	@Test
	void codecsShouldSayWhichTheyAre() {
		assertThat(PayloadCodec.plain()).hasToString("PayloadCodec.plain()");
		assertThat(PayloadCodec.deflate()).hasToString("PayloadCodec.deflate()");
	}

	/**
	 * The measure: the longest recording streamed by the real client over the loopback
	 * server, mapped to server-sent events, kept by the in-memory store plain and
	 * deflated. Prints one {@code RESUME-COMPRESSION} line with the figures.
	 */
	@Test
	void deflateShouldKeepTheLongestRecordingInFewerBytes() {
		SseFixture fixture = SseFixture.load(FIXTURE_PROVIDER, FIXTURE_NAME);
		String model = JsonMapper.builder()
			.build()
			.readTree(fixture.expectedJson().orElseThrow())
			.get("model")
			.asString();
		SteerLLMClient client = SteerLLMClient.builder()
			.xai(ProviderSettings.of(server.server().baseUrl(), "xai-test-key"), ProviderApi.RESPONSES)
			.build();
		server.server().enqueue(MockResponse.replay(fixture));
		List<ServerSentEvent<String>> sse = ServerSentEvents.builder()
			.build()
			.apply(client.streamEvents(ChatRequest.builder().prompt("Tell me about Sonoran food").model(model).build()))
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(sse).hasSizeGreaterThan(100);
		assertThat(sse.get(sse.size() - 1).event()).isEqualTo("done");
		List<StoredEvent> events = new ArrayList<>(sse.size());
		for (ServerSentEvent<String> event : sse) {
			events.add(new StoredEvent(events.size(), Objects.requireNonNull(event.event()),
					Objects.requireNonNull(event.data())));
		}
		long plain = keep(PayloadCodec.plain(), events);
		long deflate = keep(PayloadCodec.deflate(), events);
		long data = events.stream().mapToLong((event) -> event.data().getBytes(StandardCharsets.UTF_8).length).sum();
		System.out.println(String.format(Locale.ROOT,
				"RESUME-COMPRESSION fixture=%s/%s events=%d payloadBytes=%d storedBytesPlain=%d "
						+ "storedBytesDeflate=%d ratio=%.3f saved=%.1f%%",
				FIXTURE_PROVIDER, FIXTURE_NAME, events.size(), data, plain, deflate, (double) deflate / plain,
				100.0 * (plain - deflate) / plain));
		assertThat(deflate).isLessThan(plain);
	}

	private static long keep(PayloadCodec codec, List<StoredEvent> events) {
		InMemoryStreamStore store = InMemoryStreamStore.builder().codec(codec).build();
		store.create("measure", Duration.ofMinutes(5)).block(Duration.ofSeconds(10));
		store.append("measure", events).then(store.complete("measure")).block(Duration.ofSeconds(10));
		StepVerifier.create(store.read("measure", -1))
			.expectNextSequence(events)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		return store.storedBytes();
	}

}
