package io.steer.llm.autoconfigure;

import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The loopback server of a test class, as the OpenAI provider of the contexts it runs:
 * register it with {@code @RegisterExtension} on a static field; before each test it
 * answers every request with the {@code openai/chat-text-usage} recording.
 */
final class OpenAiLoopback extends LoopbackProviderServerExtension {

	@Override
	public void beforeEach(ExtensionContext context) {
		super.beforeEach(context);
		server().setDefaultResponse(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
	}

	/**
	 * A runner whose OpenAI provider is this server, with a key shaped like a real one.
	 * @param runner the runner
	 * @param apiKey the key, never logged or shown by the client
	 * @return the runner with the provider's properties
	 */
	ApplicationContextRunner provider(ApplicationContextRunner runner, String apiKey) {
		return runner.withPropertyValues("steer.providers.openai.base-url=" + baseUrl(),
				"steer.providers.openai.api-key=" + apiKey);
	}

	/**
	 * The server.
	 * @return the server of the test class
	 */
	LoopbackProviderServer loopback() {
		return server();
	}

}
