package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The progress of one stream: output tokens received (estimated per text or reasoning
 * delta with a token counter, {@link RateLimiter#estimateTokens(String)} by default, and
 * set to the provider's exact completion tokens when a usage event reports them), the
 * estimated total when known, time elapsed since the tracker was made (on the scheduler's
 * clock), and from those a percentage and an estimated time left; see {@link Progress}
 * for the units. Thread-safe.
 * <p>
 * The operators {@link #track(Flux, Duration, Consumer)} (a callback) and
 * {@link #progress(Flux, Duration)} (a {@code Flux<Progress>}, to merge as progress
 * events into an SSE response) make a fresh tracker per subscription and report through a
 * {@link ThrottledCallback}: at most once per interval, always the latest snapshot, and a
 * final snapshot at the end.
 */
public final class ProgressTracker {

	private final Scheduler clock;

	private final ToIntFunction<String> tokenCounter;

	private final long startNanos;

	private final Object lock = new Object();

	private @Nullable Long estimatedTotalTokens;

	private long tokensReceived;

	private long endNanos = -1;

	private boolean succeeded;

	private ProgressTracker(@Nullable Long estimatedTotalTokens, Scheduler clock, ToIntFunction<String> tokenCounter) {
		if (estimatedTotalTokens != null && estimatedTotalTokens < 1) {
			throw new IllegalArgumentException(
					"estimatedTotalTokens must be at least 1 token or null, was " + estimatedTotalTokens);
		}
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tokenCounter = Objects.requireNonNull(tokenCounter, "tokenCounter");
		this.estimatedTotalTokens = estimatedTotalTokens;
		this.startNanos = clock.now(TimeUnit.NANOSECONDS);
	}

	/**
	 * A tracker started now on {@link Schedulers#parallel()}'s clock.
	 * @param estimatedTotalTokens the output tokens expected in all, at least 1, or
	 * {@code null} when unknown
	 * @return the tracker
	 * @throws IllegalArgumentException if the total is less than 1
	 */
	public static ProgressTracker create(@Nullable Long estimatedTotalTokens) {
		return create(estimatedTotalTokens, Schedulers.parallel(), RateLimiter::estimateTokens);
	}

	/**
	 * A tracker started now on the given clock.
	 * @param estimatedTotalTokens the output tokens expected in all, at least 1, or
	 * {@code null} when unknown
	 * @param clock the scheduler whose {@link Scheduler#now(TimeUnit)} measures elapsed
	 * time (and whose delays a throttled report uses)
	 * @param tokenCounter tokens of a delta's text, at least 0
	 * @return the tracker
	 * @throws IllegalArgumentException if the total is less than 1
	 */
	public static ProgressTracker create(@Nullable Long estimatedTotalTokens, Scheduler clock,
			ToIntFunction<String> tokenCounter) {
		return new ProgressTracker(estimatedTotalTokens, clock, tokenCounter);
	}

	/**
	 * A tracker started now on {@link Schedulers#parallel()}'s clock whose total is the
	 * request's {@code max_tokens} (unknown when the request sets none).
	 * @param request the request
	 * @return the tracker
	 */
	public static ProgressTracker forRequest(ChatRequest request) {
		Integer maxTokens = request.maxTokens();
		return create((maxTokens != null) ? Long.valueOf(maxTokens) : null);
	}

	/**
	 * The scheduler this tracker reads time from.
	 * @return the scheduler
	 */
	public Scheduler clock() {
		return this.clock;
	}

	/**
	 * Sets or clears the estimated total, for a caller whose estimate changes.
	 * @param estimatedTotalTokens the output tokens expected in all, at least 1, or
	 * {@code null} when unknown
	 * @throws IllegalArgumentException if the total is less than 1
	 */
	public void setEstimatedTotalTokens(@Nullable Long estimatedTotalTokens) {
		if (estimatedTotalTokens != null && estimatedTotalTokens < 1) {
			throw new IllegalArgumentException(
					"estimatedTotalTokens must be at least 1 token or null, was " + estimatedTotalTokens);
		}
		synchronized (this.lock) {
			this.estimatedTotalTokens = estimatedTotalTokens;
		}
	}

	/**
	 * Counts the tokens of a text piece.
	 * @param text the text
	 */
	public void addText(String text) {
		addTokens(this.tokenCounter.applyAsInt(text));
	}

	/**
	 * Adds tokens received.
	 * @param tokens tokens, at least 0
	 * @throws IllegalArgumentException if {@code tokens} is negative
	 */
	public void addTokens(long tokens) {
		if (tokens < 0) {
			throw new IllegalArgumentException("tokens must be at least 0, was " + tokens);
		}
		synchronized (this.lock) {
			this.tokensReceived += tokens;
		}
	}

	/**
	 * Takes a stream event into account: a text or reasoning delta adds its estimated
	 * tokens; a usage event the provider reported (not estimated) with completion tokens
	 * sets the count to them; a {@link StreamCompleteEvent} ends the tracker successfully
	 * and a {@link io.steer.llm.event.StreamErrorEvent} ends it unsuccessfully. Other
	 * events change nothing.
	 * @param event the event
	 */
	public void record(StreamEvent event) {
		if (event instanceof StreamDeltaEvent delta) {
			if (delta.kind() == DeltaKind.TEXT || delta.kind() == DeltaKind.REASONING) {
				addText(delta.delta());
			}
		}
		else if (event instanceof StreamUsageEvent usage) {
			if (!usage.estimated() && usage.usage().completionTokens() > 0) {
				synchronized (this.lock) {
					this.tokensReceived = usage.usage().completionTokens();
				}
			}
		}
		else if (event.isTerminal()) {
			end(event instanceof StreamCompleteEvent);
		}
	}

	/**
	 * Ends the tracker: elapsed time stops, and a successful end reports 100 percent and
	 * no time left. Only the first call has an effect.
	 * @param success whether the stream ended with its answer complete
	 */
	public void end(boolean success) {
		synchronized (this.lock) {
			if (this.endNanos < 0) {
				this.endNanos = this.clock.now(TimeUnit.NANOSECONDS);
				this.succeeded = success;
			}
		}
	}

	/**
	 * Whether {@link #end(boolean)} was called (or a terminal event recorded).
	 * @return whether the tracker has ended
	 */
	public boolean isEnded() {
		synchronized (this.lock) {
			return this.endNanos >= 0;
		}
	}

	/**
	 * A snapshot of the progress now.
	 * @return the snapshot
	 */
	public Progress snapshot() {
		synchronized (this.lock) {
			long now = (this.endNanos >= 0) ? this.endNanos : this.clock.now(TimeUnit.NANOSECONDS);
			Duration elapsed = Duration.ofNanos(Math.max(0, now - this.startNanos));
			Long total = this.estimatedTotalTokens;
			boolean ended = this.endNanos >= 0;
			if (ended && this.succeeded) {
				return new Progress(this.tokensReceived, total, elapsed, 100.0, Duration.ZERO, true);
			}
			Double percentage = null;
			Duration timeLeft = null;
			if (total != null) {
				percentage = Math.min(100.0, 100.0 * this.tokensReceived / total);
				if (this.tokensReceived >= total) {
					timeLeft = Duration.ZERO;
				}
				else if (this.tokensReceived > 0 && !elapsed.isZero() && !ended) {
					double nanosPerToken = (double) elapsed.toNanos() / this.tokensReceived;
					timeLeft = Duration.ofNanos(Math.round(nanosPerToken * (total - this.tokensReceived)));
				}
			}
			return new Progress(this.tokensReceived, total, elapsed, percentage, timeLeft, ended);
		}
	}

	/**
	 * Reports the progress of a stream to {@code consumer} at most once per
	 * {@code interval} (always the latest snapshot), and a final snapshot when the stream
	 * ends (its terminal event, its completion or its error), with a tracker of unknown
	 * total on {@link Schedulers#parallel()}. The events pass through unchanged; see
	 * {@link #track(Flux, Duration, Consumer, Supplier)}.
	 * @param events the stream
	 * @param interval the least time between two reports (the {@code progress-interval})
	 * @param consumer the consumer of the snapshots
	 * @return the same events
	 */
	public static Flux<StreamEvent> track(Flux<StreamEvent> events, Duration interval, Consumer<Progress> consumer) {
		return track(events, interval, consumer, () -> create(null));
	}

	/**
	 * Reports the progress of a stream to {@code consumer} at most once per
	 * {@code interval}, always the latest snapshot, and a final snapshot at once when the
	 * stream ends. The events pass through unchanged and in order; each subscription
	 * makes its own tracker from {@code trackers} (for the total and the clock, e.g.
	 * {@code () -> ProgressTracker.forRequest(request)}). Cancellation drops a report
	 * still waiting and makes no final report; an error of the stream makes the final
	 * report, then passes on; an exception of the consumer in a report made on an event
	 * fails the stream with it.
	 * @param events the stream
	 * @param interval the least time between two reports, not negative
	 * @param consumer the consumer of the snapshots
	 * @param trackers a fresh tracker per subscription
	 * @return the same events
	 * @throws IllegalArgumentException if the interval is negative
	 */
	public static Flux<StreamEvent> track(Flux<StreamEvent> events, Duration interval, Consumer<Progress> consumer,
			Supplier<ProgressTracker> trackers) {
		Objects.requireNonNull(events, "events");
		Objects.requireNonNull(consumer, "consumer");
		Objects.requireNonNull(trackers, "trackers");
		if (interval.isNegative()) {
			throw new IllegalArgumentException("interval must not be negative, was " + interval);
		}
		return Flux.defer(() -> {
			ProgressTracker tracker = trackers.get();
			ThrottledCallback<Progress> reports = ThrottledCallback.of(interval, consumer, tracker.clock());
			return events.doOnNext((event) -> {
				tracker.record(event);
				if (tracker.isEnded()) {
					reports.complete(tracker.snapshot());
				}
				else {
					reports.offer(tracker.snapshot());
				}
			}).doOnComplete(() -> {
				tracker.end(true);
				reports.complete(tracker.snapshot());
			}).doOnError((ex) -> {
				tracker.end(false);
				reports.complete(tracker.snapshot());
			}).doOnCancel(reports::cancel);
		});
	}

	/**
	 * The progress of a stream as a {@code Flux<Progress>}, with a tracker of unknown
	 * total on {@link Schedulers#parallel()}; see
	 * {@link #progress(Flux, Duration, Supplier)}.
	 * @param events the stream
	 * @param interval the least time between two snapshots
	 * @return the snapshots
	 */
	public static Flux<Progress> progress(Flux<StreamEvent> events, Duration interval) {
		return progress(events, interval, () -> create(null));
	}

	/**
	 * The progress of a stream as a {@code Flux<Progress>}: subscribing subscribes to
	 * {@code events} and emits at most one snapshot per {@code interval} (the latest) and
	 * a final one when the stream ends, then completes (or, after the final snapshot,
	 * signals the stream's error). To send both to a browser, subscribe to the events
	 * once: {@code events.publish(shared -> Flux.merge(shared.map(toSse),
	 * ProgressTracker.progress(shared, interval).map(toSse)))}. Cancelling cancels the
	 * stream; snapshots are buffered if the subscriber requests fewer.
	 * @param events the stream
	 * @param interval the least time between two snapshots, not negative
	 * @param trackers a fresh tracker per subscription
	 * @return the snapshots
	 * @throws IllegalArgumentException if the interval is negative
	 */
	public static Flux<Progress> progress(Flux<StreamEvent> events, Duration interval,
			Supplier<ProgressTracker> trackers) {
		Objects.requireNonNull(events, "events");
		Objects.requireNonNull(trackers, "trackers");
		if (interval.isNegative()) {
			throw new IllegalArgumentException("interval must not be negative, was " + interval);
		}
		return Flux.create((sink) -> {
			Disposable subscription = track(events, interval, sink::next, trackers).subscribe(null, sink::error,
					sink::complete, Context.of(sink.contextView()));
			sink.onDispose(subscription);
		});
	}

}
