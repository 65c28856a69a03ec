package io.steer.llm.shaping;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;

/**
 * Shapes a stream's events: text (and, if asked, reasoning) deltas go through a
 * {@link HeldText} per kind and choice and come out as new deltas; any other event
 * releases everything held first and passes through; every delta emitted is renumbered,
 * gap-free from 0.
 */
final class EventShaper implements Shaper<StreamEvent> {

	private final Supplier<TextBuffer> buffers;

	private final long maxHoldNanos;

	private final boolean reasoningToo;

	/** Buffers in the order they were opened, keyed by {@link #slot}. */
	private final List<Slot> slots = new ArrayList<>(2);

	private int nextChunkIndex;

	EventShaper(Supplier<TextBuffer> buffers, long maxHoldNanos, boolean reasoningToo) {
		this.buffers = buffers;
		this.maxHoldNanos = maxHoldNanos;
		this.reasoningToo = reasoningToo;
	}

	@Override
	public void accept(StreamEvent item, long now, Consumer<StreamEvent> out) {
		if (item instanceof StreamDeltaEvent delta && isShaped(delta.kind())) {
			Slot slot = slot(delta);
			emit(slot, slot.held.add(delta.delta(), now, delta), out);
			return;
		}
		finish(out);
		if (item instanceof StreamDeltaEvent delta) {
			out.accept(renumbered(delta));
		}
		else {
			out.accept(item);
		}
	}

	@Override
	public void expire(long now, Consumer<StreamEvent> out) {
		for (Slot slot : this.slots) {
			emit(slot, slot.held.expire(now), out);
		}
	}

	@Override
	public void finish(Consumer<StreamEvent> out) {
		for (Slot slot : this.slots) {
			if (!slot.held.isEmpty()) {
				emit(slot, slot.held.flush(), out);
			}
		}
	}

	@Override
	public long deadline() {
		long deadline = Long.MAX_VALUE;
		for (Slot slot : this.slots) {
			deadline = Math.min(deadline, slot.held.deadline());
		}
		return deadline;
	}

	private boolean isShaped(DeltaKind kind) {
		return kind == DeltaKind.TEXT || (this.reasoningToo && kind == DeltaKind.REASONING);
	}

	private Slot slot(StreamDeltaEvent delta) {
		for (Slot slot : this.slots) {
			if (slot.kind == delta.kind() && slot.choice == delta.choiceIndex()) {
				return slot;
			}
		}
		Slot slot = new Slot(delta.kind(), delta.choiceIndex(), new HeldText<>(this.buffers.get(), this.maxHoldNanos));
		this.slots.add(slot);
		return slot;
	}

	private void emit(Slot slot, String piece, Consumer<StreamEvent> out) {
		if (piece.isEmpty()) {
			return;
		}
		StreamDeltaEvent first = slot.held.first();
		StreamDeltaEvent last = slot.held.last();
		if (first == null || last == null) {
			return;
		}
		out.accept(new StreamDeltaEvent(first.streamId(), first.kind(), piece, this.nextChunkIndex++,
				first.choiceIndex(), first.json(), null, null, last.timestamp(), first.metadata()));
	}

	private StreamDeltaEvent renumbered(StreamDeltaEvent delta) {
		int index = this.nextChunkIndex++;
		return (delta.chunkIndex() == index) ? delta
				: new StreamDeltaEvent(delta.streamId(), delta.kind(), delta.delta(), index, delta.choiceIndex(),
						delta.json(), delta.toolCall(), delta.jsonSnapshot(), delta.timestamp(), delta.metadata());
	}

	private record Slot(DeltaKind kind, int choice, HeldText<StreamDeltaEvent> held) {
	}

}
