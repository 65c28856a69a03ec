package io.steer.llm.shaping;

import java.util.function.Consumer;

/**
 * Shapes a flux of text through one {@link HeldText}.
 */
final class TextShaper implements Shaper<String> {

	private final HeldText<Void> held;

	TextShaper(TextBuffer buffer, long maxHoldNanos) {
		this.held = new HeldText<>(buffer, maxHoldNanos);
	}

	@Override
	public void accept(String item, long now, Consumer<String> out) {
		emit(this.held.add(item, now, null), out);
	}

	@Override
	public void expire(long now, Consumer<String> out) {
		emit(this.held.expire(now), out);
	}

	@Override
	public void finish(Consumer<String> out) {
		emit(this.held.flush(), out);
	}

	@Override
	public long deadline() {
		return this.held.deadline();
	}

	private static void emit(String piece, Consumer<String> out) {
		if (!piece.isEmpty()) {
			out.accept(piece);
		}
	}

}
