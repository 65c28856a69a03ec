/**
 * Usage estimation for streams whose provider sends no usage: tiktoken (jtokkit) or
 * character counts, with a confidence.
 */
@NullMarked
package io.steer.llm.usage;

import org.jspecify.annotations.NullMarked;
