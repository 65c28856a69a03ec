package io.steer.llm.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.steer.llm.sample.PrometheusScrape.Sample;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample on a random port, streams a few prompts over real HTTP and reads
 * {@code /actuator/prometheus}: the OpenTelemetry GenAI client meters with their labels
 * and bucket boundaries, the client's {@code steer_*} meters, no API key and no prompt
 * anywhere in the scrape, and every metric and label of the Grafana dashboard
 * ({@code docs/grafana/steer-llm-dashboard.json}) among those exported.
 * <p>
 * xAI and Anthropic stream from the embedded replay provider; OpenAI has a key-shaped API
 * key and its own loopback server, so that the key is really sent: it answers the
 * recorded stream, an error for model {@value #ERROR_MODEL}, a {@code 503} then the
 * stream for model {@value #RETRY_MODEL}, and a slow stream for model
 * {@value #SLOW_MODEL} that the test cancels after its first delta.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "steer.providers.openai.api-key=" + SampleMetricsTests.API_KEY,
				"steer.providers.openai.base-url=${" + SampleMetricsTests.OPENAI_URL_PROPERTY + "}",
				"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=0ms",
				"steer.streaming.reconnect-delay=10ms" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleMetricsTests {

	static final String API_KEY = "sk-proj-T3stOnlyNotARealKey0123456789abcdefABCDEF";

	static final String OPENAI_URL_PROPERTY = "steer.test.sample-metrics.openai-url";

	static final String ERROR_MODEL = "gpt-4o-error";

	static final String RETRY_MODEL = "gpt-4o-retry";

	static final String SLOW_MODEL = "gpt-4o-slow";

	private static final String PROMPT = "Plan the Zanzibar offsite without telling finance";

	private static final Path DASHBOARD = Path.of("../../docs/grafana/steer-llm-dashboard.json");

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** 0.01 s doubling to 81.92 s, then +Inf. */
	private static final List<Double> SECONDS_BUCKETS = buckets(
			IntStream.range(0, 14).mapToObj((i) -> 0.01 * (1 << i)));

	/** 1, 4, 16 … 67108864 tokens, then +Inf. */
	private static final List<Double> TOKEN_BUCKETS = buckets(
			IntStream.range(0, 14).mapToObj((i) -> (double) (1L << (2 * i))));

	private static final List<String> GEN_AI_LABELS = List.of("gen_ai_operation_name", "gen_ai_provider_name",
			"gen_ai_request_model", "gen_ai_response_model", "error_type", "server_address", "server_port", "outcome");

	private static final String DURATION = "gen_ai_client_operation_duration_seconds";

	private static final String TOKEN_USAGE = "gen_ai_client_token_usage";

	private static final String TIME_TO_FIRST_CHUNK = "gen_ai_client_operation_time_to_first_chunk_seconds";

	private static final String TIME_PER_OUTPUT_CHUNK = "gen_ai_client_operation_time_per_output_chunk_seconds";

	private static final LoopbackProviderServer openAi = openAi();

	@LocalServerPort
	int port;

	private PrometheusScrape scrape;

	private static LoopbackProviderServer openAi() {
		LoopbackProviderServer server = LoopbackProviderServer.start();
		MockResponse recorded = MockResponse.replay(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano"));
		AtomicBoolean failedOnce = new AtomicBoolean();
		server.setDispatcher((RecordedRequest request) -> {
			String body = request.bodyAsString();
			if (!request.method().equals("POST")) {
				return MockResponse.status(200, "{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}")
					.contentType("application/json");
			}
			if (body.contains(ERROR_MODEL)) {
				return MockResponse
					.status(400,
							"{\"error\":{\"message\":\"Unsupported parameter\",\"type\":\"invalid_request_error\"}}")
					.contentType("application/json");
			}
			if (body.contains(RETRY_MODEL) && failedOnce.compareAndSet(false, true)) {
				return MockResponse.status(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")
					.contentType("application/json");
			}
			if (body.contains(SLOW_MODEL)) {
				return MockResponse.replay(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano"))
					.delayBetweenEvents(Duration.ofMillis(300));
			}
			return recorded;
		});
		System.setProperty(OPENAI_URL_PROPERTY, server.baseUrl());
		return server;
	}

	@AfterAll
	static void stopOpenAi() {
		System.clearProperty(OPENAI_URL_PROPERTY);
		openAi.close();
	}

	private WebClient http() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private List<ServerSentEvent<String>> events(String model) {
		return http().get()
			.uri((uri) -> uri.path("/chat").queryParam("prompt", PROMPT).queryParam("model", model).build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private String get(String path, MediaType accept) {
		return http().get().uri(path).accept(accept).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30));
	}

	private PrometheusScrape scrapeNow() {
		return PrometheusScrape.parse(get("/actuator/prometheus", MediaType.TEXT_PLAIN));
	}

	@BeforeAll
	void streamAFewPromptsThenScrape() throws IOException {
		for (String model : List.of("gpt-4o-mini", "gpt-4o-mini", "grok-3-mini", "claude-sonnet-4-5", ERROR_MODEL,
				RETRY_MODEL)) {
			assertThat(events(model)).extracting(ServerSentEvent::event)
				.endsWith(model.equals(ERROR_MODEL) ? "error" : "complete", "done");
		}
		List<ServerSentEvent<String>> firstEvents = http().get()
			.uri((uri) -> uri.path("/chat").queryParam("prompt", PROMPT).queryParam("model", SLOW_MODEL).build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(firstEvents).extracting(ServerSentEvent::event).containsExactly("start", "delta");
		// the server side sees the cancel once the connection is closed
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(scrapeNow().samples(DURATION + "_count"))
				.anyMatch((sample) -> "cancelled".equals(sample.label("outcome"))));
		this.scrape = scrapeNow();
		Files.writeString(Path.of("target/prometheus-scrape.txt"), this.scrape.text(), StandardCharsets.UTF_8);
	}

	@Test
	void openAiRequestsShouldHaveCarriedTheApiKey() {
		assertThat(openAi.requests()).filteredOn((request) -> request.method().equals("POST"))
			.isNotEmpty()
			.allSatisfy((request) -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY));
	}

	@Test
	void scrapeShouldHaveTheFourGenAiFamiliesWithTheirLabels() {
		for (String family : List.of(DURATION, TIME_TO_FIRST_CHUNK, TIME_PER_OUTPUT_CHUNK, TOKEN_USAGE)) {
			for (String suffix : List.of("_bucket", "_count", "_sum")) {
				assertThat(this.scrape.names()).as(family).contains(family + suffix);
			}
			assertThat(this.scrape.labelNames(family + "_count")).as(family).containsAll(GEN_AI_LABELS);
		}
		assertThat(this.scrape.labelNames(TOKEN_USAGE + "_count")).contains("gen_ai_token_type");
		assertThat(values(TOKEN_USAGE + "_count", "gen_ai_token_type")).containsExactlyInAnyOrder("input", "output");
		assertThat(values(DURATION + "_count", "gen_ai_provider_name")).containsExactlyInAnyOrder("openai", "x_ai",
				"anthropic");
		assertThat(values(DURATION + "_count", "gen_ai_operation_name")).containsExactly("chat");
		assertThat(values(DURATION + "_count", "outcome")).containsExactlyInAnyOrder("success", "error", "cancelled");
		assertThat(values(DURATION + "_count", "error_type")).contains("none", "HTTP");
		assertThat(values(DURATION + "_count", "gen_ai_request_model")).contains("gpt-4o-mini", "grok-3-mini",
				"claude-sonnet-4-5", ERROR_MODEL, RETRY_MODEL, SLOW_MODEL);
		assertThat(values(DURATION + "_count", "gen_ai_response_model")).contains("gpt-4.1-nano-2025-04-14",
				"claude-sonnet-4-5-20250929");
		assertThat(values(DURATION + "_count", "server_address")).containsExactly("127.0.0.1");
		assertThat(sample(DURATION + "_count", Map.of("gen_ai_request_model", "gpt-4o-mini")).value()).isEqualTo(2);
		// one stream, whatever its retries
		assertThat(sample(DURATION + "_count", Map.of("gen_ai_request_model", RETRY_MODEL)).value()).isEqualTo(1);
		assertThat(sample(DURATION + "_count", Map.of("gen_ai_request_model", SLOW_MODEL)).label("outcome"))
			.isEqualTo("cancelled");
	}

	@Test
	void scrapeShouldHaveTheConventionsBucketBoundaries() {
		for (String family : List.of(DURATION, TIME_TO_FIRST_CHUNK, TIME_PER_OUTPUT_CHUNK)) {
			assertThat(boundaries(family, Map.of("gen_ai_request_model", "gpt-4o-mini"))).as(family)
				.isEqualTo(SECONDS_BUCKETS);
		}
		assertThat(boundaries(TOKEN_USAGE, Map.of("gen_ai_request_model", "gpt-4o-mini", "gen_ai_token_type", "input")))
			.isEqualTo(TOKEN_BUCKETS);
		// each of the two streams' output tokens falls in every bucket from its own up
		Map<String, String> output = Map.of("gen_ai_request_model", "gpt-4o-mini", "gen_ai_token_type", "output");
		double outputTokens = sample(TOKEN_USAGE + "_sum", output).value() / 2;
		assertThat(outputTokens).isPositive();
		for (Sample bucket : buckets(TOKEN_USAGE, output)) {
			double le = le(bucket);
			assertThat(bucket.value()).as("le=" + le).isEqualTo((le >= outputTokens) ? 2 : 0);
		}
	}

	@Test
	void scrapeShouldHaveNoApiKeyAndNoPrompt() {
		assertThat(this.scrape.text()).isNotEmpty()
			.doesNotContain(API_KEY)
			.doesNotContain("sk-proj")
			.doesNotContain("replay-xai")
			.doesNotContain("replay-anthropic")
			.doesNotContain(PROMPT)
			.doesNotContain("Zanzibar");
	}

	@Test
	void scrapeShouldHaveTheSteerMeters() {
		Set<String> providerAndModel = Set.of("gen_ai_provider_name", "gen_ai_request_model");
		assertThat(this.scrape.labelNames("steer_streams_total")).containsAll(providerAndModel)
			.contains("outcome", "steer_usage_estimated");
		assertThat(values("steer_streams_total", "outcome")).containsExactlyInAnyOrder("success", "error", "cancelled");
		assertThat(values("steer_streams_total", "steer_usage_estimated")).contains("false");
		assertThat(sample("steer_streams_total", Map.of("gen_ai_request_model", "gpt-4o-mini")).value()).isEqualTo(2);
		assertThat(this.scrape.labelNames("steer_stream_errors_total")).containsAll(providerAndModel)
			.contains("error_type");
		assertThat(sample("steer_stream_errors_total", Map.of("gen_ai_request_model", ERROR_MODEL)).label("error_type"))
			.isEqualTo("HTTP");
		assertThat(this.scrape.labelNames("steer_stream_cost_usd_total")).containsAll(providerAndModel);
		assertThat(sample("steer_stream_cost_usd_total", Map.of("gen_ai_request_model", "gpt-4o-mini")).value())
			.isPositive();
		assertThat(this.scrape.labelNames("steer_stream_retries_total")).containsAll(providerAndModel);
		assertThat(sample("steer_stream_retries_total", Map.of("gen_ai_request_model", RETRY_MODEL)).value())
			.isEqualTo(1);
		assertThat(this.scrape.labelNames("steer_stream_cancellations_total")).containsAll(providerAndModel)
			.contains("steer_cancelled_by");
		assertThat(sample("steer_stream_cancellations_total", Map.of("gen_ai_request_model", SLOW_MODEL))
			.label("steer_cancelled_by")).isEqualTo("subscriber");
		assertThat(values("steer_streams_active", "gen_ai_provider_name")).contains("openai");
		assertThat(this.scrape.samples("steer_streams_active"))
			.allSatisfy((sample) -> assertThat(sample.value()).as("no stream in flight after the streams").isZero());
		// Boot's timer of the observation, named after it (steer.llm.stream), and no
		// gen_ai_client_operation_seconds duplicating gen_ai_client_operation_duration
		assertThat(this.scrape.names()).contains("steer_llm_stream_seconds_count")
			.doesNotContain("gen_ai_client_operation_seconds_count");
	}

	@Test
	void healthShouldShowEachProvidersDetails() {
		JsonNode health = MAPPER.readTree(get("/actuator/health", MediaType.APPLICATION_JSON));
		JsonNode providers = health.path("components").path("steer").path("components");
		assertThat(providers.propertyNames()).containsExactlyInAnyOrder("openai", "xai", "anthropic");
		// the replay provider and the OpenAI loopback answer the model GET at once
		for (String provider : List.of("openai", "xai", "anthropic")) {
			assertThat(providers.path(provider).path("status").asString()).as(provider).isEqualTo("UP");
			assertThat(providers.path(provider).path("details").path("httpStatus").asInt()).as(provider).isEqualTo(200);
		}
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.toString()).doesNotContain(API_KEY).doesNotContain("replay-xai");
	}

	@Test
	void dashboardShouldBeAGrafanaDashboardOnAPrometheusDatasourceVariable() throws IOException {
		JsonNode dashboard = dashboard();
		assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
		assertThat(dashboard.path("uid").asString()).isNotBlank();
		JsonNode datasource = dashboard.path("templating")
			.path("list")
			.valueStream()
			.filter((variable) -> variable.path("type").asString().equals("datasource"))
			.findFirst()
			.orElseThrow();
		assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
		String reference = "${" + datasource.path("name").asString() + "}";
		List<JsonNode> panels = panels(dashboard);
		assertThat(panels).extracting((panel) -> panel.path("title").asString())
			.anyMatch((title) -> title.startsWith("Time to first chunk"))
			.anyMatch((title) -> title.startsWith("Inter-chunk latency"))
			.anyMatch((title) -> title.startsWith("Output tokens per second"))
			.anyMatch((title) -> title.startsWith("Cost per hour"))
			.anyMatch((title) -> title.startsWith("Errors per second by error.type"))
			.anyMatch((title) -> title.startsWith("Retries"))
			.anyMatch((title) -> title.startsWith("Active streams"));
		for (JsonNode panel : panels) {
			assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
				.isEqualTo(reference);
			assertThat(panel.path("targets").valueStream()).as(panel.path("title").asString())
				.isNotEmpty()
				.allSatisfy((target) -> assertThat(target.path("expr").asString()).isNotBlank());
		}
	}

	@Test
	void dashboardQueriesOnGenAiMetersShouldNameMetricsAndLabelsTheSampleExports() throws IOException {
		List<PromQuery> queries = queries(dashboard());
		assertThat(queries).filteredOn(PromQuery::usesSteerMeters).isNotEmpty();
		List<PromQuery> genAi = queries.stream().filter((query) -> !query.usesSteerMeters()).toList();
		assertThat(genAi).hasSizeGreaterThanOrEqualTo(8);
		genAi.forEach(this::assertExported);
	}

	@Test
	void dashboardQueriesOnSteerMetersShouldNameMetricsAndLabelsTheSampleExports() throws IOException {
		List<PromQuery> steer = queries(dashboard()).stream().filter(PromQuery::usesSteerMeters).toList();
		assertThat(steer).hasSizeGreaterThanOrEqualTo(4);
		steer.forEach(this::assertExported);
	}

	private void assertExported(PromQuery query) {
		String where = query.where() + ": " + query.expr();
		assertThat(query.metrics()).as(where).isNotEmpty();
		assertThat(this.scrape.names()).as(where).containsAll(query.metrics());
		Set<String> exported = new TreeSet<>();
		query.metrics().forEach((metric) -> exported.addAll(this.scrape.labelNames(metric)));
		assertThat(exported).as(where).containsAll(query.labels());
	}

	private static JsonNode dashboard() throws IOException {
		return MAPPER.readTree(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
	}

	/** The panels, those in rows included. */
	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		dashboard.path("panels").forEach((panel) -> {
			if (panel.path("type").asString().equals("row")) {
				panel.path("panels").forEach(panels::add);
			}
			else {
				panels.add(panel);
			}
		});
		return panels;
	}

	/** Every PromQL expression: the panels' targets and the query variables. */
	private static List<PromQuery> queries(JsonNode dashboard) {
		List<PromQuery> queries = new ArrayList<>();
		for (JsonNode panel : panels(dashboard)) {
			panel.path("targets")
				.forEach((target) -> queries
					.add(PromQuery.parse(panel.path("title").asString(), target.path("expr").asString())));
		}
		dashboard.path("templating").path("list").forEach((variable) -> {
			if (variable.path("type").asString().equals("query")) {
				JsonNode query = variable.path("query");
				String expr = query.isObject() ? query.path("query").asString() : query.asString();
				queries.add(PromQuery.parse("variable " + variable.path("name").asString(), expr));
			}
		});
		return queries;
	}

	private Set<String> values(String name, String label) {
		return this.scrape.samples(name)
			.stream()
			.map((sample) -> sample.label(label))
			.filter((value) -> value != null)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/** The one sample named {@code name} with these labels. */
	private Sample sample(String name, Map<String, String> labels) {
		List<Sample> found = this.scrape.samples(name)
			.stream()
			.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
		assertThat(found).as(name + labels).hasSize(1);
		return found.get(0);
	}

	private List<Sample> buckets(String family, Map<String, String> labels) {
		List<Sample> found = this.scrape.samples(family + "_bucket")
			.stream()
			.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
		assertThat(found).as(family + labels).isNotEmpty();
		assertThat(found.stream().map((sample) -> withoutLe(sample.labels())).distinct()).as(family + labels)
			.hasSize(1);
		return found;
	}

	private List<Double> boundaries(String family, Map<String, String> labels) {
		return buckets(family, labels).stream().map(SampleMetricsTests::le).toList();
	}

	private static double le(Sample bucket) {
		String le = bucket.label("le");
		return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
	}

	private static Map<String, String> withoutLe(Map<String, String> labels) {
		return labels.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("le"))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private static List<Double> buckets(Stream<Double> boundaries) {
		List<Double> buckets = new ArrayList<>(boundaries.map((le) -> Math.round(le * 100) / 100.0).toList());
		buckets.add(Double.POSITIVE_INFINITY);
		return List.copyOf(buckets);
	}

}
