/**
 * Spring Boot auto-configuration of the Steer LLM client: {@code steer.providers.*} and
 * {@code steer.streaming.*} properties, the {@link io.steer.llm.SteerLLMClient} bean, the
 * default and named {@link io.steer.llm.options.StreamingOptions} beans, and the mapping of
 * the original SDK's environment variables. Start at {@link io.steer.llm.autoconfigure.SteerLLMAutoConfiguration}.
 */
@NullMarked
package io.steer.llm.autoconfigure;

import org.jspecify.annotations.NullMarked;
