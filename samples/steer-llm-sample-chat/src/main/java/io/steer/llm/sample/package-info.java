/**
 * Sample application: LLM answers, and an agent calling two tools, streamed as
 * server-sent events with Steer LLM.
 */
@NullMarked
package io.steer.llm.sample;

import org.jspecify.annotations.NullMarked;
