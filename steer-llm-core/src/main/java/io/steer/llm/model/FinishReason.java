package io.steer.llm.model;

import org.jspecify.annotations.Nullable;

/**
 * Why a choice stopped, the same for every provider, beside the provider's own string
 * ({@link Choice#finishReason()}). {@link #value()} is what the OpenTelemetry attribute
 * {@code gen_ai.response.finish_reasons} carries: {@code stop}, {@code length},
 * {@code tool_call}, {@code content_filter} and {@code error} are the values of
 * OpenTelemetry's GenAI {@code FinishReason}; {@code pause}, {@code refusal} and
 * {@code other} are this client's own, as the conventions allow.
 * <p>
 * Mapping of each wire format's value:
 * <table>
 * <caption>Provider finish reasons</caption>
 * <tr>
 * <th></th>
 * <th>Chat Completions ({@code finish_reason})</th>
 * <th>Responses API (status, {@code incomplete_details.reason})</th>
 * <th>Anthropic ({@code stop_reason})</th>
 * </tr>
 * <tr>
 * <td>{@link #STOP}</td>
 * <td>{@code stop}</td>
 * <td>{@code completed} without function calls</td>
 * <td>{@code end_turn}, {@code stop_sequence}</td>
 * </tr>
 * <tr>
 * <td>{@link #LENGTH}</td>
 * <td>{@code length}</td>
 * <td>{@code incomplete}: {@code max_output_tokens}</td>
 * <td>{@code max_tokens}, {@code model_context_window_exceeded}</td>
 * </tr>
 * <tr>
 * <td>{@link #TOOL_CALLS}</td>
 * <td>{@code tool_calls}, {@code function_call}</td>
 * <td>{@code completed} with a function call</td>
 * <td>{@code tool_use}</td>
 * </tr>
 * <tr>
 * <td>{@link #CONTENT_FILTER}</td>
 * <td>{@code content_filter}</td>
 * <td>{@code incomplete}: {@code content_filter}</td>
 * <td>—</td>
 * </tr>
 * <tr>
 * <td>{@link #PAUSE}</td>
 * <td>—</td>
 * <td>—</td>
 * <td>{@code pause_turn}</td>
 * </tr>
 * <tr>
 * <td>{@link #REFUSAL}</td>
 * <td>—</td>
 * <td>—</td>
 * <td>{@code refusal}</td>
 * </tr>
 * <tr>
 * <td>{@link #ERROR}</td>
 * <td colspan="3">the stream ended with an error before a finish reason; Responses
 * {@code failed}</td>
 * </tr>
 * <tr>
 * <td>{@link #OTHER}</td>
 * <td colspan="3">any other value</td>
 * </tr>
 * </table>
 */
public enum FinishReason {

	/** The model ended its answer, or hit a stop sequence. */
	STOP("stop"),

	/** The output token limit (or the context window) was reached. */
	LENGTH("length"),

	/**
	 * The model asks the caller to run tools; its {@link #value()} is OpenTelemetry's
	 * {@code tool_call}.
	 */
	TOOL_CALLS("tool_call"),

	/** The provider's content filter stopped the answer. */
	CONTENT_FILTER("content_filter"),

	/**
	 * The provider paused a long turn (Anthropic {@code pause_turn}): send it back to go
	 * on.
	 */
	PAUSE("pause"),

	/** The model refused to answer (Anthropic {@code refusal}). */
	REFUSAL("refusal"),

	/** The stream failed, or the provider reported the response as failed. */
	ERROR("error"),

	/** A value this client does not know; the provider's string is kept beside it. */
	OTHER("other");

	private final String value;

	FinishReason(String value) {
		this.value = value;
	}

	/**
	 * The value OpenTelemetry's {@code gen_ai.response.finish_reasons} carries.
	 * @return e.g. {@code stop}, {@code tool_call}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Maps an OpenAI-compatible Chat Completions {@code finish_reason}.
	 * @param reason the provider's value, may be {@code null}
	 * @return the normalised reason, {@code null} when {@code reason} is {@code null}
	 */
	public static @Nullable FinishReason fromChatCompletions(@Nullable String reason) {
		if (reason == null) {
			return null;
		}
		return switch (reason) {
			case "stop" -> STOP;
			case "length" -> LENGTH;
			case "tool_calls", "function_call" -> TOOL_CALLS;
			case "content_filter" -> CONTENT_FILTER;
			default -> OTHER;
		};
	}

	/**
	 * Maps an Anthropic Messages {@code stop_reason}.
	 * @param reason the provider's value, may be {@code null}
	 * @return the normalised reason, {@code null} when {@code reason} is {@code null}
	 */
	public static @Nullable FinishReason fromAnthropic(@Nullable String reason) {
		if (reason == null) {
			return null;
		}
		return switch (reason) {
			case "end_turn", "stop_sequence" -> STOP;
			case "max_tokens", "model_context_window_exceeded" -> LENGTH;
			case "tool_use" -> TOOL_CALLS;
			case "pause_turn" -> PAUSE;
			case "refusal" -> REFUSAL;
			default -> OTHER;
		};
	}

	/**
	 * Maps a Responses API response status.
	 * @param status {@code completed}, {@code incomplete}, {@code failed}, … may be
	 * {@code null}
	 * @param incompleteReason {@code incomplete_details.reason} of an incomplete
	 * response, may be {@code null}
	 * @param hasFunctionCalls whether the response holds a function call for the caller
	 * to run
	 * @return the normalised reason, {@code null} when {@code status} is {@code null}
	 */
	public static @Nullable FinishReason fromResponses(@Nullable String status, @Nullable String incompleteReason,
			boolean hasFunctionCalls) {
		if (status == null) {
			return null;
		}
		return switch (status) {
			case "completed" -> hasFunctionCalls ? TOOL_CALLS : STOP;
			case "incomplete" -> "content_filter".equals(incompleteReason) ? CONTENT_FILTER
					: ("max_output_tokens".equals(incompleteReason) ? LENGTH : OTHER);
			case "failed", "cancelled" -> ERROR;
			default -> OTHER;
		};
	}

}
