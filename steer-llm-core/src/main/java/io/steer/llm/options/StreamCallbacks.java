package io.steer.llm.options;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.shaping.Progress;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Functions called as a stream's events pass: {@code onStart}, {@code onDelta},
 * {@code onUsage}, {@code onComplete} and {@code onError}, each plain or asynchronous;
 * and {@code onProgress}, plain only, called with the stream's {@link Progress} at most
 * once per {@link StreamingOptions#progressInterval() progress interval} (always the
 * latest snapshot) and with a final snapshot when the stream ends.
 * <p>
 * A callback that throws, or whose publisher fails, is logged at WARN and otherwise
 * ignored: the stream and its other callbacks carry on. Callbacks given in
 * {@link StreamingOptions} run before those given to a single call.
 *
 * @param onStart called with the start event, or {@code null}
 * @param onDelta called with each delta event, or {@code null}
 * @param onUsage called with each usage event, or {@code null}
 * @param onComplete called with the complete event, or {@code null}
 * @param onError called with the error event, or {@code null}
 * @param onProgress called with the stream's progress, throttled, or {@code null}
 */
public record StreamCallbacks(@Nullable StreamCallback<StreamStartEvent> onStart,
		@Nullable StreamCallback<StreamDeltaEvent> onDelta, @Nullable StreamCallback<StreamUsageEvent> onUsage,
		@Nullable StreamCallback<StreamCompleteEvent> onComplete, @Nullable StreamCallback<StreamErrorEvent> onError,
		@Nullable Consumer<? super Progress> onProgress) {

	/** No callbacks. */
	public static final StreamCallbacks NONE = new StreamCallbacks(null, null, null, null, null, null);

	/**
	 * Callbacks without {@code onProgress}, the five event callbacks of the original SDK.
	 * @param onStart called with the start event, or {@code null}
	 * @param onDelta called with each delta event, or {@code null}
	 * @param onUsage called with each usage event, or {@code null}
	 * @param onComplete called with the complete event, or {@code null}
	 * @param onError called with the error event, or {@code null}
	 */
	public StreamCallbacks(@Nullable StreamCallback<StreamStartEvent> onStart,
			@Nullable StreamCallback<StreamDeltaEvent> onDelta, @Nullable StreamCallback<StreamUsageEvent> onUsage,
			@Nullable StreamCallback<StreamCompleteEvent> onComplete,
			@Nullable StreamCallback<StreamErrorEvent> onError) {
		this(onStart, onDelta, onUsage, onComplete, onError, null);
	}

	/**
	 * Starts a set of callbacks with none set.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Whether no callback is set.
	 * @return {@code true} for {@link #NONE}
	 */
	public boolean isEmpty() {
		return this.onStart == null && this.onDelta == null && this.onUsage == null && this.onComplete == null
				&& this.onError == null && this.onProgress == null;
	}

	/**
	 * Whether any callback is asynchronous.
	 * @return {@code true} when the stream has to wait for a callback's publisher
	 */
	public boolean hasAsync() {
		return this.onStart instanceof StreamCallback.Async || this.onDelta instanceof StreamCallback.Async
				|| this.onUsage instanceof StreamCallback.Async || this.onComplete instanceof StreamCallback.Async
				|| this.onError instanceof StreamCallback.Async;
	}

	/**
	 * Builder of {@link StreamCallbacks}.
	 */
	public static final class Builder {

		private @Nullable StreamCallback<StreamStartEvent> onStart;

		private @Nullable StreamCallback<StreamDeltaEvent> onDelta;

		private @Nullable StreamCallback<StreamUsageEvent> onUsage;

		private @Nullable StreamCallback<StreamCompleteEvent> onComplete;

		private @Nullable StreamCallback<StreamErrorEvent> onError;

		private @Nullable Consumer<? super Progress> onProgress;

		private Builder() {
		}

		/**
		 * Sets the function called with the start event, on the thread that delivers it;
		 * replaces any {@code onStart} callback set before.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onStart(Consumer<? super StreamStartEvent> callback) {
			this.onStart = StreamCallback.of(callback);
			return this;
		}

		/**
		 * Sets an asynchronous function called with the start event: the stream waits for
		 * its publisher before it delivers the event onwards. Replaces any
		 * {@code onStart} callback set before.
		 * @param callback the function, returning a publisher that completes when it is
		 * done
		 * @return this builder
		 */
		public Builder onStartAsync(Function<? super StreamStartEvent, ? extends Publisher<Void>> callback) {
			this.onStart = StreamCallback.async(callback);
			return this;
		}

		/**
		 * Sets the function called with each delta event, on the thread that delivers it;
		 * replaces any {@code onDelta} callback set before.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onDelta(Consumer<? super StreamDeltaEvent> callback) {
			this.onDelta = StreamCallback.of(callback);
			return this;
		}

		/**
		 * Sets an asynchronous function called with each delta event: the stream waits
		 * for its publisher before it delivers the event onwards. Replaces any
		 * {@code onDelta} callback set before.
		 * @param callback the function, returning a publisher that completes when it is
		 * done
		 * @return this builder
		 */
		public Builder onDeltaAsync(Function<? super StreamDeltaEvent, ? extends Publisher<Void>> callback) {
			this.onDelta = StreamCallback.async(callback);
			return this;
		}

		/**
		 * Sets the function called with each usage event, on the thread that delivers it;
		 * replaces any {@code onUsage} callback set before.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onUsage(Consumer<? super StreamUsageEvent> callback) {
			this.onUsage = StreamCallback.of(callback);
			return this;
		}

		/**
		 * Sets an asynchronous function called with each usage event: the stream waits
		 * for its publisher before it delivers the event onwards. Replaces any
		 * {@code onUsage} callback set before.
		 * @param callback the function, returning a publisher that completes when it is
		 * done
		 * @return this builder
		 */
		public Builder onUsageAsync(Function<? super StreamUsageEvent, ? extends Publisher<Void>> callback) {
			this.onUsage = StreamCallback.async(callback);
			return this;
		}

		/**
		 * Sets the function called with the complete event, on the thread that delivers
		 * it; replaces any {@code onComplete} callback set before.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onComplete(Consumer<? super StreamCompleteEvent> callback) {
			this.onComplete = StreamCallback.of(callback);
			return this;
		}

		/**
		 * Sets an asynchronous function called with the complete event: the stream waits
		 * for its publisher before it delivers the event onwards. Replaces any
		 * {@code onComplete} callback set before.
		 * @param callback the function, returning a publisher that completes when it is
		 * done
		 * @return this builder
		 */
		public Builder onCompleteAsync(Function<? super StreamCompleteEvent, ? extends Publisher<Void>> callback) {
			this.onComplete = StreamCallback.async(callback);
			return this;
		}

		/**
		 * Sets the function called with the error event, on the thread that delivers it;
		 * replaces any {@code onError} callback set before.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onError(Consumer<? super StreamErrorEvent> callback) {
			this.onError = StreamCallback.of(callback);
			return this;
		}

		/**
		 * Sets an asynchronous function called with the error event: the stream waits for
		 * its publisher before it delivers the event onwards. Replaces any
		 * {@code onError} callback set before.
		 * @param callback the function, returning a publisher that completes when it is
		 * done
		 * @return this builder
		 */
		public Builder onErrorAsync(Function<? super StreamErrorEvent, ? extends Publisher<Void>> callback) {
			this.onError = StreamCallback.async(callback);
			return this;
		}

		/**
		 * Sets the function called with the stream's progress; replaces any
		 * {@code onProgress} callback set before. It is called at most once per
		 * {@link StreamingOptions#progressInterval() progress interval} (at once for the
		 * first event, then with the latest snapshot when the interval has passed; on
		 * every event when the interval is zero), and at once with a final snapshot
		 * ({@link Progress#complete()}) when the stream ends; a cancelled stream gets no
		 * final snapshot. Calls never overlap: one is made on the thread that delivers an
		 * event, or, for a snapshot that waited for the interval, on the scheduler
		 * ({@code Schedulers.parallel()}, virtual under
		 * {@code StepVerifier.withVirtualTime}). The total is the request's
		 * {@code max_tokens}, unknown without one. There is no asynchronous form: the
		 * stream never waits for a progress report.
		 * @param callback the function
		 * @return this builder
		 */
		public Builder onProgress(Consumer<? super Progress> callback) {
			this.onProgress = Objects.requireNonNull(callback, "callback must not be null");
			return this;
		}

		/**
		 * Builds the callbacks.
		 * @return the callbacks set so far; unset ones are {@code null}
		 */
		public StreamCallbacks build() {
			return new StreamCallbacks(this.onStart, this.onDelta, this.onUsage, this.onComplete, this.onError,
					this.onProgress);
		}

	}

}
