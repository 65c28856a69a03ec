package io.steer.llm.model;

/**
 * Author of a {@link Message} in a chat conversation.
 */
public enum Role {

	/** Instructions that frame the conversation. */
	SYSTEM,

	/** End-user input. */
	USER,

	/** Model output, including tool calls it made. */
	ASSISTANT,

	/** Result of a tool call, answering an assistant tool call by its id. */
	TOOL;

	/**
	 * Lower-case wire name used by every supported provider ({@code "system"},
	 * {@code "user"}, …).
	 * @return the wire name, never {@code null}
	 */
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
