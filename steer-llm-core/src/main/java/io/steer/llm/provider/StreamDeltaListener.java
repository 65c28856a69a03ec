package io.steer.llm.provider;

import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Receives what a {@link StreamParser} reads from a provider's stream, normalised. Calls come
 * in wire order from one thread at a time.
 */
public interface StreamDeltaListener {

	/**
	 * The provider's response id and model, called whenever a chunk names them.
	 * @param id response id, or {@code null}
	 * @param model model that answers, or {@code null}
	 */
	void responseInfo(@Nullable String id, @Nullable String model);

	/**
	 * Answer text.
	 * @param choice choice index
	 * @param text the fragment
	 */
	void text(int choice, String text);

	/**
	 * Reasoning text.
	 * @param choice choice index
	 * @param text the fragment
	 */
	void reasoning(int choice, String text);

	/**
	 * Refusal text.
	 * @param choice choice index
	 * @param text the fragment
	 */
	void refusal(int choice, String text);

	/**
	 * A fragment of a tool call. The first fragment of a call carries its id and name.
	 * @param choice choice index
	 * @param index tool call index within the choice
	 * @param id call id, {@code null} after the first fragment
	 * @param name function name, {@code null} after the first fragment
	 * @param arguments fragment of the JSON arguments, may be empty
	 */
	void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments);

	/**
	 * The finish reason of a choice.
	 * @param choice choice index
	 * @param reason the provider's reason
	 */
	void finishReason(int choice, String reason);

	/**
	 * Usage as the provider reports it. A later call replaces an earlier one.
	 * @param usage the usage
	 */
	void usage(Usage usage);

	/**
	 * Where the stream has got to, for providers whose streams can be resumed (the Responses
	 * API's {@code sequence_number}). Called for every event that carries one.
	 * @param responseId the response id, or {@code null} when not yet known
	 * @param sequenceNumber the event's sequence number
	 */
	default void resumePosition(@Nullable String responseId, long sequenceNumber) {
	}

	/**
	 * A provider-specific extra kept in the response metadata.
	 * @param key the key
	 * @param value the value
	 */
	void metadata(String key, Object value);

}
