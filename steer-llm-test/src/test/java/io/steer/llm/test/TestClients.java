package io.steer.llm.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * HTTP clients and helpers shared by the tests: a JDK {@link HttpClient} for whole
 * exchanges and byte-level helpers for Reactor Netty clients.
 */
final class TestClients {

	static final HttpClient JDK = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private TestClients() {
	}

	static HttpResponse<byte[]> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	static <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) {
		try {
			return JDK.send(request, handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static byte[] concat(List<byte[]> parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		parts.forEach(out::writeBytes);
		return out.toByteArray();
	}

	/**
	 * Offsets at which one part ends and the next begins, excluding 0 and the total
	 * length.
	 */
	static TreeSet<Integer> boundaries(List<byte[]> parts) {
		TreeSet<Integer> boundaries = new TreeSet<>();
		int offset = 0;
		for (byte[] part : parts) {
			offset += part.length;
			boundaries.add(offset);
		}
		boundaries.remove(offset);
		boundaries.remove(0);
		return boundaries;
	}

	static void await(String description, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out waiting until " + description);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				fail("Interrupted waiting until " + description);
			}
		}
	}

}
