package io.steer.llm.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.observation.ModelStatistics;
import io.steer.llm.observation.ProviderSignals;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client builder's observation options: {@code recordContent} (the prompt and the
 * completion on the observation only, off by default), {@code maxModelTags} (models past
 * the cap tagged {@code other} on the observation and every meter, while the statistics
 * keep the raw model), {@code streamStatistics} (one ended stream recorded per stream),
 * and how the meters render in the Prometheus text format.
 */
class ObservationOptionsTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final String API_KEY = "sk-test-observation-options-0123456789";

	private static final ChatRequest REQUEST = ChatRequest.builder()
		.messages(List.of(Message.system("Be brief"), Message.user("Tell me the secret plan")))
		.model("gpt-4o-mini")
		.build();

	private static final StreamingOptions NO_RETRY = StreamingOptions.builder().retryOnConnectionError(false).build();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private SteerLLMClient.Builder builder() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(NO_RETRY)
			.observationRegistry(this.observations)
			.meterRegistry(this.meters);
	}

	private static void replayText() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	@Test
	void recordContentShouldPutThePromptAndCompletionOnTheObservationOnly() {
		replayText();
		StreamingResponse response = builder().recordContent(true)
			.build()
			.streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE)
			.block();
		String output = JsonMapper.builder()
			.build()
			.writeValueAsString(List
				.of(Map.of("role", "assistant", "parts", List.of(Map.of("type", "text", "content", response.text())),
						"finish_reason", response.finishReason())));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("gen_ai.input.messages",
					"[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief\"}]},"
							+ "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Tell me the secret plan\"}]}]")
			.hasHighCardinalityKeyValueWithKey("gen_ai.output.messages")
			.satisfies((context) -> {
				String recorded = context.getHighCardinalityKeyValue("gen_ai.output.messages").getValue();
				assertThat(JsonMapper.builder().build().readTree(recorded))
					.isEqualTo(JsonMapper.builder().build().readTree(output));
				assertThat(recorded).contains(response.text());
			});
		for (Meter meter : this.meters.getMeters()) {
			assertThat(meter.getId().getTags()).noneMatch((tag) -> tag.getValue().contains("secret plan")
					|| tag.getKey().contains("messages") || tag.getValue().contains(response.text()));
		}
	}

	@Test
	void contentShouldNotBeRecordedByDefault() {
		replayText();
		builder().build().streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE).block();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.input.messages")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.output.messages");
	}

	@Test
	void maxModelTagsShouldTagTheModelsPastTheCapOtherButKeepThemInTheStatistics() {
		StreamStatistics statistics = new StreamStatistics();
		SteerLLMClient client = builder().maxModelTags(1).streamStatistics(statistics).build();
		replayText();
		client.streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE).block();
		replayText();
		client.streamWithUsage(ChatRequest.of("Hi", "gpt-4o"), NO_RETRY, StreamCallbacks.NONE).block();
		assertThat(streams("gpt-4o-mini")).isEqualTo(1);
		assertThat(streams("other")).isEqualTo(1);
		assertThat(streams("gpt-4o")).isZero();
		// the response model came second: past the cap too
		assertThat(this.meters.get("gen_ai.client.operation.duration")
			.tag("gen_ai.request.model", "gpt-4o-mini")
			.tag("gen_ai.response.model", "other")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("gen_ai.client.operation.duration")
			.tag("gen_ai.request.model", "other")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.observations.getCurrentObservation()).isNull();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsEqualTo(2)
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("chat other")
				.hasLowCardinalityKeyValue("gen_ai.request.model", "other"));
		assertThat(statistics.models()).extracting(ModelStatistics::model).containsExactly("gpt-4o", "gpt-4o-mini");
	}

	@Test
	void statisticsShouldRecordEachEndedStreamWithItsTimingsTokensCostAndErrors() {
		StreamStatistics statistics = new StreamStatistics();
		SteerLLMClient client = builder().streamStatistics(statistics).build();
		replayText();
		StreamingResponse response = client.streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE).block();
		assertThat(statistics.models()).singleElement().satisfies((completed) -> {
			assertThat(completed.timeToFirstChunkP50Ms()).isEqualTo(response.metrics().timeToFirstTokenMs());
			assertThat(completed.inputTokens()).isEqualTo(response.usage().promptTokens());
			assertThat(completed.outputTokens()).isEqualTo(response.usage().completionTokens());
			assertThat(completed.costUsd()).isEqualByComparingTo(response.costUsd());
		});
		server.server()
			.enqueue(MockResponse.status(429,
					"{\"error\":{\"message\":\"Rate limit reached for " + API_KEY + "\",\"type\":\"requests\"}}"));
		client.streamEvents(REQUEST, NO_RETRY, StreamCallbacks.NONE).blockLast(Duration.ofSeconds(10));
		server.server().enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server\"}}"));
		client.streamEvents(REQUEST, NO_RETRY, StreamCallbacks.NONE).blockLast(Duration.ofSeconds(10));
		ModelStatistics model = statistics.models().get(0);
		assertThat(model.provider()).isEqualTo("openai");
		assertThat(model.model()).isEqualTo("gpt-4o-mini");
		assertThat(model.streams()).isEqualTo(3);
		assertThat(model.completed()).isEqualTo(1);
		assertThat(model.errors()).isEqualTo(Map.of("HTTP", 2));
		// the failed streams had no delta
		assertThat(model.timeToFirstChunkP50Ms()).isEqualTo(response.metrics().timeToFirstTokenMs());
		ProviderSignals signals = statistics.signals("openai");
		assertThat(signals.rateLimited()).isEqualTo(1);
		assertThat(signals.serverErrors()).isEqualTo(1);
		assertThat(signals.lastErrorType()).isEqualTo("HTTP");
		assertThat(signals.lastErrorMessage()).contains("500").contains("boom");
		assertThat(statistics.signals("openai").toString()).doesNotContain(API_KEY);
	}

	@Test
	void trackMetricsOffShouldRecordNoStatistics() {
		StreamStatistics statistics = new StreamStatistics();
		replayText();
		builder().streamStatistics(statistics)
			.build()
			.streamWithUsage(REQUEST, NO_RETRY.toBuilder().trackMetrics(false).build(), StreamCallbacks.NONE)
			.block();
		assertThat(statistics.models()).isEmpty();
	}

	@Test
	void statisticsAloneShouldNeedNoRegistry() {
		StreamStatistics statistics = new StreamStatistics();
		replayText();
		SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.streamStatistics(statistics)
			.build()
			.streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE)
			.block();
		assertThat(statistics.models()).singleElement()
			.satisfies((model) -> assertThat(model.completed()).isEqualTo(1));
	}

	@Test
	void prometheusShouldRenderTheSteerAndGenAiMeters() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.meterRegistry(prometheus)
			.build();
		replayText();
		client.streamWithUsage(REQUEST, NO_RETRY, StreamCallbacks.NONE).block();
		server.server().enqueue(MockResponse.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server\"}}"));
		client.streamEvents(REQUEST, NO_RETRY, StreamCallbacks.NONE).blockLast(Duration.ofSeconds(10));
		String scrape = prometheus.scrape();
		String model = "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\"";
		assertThat(scrape)
			.contains("steer_streams_total{" + model + ",outcome=\"success\",steer_usage_estimated=\"false\"} 1.0")
			// the prompt tokens of a request that failed are estimated
			.contains("steer_streams_total{" + model + ",outcome=\"error\",steer_usage_estimated=\"true\"} 1.0")
			.contains("steer_stream_errors_total{error_type=\"HTTP\"," + model + "} 1.0")
			.containsPattern("steer_stream_cost_usd_total\\{" + java.util.regex.Pattern.quote(model) + "\\} [0-9.E-]+")
			.contains("steer_stream_retries_total{" + model + "} 0.0")
			.contains("steer_streams_active{gen_ai_provider_name=\"openai\"} 0.0")
			.contains("gen_ai_client_operation_duration_seconds_bucket{")
			.contains("gen_ai_client_operation_time_to_first_chunk_seconds_bucket{")
			.contains("gen_ai_client_operation_time_per_output_chunk_seconds_bucket{")
			// the {token} unit of the semantic conventions, as Micrometer's Prometheus
			// naming renders it
			.contains("gen_ai_client_token_usage__token__bucket{")
			.doesNotContain(API_KEY)
			.doesNotContain("secret plan");
	}

	private double streams(String model) {
		Counter counter = this.meters.find("steer.streams").tag("gen_ai.request.model", model).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
