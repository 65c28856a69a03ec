/**
 * Options that adapt to the network: a per-provider
 * {@link io.steer.llm.options.adaptive.NetworkQuality network-quality} estimate from what
 * recent streams observed ({@link io.steer.llm.options.adaptive.NetworkQualityEstimator})
 * and the {@link io.steer.llm.options.StreamingOptionsResolver} that picks the connection
 * options of each stream from it
 * ({@link io.steer.llm.options.adaptive.AdaptiveStreamingOptions}).
 */
@NullMarked
package io.steer.llm.options.adaptive;

import org.jspecify.annotations.NullMarked;
