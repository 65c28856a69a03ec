package io.steer.llm.json;

/**
 * Signals a JSON answer (or tool-call arguments) that cannot be what was asked for: an
 * invalid token, a text that ended inside the value, or, under
 * {@link JsonDuplicatePolicy#FAIL}, a second top-level value. Unchecked.
 * <p>
 * The message is the reason followed by the offset; it never holds the text itself.
 */
public class JsonStreamException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The 0-based char offset of the first bad character. */
	private final long offset;

	/** The short human text of what went wrong. */
	private final String reason;

	/**
	 * Creates an exception.
	 * @param reason short human text, such as {@code "unexpected character ']'"} or
	 * {@code "a second JSON value"}; not {@code null}
	 * @param offset 0-based char offset of the first bad character in the text fed to the
	 * handler (all deltas concatenated); the length of the text when the text ended too
	 * early
	 */
	public JsonStreamException(String reason, long offset) {
		super(reason + " at offset " + offset);
		this.reason = reason;
		this.offset = offset;
	}

	/**
	 * Where the text went wrong.
	 * @return the 0-based char offset of the first bad character in the text fed to the
	 * handler (all deltas concatenated), or its length when the text ended inside the
	 * value
	 */
	public long offset() {
		return this.offset;
	}

	/**
	 * What went wrong.
	 * @return short human text, such as {@code "unexpected character ']'"}, never
	 * {@code null}
	 */
	public String reason() {
		return this.reason;
	}

}
