package io.steer.llm.client;

import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.options.StreamCallback;
import io.steer.llm.options.StreamCallbacks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs {@link StreamCallbacks} as events pass. A failing callback is logged and skipped.
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
