package io.steer.llm.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit Jupiter extension that runs a real {@code redis-server} for a test class, on an
 * ephemeral loopback port, with no persistence ({@code --save "" --appendonly no}):
 * started before the first test, stopped after the last one. Register it on a static
 * field: <pre class="code">
 * &#64;RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * </pre>
 * <p>
 * The binary is the system property {@value #BINARY_PROPERTY} when set, else
 * {@code redis-server} on the {@code PATH}, else {@code /usr/bin/redis-server}. When it
 * cannot be started or does not answer {@code PING} within 10 seconds, the test class
 * fails (it is never skipped) with a message naming the binary and how to install it
 * (Debian's {@code redis-server} package).
 * <p>
 * {@link #stop()} and {@link #start()} let a test simulate an outage and the recovery:
 * the server comes back on the same port, empty. Test methods of one class share the
 * server, so they must not run concurrently with one another.
 */
public class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

	/** System property naming the {@code redis-server} binary to run. */
	public static final String BINARY_PROPERTY = "steer.test.redis-server";

	private static final long START_TIMEOUT_MILLIS = 10_000;

	private @Nullable Process process;

	private int port;

	private @Nullable Path log;

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
		Path log = this.log;
		if (log != null) {
			try {
				Files.deleteIfExists(log);
			}
			catch (IOException ex) {
				// a temporary file; nothing to do
			}
		}
	}

	/**
	 * Starts the server, on a free loopback port the first time and on the same port
	 * after a {@link #stop()}; does nothing while it runs. Returns once it answers
	 * {@code PING}.
	 * @throws IllegalStateException if the binary cannot be started or does not answer
	 * within 10 seconds (the message names the binary and says to install Debian's
	 * {@code redis-server})
	 */
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		String binary = binary();
		if (this.port == 0) {
			this.port = freePort();
		}
		List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no"));
		Process process;
		try {
			if (this.log == null) {
				this.log = Files.createTempFile("redis-server-", ".log");
			}
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(cannotStart(binary, ex.getMessage()), ex);
		}
		this.process = process;
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
		while (!ping()) {
			if (!process.isAlive()) {
				this.process = null;
				throw new IllegalStateException(cannotStart(binary,
						"it exited with code " + process.exitValue() + "; its output: " + output()));
			}
			if (System.nanoTime() - deadline > 0) {
				destroy(process);
				this.process = null;
				throw new IllegalStateException(cannotStart(binary,
						"it did not answer PING on 127.0.0.1:" + this.port + " within 10 s; its output: " + output()));
			}
			try {
				// the loop is bounded by the deadline; the pause only spares the CPU
				process.waitFor(20, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while starting " + binary, ex);
			}
		}
	}

	/**
	 * Stops the server (destroys the process and waits for it to exit); its data is lost.
	 * Does nothing when it is not running. Clients see their connections drop and new
	 * ones refused until {@link #start()}.
	 */
	public synchronized void stop() {
		Process process = this.process;
		this.process = null;
		if (process != null) {
			destroy(process);
		}
	}

	/**
	 * Whether the server process is running.
	 * @return {@code true} between {@link #start()} and {@link #stop()}
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * The host the server listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * The port the server listens on (kept across {@link #stop()} and {@link #start()}).
	 * @return the port
	 * @throws IllegalStateException if the server was never started
	 */
	public synchronized int port() {
		if (this.port == 0) {
			throw new IllegalStateException("redis-server was never started: register RedisServerExtension on a "
					+ "static field with @RegisterExtension");
		}
		return this.port;
	}

	/**
	 * The URI clients connect to.
	 * @return {@code redis://127.0.0.1:<port>}
	 * @throws IllegalStateException if the server was never started
	 */
	public String uri() {
		return "redis://" + host() + ":" + port();
	}

	private boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = 0;
			while (read < reply.length) {
				int n = in.read(reply, read, reply.length - read);
				if (n < 0) {
					break;
				}
				read += n;
			}
			return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String output() {
		Path log = this.log;
		if (log == null) {
			return "";
		}
		try {
			String text = Files.readString(log);
			return (text.length() > 2000) ? text.substring(text.length() - 2000) : text;
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

	private static void destroy(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String cannotStart(String binary, @Nullable String why) {
		return "Cannot start redis-server '" + binary + "' for the Redis tests: " + why
				+ ". Install Debian's redis-server package (apt-get install redis-server) or name the binary with -D"
				+ BINARY_PROPERTY + "=/path/to/redis-server";
	}

	static String binary() {
		String property = System.getProperty(BINARY_PROPERTY);
		if (property != null && !property.isBlank()) {
			return property;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					File candidate = new File(dir, "redis-server");
					if (candidate.isFile() && candidate.canExecute()) {
						return candidate.getPath();
					}
				}
			}
		}
		return "/usr/bin/redis-server";
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free loopback port for redis-server", ex);
		}
	}

}
