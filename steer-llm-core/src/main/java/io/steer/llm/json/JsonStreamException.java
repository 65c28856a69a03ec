package io.steer.llm.json;

/**
 * The streamed text is not valid JSON, or holds a second value under
 * {@link JsonDuplicatePolicy#FAIL}. Stand-in, replaced by J1.
 */
public class JsonStreamException extends RuntimeException {

	/** Char offset of the first bad character. */
	private final long offset;

	/** What is wrong there. */
	private final String reason;

	/**
	 * Creates the exception.
	 * @param offset the char offset in the streamed text of the first bad character
	 * @param reason what is wrong there
	 */
	public JsonStreamException(long offset, String reason) {
		super("invalid JSON at offset " + offset + ": " + reason);
		this.offset = offset;
		this.reason = reason;
	}

	/**
	 * Where the text went wrong.
	 * @return the char offset from the start of the streamed text, from 0
	 */
	public long offset() {
		return this.offset;
	}

	/**
	 * What went wrong.
	 * @return the reason, never {@code null}
	 */
	public String reason() {
		return this.reason;
	}

}
