package io.steer.llm.shaping;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * A {@link TextBuffer} that remembers when, and from which source, each held fragment
 * arrived: the deadline of its oldest held text, and the first and last sources of each
 * piece it releases.
 *
 * @param <S> the source of a fragment (a delta event), or {@link Void}
 */
final class HeldText<S> {

	private static final long NO_DEADLINE = Long.MIN_VALUE;

	private final TextBuffer buffer;

	private final long maxHoldNanos;

	/** The held fragments, oldest first; {@code end} is relative to the held text. */
	private final ArrayDeque<Fragment<S>> fragments = new ArrayDeque<>();

	private @Nullable S first;

	private @Nullable S last;

	HeldText(TextBuffer buffer, long maxHoldNanos) {
		this.buffer = buffer;
		this.maxHoldNanos = maxHoldNanos;
	}

	/**
	 * Adds a fragment.
	 * @return the released text, possibly empty; {@link #first()} and {@link #last()}
	 * name its sources
	 */
	String add(String text, long now, @Nullable S source) {
		if (text.isEmpty()) {
			return "";
		}
		String ready = this.buffer.add(text);
		this.fragments.addLast(new Fragment<>(this.buffer.held() + ready.length(), now, source));
		return released(ready);
	}

	/** Releases what is held when its oldest text has been held for the maximum. */
	String expire(long now) {
		if (deadline() > now) {
			return "";
		}
		String ready = released(this.buffer.releaseHeld());
		// a tail that cannot be shown alone waits for the next fragment, without a
		// deadline
		ArrayDeque<Fragment<S>> exempt = new ArrayDeque<>(this.fragments.size());
		for (Fragment<S> fragment : this.fragments) {
			exempt.addLast(new Fragment<>(fragment.end, NO_DEADLINE, fragment.source));
		}
		this.fragments.clear();
		this.fragments.addAll(exempt);
		return ready;
	}

	String flush() {
		String ready = released(this.buffer.flush());
		this.fragments.clear();
		return ready;
	}

	long deadline() {
		if (this.maxHoldNanos > 0) {
			for (Fragment<S> fragment : this.fragments) {
				if (fragment.arrival != NO_DEADLINE) {
					return fragment.arrival + this.maxHoldNanos;
				}
			}
		}
		return Long.MAX_VALUE;
	}

	boolean isEmpty() {
		return this.buffer.isEmpty();
	}

	/** Source of the first fragment of the last released piece. */
	@Nullable S first() {
		return this.first;
	}

	/** Source of the last fragment of the last released piece. */
	@Nullable S last() {
		return this.last;
	}

	private String released(String ready) {
		int cut = ready.length();
		if (cut == 0) {
			return ready;
		}
		Fragment<S> oldest = this.fragments.peekFirst();
		this.first = (oldest != null) ? oldest.source : null;
		this.last = this.first;
		ArrayDeque<Fragment<S>> kept = new ArrayDeque<>(this.fragments.size());
		boolean lastFound = false;
		for (Fragment<S> fragment : this.fragments) {
			if (!lastFound && fragment.end >= cut) {
				this.last = fragment.source;
				lastFound = true;
			}
			if (fragment.end > cut) {
				kept.addLast(new Fragment<>(fragment.end - cut, fragment.arrival, fragment.source));
			}
		}
		this.fragments.clear();
		this.fragments.addAll(kept);
		return ready;
	}

	private record Fragment<S>(int end, long arrival, @Nullable S source) {
	}

}
