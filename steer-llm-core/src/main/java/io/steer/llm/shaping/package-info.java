/**
 * Output shaping for people and browsers: {@link io.steer.llm.shaping.TextBuffer} groups
 * streamed text into words, sentences, lines, paragraphs or groups of tokens without
 * splitting a grapheme cluster, {@link io.steer.llm.shaping.TextShaping} applies it as an
 * operator on text and on stream events with a maximum hold time, and
 * {@link io.steer.llm.shaping.ChunkAggregator} and
 * {@link io.steer.llm.shaping.StreamAggregator} sum a stream up.
 */
@NullMarked
package io.steer.llm.shaping;

import org.jspecify.annotations.NullMarked;
