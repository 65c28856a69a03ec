package io.steer.llm.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.apache.commons.logging.Log;
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
 * When a provider has no API key, points it at an embedded replay provider: the test kit's
 * loopback server replaying real recorded streams: {@code claude-*} models a recorded
 * claude-sonnet-4-5 stream with extended thinking; the Responses API a recorded gpt-5.2 stream
 * (OpenAI) or grok-code-fast-1 stream with reasoning summaries (xAI); Chat Completions a
 * recorded grok-3-mini stream with reasoning for {@code grok-*} models and a recorded
 * gpt-4.1-nano text stream for every other model.
 */
class EmbeddedReplayProvider implements EnvironmentPostProcessor, Ordered {

	private static final String[] PROVIDERS = { "openai", "xai", "anthropic" };

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
			// OpenAI and xAI base URLs end in /v1; Anthropic's adapter adds /v1/messages itself
			properties.put("steer.providers." + provider + ".base-url",
					server.baseUrl() + "/" + provider + (provider.equals("anthropic") ? "" : "/v1"));
			properties.put("steer.providers." + provider + ".api-key", "replay-" + provider);
			this.logger.warn("No API key for " + provider + ": its streams come from the embedded replay provider at "
					+ server.baseUrl() + ", which replays real recorded " + provider + " streams");
		}
		if (server != null) {
			environment.getPropertySources().addFirst(new MapPropertySource("steerSampleReplayProvider", properties));
			LoopbackProviderServer running = server;
			application.addListeners((ApplicationListener<ContextClosedEvent>) (event) -> running.close());
		}
	}

	private static MockResponse replay(String provider, String fixture, Duration delay) {
		return MockResponse.replay(SseFixture.load(provider, fixture)).delayBetweenEvents(delay);
	}

	private static LoopbackProviderServer start(Duration delay) {
		LoopbackProviderServer server = LoopbackProviderServer.start();
		JsonMapper mapper = JsonMapper.builder().build();
		MockResponse text = MockResponse.replay(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano"))
			.delayBetweenEvents(delay);
		MockResponse grok = MockResponse.replay(SseFixture.load("xai", "chat-reasoning-text")).delayBetweenEvents(delay);
		MockResponse claude = replay("anthropic", "thinking-signature", delay);
		MockResponse openAiResponses = replay("openai", "responses-text", delay);
		MockResponse xaiResponses = replay("xai", "responses-reasoning-summary-text", delay);
		server.setDispatcher((RecordedRequest request) -> {
			String path = request.path();
			if (path.startsWith("/anthropic/")) {
				return claude;
			}
			if (path.endsWith("/responses")) {
				return path.startsWith("/xai/") ? xaiResponses : openAiResponses;
			}
			JsonNode model = mapper.readTree(request.bodyAsString()).path("model");
			return model.asString("").startsWith("grok-") ? grok : text;
		});
		return server;
	}

}
