package io.steer.llm.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.steer.llm.test.SseFixture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The benchmark's provider, run in a JVM of its own so that nothing it does (its event
 * loop, its timers, its garbage, its JIT compilation) is counted as the client's.
 * <p>
 * It answers {@code POST /burst/<chunks>/chat/completions} with the synthetic OpenAI Chat
 * Completions stream of {@link SseFixture#syntheticOpenAiChat(int)} (the test kit's
 * stream: a role chunk, {@code chunks} content chunks, a finish chunk, a usage chunk and
 * {@code [DONE]}), one flushed write per SSE event, as fast as the connection takes them;
 * and {@code POST /paced/<chunks>/<intervalMs>/chat/completions} with the same stream,
 * each event written and flushed {@code intervalMs} after the previous one (the first at
 * once), the waits scheduled on the connection's own event loop, so that each event is a
 * network read of its own for the client; and
 * {@code POST /json/<products>/chat/completions} with the stream of
 * {@link JsonAnswer#of(int)}, written as burst is. Connections are kept alive (HTTP/1.1
 * chunked).
 * <p>
 * The kit's {@code LoopbackProviderServer} is not used: it paces with one
 * {@code Mono.delay} per event on {@code Schedulers.parallel()} and records every request
 * in a copy-on-write list, neither cheap at thousands of concurrent streams.
 * <p>
 * Started by {@link #start(int)}: prints {@code PORT <n>} on its standard output once
 * bound, and exits when its standard input closes (the benchmark ended or died).
 */
public final class BenchmarkServer {

	private final Map<String, List<byte[]>> streams = new ConcurrentHashMap<>();

	private final Map<EventLoop, Scheduler> schedulers = new ConcurrentHashMap<>();

	private BenchmarkServer() {
	}

	/**
	 * Runs the server until standard input closes.
	 * @param args {@code --threads=N}: event loop threads, 1 by default
	 * @throws IOException when standard input cannot be read
	 */
	public static void main(String[] args) throws IOException {
		int threads = 1;
		for (String arg : args) {
			if (arg.startsWith("--threads=")) {
				threads = Integer.parseInt(arg.substring("--threads=".length()));
			}
		}
		BenchmarkServer handler = new BenchmarkServer();
		LoopResources loops = LoopResources.create("bench-server", 1, threads, true);
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.runOn(loops)
			// gzip, each write compressed and flushed on its own, only for a request that
			// accepts it (the steer-gzip variant)
			.compress(true)
			.handle(handler::handle)
			.bindNow(Duration.ofSeconds(10));
		System.out.println("PORT " + server.port());
		System.out.flush();
		while (System.in.read() >= 0) {
			// until the benchmark closes the pipe
		}
		server.disposeNow(Duration.ofSeconds(5));
		loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
		System.exit(0);
	}

	/**
	 * Starts the server in a new JVM with this JVM's class path.
	 * @param threads the server's event loop threads
	 * @return the running server
	 * @throws IOException when the JVM cannot be started or does not report its port
	 */
	static Handle start(int threads) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-cp",
				System.getProperty("java.class.path"), BenchmarkServer.class.getName(), "--threads=" + threads);
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		Process process = builder.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = out.readLine();
		if (line == null || !line.startsWith("PORT ")) {
			process.destroyForcibly();
			throw new IOException("benchmark server did not start: " + line);
		}
		return new Handle(process, Integer.parseInt(line.substring(5).trim()));
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String[] path = request.path().replaceFirst("^/", "").split("/");
		// burst/<chunks>/chat/completions, paced/<chunks>/<ms>/chat/completions or
		// json/<products>/chat/completions
		String kind = path[0].equals("json") ? "json" : "text";
		int size = Integer.parseInt(path[1]);
		List<byte[]> events = this.streams.computeIfAbsent(kind + "/" + size, (key) -> kind.equals("json")
				? JsonAnswer.of(size).events() : SseFixture.syntheticOpenAiChat(size).events());
		Duration interval = path[0].equals("paced") ? Duration.ofMillis(Long.parseLong(path[2])) : Duration.ZERO;
		return request.receive().then(Mono.defer(() -> {
			response.header("Content-Type", "text/event-stream");
			Flux<ByteBuf> body = Flux.fromIterable(events).map(Unpooled::wrappedBuffer);
			if (!interval.isZero()) {
				EventLoop[] loop = new EventLoop[1];
				response.withConnection((connection) -> loop[0] = connection.channel().eventLoop());
				Scheduler scheduler = this.schedulers.computeIfAbsent(loop[0], Schedulers::fromExecutorService);
				body = body.index()
					.concatMap((event) -> (event.getT1() == 0) ? Mono.just(event.getT2())
							: Mono.delay(interval, scheduler).thenReturn(event.getT2()), 1);
			}
			return response.send(body, (buffer) -> true).then();
		}));
	}

	/** The server process, and the port it listens on. */
	record Handle(Process process, int port) implements AutoCloseable {

		@Override
		public void close() {
			try {
				this.process.getOutputStream().close();
				if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}

	}

}
