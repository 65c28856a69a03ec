package io.steer.llm.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One observation and the GenAI meters per stream, over the loopback server: complete,
 * error, cancelled and retried streams, the meters' names, units, tags and buckets, and
 * no key or prompt in any of them.
 */
class StreamObservationTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final String API_KEY = "sk-test-observation-key-0123456789";

	private static final String PROMPT = "Tell me the secret plan for Tuesday";

	private static final ChatRequest REQUEST = ChatRequest.of(PROMPT, "gpt-4o-mini");

	private static final StreamingOptions FAST = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(10))
		.maxRetryDelay(Duration.ofMillis(50))
		.build();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The contexts of the stopped observations, as a handler saw them. */
	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	StreamObservationTests() {
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				StreamObservationTests.this.stopped.add(context);
			}

		});
	}

	private SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(FAST)
			.observationRegistry(this.observations)
			.meterRegistry(this.meters)
			.build();
	}

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@Test
	void completedStreamShouldHaveOneStoppedObservationWithItsKeys() {
		replayText();
		StreamingResponse response = client().streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasNameEqualTo("steer.llm.stream")
			.hasContextualNameEqualTo("chat gpt-4o-mini")
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "openai")
			.hasLowCardinalityKeyValue("gen_ai.request.model", "gpt-4o-mini")
			.hasLowCardinalityKeyValue("gen_ai.response.model", "gpt-4o-2024-08-06")
			.hasLowCardinalityKeyValue("server.port", Integer.toString(server.server().port()))
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", Integer.toString(response.usage().promptTokens()))
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens",
					Integer.toString(response.usage().completionTokens()))
			.hasHighCardinalityKeyValue("steer.attempts", "1");
		Timer perChunk = this.meters.get("gen_ai.client.operation.time_per_output_chunk")
			.tag("outcome", "success")
			.timer();
		assertThat(perChunk.count()).isEqualTo(response.metrics().chunks() - 1);
		assertThat(this.meters.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(1);
	}

	@Test
	void failedStreamShouldRecordItsErrorType() {
		server.server()
			.enqueue(MockResponse.status(401,
					"{\"error\":{\"message\":\"bad key\",\"type\":\"invalid_request_error\"}}"));
		List<StreamEvent> events = client().streamEvents(REQUEST, FAST, StreamCallbacks.NONE).collectList().block();
		assertThat(events).last().matches(StreamEvent::isTerminal);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.hasError()
			.hasLowCardinalityKeyValue("error.type", "HTTP")
			.hasLowCardinalityKeyValue("outcome", "error");
		assertThat(this.meters.get("gen_ai.client.operation.duration").tag("error.type", "HTTP").timer().count())
			.isEqualTo(1);
	}

	@Test
	void cancelledStreamShouldStopWithOutcomeCancelledAndTheUsageSoFar() {
		replayText();
		List<StreamEvent> events = client().streamEvents(REQUEST, FAST, StreamCallbacks.NONE)
			.take(4)
			.collectList()
			.block();
		assertThat(events).hasSize(4).noneMatch(StreamEvent::isTerminal);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasHighCardinalityKeyValueWithKey("gen_ai.usage.input_tokens")
			.hasHighCardinalityKeyValueWithKey("gen_ai.usage.output_tokens");
		DistributionSummary output = this.meters.get("gen_ai.client.token.usage")
			.tag("gen_ai.token.type", "output")
			.tag("outcome", "cancelled")
			.summary();
		assertThat(output.count()).isEqualTo(1);
		assertThat(output.totalAmount()).isPositive();
	}

	@Test
	void retriedStreamShouldBeOneObservationWithItsAttempts() {
		server.server()
			.enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
		replayText();
		StreamingResponse response = client().streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		assertThat(response.attempts()).isEqualTo(2);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsEqualTo(1)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasHighCardinalityKeyValue("steer.attempts", "2");
		assertThat(this.meters.get("gen_ai.client.operation.duration").timers()).hasSize(1);
	}

	@Test
	void metersShouldHaveTheGenAiNamesUnitsTagsAndBuckets() {
		replayText();
		client().streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		double[] seconds = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92 };
		for (String name : List.of("gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk",
				"gen_ai.client.operation.time_per_output_chunk")) {
			Timer timer = this.meters.get(name).timer();
			assertThat(timer.getId().getBaseUnit()).isEqualTo("seconds");
			assertThat(Arrays.stream(timer.takeSnapshot().histogramCounts())
				.mapToDouble((bucket) -> bucket.bucket(TimeUnit.SECONDS))
				.toArray()).containsExactly(seconds);
			assertThat(tagKeys(timer)).containsExactlyInAnyOrder("gen_ai.operation.name", "gen_ai.provider.name",
					"gen_ai.request.model", "gen_ai.response.model", "error.type", "server.address", "server.port",
					"outcome");
		}
		double[] tokens = new double[14];
		for (int i = 0; i < tokens.length; i++) {
			tokens[i] = Math.pow(4, i);
		}
		assertThat(tokens[13]).isEqualTo(67108864);
		for (String type : List.of("input", "output")) {
			DistributionSummary summary = this.meters.get("gen_ai.client.token.usage")
				.tag("gen_ai.token.type", type)
				.summary();
			assertThat(summary.getId().getBaseUnit()).isEqualTo("{token}");
			assertThat(Arrays.stream(summary.takeSnapshot().histogramCounts())
				.mapToDouble(CountAtBucket::bucket)
				.toArray()).containsExactly(tokens);
			assertThat(summary.count()).isEqualTo(1);
		}
	}

	@Test
	void noKeyOrPromptShouldAppearInAnyTagOrKeyValue() {
		replayText();
		client().streamWithUsage(REQUEST, FAST, StreamCallbacks.NONE).block();
		server.server()
			.enqueue(MockResponse.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY
					+ "\",\"type\":\"invalid_request_error\"}}"));
		client().streamEvents(REQUEST, FAST, StreamCallbacks.NONE).collectList().block();
		List<String> texts = new ArrayList<>();
		for (Meter meter : this.meters.getMeters()) {
			texts.add(meter.getId().getName());
			meter.getId().getTags().forEach((tag) -> texts.add(tag.getKey() + "=" + tag.getValue()));
		}
		assertThat(this.stopped).hasSize(2);
		for (Observation.Context context : this.stopped) {
			texts.add(context.getName() + " " + context.getContextualName());
			for (KeyValue kv : context.getAllKeyValues()) {
				texts.add(kv.getKey() + "=" + kv.getValue());
			}
		}
		assertThat(texts).isNotEmpty()
			.noneMatch((text) -> text.contains(API_KEY) || text.contains("sk-") || text.contains("secret plan")
					|| text.contains("Tuesday"));
	}

	@Test
	void trackMetricsOffShouldObserveNothing() {
		replayText();
		StreamingOptions off = FAST.toBuilder().trackMetrics(false).build();
		client().streamWithUsage(REQUEST, off, StreamCallbacks.NONE).block();
		TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
		assertThat(this.meters.getMeters()).isEmpty();
	}

	private static List<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).toList();
	}

}
