package io.steer.llm.reliability;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import io.netty.channel.ChannelOption;
import ch.qos.logback.classic.Level;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancelling closes the connection and keeps the usage so far; a slow subscriber makes
 * the connection's reads pause rather than memory grow.
 */
class CancellationAndBackpressureTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	@Test
	void cancellingShouldCloseTheConnectionPromptlyAndRecordTheUsageSoFar() {
		server.server()
			.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage"))
				.delayBetweenEvents(Duration.ofMillis(50)));
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(FAST_RETRIES)
			.retryManager(this.retryManager)
			.build();
		List<StreamEvent> received;
		try (Reliability.CapturedLog log = new Reliability.CapturedLog(Reliability.EXCHANGE_LOGGER)) {
			received = client.streamEvents(CHAT)
				.filter(StreamDeltaEvent.class::isInstance)
				.take(3)
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(log.messages(Level.DEBUG)).singleElement()
				.satisfies((line) -> assertThat(line).contains("cancelled by the subscriber").contains("usage so far"));
		}
		assertThat(Reliability.text(received)).isEqualTo("I'm unable to");
		// the server sees the client go away long before the 33 remaining events (1.6 s)
		// were sent
		assertThat(server.server().awaitClientDisconnect(Duration.ofMillis(1000))).isTrue();
		assertThat(server.server().eventsWritten()).isLessThan(20);
		assertThat(this.retryManager.states()).singleElement().satisfies((state) -> {
			assertThat(state.completed()).isTrue();
			assertThat(state.partialText()).startsWith("I'm unable to");
			assertThat(state.lastError()).startsWith("cancelled by the subscriber after ")
				.containsPattern("usage so far: \\d+ prompt \\+ [1-9]\\d* completion tokens \\(estimated\\)");
		});
	}

	@Test
	void slowSubscriberShouldKeepTheServerFromRunningFarAheadOfAHundredThousandEventStream() throws Exception {
		int deltas = 100_000;
		// fixed, small socket buffers on both sides, so that the kernel cannot hold the
		// stream
		// for the client: what the server can write ahead is then bounded by what the
		// client
		// itself buffers
		try (LoopbackProviderServer loopback = LoopbackProviderServer.start(32 * 1024)) {
			loopback.enqueue(MockResponse.replay(SseFixture.syntheticOpenAiChat(deltas)));
			HttpClient httpClient = HttpClient.create().option(ChannelOption.SO_RCVBUF, 32 * 1024);
			SteerLLMClient client = SteerLLMClient.builder()
				.webClientBuilder(WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)))
				.openAi(ProviderSettings.of(loopback.baseUrl(), API_KEY))
				.build();
			Iterator<StreamEvent> events = client.streamEvents(CHAT).toIterable(16).iterator();
			long consumed = 0;
			long maxAhead = 0;
			StreamEvent last = null;
			while (events.hasNext()) {
				last = events.next();
				if (last instanceof StreamDeltaEvent delta) {
					assertThat(delta.chunkIndex()).isEqualTo(consumed);
					consumed++;
					if (consumed <= 2_000 && consumed % 250 == 0) {
						// a slow subscriber: let the server write as far as it can, then
						// measure
						awaitWritesSettle(loopback);
						// write 0 is the role chunk; write n carries delta n - 1
						maxAhead = Math.max(maxAhead, loopback.eventsWritten() - 1 - consumed);
					}
				}
			}
			assertThat(last).isInstanceOfSatisfying(StreamCompleteEvent.class,
					(complete) -> assertThat(complete.totalChunks()).isEqualTo(deltas));
			assertThat(consumed).isEqualTo(deltas);
			// bounded by the buffers between the server and the subscriber, about 1.3 MB
			// at
			// most: the two socket buffers (2 x 64 KiB as Linux doubles them), the
			// server's
			// write queue (64 KiB), 16 network reads of at most 64 KiB read ahead of the
			// parsing, 256 events (buffer-size) and the 16 of toIterable. At ~270 bytes
			// an
			// event, about 5,000 events at worst (about 1,000 in practice): not the
			// stream's 100,000
			System.out.println("Backpressure: the server got at most " + maxAhead + " events ahead of the subscriber");
			assertThat(maxAhead).as("events written ahead of the subscriber").isPositive().isLessThan(6_000);
		}
	}

	/** Waits until the server has written nothing more for 200 ms. */
	private static void awaitWritesSettle(LoopbackProviderServer server) throws InterruptedException {
		long previous = -1;
		long written = server.eventsWritten();
		while (written != previous) {
			Thread.sleep(200);
			previous = written;
			written = server.eventsWritten();
		}
	}

}
