package io.steer.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it (shared by the tests of several
 * packages).
 */
public final class MutableClock extends Clock {

	private volatile Instant instant;

	/**
	 * A clock at the given instant.
	 * @param instant where it stands
	 */
	public MutableClock(Instant instant) {
		this.instant = instant;
	}

	/**
	 * Moves the clock forward.
	 * @param duration by how much
	 */
	public void advance(Duration duration) {
		this.instant = this.instant.plus(duration);
	}

	/**
	 * Sets the clock.
	 * @param instant where it stands now
	 */
	public void set(Instant instant) {
		this.instant = instant;
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

}
