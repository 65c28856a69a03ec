package io.steer.llm.resume;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The two {@link PayloadCodec}s.
 */
final class PayloadCodecs {

	static final PayloadCodec PLAIN = new Plain();

	static final PayloadCodec DEFLATE = new Deflate();

	/** First byte of a {@link Deflate} payload kept as UTF-8. */
	private static final byte STORED = 0;

	/** First byte of a {@link Deflate} payload compressed. */
	private static final byte DEFLATED = 1;

	/**
	 * What the payloads of {@link io.steer.llm.web.ServerSentEvents} repeat, the most
	 * frequent last (deflate finds matches nearer the end of the dictionary with shorter
	 * distances).
	 */
	private static final byte[] DICTIONARY = ("{\"streamId\":\"\",\"provider\":\"openai\",\"anthropic\",\"xai\","
			+ "\"model\":\"\",\"requestId\":\"\",\"metadata\":{},\"finishReason\":\"stop\",\"end_turn\","
			+ "\"normalizedFinishReason\":\"tool_call\",\"usage\":{\"promptTokens\":,\"completionTokens\":,"
			+ "\"totalTokens\":,\"estimated\":false,\"confidence\":1.0},\"costUsd\":,\"durationMs\":,\"ttftMs\":,"
			+ "\"chunks\":,\"toolCall\":{\"index\":0,\"id\":\"\",\"name\":\"\",\"providerExecuted\":false},"
			+ "\"type\":\"\",\"message\":\"\",\"retryable\":false,\"partialText\":\"\","
			+ "\"kind\":\"reasoning\",\"chunkIndex\":,\"choiceIndex\":0}{\"text\":\" the\",\"kind\":\"text\","
			+ "\"chunkIndex\":")
		.getBytes(StandardCharsets.UTF_8);

	private PayloadCodecs() {
	}

	private static final class Plain implements PayloadCodec {

		@Override
		public byte[] encode(String data) {
			return data.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String decode(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "PayloadCodec.plain()";
		}

	}

	private static final class Deflate implements PayloadCodec {

		@Override
		public byte[] encode(String data) {
			byte[] utf8 = data.getBytes(StandardCharsets.UTF_8);
			Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
			try {
				deflater.setDictionary(DICTIONARY);
				deflater.setInput(utf8);
				deflater.finish();
				byte[] out = new byte[utf8.length + 1];
				out[0] = DEFLATED;
				int length = 1;
				while (!deflater.finished() && length < out.length) {
					length += deflater.deflate(out, length, out.length - length);
				}
				if (deflater.finished() && length < out.length) {
					return Arrays.copyOf(out, length);
				}
			}
			finally {
				deflater.end();
			}
			byte[] stored = new byte[utf8.length + 1];
			stored[0] = STORED;
			System.arraycopy(utf8, 0, stored, 1, utf8.length);
			return stored;
		}

		@Override
		public String decode(byte[] bytes) {
			if (bytes.length == 0 || (bytes[0] != STORED && bytes[0] != DEFLATED)) {
				throw new IllegalArgumentException("Not a payload of PayloadCodec.deflate()");
			}
			if (bytes[0] == STORED) {
				return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
			}
			Inflater inflater = new Inflater(true);
			try {
				// raw deflate has no header to ask for the dictionary: set it up front
				inflater.setDictionary(DICTIONARY);
				inflater.setInput(bytes, 1, bytes.length - 1);
				ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 3);
				byte[] buffer = new byte[512];
				while (!inflater.finished()) {
					int n = inflater.inflate(buffer);
					if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
						throw new IllegalArgumentException("A PayloadCodec.deflate() payload is truncated");
					}
					out.write(buffer, 0, n);
				}
				return out.toString(StandardCharsets.UTF_8);
			}
			catch (DataFormatException ex) {
				throw new IllegalArgumentException("Not a payload of PayloadCodec.deflate(): " + ex.getMessage(), ex);
			}
			finally {
				inflater.end();
			}
		}

		@Override
		public String toString() {
			return "PayloadCodec.deflate()";
		}

	}

}
