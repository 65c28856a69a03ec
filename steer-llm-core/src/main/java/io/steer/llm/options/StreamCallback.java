package io.steer.llm.options;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.reactivestreams.Publisher;

/**
 * A function called for one kind of stream event, either plain or asynchronous.
 *
 * @param <E> the event type
 */
public sealed interface StreamCallback<E> permits StreamCallback.Plain, StreamCallback.Async {

	/**
	 * A plain callback, run on the thread that delivers the event.
	 * @param consumer the function
	 * @param <E> the event type
	 * @return the callback
	 * @throws NullPointerException if {@code consumer} is {@code null}
	 */
	static <E> StreamCallback<E> of(Consumer<? super E> consumer) {
		return new Plain<>(consumer);
	}

	/**
	 * An asynchronous callback: the stream waits for the returned publisher to complete
	 * (or fail) before it delivers the event onwards.
	 * @param function the function, returning a publisher that completes when the
	 * callback is done
	 * @param <E> the event type
	 * @return the callback
	 * @throws NullPointerException if {@code function} is {@code null}
	 */
	static <E> StreamCallback<E> async(Function<? super E, ? extends Publisher<Void>> function) {
		return new Async<>(function);
	}

	/**
	 * A callback run on the thread that delivers the event.
	 *
	 * @param consumer the function
	 * @param <E> the event type
	 */
	record Plain<E>(Consumer<? super E> consumer) implements StreamCallback<E> {

		/**
		 * Creates a plain callback.
		 * @param consumer the function
		 * @throws NullPointerException if {@code consumer} is {@code null}
		 */
		public Plain {
			Objects.requireNonNull(consumer, "consumer must not be null");
		}

	}

	/**
	 * A callback whose completion the stream waits for before it delivers the event
	 * onwards.
	 *
	 * @param function the function, returning a publisher that completes when the
	 * callback is done
	 * @param <E> the event type
	 */
	record Async<E>(Function<? super E, ? extends Publisher<Void>> function) implements StreamCallback<E> {

		/**
		 * Creates an asynchronous callback.
		 * @param function the function, returning a publisher that completes when the
		 * callback is done
		 * @throws NullPointerException if {@code function} is {@code null}
		 */
		public Async {
			Objects.requireNonNull(function, "function must not be null");
		}

	}

}
