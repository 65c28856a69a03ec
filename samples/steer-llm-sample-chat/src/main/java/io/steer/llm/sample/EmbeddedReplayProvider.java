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
 * loopback server replaying real recorded streams. {@code grok-*} models get a recorded
 * grok-3-mini stream with reasoning; every other model a recorded gpt-4.1-nano text stream.
 */
class EmbeddedReplayProvider implements EnvironmentPostProcessor, Ordered {

	private static final String[] PROVIDERS = { "openai", "xai" };

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
			properties.put("steer.providers." + provider + ".base-url", server.baseUrl() + "/" + provider + "/v1");
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

	private static LoopbackProviderServer start(Duration delay) {
		LoopbackProviderServer server = LoopbackProviderServer.start();
		JsonMapper mapper = JsonMapper.builder().build();
		MockResponse text = MockResponse.replay(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano"))
			.delayBetweenEvents(delay);
		MockResponse grok = MockResponse.replay(SseFixture.load("xai", "chat-reasoning-text")).delayBetweenEvents(delay);
		server.setDispatcher((RecordedRequest request) -> {
			JsonNode model = mapper.readTree(request.bodyAsString()).path("model");
			return model.asString("").startsWith("grok-") ? grok : text;
		});
		return server;
	}

}
