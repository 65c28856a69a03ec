package io.steer.llm.shaping;

import com.knuddels.jtokkit.api.Encoding;

/**
 * Gathers plain text chunks and says how big the result is: characters, UTF-8 bytes and
 * estimated tokens. The byte count is kept as chunks arrive; tokens are counted with the
 * jtokkit encoding when asked for.
 * <p>
 * Not thread-safe: one aggregator per stream, used by one thread at a time.
 */
public final class StreamAggregator {

	private final Encoding encoding;

	private final StringBuilder content = new StringBuilder();

	private int chunks;

	private long utf8Bytes;

	/** Unpaired high surrogate at the end of the last chunk, counted with the next. */
	private boolean pendingHighSurrogate;

	private StreamAggregator(Encoding encoding) {
		this.encoding = encoding;
	}

	/**
	 * An empty aggregator estimating tokens with {@code cl100k_base}.
	 * @return the aggregator
	 */
	public static StreamAggregator create() {
		return new StreamAggregator(TextBuffer.Settings.defaults().encoding());
	}

	/**
	 * An empty aggregator estimating tokens with the encoding of a model
	 * ({@link io.steer.llm.usage.TiktokenUsageAggregator#encodingType(String)}).
	 * @param model the model name
	 * @return the aggregator
	 */
	public static StreamAggregator forModel(String model) {
		return new StreamAggregator(TextBuffer.Settings.forModel(model).encoding());
	}

	/**
	 * Adds a chunk.
	 * @param chunk the text, possibly empty (still counted as a chunk)
	 * @return this aggregator
	 */
	public StreamAggregator add(String chunk) {
		this.chunks++;
		this.content.append(chunk);
		for (int i = 0; i < chunk.length(); i++) {
			char c = chunk.charAt(i);
			if (this.pendingHighSurrogate) {
				this.pendingHighSurrogate = false;
				if (Character.isLowSurrogate(c)) {
					this.utf8Bytes += 3; // 4 for the pair, 1 counted for the high
											// surrogate
					continue;
				}
			}
			if (c < 0x80) {
				this.utf8Bytes += 1;
			}
			else if (c < 0x800) {
				this.utf8Bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				this.utf8Bytes += 1;
				this.pendingHighSurrogate = true;
			}
			else if (Character.isLowSurrogate(c)) {
				this.utf8Bytes += 1;
			}
			else {
				this.utf8Bytes += 3;
			}
		}
		return this;
	}

	/**
	 * The text gathered so far.
	 * @return the concatenated chunks
	 */
	public String content() {
		return this.content.toString();
	}

	/**
	 * How many chunks were added.
	 * @return the chunk count
	 */
	public int chunks() {
		return this.chunks;
	}

	/**
	 * The estimated size of the text gathered so far.
	 * @return chars, UTF-8 bytes (an unpaired surrogate counts 1, as Java encodes it
	 * {@code ?}) and tokens
	 */
	public Size size() {
		return new Size(this.content.length(), this.utf8Bytes,
				this.encoding.countTokensOrdinary(this.content.toString()));
	}

	/**
	 * Empties the aggregator.
	 */
	public void reset() {
		this.content.setLength(0);
		this.chunks = 0;
		this.utf8Bytes = 0;
		this.pendingHighSurrogate = false;
	}

	/**
	 * How big some text is.
	 *
	 * @param chars UTF-16 chars
	 * @param utf8Bytes bytes once encoded as UTF-8
	 * @param estimatedTokens tokens of the jtokkit encoding
	 */
	public record Size(int chars, long utf8Bytes, int estimatedTokens) {

	}

}
