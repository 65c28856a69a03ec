package io.steer.llm.client;

import java.time.Duration;
import java.util.function.Consumer;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.options.StreamCallback;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.shaping.Progress;
import io.steer.llm.shaping.ProgressTracker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs {@link StreamCallbacks} as events pass, and reports progress to their
 * {@code onProgress} functions. A failing callback is logged and skipped.
 */
final class CallbackInvoker {

	private static final Log logger = LogFactory.getLog(CallbackInvoker.class);

	private CallbackInvoker() {
	}

	static Flux<StreamEvent> apply(Flux<StreamEvent> events, StreamCallbacks first, StreamCallbacks second) {
		if (first.isEmpty() && second.isEmpty()) {
			return events;
		}
		if (!first.hasAsync() && !second.hasAsync()) {
			return events.doOnNext((event) -> {
				invokePlain(first, event);
				invokePlain(second, event);
			});
		}
		return events.concatMap((event) -> invoke(first, event).then(invoke(second, event)).thenReturn(event), 0);
	}

	/**
	 * Reports the progress of the events to the {@code onProgress} functions of both
	 * callbacks, throttled at {@code interval}, with a tracker per subscription whose
	 * total is the request's {@code max_tokens}; the events unchanged when neither has
	 * one.
	 */
	static Flux<StreamEvent> progress(Flux<StreamEvent> events, StreamCallbacks first, StreamCallbacks second,
			Duration interval, ChatRequest request) {
		Consumer<? super Progress> a = first.onProgress();
		Consumer<? super Progress> b = second.onProgress();
		if (a == null && b == null) {
			return events;
		}
		Consumer<Progress> report = (progress) -> {
			runProgress(a, progress);
			runProgress(b, progress);
		};
		return ProgressTracker.track(events, interval, report, () -> ProgressTracker.forRequest(request));
	}

	private static void runProgress(@Nullable Consumer<? super Progress> consumer, Progress progress) {
		if (consumer == null) {
			return;
		}
		try {
			consumer.accept(progress);
		}
		catch (RuntimeException ex) {
			logger.warn("Stream progress callback failed; the stream goes on", ex);
		}
	}

	private static void invokePlain(StreamCallbacks callbacks, StreamEvent event) {
		StreamCallback<?> callback = select(callbacks, event);
		if (callback instanceof StreamCallback.Plain<?> plain) {
			runPlain(plain, event);
		}
	}

	private static Mono<Void> invoke(StreamCallbacks callbacks, StreamEvent event) {
		StreamCallback<?> callback = select(callbacks, event);
		if (callback instanceof StreamCallback.Plain<?> plain) {
			runPlain(plain, event);
			return Mono.empty();
		}
		if (callback instanceof StreamCallback.Async<?> async) {
			return Mono.defer(() -> Mono.from(applyAsync(async, event))).onErrorResume((ex) -> {
				report(event, ex);
				return Mono.empty();
			});
		}
		return Mono.empty();
	}

	@SuppressWarnings("unchecked")
	private static void runPlain(StreamCallback.Plain<?> plain, StreamEvent event) {
		try {
			((StreamCallback.Plain<StreamEvent>) plain).consumer().accept(event);
		}
		catch (RuntimeException ex) {
			report(event, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static org.reactivestreams.Publisher<Void> applyAsync(StreamCallback.Async<?> async, StreamEvent event) {
		org.reactivestreams.Publisher<Void> publisher = ((StreamCallback.Async<StreamEvent>) async).function()
			.apply(event);
		return (publisher != null) ? publisher : Mono.empty();
	}

	private static void report(StreamEvent event, Throwable ex) {
		logger.warn("Stream callback for " + event.getClass().getSimpleName() + " of stream " + event.streamId()
				+ " failed; the stream goes on", ex);
	}

	private static @Nullable StreamCallback<?> select(StreamCallbacks callbacks, StreamEvent event) {
		if (event instanceof StreamDeltaEvent) {
			return callbacks.onDelta();
		}
		if (event instanceof StreamUsageEvent) {
			return callbacks.onUsage();
		}
		if (event instanceof StreamStartEvent) {
			return callbacks.onStart();
		}
		if (event instanceof StreamCompleteEvent) {
			return callbacks.onComplete();
		}
		if (event instanceof StreamErrorEvent) {
			return callbacks.onError();
		}
		return null;
	}

}
