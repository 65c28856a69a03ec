/**
 * Sample application: LLM answers streamed as server-sent events with Steer LLM.
 */
@NullMarked
package io.steer.llm.sample;

import org.jspecify.annotations.NullMarked;
