package io.steer.llm.options;

import java.util.Objects;

import io.steer.llm.model.ChatRequest;

/**
 * Chooses the options of a stream whose caller gave none
 * ({@link io.steer.llm.SteerLLMClient#stream(ChatRequest)} and the other methods without
 * a {@link StreamingOptions} argument), from the request and its route: options by
 * provider, by model, by response format, or by what recent streams observed.
 * <p>
 * A resolver gets the options chosen so far (first the client's
 * {@linkplain io.steer.llm.SteerLLMClient#defaultOptions() default options}) and returns
 * them, changed or not; resolvers compose with {@link #andThen}. It is called once per
 * stream, before the request is sent, on the caller's thread; it must not block. Options
 * given on the call are used as they are: no resolver sees them.
 */
@FunctionalInterface
public interface StreamingOptionsResolver {

	/**
	 * The options of a stream.
	 * @param request the request
	 * @param route where the client routes it
	 * @param options the options chosen so far
	 * @return the options to use, never {@code null}
	 */
	StreamingOptions resolve(ChatRequest request, StreamRoute route, StreamingOptions options);

	/**
	 * This resolver, then {@code next} on its result.
	 * @param next the resolver applied after this one
	 * @return the composed resolver
	 */
	default StreamingOptionsResolver andThen(StreamingOptionsResolver next) {
		Objects.requireNonNull(next, "next must not be null");
		return (request, route, options) -> next.resolve(request, route, resolve(request, route, options));
	}

	/**
	 * The resolver that keeps the options it is given.
	 * @return the identity resolver
	 */
	static StreamingOptionsResolver identity() {
		return (request, route, options) -> options;
	}

}
