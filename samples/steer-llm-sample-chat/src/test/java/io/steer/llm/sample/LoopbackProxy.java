package io.steer.llm.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port that forwards every connection to a port of this
 * machine, and can drop them all at once ({@link #dropAll()}), as a network that fails
 * would, while it keeps accepting new ones (the browser's reconnect).
 */
final class LoopbackProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private LoopbackProxy(int targetPort) {
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "loopback-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a proxy.
	 * @param targetPort the loopback port to forward to
	 * @return the proxy, accepting connections
	 */
	static LoopbackProxy start(int targetPort) {
		return new LoopbackProxy(targetPort);
	}

	/**
	 * The proxy's address.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * How many connections were accepted so far.
	 * @return the count
	 */
	int accepted() {
		return this.accepted.get();
	}

	/**
	 * Closes every open connection, both sides; new ones are still accepted.
	 * @return how many connections were open
	 */
	int dropAll() {
		int dropped = 0;
		for (Socket socket : this.open) {
			if (this.open.remove(socket)) {
				closeQuietly(socket);
				dropped++;
			}
		}
		return dropped / 2;
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		dropAll();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.open.add(client);
				this.open.add(upstream);
				this.accepted.incrementAndGet();
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection fail
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			try {
				from.getInputStream().transferTo(to.getOutputStream());
			}
			catch (IOException ex) {
				// dropped
			}
			finally {
				this.open.remove(from);
				this.open.remove(to);
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "loopback-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
