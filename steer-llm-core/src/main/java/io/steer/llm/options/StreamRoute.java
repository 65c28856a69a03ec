package io.steer.llm.options;

import java.util.Objects;

import io.steer.llm.model.ProviderApi;
import org.jspecify.annotations.Nullable;

/**
 * Where a request goes: the provider the client routed it to and the model it asks for.
 *
 * @param provider the provider's name: {@code openai}, {@code xai}, {@code anthropic}, or
 * a custom adapter's name
 * @param model the model sent to the provider, without a {@code provider:} prefix
 * @param api the API the request asked for, or {@code null} for the provider's configured
 * one
 */
public record StreamRoute(String provider, String model, @Nullable ProviderApi api) {

	/**
	 * Creates a route.
	 * @param provider the provider's name
	 * @param model the model
	 * @param api the API asked for, or {@code null}
	 * @throws NullPointerException if {@code provider} or {@code model} is {@code null}
	 */
	public StreamRoute {
		Objects.requireNonNull(provider, "provider must not be null");
		Objects.requireNonNull(model, "model must not be null");
	}

}
