package io.steer.llm.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.steer.llm.sample.ReplayRecordings.Recording;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * When a provider has no API key, points it at an embedded replay provider: the test
 * kit's loopback server replaying real recorded streams, chosen by provider and API as
 * {@link ReplayRecordings} says. The prompt and the model asked for do not change the
 * answer; the start-up log names the recordings, each replayed request is logged with its
 * recording, and {@link ReplayMetadata} says so in each {@code start} event. A request
 * that offers tools (the sample agent's) is answered by {@link AgentReplay}'s scripted
 * tool calls instead, which the log says too.
 * <p>
 * The replayed providers are listed in the property
 * {@value #REPLAYED_PROVIDERS_PROPERTY}. A {@code GET} of a model, the providers' health
 * check, is answered with the model at once.
 */
class EmbeddedReplayProvider implements EnvironmentPostProcessor, Ordered {

	/** Comma-separated providers whose streams come from the embedded replay provider. */
	static final String REPLAYED_PROVIDERS_PROPERTY = "steer.sample.replayed-providers";

	private static final String[] PROVIDERS = { "openai", "xai", "anthropic" };

	private static final Log requestLogger = LogFactory.getLog(EmbeddedReplayProvider.class);

	private final Log logger;

	EmbeddedReplayProvider(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedReplayProvider.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> properties = new LinkedHashMap<>();
		List<String> replayed = new ArrayList<>();
		LoopbackProviderServer server = null;
		for (String provider : PROVIDERS) {
			if (StringUtils.hasText(environment.getProperty("steer.providers." + provider + ".api-key"))) {
				continue;
			}
			if (server == null) {
				Duration delay = environment.getProperty("steer.sample.replay-delay", Duration.class,
						Duration.ofMillis(15));
				server = start(delay);
			}
			// OpenAI and xAI base URLs end in /v1; Anthropic's adapter adds /v1/messages
			// itself
			properties.put("steer.providers." + provider + ".base-url",
					server.baseUrl() + "/" + provider + (provider.equals("anthropic") ? "" : "/v1"));
			properties.put("steer.providers." + provider + ".api-key", "replay-" + provider);
			replayed.add(provider);
			this.logger.warn("No API key for " + provider + ": its streams come from the embedded replay provider at "
					+ server.baseUrl() + ", which answers every request with a real recorded " + provider
					+ " stream; the prompt is ignored and the answer is the recording's: "
					+ ReplayRecordings.of(provider).stream().map(Recording::toString).collect(Collectors.joining("; "))
					+ "; a request that offers tools (the /agent endpoint's) gets " + AgentReplay.ID
					+ ", scripted calls of the sample's tools. Set steer.providers." + provider
					+ ".api-key for real answers.");
		}
		if (server != null) {
			properties.put(REPLAYED_PROVIDERS_PROPERTY, String.join(",", replayed));
			environment.getPropertySources().addFirst(new MapPropertySource("steerSampleReplayProvider", properties));
			LoopbackProviderServer running = server;
			application.addListeners((ApplicationListener<ContextClosedEvent>) (event) -> running.close());
		}
	}

	private static LoopbackProviderServer start(Duration delay) {
		LoopbackProviderServer server = LoopbackProviderServer.start();
		JsonMapper mapper = JsonMapper.builder().build();
		AgentReplay agentReplay = new AgentReplay(mapper);
		Map<Recording, MockResponse> responses = new LinkedHashMap<>();
		for (String provider : PROVIDERS) {
			for (Recording recording : ReplayRecordings.of(provider)) {
				responses.put(recording, MockResponse.replay(recording.fixture()).delayBetweenEvents(delay));
			}
		}
		server.setDispatcher((RecordedRequest request) -> {
			String path = request.path();
			String provider = path.substring(1, Math.max(1, path.indexOf('/', 1)));
			if ("GET".equals(request.method()) && path.contains("/models")) {
				return model(path);
			}
			boolean responsesApi = path.endsWith("/responses");
			JsonNode body = mapper.readTree(request.bodyAsString());
			String model = body.path("model").asString("");
			if (AgentReplay.offersTools(body)) {
				requestLogger.info("Answering a request to " + provider + " for model '" + model
						+ "' that offers tools with " + AgentReplay.ID + ", the sample's scripted tool calls");
				return agentReplay.answer(provider, responsesApi, body, delay);
			}
			Recording recording = ReplayRecordings.select(provider, responsesApi);
			requestLogger.info("Replaying " + recording.id() + " (answered by " + recording.recordedModel()
					+ ") for a request to " + provider + " for model '" + model + "'; the prompt is ignored");
			return responses.get(recording);
		});
		return server;
	}

	/**
	 * The answer to the health indicators' {@code GET /v1/models/{model}} (or
	 * {@code /v1/models}): the model, at once, instead of a recorded stream.
	 */
	private static MockResponse model(String path) {
		String id = path.substring(path.lastIndexOf('/') + 1);
		String body = id.equals("models") ? "{\"object\":\"list\",\"data\":[]}"
				: "{\"id\":\"" + id.replace("\"", "") + "\",\"object\":\"model\",\"type\":\"model\"}";
		return MockResponse.status(200, body).contentType("application/json");
	}

}
