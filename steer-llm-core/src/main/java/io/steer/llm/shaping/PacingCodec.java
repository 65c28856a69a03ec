package io.steer.llm.shaping;

import org.jspecify.annotations.Nullable;

/**
 * What {@link PacingSubscription} needs to know about the items it paces: which are text
 * (and of which run), and how to build the released items. One instance per subscription
 * (an event codec numbers chunks).
 *
 * @param <T> the type of the items
 */
interface PacingCodec<T> {

	/**
	 * The run a text item belongs to; items of another run flush the backlog first.
	 * @param item the item
	 * @return the run's key, or {@code null} when the item is not paced text
	 */
	@Nullable Object key(T item);

	/**
	 * The text of an item whose {@link #key(Object)} is not {@code null}.
	 * @param item the item
	 * @return its text
	 */
	String text(T item);

	/**
	 * A released piece of text.
	 * @param template the last item whose text the piece holds
	 * @param text the piece's text, not empty
	 * @return the item to emit
	 */
	T piece(T template, String text);

	/**
	 * An item that is not paced, as it is emitted.
	 * @param item the item
	 * @return the item to emit
	 */
	T passThrough(T item);

}
