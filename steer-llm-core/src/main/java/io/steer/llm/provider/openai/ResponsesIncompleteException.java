package io.steer.llm.provider.openai;

import io.steer.llm.error.ProviderStreamException;
import org.jspecify.annotations.Nullable;

/**
 * A Responses API stream ended with {@code response.incomplete}: the model stopped before
 * finishing its answer, e.g. at {@code max_output_tokens} or on a content filter. The
 * partial response holds the text, tool calls and usage that arrived.
 * <p>
 * The {@linkplain #getProviderErrorType() provider error type} is {@value #ERROR_TYPE}
 * and the {@linkplain #getProviderErrorCode() code} is the reason. Not retryable: the
 * same request stops at the same limit.
 *
 * @see <a href=
 * "https://platform.openai.com/docs/api-reference/responses-streaming/response/incomplete">OpenAI,
 * response.incomplete</a>
 */
public class ResponsesIncompleteException extends ProviderStreamException {

	/** Provider error type of every incomplete response. */
	public static final String ERROR_TYPE = "incomplete";

	/**
	 * {@code incomplete_details.reason} as sent; {@code null} when the provider sent
	 * none.
	 */
	private final @Nullable String reason;

	/**
	 * Creates the exception.
	 * @param provider provider name
	 * @param reason {@code incomplete_details.reason} as sent, e.g.
	 * {@code max_output_tokens}; {@code null} when the provider sent none
	 */
	public ResponsesIncompleteException(String provider, @Nullable String reason) {
		super(provider, ERROR_TYPE, reason, "response incomplete" + ((reason != null) ? " (" + reason + ")" : ""),
				false);
		this.reason = reason;
	}

	/**
	 * Why the response is incomplete.
	 * @return {@code incomplete_details.reason}, e.g. {@code max_output_tokens} or
	 * {@code content_filter}; {@code null} when the provider sent none
	 */
	public @Nullable String getReason() {
		return this.reason;
	}

}
