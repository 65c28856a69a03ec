package io.steer.llm.shaping;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The state of one subscription to an {@link AdaptivePacer} operator: the backlog (the
 * text not released yet, with the arrival time of each piece), the pending tick, and the
 * sink. Source signals and ticks come on different threads; every change and every
 * emission happens under this object's monitor, so the output keeps the input's order.
 *
 * @param <T> the type of the items
 */
final class PacingSubscription<T> {

	private final long intervalNanos;

	private final long maxAddedLatencyNanos;

	private final int characters;

	private final Scheduler scheduler;

	private final FluxSink<T> sink;

	private final PacingCodec<T> codec;

	private final StringBuilder backlog = new StringBuilder();

	/** The backlog's pieces, oldest first: {length, arrival nanos}. */
	private final ArrayDeque<long[]> arrivals = new ArrayDeque<>();

	private @Nullable T template;

	private @Nullable Object key;

	private @Nullable Disposable tick;

	private boolean done;

	PacingSubscription(AdaptivePacer pacer, Scheduler scheduler, FluxSink<T> sink, PacingCodec<T> codec,
			int characters) {
		this.intervalNanos = pacer.interval().toNanos();
		this.maxAddedLatencyNanos = pacer.maxAddedLatency().toNanos();
		this.characters = characters;
		this.scheduler = scheduler;
		this.sink = sink;
		this.codec = codec;
	}

	void subscribeTo(Flux<T> source, FluxSink<T> sink) {
		Disposable upstream = source.subscribe(this::onNext, this::onError, this::onComplete,
				Context.of(sink.contextView()));
		sink.onDispose(() -> {
			upstream.dispose();
			cancel();
		});
	}

	private synchronized void onNext(T item) {
		if (this.done) {
			return;
		}
		Object itemKey = this.codec.key(item);
		if (itemKey == null) {
			flush();
			this.sink.next(this.codec.passThrough(item));
			return;
		}
		String text = this.codec.text(item);
		if (text.isEmpty()) {
			return;
		}
		if (this.backlog.length() > 0 && !itemKey.equals(this.key)) {
			flush();
		}
		long now = now();
		this.backlog.append(text);
		this.arrivals.addLast(new long[] { text.length(), now });
		this.template = item;
		this.key = itemKey;
		if (this.tick == null) {
			release(now);
			scheduleTickIfNeeded();
		}
	}

	private synchronized void onTick() {
		this.tick = null;
		if (this.done) {
			return;
		}
		release(now());
		scheduleTickIfNeeded();
	}

	private synchronized void onError(Throwable error) {
		if (this.done) {
			return;
		}
		flush();
		stop();
		this.sink.error(error);
	}

	private synchronized void onComplete() {
		if (this.done) {
			return;
		}
		flush();
		stop();
		this.sink.complete();
	}

	private synchronized void cancel() {
		stop();
		this.backlog.setLength(0);
		this.arrivals.clear();
		this.template = null;
	}

	private void stop() {
		this.done = true;
		Disposable pending = this.tick;
		if (pending != null) {
			pending.dispose();
			this.tick = null;
		}
	}

	private void scheduleTickIfNeeded() {
		if (this.backlog.length() > 0 && this.tick == null) {
			this.tick = this.scheduler.schedule(this::onTick, this.intervalNanos, TimeUnit.NANOSECONDS);
		}
	}

	/** Releases the piece due at {@code now}, if any. */
	private void release(long now) {
		int length = this.backlog.length();
		if (length == 0) {
			return;
		}
		int unit = unitLength();
		int forced = 0;
		long forcedBefore = now + this.intervalNanos - this.maxAddedLatencyNanos;
		for (long[] arrival : this.arrivals) {
			if (arrival[1] >= forcedBefore) {
				break;
			}
			forced += (int) arrival[0];
		}
		long oldest = this.arrivals.getFirst()[1];
		long left = oldest + this.maxAddedLatencyNanos - now;
		long ticksLeft = (left >= 0) ? left / this.intervalNanos + 1 : 1;
		int share = (int) ((length + ticksLeft - 1) / ticksLeft);
		int cut;
		if (this.characters > 0) {
			cut = Math.max(unit, Math.max(forced, share));
		}
		else {
			// words: the share is rounded to a whole word, up when the word is complete
			// in the backlog, else down; what is forced goes out even inside a word
			cut = unit;
			if (share > unit) {
				int up = extendToWordEnd(share);
				cut = Math.max(unit, (up > share || isBoundary(share)) ? up : lastBoundaryBefore(share));
			}
			if (forced > cut) {
				cut = extendToWordEnd(forced);
			}
		}
		if (cut == 0) {
			return;
		}
		if (cut < length && Character.isHighSurrogate(this.backlog.charAt(cut - 1))
				&& Character.isLowSurrogate(this.backlog.charAt(cut))) {
			cut++;
		}
		emit(cut);
	}

	private void flush() {
		if (this.backlog.length() > 0) {
			emit(this.backlog.length());
		}
	}

	private void emit(int cut) {
		String piece = this.backlog.substring(0, cut);
		this.backlog.delete(0, cut);
		long remaining = cut;
		while (remaining > 0) {
			long[] first = this.arrivals.getFirst();
			if (first[0] <= remaining) {
				remaining -= first[0];
				this.arrivals.removeFirst();
			}
			else {
				first[0] -= remaining;
				remaining = 0;
			}
		}
		T last = this.template;
		if (this.backlog.length() == 0) {
			this.template = null;
		}
		if (last != null) {
			this.sink.next(this.codec.piece(last, piece));
		}
	}

	/** The length of the first unit when it is complete in the backlog, else 0. */
	private int unitLength() {
		int length = this.backlog.length();
		if (this.characters > 0) {
			int codePoints = this.backlog.codePointCount(0, length);
			return (codePoints <= this.characters) ? length : this.backlog.offsetByCodePoints(0, this.characters);
		}
		int i = 0;
		while (i < length && Character.isWhitespace(this.backlog.charAt(i))) {
			i++;
		}
		if (i == length) {
			return 0;
		}
		while (i < length && !Character.isWhitespace(this.backlog.charAt(i))) {
			i++;
		}
		if (i == length) {
			return 0;
		}
		while (i < length && Character.isWhitespace(this.backlog.charAt(i))) {
			i++;
		}
		return i;
	}

	/** Whether a cut at {@code cut} ends a word and its whitespace (or the backlog). */
	private boolean isBoundary(int cut) {
		int length = this.backlog.length();
		if (cut >= length) {
			return true;
		}
		return Character.isWhitespace(this.backlog.charAt(cut - 1))
				&& !Character.isWhitespace(this.backlog.charAt(cut));
	}

	/** The last cut before {@code cut} that ends a word and its whitespace, else 0. */
	private int lastBoundaryBefore(int cut) {
		for (int i = cut - 1; i > 0; i--) {
			if (isBoundary(i)) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * Moves a cut inside a word to after the word and its whitespace, when the backlog
	 * holds the word's end; else keeps it.
	 */
	private int extendToWordEnd(int cut) {
		int length = this.backlog.length();
		if (cut >= length) {
			return length;
		}
		int i = cut;
		if (!Character.isWhitespace(this.backlog.charAt(cut - 1))) {
			while (i < length && !Character.isWhitespace(this.backlog.charAt(i))) {
				i++;
			}
			if (i == length) {
				return cut;
			}
		}
		while (i < length && Character.isWhitespace(this.backlog.charAt(i))) {
			i++;
		}
		return i;
	}

	private long now() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

}
