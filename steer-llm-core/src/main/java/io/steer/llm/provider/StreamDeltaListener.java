package io.steer.llm.provider;

import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Receives what a {@link StreamParser} reads from a provider's stream, normalised. Calls
 * come in wire order from one thread at a time.
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
	 * A fragment of a tool call that the provider runs itself (Anthropic
	 * {@code server_tool_use}, a Responses API built-in tool item): never a call for the
	 * caller to run. The first fragment of a call carries its id and name.
	 * @param choice choice index
	 * @param index index of the call among the output (content block or output item
	 * index)
	 * @param id call id, {@code null} after the first fragment
	 * @param name tool name, {@code null} after the first fragment
	 * @param input fragment of the JSON input, may be empty
	 */
	void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input);

	/**
	 * The result of a tool the provider ran, as the stream carries it (an Anthropic
	 * {@code *_tool_result} block, a finished Responses API built-in tool item).
	 * @param choice choice index
	 * @param index index of the call the result belongs to, as given to
	 * {@link #serverToolCall}, or -1 when only {@code toolUseId} identifies it
	 * @param toolUseId id of the call the result belongs to, or {@code null}
	 * @param type type of the result block, or the item's status
	 * @param content the result as sent, or {@code null}
	 */
	void serverToolResult(int choice, int index, @Nullable String toolUseId, String type, @Nullable JsonNode content);

	/**
	 * A source the model cited.
	 * @param choice choice index
	 * @param citation the citation
	 */
	void citation(int choice, Citation citation);

	/**
	 * The finish reason of a choice.
	 * @param choice choice index
	 * @param reason the provider's reason, as sent
	 * @param normalized the reason mapped to {@link FinishReason}
	 */
	void finishReason(int choice, String reason, FinishReason normalized);

	/**
	 * Something of the stream that the parser does not understand and skipped: an unknown
	 * event, item, block or delta type, or a field of an unexpected JSON type. Never
	 * fatal: counted in the response metadata {@code stream.unrecognized} (by
	 * {@code what}) and logged once per stream at DEBUG.
	 * @param what a short, low-cardinality description, e.g.
	 * {@code output_item:compaction}
	 */
	void unrecognized(String what);

	/**
	 * Usage as the provider reports it. A later call replaces an earlier one.
	 * @param usage the usage
	 */
	void usage(Usage usage);

	/**
	 * Where the stream has got to, for providers whose streams can be resumed (the
	 * Responses API's {@code sequence_number}). Called for every event that carries one.
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
