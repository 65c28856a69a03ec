package io.steer.llm.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code micrometer-core} is optional: in a class loader that hides it, a client with an
 * observation registry, statistics and live streams streams as usual.
 */
class NoMicrometerCoreTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	@Test
	void clientShouldStreamWithoutMicrometerCore() throws Exception {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		ClassLoader hiding = new HidingClassLoader(NoMicrometerCoreTests.class.getClassLoader());
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, hiding));
		Class<?> scenario = Class.forName(Scenario.class.getName(), true, hiding);
		assertThat(scenario.getClassLoader()).isSameAs(hiding);
		Object result = scenario.getMethod("run", String.class).invoke(null, server.baseUrl());
		// the recorded stream's text, one completed stream in the statistics, none live,
		// one observation
		assertThat((String) result).startsWith("I'm unable to").endsWith("|1|0|1");
	}

	/** What runs in the class loader without micrometer-core. */
	public static final class Scenario {

		private Scenario() {
		}

		/**
		 * Streams one response.
		 * @param baseUrl the loopback server's URL
		 * @return the text, the completed streams in the statistics, the live streams and
		 * the stopped observations, separated by {@code |}
		 */
		public static String run(String baseUrl) {
			StreamStatistics statistics = new StreamStatistics();
			LiveStreams live = new LiveStreams();
			int[] stopped = new int[1];
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {

				@Override
				public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
					return true;
				}

				@Override
				public void onStop(io.micrometer.observation.Observation.Context context) {
					stopped[0]++;
				}

			});
			SteerLLMClient client = SteerLLMClient.builder()
				.openAi(ProviderSettings.of(baseUrl, "sk-test-no-micrometer"))
				.observationRegistry(observations)
				.streamStatistics(statistics)
				.liveStreams(live)
				.build();
			StreamingResponse response = client.streamWithUsage(ChatRequest.of("Hello", "gpt-4o-mini"))
				.block(Duration.ofSeconds(10));
			return response.text() + "|" + statistics.models().get(0).completed() + "|" + live.size() + "|"
					+ stopped[0];
		}

	}

	/**
	 * Child first: defines every class but the JDK's itself from the bytes of its parent,
	 * except those of {@code io.micrometer.core}, which it cannot find.
	 */
	private static final class HidingClassLoader extends ClassLoader {

		private static final String HIDDEN = "io.micrometer.core.";

		private final ClassLoader source;

		HidingClassLoader(ClassLoader source) {
			super(ClassLoader.getPlatformClassLoader());
			this.source = source;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					if (name.startsWith(HIDDEN)) {
						throw new ClassNotFoundException(name);
					}
					try {
						loaded = getParent().loadClass(name);
					}
					catch (ClassNotFoundException ex) {
						loaded = define(name);
					}
				}
				if (resolve) {
					resolveClass(loaded);
				}
				return loaded;
			}
		}

		private Class<?> define(String name) throws ClassNotFoundException {
			try (InputStream in = this.source.getResourceAsStream(name.replace('.', '/') + ".class")) {
				if (in == null) {
					throw new ClassNotFoundException(name);
				}
				byte[] bytes = in.readAllBytes();
				return defineClass(name, bytes, 0, bytes.length);
			}
			catch (IOException ex) {
				throw new ClassNotFoundException(name, ex);
			}
		}

		@Override
		public @Nullable URL getResource(String name) {
			return hidden(name) ? null : this.source.getResource(name);
		}

		@Override
		public Enumeration<URL> getResources(String name) throws IOException {
			if (hidden(name)) {
				return Collections.emptyEnumeration();
			}
			List<URL> urls = Collections.list(this.source.getResources(name));
			urls.removeIf((url) -> url.toString().contains("micrometer-core"));
			return Collections.enumeration(urls);
		}

		@Override
		public @Nullable InputStream getResourceAsStream(String name) {
			URL url = getResource(name);
			try {
				return (url != null && !url.toString().contains("micrometer-core")) ? url.openStream() : null;
			}
			catch (IOException ex) {
				return null;
			}
		}

		private static boolean hidden(String name) {
			return name.startsWith(HIDDEN.replace('.', '/'));
		}

	}

}
