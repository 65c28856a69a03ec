package io.steer.llm.options;

import org.jspecify.annotations.Nullable;

/**
 * A {@link StreamingOptions} field was given an invalid value. The message reads
 * {@code "<field> <reason>"}, e.g. {@code "readTimeout must be positive, was PT-1S"}.
 */
public class InvalidStreamingOptionException extends IllegalArgumentException {

	/** Name of the {@link StreamingOptions} option. */
	private final String field;

	/** The rejected value, may be {@code null}. */
	private final @Nullable Object value;

	/** What is wrong with the value. */
	private final String reason;

	/**
	 * Creates an exception.
	 * @param field name of the {@link StreamingOptions} option (its builder method), e.g.
	 * {@code readTimeout}
	 * @param value the rejected value
	 * @param reason what is wrong, e.g. {@code "must be positive"}
	 */
	public InvalidStreamingOptionException(String field, @Nullable Object value, String reason) {
		super(field + " " + reason + ", was " + value);
		this.field = field;
		this.value = value;
		this.reason = reason;
	}

	/**
	 * Name of the field.
	 * @return the {@link StreamingOptions} option name
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * The rejected value.
	 * @return the value, may be {@code null}
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * What is wrong with the value.
	 * @return e.g. {@code "must be positive"}
	 */
	public String getReason() {
		return this.reason;
	}

}
