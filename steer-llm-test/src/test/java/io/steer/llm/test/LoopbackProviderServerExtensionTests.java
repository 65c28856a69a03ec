package io.steer.llm.test;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Tests for {@link LoopbackProviderServerExtension} registered on a static field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopbackProviderServerExtensionTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension extension = new LoopbackProviderServerExtension();

	@Test
	@Order(1)
	void injectsTheExtensionsServer(LoopbackProviderServer server) {
		assertThat(server).isSameAs(extension.server());
		assertThat(extension.baseUrl()).isEqualTo(server.baseUrl()).startsWith("http://127.0.0.1:");
		server.enqueue(MockResponse.status(200, "scripted"));
		server.enqueue(MockResponse.status(200, "left over"));
		server.setDefaultResponse(MockResponse.status(200, "default"));
		assertThat(TestClients.get(extension.baseUrl() + "/").body()).asString(StandardCharsets.UTF_8)
			.isEqualTo("scripted");
		assertThat(server.requestCount()).isOne();
	}

	@Test
	@Order(2)
	void resetsTheServerBeforeEachTest(LoopbackProviderServer server) {
		assertThat(server.requestCount()).isZero();
		assertThat(TestClients.get(extension.baseUrl() + "/").statusCode()).isEqualTo(500);
		assertThat(server.takeRequest().path()).isEqualTo("/");
	}

	@Test
	void closesTheServerAfterAllTestsOfTheClass() {
		StaticFieldTestCase.servers.clear();
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(StaticFieldTestCase.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(2).succeeded(2));
		assertThat(StaticFieldTestCase.servers).hasSize(2);
		LoopbackProviderServer server = StaticFieldTestCase.servers.get(0);
		assertThat(StaticFieldTestCase.servers.get(1)).isSameAs(server);
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket("127.0.0.1", server.port()).close());
		assertThatIllegalStateException().isThrownBy(StaticFieldTestCase.extension::server);
	}

	@Test
	void failsClearlyWhenRegisteredOnAnInstanceField() {
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(InstanceFieldTestCase.class))
			.execute()
			.testEvents()
			.assertThatEvents()
			.haveExactly(1, event(finishedWithFailure(instanceOf(IllegalStateException.class),
					message((text) -> text.contains("static field")))));
	}

	@Nested
	class NestedTests {

		@Test
		void sharesTheServerOfTheEnclosingClass(LoopbackProviderServer server) {
			assertThat(server).isSameAs(extension.server());
			assertThat(server.requestCount()).isZero();
		}

	}

	static class StaticFieldTestCase {

		@RegisterExtension
		static final LoopbackProviderServerExtension extension = new LoopbackProviderServerExtension();

		static final List<LoopbackProviderServer> servers = new CopyOnWriteArrayList<>();

		@Test
		void first(LoopbackProviderServer server) {
			servers.add(server);
			server.setDefaultResponse(MockResponse.status(200, "{}"));
			assertThat(TestClients.get(server.baseUrl() + "/").statusCode()).isEqualTo(200);
		}

		@Test
		void second(LoopbackProviderServer server) {
			servers.add(server);
		}

	}

	static class InstanceFieldTestCase {

		@RegisterExtension
		final LoopbackProviderServerExtension extension = new LoopbackProviderServerExtension();

		@Test
		void test() {
		}

	}

}
