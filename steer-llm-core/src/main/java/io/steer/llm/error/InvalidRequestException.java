package io.steer.llm.error;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The request cannot be sent as it is, so nothing was sent: a model no configured
 * provider serves ({@code llama-3}), an unknown provider in {@code provider:model}
 * ({@code foo:bar}), no model after the provider ({@code openai:}), no model and no
 * default model, an API the provider does not speak (the Responses API to Anthropic), an
 * unknown API name, tool call arguments the provider cannot take, or a request body that
 * cannot be written.
 * <p>
 * Never retryable: the same request fails the same way. The message names what was wrong
 * and what is accepted, and never holds the prompt. A stream rejected this way ends with
 * a {@link io.steer.llm.event.StreamErrorEvent} of type {@link StreamErrorType#REQUEST}
 * whose partial response is empty and counts no attempt.
 */
public class InvalidRequestException extends SteerLLMException {

	/** Request field at fault, e.g. {@code model} or {@code api}; never {@code null}. */
	private final String field;

	/**
	 * Creates the exception.
	 * @param field the request field at fault, e.g. {@code model}, {@code api},
	 * {@code messages[1].toolCalls[0].arguments}, or {@code request} for the request as a
	 * whole
	 * @param provider the provider the request was routed to, or {@code null} when it was
	 * rejected before one was chosen
	 * @param message what was wrong and what is accepted
	 */
	public InvalidRequestException(String field, @Nullable String provider, String message) {
		super(message, StreamErrorType.REQUEST, false, provider, null);
		this.field = Objects.requireNonNull(field, "field must not be null");
	}

	/**
	 * The request field at fault, for a caller that maps it to its own input (a form
	 * field, a query parameter).
	 * @return e.g. {@code model}, {@code api} or
	 * {@code messages[1].toolCalls[0].arguments}, never {@code null}
	 */
	public String getField() {
		return this.field;
	}

}
