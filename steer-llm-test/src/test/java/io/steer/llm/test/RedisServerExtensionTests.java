package io.steer.llm.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisServerExtension}, against the real {@code redis-server}.
 */
class RedisServerExtensionTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void startsRedisOnALoopbackPort() throws IOException {
		assertThat(redis.host()).isEqualTo("127.0.0.1");
		assertThat(redis.port()).isPositive();
		assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
		assertThat(redis.isRunning()).isTrue();
		assertThat(command("SET k v\r\n")).isEqualTo("+OK");
		assertThat(command("GET k\r\n")).startsWith("$1");
	}

	@Test
	void stopThenStartSimulatesAnOutageOnTheSamePort() throws IOException {
		int port = redis.port();
		redis.stop();
		assertThat(redis.isRunning()).isFalse();
		assertThat(reachable()).isFalse();
		redis.start();
		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.port()).isEqualTo(port);
		assertThat(command("PING\r\n")).isEqualTo("+PONG");
	}

	@Test
	void missingBinaryFailsNamingItAndHowToInstall() {
		String previous = System.getProperty(RedisServerExtension.BINARY_PROPERTY);
		System.setProperty(RedisServerExtension.BINARY_PROPERTY, "/nonexistent/redis-server");
		try {
			assertThatIllegalStateException().isThrownBy(() -> new RedisServerExtension().start())
				.withMessageContaining("/nonexistent/redis-server")
				.withMessageContaining("apt-get install redis-server");
		}
		finally {
			if (previous != null) {
				System.setProperty(RedisServerExtension.BINARY_PROPERTY, previous);
			}
			else {
				System.clearProperty(RedisServerExtension.BINARY_PROPERTY);
			}
		}
	}

	private static boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(redis.host(), redis.port()), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String command(String inline) throws IOException {
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(inline.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0 && c != '\r') {
				line.append((char) c);
			}
			return line.toString();
		}
	}

}
