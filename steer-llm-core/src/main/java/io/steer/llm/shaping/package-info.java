/**
 * Output shaping for people and browsers: {@link io.steer.llm.shaping.TextBuffer} groups
 * streamed text into words, sentences, lines, paragraphs or groups of tokens without
 * splitting a grapheme cluster, {@link io.steer.llm.shaping.TextShaping} applies it as an
 * operator on text and on stream events with a maximum hold time, and
 * {@link io.steer.llm.shaping.ChunkAggregator} and
 * {@link io.steer.llm.shaping.StreamAggregator} sum a stream up;
 * {@link io.steer.llm.shaping.RateLimiter} caps tokens per second (a Bucket4j token
 * bucket with burst, shareable across streams),
 * {@link io.steer.llm.shaping.AdaptivePacer} smooths the release of text within a bound
 * on the latency it adds, and {@link io.steer.llm.shaping.ProgressTracker} reports
 * progress through a {@link io.steer.llm.shaping.ThrottledCallback}.
 * {@link io.steer.llm.shaping.OutputShaping} composes the buffer, the pacer and the rate
 * limit a {@code StreamingOptions} asks for: the client applies it to {@code stream()}'s
 * text and the SSE writer to its events; with the defaults it is the identity.
 */
@NullMarked
package io.steer.llm.shaping;

import org.jspecify.annotations.NullMarked;
