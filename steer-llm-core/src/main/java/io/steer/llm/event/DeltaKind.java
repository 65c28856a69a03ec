package io.steer.llm.event;

/**
 * What a {@link StreamDeltaEvent} carries.
 */
public enum DeltaKind {

	/** Answer text (OpenAI {@code delta.content}, Anthropic {@code text_delta}). */
	TEXT,

	/**
	 * Reasoning the provider exposes (xAI {@code reasoning_content}, Anthropic
	 * {@code thinking_delta}, Responses reasoning summaries).
	 */
	REASONING,

	/** A fragment of a tool call's JSON arguments. */
	TOOL_CALL,

	/** A refusal the model streamed instead of text (OpenAI {@code delta.refusal}). */
	REFUSAL

}
