package io.steer.llm.autoconfigure;

import io.steer.llm.SteerLLMClient;

/**
 * Callback that customizes the {@link SteerLLMClient.Builder} of the auto-configured
 * {@code steerLLMClient} bean before the client is built: to add a provider adapter,
 * change the default provider or options, or give another price catalog, without
 * replacing the client bean.
 * <p>
 * Every bean of this type is applied, in {@link org.springframework.core.annotation.Order
 * order}, after the builder has been set up from {@code steer.providers.*} and the
 * application's beans; the last to set a value wins. A customizer is not applied when the
 * application defines its own {@link SteerLLMClient} bean.
 */
@FunctionalInterface
public interface SteerLLMClientBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of the client
	 */
	void customize(SteerLLMClient.Builder builder);

}
