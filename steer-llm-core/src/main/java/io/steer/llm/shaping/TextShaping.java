package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.options.BufferType;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Operators that re-chunk streamed text with a {@link TextBuffer}, for a flux of text
 * ({@link #text}) and for a stream's events ({@link #events}), with a maximum hold time:
 * no text is held longer than {@code maxHold} after it arrived; when that time passes,
 * what is held is released even mid-word (but never mid grapheme cluster, see
 * {@link TextBuffer#releaseHeld()}). The hold time is kept on
 * {@link Schedulers#parallel()}, so {@code StepVerifier.withVirtualTime} controls it.
 * <p>
 * Each subscription has its own buffers. Backpressure: the source is read one element at
 * a time, only while the subscriber has demand and everything released so far has been
 * delivered; nothing is buffered beyond the held text and the pieces of one element.
 * Cancelling cancels the source and the hold timer, and discards released pieces not yet
 * delivered. When the source completes or fails, everything held is released first, then
 * the completion or the error is passed on. Empty pieces are never emitted.
 */
public final class TextShaping {

	private TextShaping() {
	}

	/**
	 * An operator that re-chunks a flux of text: each element it emits is a piece the
	 * buffer released; their concatenation is exactly the source's text.
	 * @param type how to group the text; {@link BufferType#NONE} gives
	 * {@link Function#identity()}
	 * @param settings the buffer's settings, {@code null} for
	 * {@link TextBuffer.Settings#defaults()}
	 * @param maxHold longest any text is held, {@link Duration#ZERO} for no limit (text
	 * is then held until its unit is complete or the source ends)
	 * @return the operator, for {@link Flux#transform(Function)}
	 * @throws IllegalArgumentException if {@code maxHold} is negative
	 */
	public static Function<Flux<String>, Flux<String>> text(BufferType type, TextBuffer.@Nullable Settings settings,
			Duration maxHold) {
		Objects.requireNonNull(type, "type");
		long maxHoldNanos = nanos(maxHold);
		if (type == BufferType.NONE) {
			return Function.identity();
		}
		TextBuffer.Settings resolved = (settings != null) ? settings : TextBuffer.Settings.defaults();
		return (source) -> new ShapingOperator<>(source,
				() -> new TextShaper(TextBuffer.of(type, resolved), maxHoldNanos));
	}

	/**
	 * An operator that re-chunks a stream's text deltas: {@link DeltaKind#TEXT} deltas
	 * (and, with {@code reasoningToo}, {@link DeltaKind#REASONING} deltas), each kind and
	 * choice in a buffer of its own, come out as new {@link StreamDeltaEvent}s of the
	 * same stream id, kind, choice and JSON flag, with the metadata of the first delta of
	 * the piece and the timestamp of the last (and no tool call or JSON snapshot). Any
	 * other event (a tool call or refusal delta, usage, start, complete, error) releases
	 * everything held first, then passes through unchanged, in order. The chunk index of
	 * every delta emitted is renumbered, gap-free from 0; the complete event's
	 * {@code totalChunks} is the stream's own count and is left as it is.
	 * @param type how to group the text; {@link BufferType#NONE} gives
	 * {@link Function#identity()}
	 * @param settings the buffers' settings, {@code null} for
	 * {@link TextBuffer.Settings#defaults()}
	 * @param maxHold longest any text is held, {@link Duration#ZERO} for no limit
	 * @param reasoningToo whether reasoning deltas are re-chunked too (else they pass
	 * through and, like any other event, release what is held)
	 * @return the operator, for {@link Flux#transform(Function)}
	 * @throws IllegalArgumentException if {@code maxHold} is negative
	 */
	public static Function<Flux<StreamEvent>, Flux<StreamEvent>> events(BufferType type,
			TextBuffer.@Nullable Settings settings, Duration maxHold, boolean reasoningToo) {
		Objects.requireNonNull(type, "type");
		long maxHoldNanos = nanos(maxHold);
		if (type == BufferType.NONE) {
			return Function.identity();
		}
		TextBuffer.Settings resolved = (settings != null) ? settings : TextBuffer.Settings.defaults();
		return (source) -> new ShapingOperator<>(source,
				() -> new EventShaper(() -> TextBuffer.of(type, resolved), maxHoldNanos, reasoningToo));
	}

	private static long nanos(Duration maxHold) {
		Objects.requireNonNull(maxHold, "maxHold");
		if (maxHold.isNegative()) {
			throw new IllegalArgumentException("maxHold must not be negative, was " + maxHold);
		}
		return maxHold.toNanos();
	}

}
