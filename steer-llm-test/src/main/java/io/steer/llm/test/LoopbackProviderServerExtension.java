package io.steer.llm.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that runs one {@link LoopbackProviderServer} per test class:
 * started before the first test, {@linkplain LoopbackProviderServer#reset() reset} before
 * each test and closed after the last one. {@code @Nested} classes share the server of
 * their enclosing class.
 * <p>
 * Register it on a static field to reach the server from the field: <pre class="code">
 * &#64;RegisterExtension
 * static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();
 *
 * &#64;Test
 * void streams() {
 *     server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")));
 *     // point the client at server.baseUrl()
 * }
 * </pre> or with {@code @ExtendWith(LoopbackProviderServerExtension.class)} and a
 * {@link LoopbackProviderServer} parameter on a test method, lifecycle method or
 * constructor.
 * <p>
 * Test methods of one class share the server, so they must not run concurrently with one
 * another.
 */
public class LoopbackProviderServerExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {

	private @Nullable LoopbackProviderServer server;

	private @Nullable String ownerId;

	@Override
	public void beforeAll(ExtensionContext context) {
		obtainServer();
		synchronized (this) {
			if (this.ownerId == null) {
				this.ownerId = context.getUniqueId();
			}
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		synchronized (this) {
			if (this.ownerId == null) {
				throw new IllegalStateException("LoopbackProviderServerExtension did not get a before-all callback: "
						+ "register it on a static field or with @ExtendWith so that it can close its server");
			}
		}
		obtainServer().reset();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		LoopbackProviderServer server;
		synchronized (this) {
			if (!context.getUniqueId().equals(this.ownerId)) {
				return;
			}
			server = this.server;
			this.server = null;
			this.ownerId = null;
		}
		if (server != null) {
			server.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == LoopbackProviderServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return obtainServer();
	}

	/**
	 * Return the server of the running test class.
	 * @return the server
	 * @throws IllegalStateException if called outside a test class's lifecycle (before
	 * all or after all of its tests)
	 */
	public synchronized LoopbackProviderServer server() {
		if (this.server == null) {
			throw new IllegalStateException("No LoopbackProviderServer is running: use the extension from a test "
					+ "and register it on a static field with @RegisterExtension");
		}
		return this.server;
	}

	/**
	 * Return the base URL of the server of the running test class.
	 * @return {@code http://127.0.0.1:<port>}, without a trailing slash
	 * @throws IllegalStateException if called outside a test class's lifecycle
	 */
	public String baseUrl() {
		return server().baseUrl();
	}

	private synchronized LoopbackProviderServer obtainServer() {
		if (this.server == null) {
			this.server = LoopbackProviderServer.start();
		}
		return this.server;
	}

}
