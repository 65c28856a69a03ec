/**
 * Assembly of one stream: {@link io.steer.llm.assembly.StreamAssembly}, made fresh for
 * each HTTP attempt, frames the attempt's body into SSE events for the provider's parser
 * and turns what the parser reads into the stream's events and its
 * {@link io.steer.llm.model.StreamingResponse}, through small stages: a guard that drops
 * what a continued attempt repeats, the response assembler, the timings and the event
 * emitter. {@link io.steer.llm.assembly.StreamContext} holds what every stage of one
 * stream reads.
 */
@NullMarked
package io.steer.llm.assembly;

import org.jspecify.annotations.NullMarked;
