package io.steer.llm.shaping;

import java.util.function.Consumer;

/**
 * The state of one subscription to a {@link ShapingOperator}: what it releases for an
 * input, when its held text expires, and what it releases then. Called under the
 * operator's lock, never concurrently.
 *
 * @param <T> the element type
 */
interface Shaper<T> {

	/**
	 * Takes the next input.
	 * @param item the input
	 * @param now the scheduler's time (ns)
	 * @param out where to put what is released now, in order
	 */
	void accept(T item, long now, Consumer<T> out);

	/**
	 * Releases what has been held up to its deadline.
	 * @param now the scheduler's time (ns)
	 * @param out where to put what is released, in order
	 */
	void expire(long now, Consumer<T> out);

	/**
	 * Releases everything held, at the end of the input.
	 * @param out where to put what is released, in order
	 */
	void finish(Consumer<T> out);

	/**
	 * When held text must be released.
	 * @return the scheduler's time (ns), {@link Long#MAX_VALUE} when nothing is due
	 */
	long deadline();

}
