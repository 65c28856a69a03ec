/**
 * Spring Boot auto-configuration of the Steer LLM client: {@code steer.providers.*},
 * {@code steer.streaming.*} and {@code steer.pricing.*} properties, the
 * {@link io.steer.llm.SteerLLMClient} bean, the default and named
 * {@link io.steer.llm.options.StreamingOptions} beans, the
 * {@link io.steer.llm.pricing.PriceCatalog} bean, the
 * {@link io.steer.llm.retry.StreamingRetryManager} bean with its scheduled cleanup, and
 * the mapping of the original SDK's environment variables, the provider health indicators
 * ({@code steer.health.*}) and the {@code steer} actuator endpoint. Start at
 * {@link io.steer.llm.autoconfigure.SteerLLMAutoConfiguration}.
 */
@NullMarked
package io.steer.llm.autoconfigure;

import org.jspecify.annotations.NullMarked;
