package io.steer.llm.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gzip form of a response body for {@link MockResponse#gzipWhenAccepted()}: written
 * write by write, each one deflated and sync-flushed, so that a client that decodes as it
 * reads gets each write when it is sent.
 */
final class GzipBody implements AutoCloseable {

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private final GZIPOutputStream gzip;

	private GzipBody() {
		try {
			this.gzip = new GZIPOutputStream(this.output, true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Compresses a stream of writes, one compressed write per write; the first also holds
	 * the gzip header. The deflater is released when the writes end, fail or are
	 * cancelled.
	 * @param writes the writes as the client should read them
	 * @param end whether to end the gzip stream (its last block and trailer, as one more
	 * write) after the last write; {@code false} for a response that breaks off
	 * @return the compressed writes
	 */
	static Flux<byte[]> compress(Flux<byte[]> writes, boolean end) {
		return Flux.using(GzipBody::new, (body) -> {
			Flux<byte[]> compressed = writes.map(body::write);
			return end ? compressed.concatWith(Mono.fromCallable(body::finish)) : compressed;
		}, GzipBody::close);
	}

	/**
	 * Compresses a whole body into one gzip stream.
	 * @param body the body
	 * @return the gzip stream
	 */
	static byte[] compress(byte[] body) {
		try (GzipBody gzip = new GzipBody()) {
			byte[] head = gzip.write(body);
			byte[] tail = gzip.finish();
			byte[] all = new byte[head.length + tail.length];
			System.arraycopy(head, 0, all, 0, head.length);
			System.arraycopy(tail, 0, all, head.length, tail.length);
			return all;
		}
	}

	/**
	 * Whether {@code Accept-Encoding} headers accept gzip: one of their codings is
	 * {@code gzip} (or {@code x-gzip}, or {@code *}) without {@code q=0}.
	 * @param acceptEncoding the values of the request's {@code Accept-Encoding} headers
	 * @return {@code true} when a gzip body may be sent
	 */
	static boolean accepted(List<String> acceptEncoding) {
		for (String header : acceptEncoding) {
			for (String coding : header.split(",")) {
				String[] parts = coding.split(";");
				String name = parts[0].strip().toLowerCase(Locale.ROOT);
				if ((name.equals("gzip") || name.equals("x-gzip") || name.equals("*")) && !refused(parts)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean refused(String[] parameters) {
		for (int i = 1; i < parameters.length; i++) {
			String parameter = parameters[i].strip().toLowerCase(Locale.ROOT);
			if (parameter.startsWith("q=")) {
				try {
					return Double.parseDouble(parameter.substring(2)) == 0;
				}
				catch (NumberFormatException ex) {
					return false;
				}
			}
		}
		return false;
	}

	private byte[] write(byte[] bytes) {
		try {
			this.gzip.write(bytes);
			this.gzip.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return drain();
	}

	private byte[] finish() {
		try {
			this.gzip.finish();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return drain();
	}

	private byte[] drain() {
		byte[] bytes = this.output.toByteArray();
		this.output.reset();
		return bytes;
	}

	/** Releases the deflater. */
	@Override
	public void close() {
		try {
			this.gzip.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
