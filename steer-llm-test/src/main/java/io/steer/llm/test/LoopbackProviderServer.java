package io.steer.llm.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A loopback HTTP/1.1 server that stands in for an LLM provider: it answers every
 * request, whatever its method and path, with the next scripted {@link MockResponse}, and
 * records the requests it receives.
 * <p>
 * The server binds to {@code 127.0.0.1} on an ephemeral port and runs on its own event
 * loop threads (daemon), so it never competes with the event loops of the client under
 * test. Responses are taken from a FIFO queue ({@link #enqueue(MockResponse)}), one per
 * request, then from the {@linkplain #setDefaultResponse(MockResponse) default response};
 * with neither, the server answers {@code 500} with a JSON body saying that no response
 * was scripted.
 * <p>
 * Typical use: <pre class="code">
 * try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
 *     server.enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
 *     // point the client's base URL at server.baseUrl() and stream
 *     RecordedRequest request = server.takeRequest();
 * }
 * </pre>
 * <p>
 * All methods are thread-safe.
 *
 * @see LoopbackProviderServerExtension
 */
public final class LoopbackProviderServer implements AutoCloseable {

	private static final Duration TAKE_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

	private final Queue<MockResponse> responses = new ConcurrentLinkedQueue<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final BlockingQueue<RecordedRequest> untakenRequests = new LinkedBlockingQueue<>();

	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private final Semaphore clientDisconnects = new Semaphore(0);

	private final AtomicInteger generation = new AtomicInteger();

	private final AtomicLong eventsWritten = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LoopResources loopResources;

	private final DisposableServer server;

	private volatile @Nullable MockResponse defaultResponse;

	private volatile @Nullable Function<RecordedRequest, @Nullable MockResponse> dispatcher;

	private LoopbackProviderServer(int socketSendBufferSize) {
		this.loopResources = LoopResources.create("steer-loopback", 1, 2, true);
		try {
			HttpServer httpServer = HttpServer.create();
			if (socketSendBufferSize > 0) {
				httpServer = httpServer.childOption(ChannelOption.SO_SNDBUF, socketSendBufferSize);
			}
			this.server = httpServer.host("127.0.0.1")
				.port(0)
				.runOn(this.loopResources)
				.doOnChannelInit((observer, channel, remoteAddress) -> trackConnection(channel))
				.handle(this::handle)
				.bindNow(LIFECYCLE_TIMEOUT);
		}
		catch (RuntimeException ex) {
			this.loopResources.disposeLater(Duration.ZERO, LIFECYCLE_TIMEOUT).block();
			throw ex;
		}
	}

	/**
	 * Start a server on {@code 127.0.0.1} and an ephemeral port.
	 * @return the started server; {@link #close() close} it when done
	 * @throws RuntimeException if the server cannot bind within 10 seconds
	 */
	public static LoopbackProviderServer start() {
		return new LoopbackProviderServer(0);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and an ephemeral port whose connections have a
	 * fixed socket send buffer ({@code SO_SNDBUF}) instead of one the kernel grows on
	 * demand (up to several MiB on Linux). Use it with a small client receive buffer to
	 * measure how far the server can write ahead of a slow client, that is how much the
	 * client itself buffers: see {@link #eventsWritten()}.
	 * @param socketSendBufferSize the send buffer of each connection, in bytes (the
	 * kernel may round it, Linux doubles it)
	 * @return the started server; {@link #close() close} it when done
	 * @throws IllegalArgumentException if the size is not positive
	 * @throws RuntimeException if the server cannot bind within 10 seconds
	 */
	public static LoopbackProviderServer start(int socketSendBufferSize) {
		if (socketSendBufferSize <= 0) {
			throw new IllegalArgumentException("'socketSendBufferSize' must be positive, got " + socketSendBufferSize);
		}
		return new LoopbackProviderServer(socketSendBufferSize);
	}

	/**
	 * Return the base URL to configure a client with.
	 * @return {@code http://127.0.0.1:<port>}, without a trailing slash
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * Return the port the server listens on.
	 * @return the TCP port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * Script the response to a future request. Responses are used in the order enqueued,
	 * one per request, before the default response.
	 * @param response the response
	 */
	public void enqueue(MockResponse response) {
		this.responses.add(Objects.requireNonNull(response, "'response' must not be null"));
	}

	/**
	 * Set the response used for every request that finds the queue empty.
	 * @param response the response, or {@code null} to answer unscripted requests with
	 * {@code 500} again
	 */
	public void setDefaultResponse(@Nullable MockResponse response) {
		this.defaultResponse = response;
	}

	/**
	 * Set a function that chooses the response to each request that finds the queue
	 * empty, for example by the model named in its body. When it returns {@code null},
	 * the default response is used.
	 * @param dispatcher the function, or {@code null} to remove it
	 */
	public void setDispatcher(@Nullable Function<RecordedRequest, @Nullable MockResponse> dispatcher) {
		this.dispatcher = dispatcher;
	}

	/**
	 * Return every request received since the server started or was last
	 * {@linkplain #reset() reset}, in arrival order, including those already taken.
	 * @return an immutable snapshot
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Return the oldest request not yet taken, waiting up to 5 seconds for one to arrive.
	 * @return the request
	 * @throws AssertionError if no request arrives in time
	 */
	public RecordedRequest takeRequest() {
		return takeRequest(TAKE_REQUEST_TIMEOUT);
	}

	/**
	 * Return the oldest request not yet taken, waiting up to the given time for one to
	 * arrive.
	 * @param timeout how long to wait
	 * @return the request
	 * @throws AssertionError if no request arrives in time or the thread is interrupted
	 */
	public RecordedRequest takeRequest(Duration timeout) {
		try {
			RecordedRequest request = this.untakenRequests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
			if (request == null) {
				throw new AssertionError(
						"No request received within " + timeout + " (received " + this.requests.size() + " in all)");
			}
			return request;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a request", ex);
		}
	}

	/**
	 * Return the number of requests received since the server started or was last
	 * {@linkplain #reset() reset}.
	 * @return the request count
	 */
	public int requestCount() {
		return this.requests.size();
	}

	/**
	 * Return the number of TCP connections currently open to the server. A connection is
	 * counted from its acceptance until the server has processed its close, which happens
	 * shortly after the peer closes it: poll rather than expect an immediate change.
	 * @return the open connection count
	 */
	public int openConnections() {
		return this.connections.size();
	}

	/**
	 * Return the number of body writes of streamed responses handed to a connection since
	 * the server started or was last {@linkplain #reset() reset}, over all responses. For
	 * a {@linkplain MockResponse#replay(SseFixture) replayed} stream each write is one
	 * SSE event.
	 * <p>
	 * The server writes only as fast as the connection accepts data (Reactor Netty stops
	 * taking writes while the channel is not writable), so comparing this count with the
	 * events a client has consumed shows how far the server can get ahead of a slow
	 * client: with backpressure honoured end to end the difference stays bounded by the
	 * socket and client buffers, instead of reaching the length of the stream.
	 * @return the write count
	 */
	public long eventsWritten() {
		return this.eventsWritten.get();
	}

	/**
	 * Wait until a client disconnects before its response was complete: it closed or
	 * cancelled while the server was delaying, writing or
	 * {@linkplain MockResponse#stallAfterEvents(int) stalling} the response. Connections
	 * that the server drops on purpose ({@link MockResponse#dropAfterEvents(int)}) do not
	 * count. Each disconnect satisfies one call; disconnects of exchanges started before
	 * the last {@link #reset()} are ignored.
	 * @param timeout how long to wait
	 * @return {@code true} if a client disconnected, {@code false} if none did in time or
	 * the thread was interrupted
	 */
	public boolean awaitClientDisconnect(Duration timeout) {
		try {
			return this.clientDisconnects.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Forget everything scripted and recorded: the queued responses, the default
	 * response, the recorded requests, the client disconnects and the
	 * {@linkplain #eventsWritten() written events count}. Open connections stay open.
	 */
	public void reset() {
		this.generation.incrementAndGet();
		this.responses.clear();
		this.defaultResponse = null;
		this.dispatcher = null;
		this.requests.clear();
		this.untakenRequests.clear();
		this.clientDisconnects.drainPermits();
		this.eventsWritten.set(0);
	}

	/**
	 * Stop the server: close every open connection, including stalled ones, stop
	 * listening and release the event loop threads, waiting up to 10 seconds for each
	 * step. Calling it again has no effect. Must not be called from a Reactor Netty event
	 * loop thread.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.connections.forEach(Channel::close);
			this.server.disposeNow(LIFECYCLE_TIMEOUT);
			this.loopResources.disposeLater(Duration.ZERO, LIFECYCLE_TIMEOUT).block(LIFECYCLE_TIMEOUT);
		}
	}

	@Override
	public String toString() {
		return "LoopbackProviderServer[" + baseUrl() + "]";
	}

	private void trackConnection(Channel channel) {
		this.connections.add(channel);
		channel.closeFuture().addListener((future) -> this.connections.remove(channel));
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((body) -> {
			RecordedRequest recorded = new RecordedRequest(request.method().name(), request.uri(), headers(request),
					body);
			this.requests.add(recorded);
			this.untakenRequests.add(recorded);
			return respond(response, nextResponse(recorded), recorded);
		});
	}

	private static Map<String, List<String>> headers(HttpServerRequest request) {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		request.requestHeaders()
			.forEach((header) -> headers.computeIfAbsent(header.getKey(), (name) -> new ArrayList<>())
				.add(header.getValue()));
		return headers;
	}

	private MockResponse nextResponse(RecordedRequest request) {
		MockResponse next = this.responses.poll();
		if (next != null) {
			return next;
		}
		Function<RecordedRequest, @Nullable MockResponse> dispatcher = this.dispatcher;
		MockResponse dispatched = (dispatcher != null) ? dispatcher.apply(request) : null;
		if (dispatched != null) {
			return dispatched;
		}
		MockResponse defaultResponse = this.defaultResponse;
		if (defaultResponse != null) {
			return defaultResponse;
		}
		String target = (request.method() + " " + request.path()).replace("\\", "\\\\").replace("\"", "\\\"");
		return MockResponse.status(500,
				"{\"error\":{\"type\":\"loopback_server_error\",\"message\":" + "\"No response scripted for " + target
						+ ": call enqueue(MockResponse) or "
						+ "setDefaultResponse(MockResponse) on the LoopbackProviderServer\"}}");
	}

	private Mono<Void> respond(HttpServerResponse response, MockResponse mock, RecordedRequest request) {
		boolean gzip = mock.isGzipWhenAccepted()
				&& GzipBody.accepted(request.headers().getOrDefault("Accept-Encoding", List.of()));
		Connection connection = connectionOf(response);
		AtomicBoolean ended = new AtomicBoolean();
		int generation = this.generation.get();
		connection.onDispose(() -> {
			if (!ended.get() && !this.closed.get() && generation == this.generation.get()) {
				this.clientDisconnects.release();
			}
		});
		Mono<Void> exchange = Mono.defer(() -> {
			if (mock.fault() == MockResponse.Fault.CLOSE_BEFORE_HEADERS
					|| mock.fault() == MockResponse.Fault.CLOSE_DURING_HEADERS) {
				ended.set(true);
				return closeWithoutResponse(connection, mock);
			}
			response.status(mock.status());
			mock.headers().forEach(response::header);
			if (gzip) {
				response.header("Content-Encoding", "gzip");
			}
			if (mock.isFixedLength()) {
				List<byte[]> writes = mock.writesToSend();
				byte[] body = writes.isEmpty() ? new byte[0] : writes.get(0);
				body = gzip ? GzipBody.compress(body) : body;
				return response.sendByteArray(Mono.just(body)).then().doOnSuccess((done) -> ended.set(true));
			}
			Mono<Void> sent = response.sendHeaders()
				.then()
				.then(response.send(body(mock, gzip), (buffer) -> true).then());
			return switch (mock.fault()) {
				case NONE -> sent.doOnSuccess((done) -> ended.set(true));
				case STALL -> sent.then(Mono.never());
				case DROP -> sent.then(Mono.defer(() -> {
					ended.set(true);
					connection.channel().close();
					return connection.onDispose();
				}));
				case CLOSE_BEFORE_HEADERS, CLOSE_DURING_HEADERS -> throw new IllegalStateException(
						"unreachable: " + mock.fault() + " is answered before the status is set");
			};
		});
		Duration delay = mock.delayBeforeFirstByte();
		return ((delay.isZero()) ? exchange : Mono.delay(delay).then(exchange))
			.onErrorResume((ex) -> !connection.channel().isActive(), (ex) -> Mono.empty());
	}

	/**
	 * Closes the connection without a complete response head: at once, or after the
	 * status line and the first header line, written past the HTTP encoder (from the
	 * first handler of the pipeline) so that the bytes go out exactly as given.
	 */
	private static Mono<Void> closeWithoutResponse(Connection connection, MockResponse mock) {
		Channel channel = connection.channel();
		if (mock.fault() == MockResponse.Fault.CLOSE_DURING_HEADERS) {
			StringBuilder head = new StringBuilder("HTTP/1.1 ")
				.append(HttpResponseStatus.valueOf(mock.status()).toString())
				.append("\r\n");
			Iterator<Map.Entry<String, String>> headers = mock.headers().entrySet().iterator();
			if (headers.hasNext()) {
				Map.Entry<String, String> first = headers.next();
				head.append(first.getKey()).append(": ").append(first.getValue()).append("\r\n");
			}
			// a header line cut short: neither its end nor the blank line ending the head
			// is sent
			head.append("X-Partial-Head");
			byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
			channel.pipeline()
				.firstContext()
				.writeAndFlush(Unpooled.wrappedBuffer(bytes))
				.addListener((future) -> channel.close());
		}
		else {
			channel.close();
		}
		return connection.onDispose();
	}

	private static Connection connectionOf(HttpServerResponse response) {
		Connection[] connection = new Connection[1];
		response.withConnection((current) -> connection[0] = current);
		return connection[0];
	}

	private Flux<ByteBuf> body(MockResponse mock, boolean gzip) {
		Flux<byte[]> writes = Flux.fromIterable(mock.writesToSend());
		Duration delay = mock.delayBetweenEvents();
		if (!delay.isZero()) {
			writes = writes.index()
				.concatMap((write) -> (write.getT1() == 0) ? Mono.just(write.getT2())
						: Mono.delay(delay).thenReturn(write.getT2()));
		}
		writes = writes.doOnNext((write) -> this.eventsWritten.incrementAndGet());
		if (gzip) {
			writes = GzipBody.compress(writes, mock.fault() == MockResponse.Fault.NONE);
		}
		return writes.map(Unpooled::wrappedBuffer);
	}

}
