package io.steer.llm.provider;

import java.util.Objects;

/**
 * How to continue an answer whose stream broke after deltas were delivered, so that the
 * subscriber receives the rest of the same answer and nothing twice.
 *
 * @param kind how the continuation relates to the broken stream
 * @param request the HTTP request that opens the continuation's stream
 * @param overlap text the continuation may repeat at its very start (e.g. whitespace
 * removed from the end of a prefill, which Anthropic rejects); the longest start of the
 * continuation's text that matches a start of it is dropped. Empty for none.
 */
public record Continuation(Kind kind, ProviderRequest request, String overlap) {

	/**
	 * Creates a continuation.
	 * @param kind how the continuation relates to the broken stream
	 * @param request the HTTP request that opens the continuation's stream
	 * @param overlap text the continuation may repeat at its start, empty for none
	 * @throws NullPointerException if an argument is {@code null}
	 */
	public Continuation {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(request, "request must not be null");
		Objects.requireNonNull(overlap, "overlap must not be null");
	}

	/**
	 * A resume of the same response: its stream goes on after the last event received.
	 * @param request the request, e.g. {@code GET
	 * /responses/{id}?stream=true&starting_after=N}
	 * @return the continuation
	 */
	public static Continuation resume(ProviderRequest request) {
		return new Continuation(Kind.RESUME, request, "");
	}

	/**
	 * A new response that continues the delivered text, given to the model as the start
	 * of its turn.
	 * @param request the request with the partial text as the final assistant turn
	 * @param overlap text the continuation may repeat at its start
	 * @return the continuation
	 */
	public static Continuation prefill(ProviderRequest request, String overlap) {
		return new Continuation(Kind.PREFILL, request, overlap);
	}

	/**
	 * How a continuation relates to the broken stream.
	 */
	public enum Kind {

		/**
		 * The same response, resumed after the last event received: the parser of the
		 * broken stream reads on, and the usage the response reports at its end is the
		 * whole usage.
		 */
		RESUME,

		/**
		 * A new response whose text follows the delivered text: read by a new parser; its
		 * text deltas are new text; its usage is added to that of the broken response.
		 */
		PREFILL

	}

}
