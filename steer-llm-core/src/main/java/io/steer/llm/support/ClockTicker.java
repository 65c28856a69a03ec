package io.steer.llm.support;

import java.time.Clock;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A Caffeine {@link Ticker} read from a {@link Clock}: nanoseconds of the clock since the
 * ticker was created, so that a cache expires its entries on that clock (a test's clock
 * included) rather than on {@link System#nanoTime()}. Internal to the library.
 */
public final class ClockTicker implements Ticker {

	private final Clock clock;

	private final Instant origin;

	/**
	 * A ticker starting at 0 now.
	 * @param clock the clock it reads
	 */
	public ClockTicker(Clock clock) {
		this.clock = clock;
		this.origin = clock.instant();
	}

	/**
	 * Nanoseconds since the ticker was created, on its clock.
	 * @return the nanoseconds (negative if the clock went back)
	 */
	@Override
	public long read() {
		Instant now = this.clock.instant();
		return (now.getEpochSecond() - this.origin.getEpochSecond()) * 1_000_000_000L
				+ (now.getNano() - this.origin.getNano());
	}

}
