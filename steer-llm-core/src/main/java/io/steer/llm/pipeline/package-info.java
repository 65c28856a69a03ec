/**
 * The user's stages at the end of a stream's pipeline:
 * {@link io.steer.llm.pipeline.EventProcessor} filters, transformers, batching,
 * background delivery and replay.
 */
@NullMarked
package io.steer.llm.pipeline;

import org.jspecify.annotations.NullMarked;
