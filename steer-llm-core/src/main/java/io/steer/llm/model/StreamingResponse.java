package io.steer.llm.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.steer.llm.json.JsonResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Everything one stream produced, assembled from its deltas.
 * <p>
 * For a request with {@code n > 1} choices, {@link #text()}, {@link #finishReason()} and
 * {@link #toolCalls()} describe choice 0 and {@link #choices()} holds all of them.
 *
 * @param id provider response id ({@code chatcmpl-…}, {@code msg_…}, {@code resp_…}),
 * {@code null} when none arrived
 * @param provider provider name ({@code openai}, {@code xai}, {@code anthropic})
 * @param model model that answered, as the provider named it (e.g. a dated snapshot)
 * @param text concatenated text deltas of choice 0
 * @param refusal concatenated refusal deltas of choice 0, {@code null} when the model did
 * not refuse
 * @param reasoning concatenated reasoning deltas of choice 0, empty when none
 * @param finishReason the provider's finish reason of choice 0, {@code null} when the
 * stream ended without one
 * @param normalizedFinishReason {@code finishReason} mapped to the same values for every
 * provider; {@link FinishReason#ERROR} for a stream that failed before one; {@code null}
 * when the stream ended without one
 * @param toolCalls tool calls of choice 0 that the caller must run, by index
 * @param serverToolCalls tools the provider ran itself for choice 0 (web search, code
 * execution, …), by index; never in {@code toolCalls}
 * @param citations sources choice 0 cited, in the order they arrived
 * @param choices every choice, by index
 * @param usage token usage, {@code null} when the provider sent none and none was
 * estimated
 * @param usageEstimated whether {@code usage} is an estimate rather than the provider's
 * count
 * @param costUsd cost of the response in USD at the bundled or configured prices,
 * {@code null} when the usage or the model's price is unknown; an estimate when
 * {@code usageEstimated}
 * @param json the JSON value of choice 0 when a JSON response format was asked for and
 * the text held one (after the options' {@code JsonProcessor}), else {@code null}
 * @param metrics timing figures
 * @param metadata provider-specific extras (e.g. {@code system_fingerprint},
 * {@code service_tier}, Anthropic signatures, the {@value #REASONING_ITEMS} of
 * {@link #reasoningItems()}); with a JSON answer also {@code json.duplicates} (when above
 * 0) and {@code json.schema_violations} (when any)
 * @param jsonResult the JSON value of choice 0 with its duplicates, schema violations and
 * typed views, {@code null} when there is no JSON value
 */
public record StreamingResponse(@Nullable String id, String provider, String model, String text,
		@Nullable String refusal, String reasoning, @Nullable String finishReason,
		@Nullable FinishReason normalizedFinishReason, List<ToolCall> toolCalls, List<ServerToolCall> serverToolCalls,
		List<Citation> citations, List<Choice> choices, @Nullable Usage usage, boolean usageEstimated,
		@Nullable BigDecimal costUsd, @Nullable JsonNode json, StreamingMetrics metrics, Map<String, Object> metadata,
		@Nullable JsonResult jsonResult) {

	/**
	 * Metadata key of the reasoning items to send back ({@code List<ReasoningItem>}), see
	 * {@link #reasoningItems()}.
	 */
	public static final String REASONING_ITEMS = "reasoning_items";

	/**
	 * Creates a response, copying the lists and the metadata.
	 * @param id provider response id, or {@code null} when none arrived
	 * @param provider provider name
	 * @param model model that answered, as the provider named it
	 * @param text concatenated text deltas of choice 0
	 * @param refusal concatenated refusal deltas of choice 0, or {@code null} when the
	 * model did not refuse
	 * @param reasoning concatenated reasoning deltas of choice 0, empty when none
	 * @param finishReason the provider's finish reason of choice 0, or {@code null}
	 * @param normalizedFinishReason the finish reason of choice 0 mapped across
	 * providers, or {@code null}
	 * @param toolCalls tool calls of choice 0 that the caller must run, by index
	 * @param serverToolCalls tools the provider ran itself for choice 0, by index
	 * @param citations sources choice 0 cited, in arrival order
	 * @param choices every choice, by index
	 * @param usage token usage, or {@code null} when there is none
	 * @param usageEstimated whether {@code usage} is an estimate
	 * @param costUsd cost in USD, or {@code null} when the usage or the model's price is
	 * unknown
	 * @param json the text parsed as JSON, or {@code null}
	 * @param metrics timing figures
	 * @param metadata provider-specific extras
	 * @param jsonResult the JSON value of choice 0 with what was found about it, or
	 * {@code null}
	 * @throws NullPointerException if a list or the metadata is {@code null}, or holds a
	 * {@code null} element, key or value
	 */
	public StreamingResponse {
		toolCalls = List.copyOf(toolCalls);
		serverToolCalls = List.copyOf(serverToolCalls);
		citations = List.copyOf(citations);
		choices = List.copyOf(choices);
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Creates a response without a {@link JsonResult}.
	 * @param id provider response id, or {@code null} when none arrived
	 * @param provider provider name
	 * @param model model that answered, as the provider named it
	 * @param text concatenated text deltas of choice 0
	 * @param refusal concatenated refusal deltas of choice 0, or {@code null} when the
	 * model did not refuse
	 * @param reasoning concatenated reasoning deltas of choice 0, empty when none
	 * @param finishReason the provider's finish reason of choice 0, or {@code null}
	 * @param normalizedFinishReason the finish reason of choice 0 mapped across
	 * providers, or {@code null}
	 * @param toolCalls tool calls of choice 0 that the caller must run, by index
	 * @param serverToolCalls tools the provider ran itself for choice 0, by index
	 * @param citations sources choice 0 cited, in arrival order
	 * @param choices every choice, by index
	 * @param usage token usage, or {@code null} when there is none
	 * @param usageEstimated whether {@code usage} is an estimate
	 * @param costUsd cost in USD, or {@code null} when the usage or the model's price is
	 * unknown
	 * @param json the text parsed as JSON, or {@code null}
	 * @param metrics timing figures
	 * @param metadata provider-specific extras
	 * @throws NullPointerException if a list or the metadata is {@code null}, or holds a
	 * {@code null} element, key or value
	 */
	public StreamingResponse(@Nullable String id, String provider, String model, String text, @Nullable String refusal,
			String reasoning, @Nullable String finishReason, @Nullable FinishReason normalizedFinishReason,
			List<ToolCall> toolCalls, List<ServerToolCall> serverToolCalls, List<Citation> citations,
			List<Choice> choices, @Nullable Usage usage, boolean usageEstimated, @Nullable BigDecimal costUsd,
			@Nullable JsonNode json, StreamingMetrics metrics, Map<String, Object> metadata) {
		this(id, provider, model, text, refusal, reasoning, finishReason, normalizedFinishReason, toolCalls,
				serverToolCalls, citations, choices, usage, usageEstimated, costUsd, json, metrics, metadata, null);
	}

	/**
	 * The JSON value of choice 0 converted to a type through the client's mapper.
	 * @param <T> the type
	 * @param type the class to convert to, e.g. a record with the answer's fields
	 * @return the converted value, or {@code null} when there is no JSON value
	 * ({@link #jsonResult()} is {@code null})
	 * @throws tools.jackson.core.JacksonException (Jackson's exception) when the value
	 * does not convert
	 */
	public <T> @Nullable T json(Class<T> type) {
		return (this.jsonResult != null) ? this.jsonResult.as(type) : null;
	}

	/**
	 * The JSON value of choice 0 converted to a generic type through the client's mapper.
	 * @param <T> the type
	 * @param type the type to convert to, e.g. {@code new TypeReference<List<Product>>()
	 * {}}
	 * @return the converted value, or {@code null} when there is no JSON value
	 * @throws tools.jackson.core.JacksonException (Jackson's exception) when the value
	 * does not convert
	 */
	public <T> @Nullable T json(TypeReference<T> type) {
		return (this.jsonResult != null) ? this.jsonResult.as(type) : null;
	}

	/**
	 * The reasoning of choice 0 that the provider wants back when the conversation goes
	 * on, in the order it arrived (metadata {@value #REASONING_ITEMS}): the Anthropic
	 * {@code thinking} and {@code redacted_thinking} blocks that were complete (a
	 * thinking block with its signature), or the Responses API {@code reasoning} output
	 * items (OpenAI, xAI). Chat Completions responses have none.
	 * {@link Message#assistant(StreamingResponse)} carries them into the next request.
	 * @return the items, empty when there are none
	 */
	public List<ReasoningItem> reasoningItems() {
		if (!(this.metadata.get(REASONING_ITEMS) instanceof List<?> items)) {
			return List.of();
		}
		return items.stream().filter(ReasoningItem.class::isInstance).map(ReasoningItem.class::cast).toList();
	}

	/**
	 * Whether {@link #costUsd()} was computed from estimated usage.
	 * @return {@code true} when there is a cost and the usage behind it is an estimate
	 */
	public boolean costEstimated() {
		return this.costUsd != null && this.usageEstimated;
	}

	/**
	 * The number of HTTP attempts the stream took: 1 when the first succeeded; each retry
	 * before the first delta and each reconnection after it (a resumed OpenAI Responses
	 * API stream, a continued Anthropic message) adds one. How many were reconnections is
	 * in the metadata {@code reconnects}, when there were any.
	 * @return {@code metrics().attempts()}: at least 1, except 0 for the empty partial
	 * response of a request rejected before it was sent
	 * ({@link io.steer.llm.error.InvalidRequestException})
	 */
	public int attempts() {
		return this.metrics.attempts();
	}

	/**
	 * Same as {@link #text()}, for callers used to the original SDK's {@code get_text()}.
	 * @return the text of choice 0
	 */
	public String getText() {
		return this.text;
	}

}
