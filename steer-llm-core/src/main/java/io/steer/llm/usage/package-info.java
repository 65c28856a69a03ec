/**
 * The usage of a stream: {@link io.steer.llm.usage.UsageMeter} takes the provider's,
 * across the responses of a continued answer, else an estimate for streams whose provider
 * sends no usage: tiktoken (jtokkit) or character counts, with a confidence.
 */
@NullMarked
package io.steer.llm.usage;

import org.jspecify.annotations.NullMarked;
