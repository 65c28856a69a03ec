package io.steer.llm.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A loopback address that a client cannot connect to, for the connection faults the
 * {@link LoopbackProviderServer} cannot script because they happen before any HTTP
 * exchange:
 * <ul>
 * <li>{@link #refusing()}: nothing listens on the port, so a connection attempt is
 * refused at once (TCP reset);</li>
 * <li>{@link #silent()}: a socket listens but its accept queue is full and it never
 * accepts, so the kernel drops further connection attempts (SYNs) without answering and a
 * client's connect hangs until its connect timeout. This is the behaviour of Linux (and
 * of macOS and Windows), where a full listen backlog drops SYNs unless
 * {@code net.ipv4.tcp_abort_on_overflow} is set; {@link #silent()} checks it on the spot
 * and fails when the system accepts or refuses instead.</li>
 * </ul>
 * Only {@code 127.0.0.1} is used: no traffic leaves the machine. Close the endpoint when
 * done.
 */
public final class UnreachableEndpoint implements AutoCloseable {

	private static final int PROBE_TIMEOUT_MILLIS = 250;

	private static final int MAX_FILLERS = 64;

	private final int port;

	private final @Nullable ServerSocket listener;

	private final List<Socket> fillers;

	private UnreachableEndpoint(int port, @Nullable ServerSocket listener, List<Socket> fillers) {
		this.port = port;
		this.listener = listener;
		this.fillers = fillers;
	}

	/**
	 * A port of {@code 127.0.0.1} on which nothing listens: it was bound to an ephemeral
	 * port and released, so connecting to it is refused (another process could bind it in
	 * the meantime, which is unlikely within a test).
	 * @return the endpoint
	 * @throws UncheckedIOException when no port can be bound
	 */
	public static UnreachableEndpoint refusing() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return new UnreachableEndpoint(socket.getLocalPort(), null, List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to bind a loopback port", ex);
		}
	}

	/**
	 * A port of {@code 127.0.0.1} where connection attempts go unanswered: a listening
	 * socket whose accept queue is filled by connections this endpoint makes and holds,
	 * and which never accepts. Filling it takes up to a few hundred milliseconds.
	 * @return the endpoint
	 * @throws IllegalStateException when the system does not drop connection attempts to
	 * a full backlog (it accepted or refused them)
	 * @throws UncheckedIOException when no port can be bound
	 */
	public static UnreachableEndpoint silent() {
		ServerSocket listener = null;
		List<Socket> fillers = new ArrayList<>();
		try {
			listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
					listener.getLocalPort());
			for (int i = 0; i < MAX_FILLERS; i++) {
				Socket filler = new Socket();
				try {
					filler.connect(address, PROBE_TIMEOUT_MILLIS);
					fillers.add(filler);
				}
				catch (SocketTimeoutException ex) {
					// the backlog is full: this attempt went unanswered, as the next ones
					// will
					filler.close();
					return new UnreachableEndpoint(listener.getLocalPort(), listener, fillers);
				}
				catch (IOException ex) {
					filler.close();
					throw new IllegalStateException("A connection attempt to a full listen backlog was refused ("
							+ ex.getMessage() + "): this system does not drop SYNs (tcp_abort_on_overflow?)", ex);
				}
			}
			throw new IllegalStateException(
					"The listen backlog accepted " + MAX_FILLERS + " connections without filling up");
		}
		catch (IOException | RuntimeException ex) {
			fillers.forEach(UnreachableEndpoint::closeQuietly);
			if (listener != null) {
				closeQuietly(listener);
			}
			if (ex instanceof IOException io) {
				throw new UncheckedIOException("Failed to set up a silent loopback endpoint", io);
			}
			throw (RuntimeException) ex;
		}
	}

	/**
	 * Return the base URL to configure a client with.
	 * @return {@code http://127.0.0.1:<port>}, without a trailing slash
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Return the port.
	 * @return the TCP port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Release the listening socket and the connections held, if any.
	 */
	@Override
	public void close() {
		this.fillers.forEach(UnreachableEndpoint::closeQuietly);
		if (this.listener != null) {
			closeQuietly(this.listener);
		}
	}

	@Override
	public String toString() {
		return "UnreachableEndpoint[" + baseUrl() + ", " + ((this.listener != null) ? "silent" : "refusing") + "]";
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// nothing to do
		}
	}

}
