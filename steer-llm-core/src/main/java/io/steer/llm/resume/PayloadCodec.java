package io.steer.llm.resume;

/**
 * How a {@link StreamStore} turns an event's data into the bytes it keeps, and back:
 * {@link #plain()} (UTF-8) or {@link #deflate()} (compressed with a preset dictionary of
 * the SSE payloads' JSON keys, so that even a short delta event gets smaller).
 */
public interface PayloadCodec {

	/**
	 * The bytes to keep.
	 * @param data the event data
	 * @return the bytes
	 */
	byte[] encode(String data);

	/**
	 * The data back.
	 * @param bytes what {@link #encode} returned
	 * @return the data
	 * @throws IllegalArgumentException if the bytes are not this codec's
	 */
	String decode(byte[] bytes);

	/**
	 * UTF-8, uncompressed.
	 * @return the codec
	 */
	static PayloadCodec plain() {
		return PayloadCodecs.PLAIN;
	}

	/**
	 * Deflate ({@link java.util.zip.Deflater}, no zlib header) with a preset dictionary
	 * of the payloads' JSON keys; a payload that would not get smaller is kept as UTF-8
	 * (the first byte tells which).
	 * @return the codec
	 */
	static PayloadCodec deflate() {
		return PayloadCodecs.DEFLATE;
	}

}
