package io.steer.llm.benchmark;

import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Loads {@code steer-llm-core} from another build (a classes folder or a jar), for a
 * before/after comparison in one run: {@code io.steer.llm.*} classes and resources come
 * from that build first, with {@link SteerStreams} loaded again against them; everything
 * else (Reactor, Netty, Spring, Jackson, the JDK) is shared with the benchmark.
 */
final class IsolatedCore extends URLClassLoader {

	static {
		ClassLoader.registerAsParallelCapable();
	}

	private IsolatedCore(URL core, URL benchmark, ClassLoader parent) {
		super("steer-core-compared", new URL[] { core, benchmark }, parent);
	}

	/**
	 * A loader of the core at {@code path}.
	 * @param path a {@code steer-llm-core} classes folder or jar
	 * @return the loader
	 */
	static IsolatedCore of(String path) {
		Path core = Path.of(path);
		if (!Files.exists(core.resolve("io/steer/llm/SteerLLMClient.class")) && !path.endsWith(".jar")) {
			throw new IllegalArgumentException("not a steer-llm-core classes folder or jar: " + path);
		}
		try {
			URL benchmark = SteerStreams.class.getProtectionDomain().getCodeSource().getLocation();
			return new IsolatedCore(core.toUri().toURL(), Path.of(benchmark.toURI()).toUri().toURL(),
					IsolatedCore.class.getClassLoader());
		}
		catch (MalformedURLException | URISyntaxException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	/**
	 * {@link SteerStreams} over this loader's core.
	 * @param http the HTTP client
	 * @param baseUrl the provider's base URL
	 * @param mode as
	 * {@link SteerStreams#SteerStreams(HttpClient, String, String, String)}
	 * @param prompt the user message
	 * @return one stream per call
	 */
	@SuppressWarnings("unchecked")
	Supplier<Mono<Long>> streams(HttpClient http, String baseUrl, String mode, String prompt) {
		try {
			return (Supplier<Mono<Long>>) loadClass(SteerStreams.class.getName())
				.getConstructor(HttpClient.class, String.class, String.class, String.class)
				.newInstance(http, baseUrl, mode, prompt);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isolated(String name) {
		if (name.startsWith("io.steer.llm.benchmark.")) {
			return name.startsWith(SteerStreams.class.getName());
		}
		return name.startsWith("io.steer.llm.") && !name.startsWith("io.steer.llm.test.");
	}

	@Override
	protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
		if (!isolated(name)) {
			return super.loadClass(name, resolve);
		}
		synchronized (getClassLoadingLock(name)) {
			Class<?> loaded = findLoadedClass(name);
			if (loaded == null) {
				loaded = findClass(name);
			}
			if (resolve) {
				resolveClass(loaded);
			}
			return loaded;
		}
	}

	@Override
	public URL getResource(String name) {
		if (name.startsWith("io/steer/llm/")) {
			URL own = findResource(name);
			if (own != null) {
				return own;
			}
		}
		return super.getResource(name);
	}

}
