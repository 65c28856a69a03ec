package io.steer.llm.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link UnreachableEndpoint}.
 */
class UnreachableEndpointTests {

	@Test
	void refusingRefusesConnections() {
		try (UnreachableEndpoint endpoint = UnreachableEndpoint.refusing()) {
			assertThat(endpoint.baseUrl()).isEqualTo("http://127.0.0.1:" + endpoint.port());
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(endpoint, 2000));
		}
	}

	@Test
	void silentLeavesConnectionAttemptsUnanswered() {
		try (UnreachableEndpoint endpoint = UnreachableEndpoint.silent()) {
			assertThat(endpoint.baseUrl()).startsWith("http://127.0.0.1:");
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connect(endpoint, 300));
		}
	}

	private static void connect(UnreachableEndpoint endpoint, int timeoutMillis) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), timeoutMillis);
		}
	}

}
