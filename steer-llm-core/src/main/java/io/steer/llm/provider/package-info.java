/**
 * Provider adapters: building a provider request, parsing its stream, routing models to
 * providers.
 */
@NullMarked
package io.steer.llm.provider;

import org.jspecify.annotations.NullMarked;
