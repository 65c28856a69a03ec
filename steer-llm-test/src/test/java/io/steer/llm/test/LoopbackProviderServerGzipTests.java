package io.steer.llm.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MockResponse#gzipWhenAccepted()}: the server compresses only for a
 * request that accepts gzip, and each write on its own.
 */
class LoopbackProviderServerGzipTests {

	private static final SseFixture CHAT = SseFixture.load("openai", "chat-text-usage");

	private LoopbackProviderServer server;

	@BeforeEach
	void startServer() {
		this.server = LoopbackProviderServer.start();
	}

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void gzipWhenAcceptedShouldCompressTheStreamForARequestThatAcceptsGzip() {
		this.server.enqueue(MockResponse.replay(CHAT).gzipWhenAccepted());
		HttpResponse<byte[]> response = get("gzip, deflate");
		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		assertThat(response.body()).isNotEqualTo(CHAT.bytes());
		assertThat(gunzip(response.body())).isEqualTo(CHAT.bytes());
		assertThat(this.server.eventsWritten()).isEqualTo(CHAT.events().size());
	}

	@Test
	void gzipWhenAcceptedShouldFlushEachEventSoADecodingClientSeesItAsSent() {
		this.server.enqueue(MockResponse.replay(CHAT).gzipWhenAccepted());
		List<byte[]> received = HttpClient.newConnection()
			.compress(true)
			.baseUrl(this.server.baseUrl())
			.get()
			.uri("/v1/chat/completions")
			.responseContent()
			.asByteArray()
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(TestClients.concat(received)).isEqualTo(CHAT.bytes());
		assertThat(TestClients.boundaries(received)).containsAll(TestClients.boundaries(CHAT.events()));
	}

	@Test
	void gzipWhenAcceptedShouldSendThePlainStreamToARequestThatDoesNotAcceptGzip() {
		this.server.enqueue(MockResponse.replay(CHAT).gzipWhenAccepted());
		this.server.enqueue(MockResponse.replay(CHAT).gzipWhenAccepted());
		HttpResponse<byte[]> withoutHeader = get(null);
		assertThat(withoutHeader.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(withoutHeader.body()).isEqualTo(CHAT.bytes());
		HttpResponse<byte[]> refused = get("identity, gzip;q=0");
		assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(refused.body()).isEqualTo(CHAT.bytes());
	}

	@Test
	void gzipWhenAcceptedShouldCompressAFixedLengthBodyWithItsCompressedLength() {
		String json = "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}";
		this.server.enqueue(MockResponse.status(429, json).gzipWhenAccepted());
		HttpResponse<byte[]> response = get("gzip");
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
		assertThat(new String(gunzip(response.body()), StandardCharsets.UTF_8)).isEqualTo(json);
	}

	@Test
	void responseWithoutGzipWhenAcceptedShouldNotCompressEvenWhenTheRequestAcceptsGzip() {
		this.server.enqueue(MockResponse.replay(CHAT));
		HttpResponse<byte[]> response = get("gzip");
		assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(response.body()).isEqualTo(CHAT.bytes());
	}

	@Test
	void acceptedShouldReadCodingsAndQualities() {
		assertThat(GzipBody.accepted(List.of("gzip"))).isTrue();
		assertThat(GzipBody.accepted(List.of("br", "GZIP;q=0.5"))).isTrue();
		assertThat(GzipBody.accepted(List.of("*"))).isTrue();
		assertThat(GzipBody.accepted(List.of())).isFalse();
		assertThat(GzipBody.accepted(List.of("identity"))).isFalse();
		assertThat(GzipBody.accepted(List.of("gzip;q=0"))).isFalse();
		assertThat(GzipBody.accepted(List.of("gzip; q=0.0, br"))).isFalse();
	}

	private HttpResponse<byte[]> get(String acceptEncoding) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.server.baseUrl() + "/v1/chat/completions"));
		if (acceptEncoding != null) {
			request.header("Accept-Encoding", acceptEncoding);
		}
		return TestClients.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static byte[] gunzip(byte[] body) {
		try (GZIPInputStream input = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return input.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
