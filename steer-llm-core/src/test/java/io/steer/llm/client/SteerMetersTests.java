package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code steer.*} meters over the loopback server, recorded once per stream at its
 * end: streams by outcome and estimated usage, errors by type, cost, retries,
 * cancellations by the subscriber or an operator, and the active streams gauge, which
 * goes up at the start and down at the end whichever way.
 */
class SteerMetersTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private static final StreamingOptions FAST = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(10))
		.maxRetryDelay(Duration.ofMillis(50))
		.build();

	private static final StreamingOptions NO_RETRY = FAST.toBuilder().retryOnConnectionError(false).build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final LiveStreams live = new LiveStreams();

	private final SteerLLMClient client = SteerLLMClient.builder()
		.openAi(ProviderSettings.of(server.baseUrl(), "sk-test-steer-meters"))
		.defaultOptions(FAST)
		.meterRegistry(this.meters)
		.liveStreams(this.live)
		.build();

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double active() {
		return this.meters.get("steer.streams.active").tag("gen_ai.provider.name", "openai").gauge().value();
	}

	@Test
	void completedStreamShouldCountOnceWithItsCostAndNoRetry() {
		replayText();
		StreamingResponse response = this.client.streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		assertThat(response.costUsd()).isPositive();
		assertThat(count("steer.streams", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o-mini",
				"outcome", "success", "steer.usage.estimated", "false"))
			.isEqualTo(1);
		assertThat(tagKeys(this.meters.get("steer.streams").counter())).containsExactlyInAnyOrder(
				"gen_ai.provider.name", "gen_ai.request.model", "outcome", "steer.usage.estimated");
		Counter cost = this.meters.get("steer.stream.cost").counter();
		assertThat(cost.getId().getBaseUnit()).isEqualTo("usd");
		assertThat(cost.count()).isEqualTo(response.costUsd().doubleValue());
		assertThat(tagKeys(cost)).containsExactlyInAnyOrder("gen_ai.provider.name", "gen_ai.request.model");
		assertThat(count("steer.stream.retries", "gen_ai.request.model", "gpt-4o-mini")).isZero();
		assertThat(this.meters.find("steer.stream.errors").counters()).isEmpty();
		assertThat(this.meters.find("steer.stream.cancellations").counters()).isEmpty();
		assertThat(active()).isZero();
	}

	@Test
	void httpErrorsShouldCountByErrorType() {
		server.server()
			.enqueue(MockResponse.status(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"));
		server.server()
			.enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
		for (int i = 0; i < 2; i++) {
			StepVerifier.create(this.client.streamEvents(REQUEST, NO_RETRY, StreamCallbacks.NONE))
				.assertNext((event) -> assertThat(event).isInstanceOf(StreamErrorEvent.class))
				.verifyComplete();
		}
		assertThat(count("steer.stream.errors", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o-mini",
				"error.type", "HTTP"))
			.isEqualTo(2);
		assertThat(count("steer.streams", "outcome", "error")).isEqualTo(2);
		assertThat(count("steer.streams", "outcome", "success")).isZero();
		assertThat(active()).isZero();
	}

	@Test
	void retriedStreamShouldCountItsAttemptsAfterTheFirst() {
		server.server()
			.enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
		server.server()
			.enqueue(MockResponse.status(503, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}"));
		replayText();
		StreamingResponse response = this.client.streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		assertThat(response.attempts()).isEqualTo(3);
		assertThat(
				count("steer.stream.retries", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o-mini"))
			.isEqualTo(2);
		assertThat(count("steer.streams", "outcome", "success")).isEqualTo(1);
		assertThat(this.meters.find("steer.stream.errors").counters()).isEmpty();
	}

	@Test
	void subscriberCancelShouldCountACancellationBySubscriberWithTheEstimatedUsageSoFar() {
		replayText();
		List<StreamEvent> events = this.client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE)
			.take(4)
			.collectList()
			.block();
		assertThat(events).hasSize(4);
		assertThat(count("steer.stream.cancellations", "gen_ai.provider.name", "openai", "gen_ai.request.model",
				"gpt-4o-mini", "steer.cancelled.by", "subscriber"))
			.isEqualTo(1);
		assertThat(count("steer.streams", "outcome", "cancelled", "steer.usage.estimated", "true")).isEqualTo(1);
		assertThat(this.meters.find("steer.stream.errors").counters()).isEmpty();
		assertThat(active()).isZero();
		assertThat(this.live.list()).isEmpty();
	}

	@Test
	void operatorCancelShouldCountACancellationByOperatorAndTheGaugeShouldFollowTheStream() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).stallAfterEvents(4));
		StepVerifier.create(this.client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE))
			.thenConsumeWhile((event) -> !(event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 1))
			.expectNextMatches(StreamDeltaEvent.class::isInstance)
			.then(() -> {
				assertThat(active()).isEqualTo(1);
				assertThat(this.live.cancel(this.live.list().get(0).streamId())).isTrue();
			})
			.thenConsumeWhile((event) -> !event.isTerminal())
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class,
					(error) -> assertThat(error.errorType()).isEqualTo(StreamErrorType.CANCELLED)))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(count("steer.stream.cancellations", "steer.cancelled.by", "operator")).isEqualTo(1);
		assertThat(count("steer.stream.cancellations", "steer.cancelled.by", "subscriber")).isZero();
		assertThat(count("steer.streams", "outcome", "cancelled")).isEqualTo(1);
		assertThat(this.meters.find("steer.stream.errors").counters()).isEmpty();
		assertThat(active()).isZero();
	}

	@Test
	void estimatedUsageShouldBeTagged() {
		List<byte[]> withoutUsage = SseFixture.load("openai", "chat-json-object")
			.events()
			.stream()
			.filter((event) -> !new String(event, StandardCharsets.UTF_8).contains("\"choices\":[]"))
			.toList();
		server.server().enqueue(MockResponse.chunks(withoutUsage));
		StreamingResponse response = this.client.streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		assertThat(response.usageEstimated()).isTrue();
		assertThat(count("steer.streams", "outcome", "success", "steer.usage.estimated", "true")).isEqualTo(1);
		assertThat(count("steer.streams", "steer.usage.estimated", "false")).isZero();
	}

	@Test
	void twoClientsOnOneRegistryShouldShareTheActiveGauge() throws InterruptedException {
		SteerLLMClient other = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test-steer-meters"))
			.meterRegistry(this.meters)
			.build();
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).stallAfterEvents(3));
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).stallAfterEvents(3));
		CountDownLatch deltas = new CountDownLatch(2);
		Disposable first = firstDelta(this.client, deltas);
		Disposable second = firstDelta(other, deltas);
		assertThat(deltas.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(active()).isEqualTo(2);
		first.dispose();
		assertThat(active()).isEqualTo(1);
		second.dispose();
		assertThat(active()).isZero();
		assertThat(count("steer.stream.cancellations", "steer.cancelled.by", "subscriber")).isEqualTo(2);
	}

	/** Subscribes, counting the latch down at the first delta. */
	private static Disposable firstDelta(SteerLLMClient client, CountDownLatch latch) {
		AtomicBoolean seen = new AtomicBoolean();
		return client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE).doOnNext((event) -> {
			if (event instanceof StreamDeltaEvent && seen.compareAndSet(false, true)) {
				latch.countDown();
			}
		}).subscribe();
	}

	private static List<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).toList();
	}

}
