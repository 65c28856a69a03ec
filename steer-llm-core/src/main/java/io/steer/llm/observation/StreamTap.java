package io.steer.llm.observation;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;

/**
 * The observation tap as one operator of its own: each event is shown to the
 * {@link ObservedStream} (if any), then counted on or closes the
 * {@link LiveStreams.Handle} (if any), then passed on unchanged; once the stream ends
 * (after the subscriber saw its completion or error, or after the cancel reached the
 * upstream) the observation sees the signal, then the handle is closed, once.
 * <p>
 * It does what {@code doOnNext} and {@code doFinally} twice over did, without sharing
 * Reactor's generic operators with the rest of the pipeline: their call sites
 * ({@code actual.onNext}, the consumer, the hook) would see more types per stream than
 * the JIT inlines through, which slowed every operator of the pipeline that uses them,
 * not only the tap. Here every call site sees one type. Nothing is allocated per event.
 */
final class StreamTap extends FluxOperator<StreamEvent, StreamEvent> {

	private final @Nullable ObservedStream observed;

	private final LiveStreams.@Nullable Handle live;

	StreamTap(Flux<StreamEvent> source, @Nullable ObservedStream observed, LiveStreams.@Nullable Handle live) {
		super(source);
		this.observed = observed;
		this.live = live;
	}

	@Override
	public void subscribe(CoreSubscriber<? super StreamEvent> actual) {
		this.source.subscribe(new TapSubscriber(actual, this.observed, this.live));
	}

	private static final class TapSubscriber implements CoreSubscriber<StreamEvent>, Subscription {

		private static final AtomicIntegerFieldUpdater<TapSubscriber> FINISHED = AtomicIntegerFieldUpdater
			.newUpdater(TapSubscriber.class, "finished");

		private final CoreSubscriber<? super StreamEvent> actual;

		private final @Nullable ObservedStream observed;

		private final LiveStreams.@Nullable Handle live;

		private @Nullable Subscription upstream;

		private boolean done;

		private volatile int finished;

		TapSubscriber(CoreSubscriber<? super StreamEvent> actual, @Nullable ObservedStream observed,
				LiveStreams.@Nullable Handle live) {
			this.actual = actual;
			this.observed = observed;
			this.live = live;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(StreamEvent event) {
			if (this.done) {
				Operators.onNextDropped(event, this.actual.currentContext());
				return;
			}
			try {
				if (this.observed != null) {
					this.observed.onEvent(event);
				}
				LiveStreams.Handle live = this.live;
				if (live != null) {
					if (event instanceof StreamDeltaEvent) {
						live.chunk();
					}
					else if (event.isTerminal()) {
						live.close();
					}
				}
			}
			catch (Throwable ex) {
				onError(Operators.onOperatorError(this.upstream, ex, event, this.actual.currentContext()));
				return;
			}
			this.actual.onNext(event);
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				Operators.onErrorDropped(error, this.actual.currentContext());
				return;
			}
			this.done = true;
			try {
				this.actual.onError(error);
			}
			finally {
				finish(SignalType.ON_ERROR);
			}
		}

		@Override
		public void onComplete() {
			if (this.done) {
				return;
			}
			this.done = true;
			try {
				this.actual.onComplete();
			}
			finally {
				finish(SignalType.ON_COMPLETE);
			}
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			finish(SignalType.CANCEL);
		}

		private void finish(SignalType signal) {
			if (FINISHED.compareAndSet(this, 0, 1)) {
				try {
					if (this.observed != null) {
						this.observed.onFinally(signal);
					}
				}
				finally {
					if (this.live != null) {
						this.live.close();
					}
				}
			}
		}

	}

}
