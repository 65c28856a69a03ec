package io.steer.llm.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What the client is compared with: the least a Java application streaming an LLM
 * response does with the same stack, each {@code data:} parsed into a Jackson tree.
 */
final class Baselines {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	/** Network reads (response body buffers) seen by the Reactor Netty baseline. */
	static final AtomicLong nettyReads = new AtomicLong();

	private Baselines() {
	}

	/**
	 * Reactor Netty reading the stream line by line (a partial line carried to the next
	 * buffer), each {@code data:} line but {@code [DONE]} parsed into a Jackson tree.
	 * @param prompt the user message of the request
	 * @return one stream per call, emitting its count of {@code data:} chunks
	 */
	static Supplier<Mono<Long>> reactorNetty(HttpClient http, String baseUrl, String prompt) {
		String uri = baseUrl + "/chat/completions";
		String body = body(prompt);
		return () -> Mono.defer(() -> {
			AtomicLong parsed = new AtomicLong();
			ByteBuf carry = Unpooled.buffer(4096);
			return http.post()
				.uri(uri)
				.send(ByteBufFlux.fromString(Mono.just(body)))
				.responseContent()
				.doOnNext((content) -> {
					nettyReads.incrementAndGet();
					carry.writeBytes(content);
					int lf;
					while ((lf = carry.indexOf(carry.readerIndex(), carry.writerIndex(), (byte) '\n')) >= 0) {
						ByteBuf line = carry.slice(carry.readerIndex(), lf - carry.readerIndex());
						if (isDataLine(line)) {
							parsed.incrementAndGet();
							if (readTree(line).isMissingNode()) {
								throw new IllegalStateException("unexpected chunk");
							}
						}
						carry.readerIndex(lf + 1);
					}
					carry.discardReadBytes();
				})
				.then(Mono.fromSupplier(parsed::get))
				.doFinally((signal) -> carry.release());
		});
	}

	/**
	 * A plain Spring {@code WebClient} reading {@code ServerSentEvent<String>}s, each
	 * {@code data} but {@code [DONE]} parsed with {@code readTree}.
	 * @param prompt the user message of the request
	 * @return one stream per call, emitting its count of {@code data:} chunks
	 */
	static Supplier<Mono<Long>> webClient(HttpClient http, String baseUrl, String prompt) {
		WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		String uri = baseUrl + "/chat/completions";
		String body = body(prompt);
		return () -> client.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.data() != null && !"[DONE]".equals(event.data()))
			.doOnNext((event) -> {
				if (MAPPER.readTree(event.data()).isMissingNode()) {
					throw new IllegalStateException("unexpected chunk");
				}
			})
			.count();
	}

	/** The request body, built once: what our client sends for the same prompt. */
	private static String body(String prompt) {
		return MAPPER.writeValueAsString(Map.of("model", "gpt-4o-mini", "stream", true, "messages",
				List.of(Map.of("role", "user", "content", prompt))));
	}

	private static boolean isDataLine(ByteBuf line) {
		int start = line.readerIndex();
		return line.readableBytes() > 6 && line.getByte(start) == 'd' && line.getByte(start + 4) == ':'
				&& line.getByte(start + 6) != '[';
	}

	private static JsonNode readTree(ByteBuf line) {
		ByteBuf payload = line.slice(line.readerIndex() + 6, line.readableBytes() - 6);
		try (ByteBufInputStream in = new ByteBufInputStream(payload)) {
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
