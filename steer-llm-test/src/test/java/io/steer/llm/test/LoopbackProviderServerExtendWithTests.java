package io.steer.llm.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopbackProviderServerExtension} registered with {@link ExtendWith}.
 */
@ExtendWith(LoopbackProviderServerExtension.class)
class LoopbackProviderServerExtendWithTests {

	private final LoopbackProviderServer server;

	LoopbackProviderServerExtendWithTests(LoopbackProviderServer server) {
		this.server = server;
	}

	@Test
	void injectsTheSameServerIntoConstructorAndMethod(LoopbackProviderServer server) {
		assertThat(server).isSameAs(this.server);
		server.enqueue(MockResponse.replay(SseFixture.load("anthropic", "docs-basic")));
		assertThat(TestClients.get(server.baseUrl() + "/v1/messages").body())
			.isEqualTo(SseFixture.load("anthropic", "docs-basic").bytes());
		assertThat(server.takeRequest().path()).isEqualTo("/v1/messages");
	}

}
