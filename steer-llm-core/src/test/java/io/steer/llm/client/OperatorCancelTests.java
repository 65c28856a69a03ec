package io.steer.llm.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamCancelledException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.observation.LiveStream;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.ModelStatistics;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's streams in its {@link LiveStreams}: every stream is listed while it runs,
 * whatever its {@code trackMetrics}, with its deltas counted; an operator's cancel closes
 * the provider connection and ends the stream with one terminal error event of type
 * {@link StreamErrorType#CANCELLED} that keeps the partial text and usage.
 */
class OperatorCancelTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Hello", "gpt-4o-mini");

	private static final StreamingOptions FAST = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(10))
		.maxRetryDelay(Duration.ofMillis(50))
		.build();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final StreamStatistics statistics = new StreamStatistics();

	private final LiveStreams live = new LiveStreams();

	private final StreamingRetryManager retryManager = new StreamingRetryManager();

	private final SteerLLMClient client = SteerLLMClient.builder()
		.openAi(ProviderSettings.of(server.baseUrl(), "sk-test-operator-cancel"))
		.defaultOptions(FAST)
		.observationRegistry(this.observations)
		.meterRegistry(this.meters)
		.streamStatistics(this.statistics)
		.liveStreams(this.live)
		.retryManager(this.retryManager)
		.build();

	private static void stalledText() {
		// the role chunk and three deltas, then nothing while the connection stays open
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")).stallAfterEvents(4));
	}

	private static String text(List<StreamEvent> events) {
		StringBuilder text = new StringBuilder();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta && delta.kind() == DeltaKind.TEXT) {
				text.append(delta.delta());
			}
		}
		return text.toString();
	}

	@Test
	void operatorCancelShouldEndWithOneCancelledErrorEventKeepingThePartialTextAndCloseTheConnection() {
		stalledText();
		List<StreamEvent> seen = new CopyOnWriteArrayList<>();
		StepVerifier.create(this.client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE).doOnNext(seen::add))
			.thenConsumeWhile((event) -> !(event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 2))
			.expectNextMatches(StreamDeltaEvent.class::isInstance)
			.then(() -> {
				List<LiveStream> running = this.live.list();
				assertThat(running).singleElement().satisfies((stream) -> {
					assertThat(stream.provider()).isEqualTo("openai");
					assertThat(stream.model()).isEqualTo("gpt-4o-mini");
					assertThat(stream.chunks()).isEqualTo(3);
				});
				assertThat(this.live.cancel(running.get(0).streamId())).isTrue();
			})
			.thenConsumeWhile((event) -> !event.isTerminal())
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
				assertThat(error.errorType()).isEqualTo(StreamErrorType.CANCELLED);
				assertThat(error.isRetryable()).isFalse();
				assertThat(error.error()).isInstanceOf(StreamCancelledException.class)
					.hasMessage("Stream cancelled by an operator");
				assertThat(error.partialText()).isNotEmpty().isEqualTo(text(seen));
				assertThat(error.partialResponse().usage()).isNotNull();
				assertThat(error.partialResponse().usage().completionTokens()).isPositive();
			}))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(seen).filteredOn(StreamEvent::isTerminal).hasSize(1);
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
		assertThat(this.live.list()).isEmpty();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasHighCardinalityKeyValueWithKey("gen_ai.usage.output_tokens");
		assertThat(this.statistics.models()).singleElement().satisfies((model) -> {
			assertThat(model.cancelled()).isEqualTo(1);
			assertThat(model.errors()).isEmpty();
		});
		assertThat(this.retryManager.states()).singleElement().satisfies((state) -> {
			assertThat(state.completed()).isTrue();
			assertThat(state.lastError()).isEqualTo("Stream cancelled by an operator");
			assertThat(state.partialText()).isEqualTo(text(seen));
		});
	}

	@Test
	void operatorCancelBeforeTheProviderAnswersShouldEndTheStreamAtOnce() {
		server.server()
			.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage"))
				.delayBeforeFirstByte(Duration.ofSeconds(30)));
		StepVerifier.create(this.client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE)).then(() -> {
			server.server().takeRequest(Duration.ofSeconds(5));
			assertThat(this.live.cancel(this.live.list().get(0).streamId())).isTrue();
		}).assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
			assertThat(error.errorType()).isEqualTo(StreamErrorType.CANCELLED);
			assertThat(error.partialText()).isEmpty();
		})).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(server.server().awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void operatorCancelDuringTheWaitForARetryShouldEndTheStreamWithoutAnotherAttempt() throws Exception {
		server.server().enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server\"}}"));
		replayLater();
		StreamingOptions slowRetry = FAST.toBuilder()
			.reconnectDelay(Duration.ofSeconds(60))
			.maxRetryDelay(Duration.ofSeconds(60))
			.build();
		CountDownLatch waiting = new CountDownLatch(1);
		ch.qos.logback.classic.Logger exchangeLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger(StreamExchange.class);
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				if (event.getFormattedMessage().contains("sending the request again in")) {
					waiting.countDown();
				}
			}

		};
		appender.start();
		ch.qos.logback.classic.Level level = exchangeLogger.getLevel();
		exchangeLogger.setLevel(ch.qos.logback.classic.Level.INFO);
		exchangeLogger.addAppender(appender);
		try {
			StepVerifier.create(this.client.streamEvents(REQUEST, slowRetry, StreamCallbacks.NONE)).then(() -> {
				try {
					assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
				assertThat(this.live.cancel(this.live.list().get(0).streamId())).isTrue();
			})
				.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class,
						(error) -> assertThat(error.errorType()).isEqualTo(StreamErrorType.CANCELLED)))
				.expectComplete()
				// far less than the 60 s wait
				.verify(Duration.ofSeconds(10));
		}
		finally {
			exchangeLogger.detachAppender(appender);
			exchangeLogger.setLevel(level);
		}
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(this.retryManager.states()).singleElement()
			.satisfies((state) -> assertThat(state.lastError()).isEqualTo("Stream cancelled by an operator"));
	}

	/** A stream for an attempt that must not be made. */
	private static void replayLater() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@Test
	void streamShouldFailWithTheCancelledException() {
		stalledText();
		StepVerifier.create(this.client.stream(REQUEST, FAST))
			.expectNextCount(1)
			.then(() -> this.live.cancel(this.live.list().get(0).streamId()))
			.thenConsumeWhile((text) -> true)
			.expectError(StreamCancelledException.class)
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void trackMetricsOffShouldStillListTheStreamWhileItRunsButRecordNothing() {
		stalledText();
		StreamingOptions off = FAST.toBuilder().trackMetrics(false).build();
		StepVerifier.create(this.client.streamEvents(REQUEST, off, StreamCallbacks.NONE))
			.thenConsumeWhile((event) -> !(event instanceof StreamDeltaEvent delta && delta.chunkIndex() == 1))
			.expectNextMatches(StreamDeltaEvent.class::isInstance)
			.then(() -> assertThat(this.live.list()).singleElement()
				// the tap counts as deltas pass it, and may be one ahead of the
				// subscriber
				.satisfies((stream) -> assertThat(stream.chunks()).isBetween(2L, 3L)))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		assertThat(this.live.list()).isEmpty();
		TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
		assertThat(this.meters.getMeters()).isEmpty();
		assertThat(this.statistics.models()).isEmpty();
	}

	@Test
	void completedStreamShouldNoLongerBeListedWhenItsTerminalEventArrives() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		StepVerifier.create(this.client.streamEvents(REQUEST, FAST, StreamCallbacks.NONE))
			.thenConsumeWhile((event) -> !event.isTerminal())
			.assertNext((event) -> assertThat(this.live.size()).isZero())
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		List<ModelStatistics> models = this.statistics.models();
		assertThat(models).singleElement().satisfies((model) -> assertThat(model.completed()).isEqualTo(1));
	}

	@Test
	void rejectedRequestShouldBeRecordedButNeverListed() {
		StepVerifier.create(this.client.streamEvents(ChatRequest.of("Hello", "nope:model"), FAST, StreamCallbacks.NONE))
			.assertNext((event) -> assertThat(event).isInstanceOfSatisfying(StreamErrorEvent.class,
					(error) -> assertThat(error.errorType()).isEqualTo(StreamErrorType.REQUEST)))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.live.size()).isZero();
		assertThat(this.statistics.models()).singleElement()
			.satisfies((model) -> assertThat(model.errors()).containsEntry("REQUEST", 1));
	}

}
