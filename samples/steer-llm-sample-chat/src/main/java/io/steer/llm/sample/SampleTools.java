package io.steer.llm.sample;

import java.math.BigInteger;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import io.steer.llm.autoconfigure.agent.SteerTool;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The sample agent's two tools, found by the starter because they are {@link SteerTool}
 * methods of a bean: {@code factorial} (the seed's "Calculate factorial of 10") and
 * {@code current_time}. Their input schemas are generated from the parameters.
 */
@Component
class SampleTools {

	/** The largest n {@link #factorial(int)} accepts: 1000! has 2,568 digits. */
	static final int MAX_FACTORIAL = 1000;

	private final Clock clock;

	/**
	 * Tools that read the time from the context's {@link Clock} bean, if there is one,
	 * else from the system clock.
	 * @param clock the clock bean, if any
	 */
	SampleTools(ObjectProvider<Clock> clock) {
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * n!, exactly.
	 * @param n a whole number from 0 to {@value #MAX_FACTORIAL}
	 * @return the decimal digits of n!
	 * @throws IllegalArgumentException when n is out of range (the model sees the
	 * message)
	 */
	@SteerTool(name = "factorial", description = "Calculates n! = 1 × 2 × … × n exactly, for a whole number n from 0 "
			+ "to " + MAX_FACTORIAL + "; returns its decimal digits")
	public String factorial(int n) {
		if (n < 0 || n > MAX_FACTORIAL) {
			throw new IllegalArgumentException("n must be a whole number from 0 to " + MAX_FACTORIAL + ", not " + n);
		}
		BigInteger result = BigInteger.ONE;
		for (int i = 2; i <= n; i++) {
			result = result.multiply(BigInteger.valueOf(i));
		}
		return result.toString();
	}

	/**
	 * The current date and time, to the second.
	 * @param zone an IANA time zone such as {@code Europe/Paris}, or {@code null} for UTC
	 * @return the time as ISO-8601 with its offset, e.g.
	 * {@code 2026-12-01T19:30:00+01:00[Europe/Paris]}
	 * @throws IllegalArgumentException when the zone is unknown (the model sees the
	 * message)
	 */
	@SteerTool(name = "current_time", description = "The current date and time (ISO-8601) in a time zone, an IANA id "
			+ "such as Europe/Paris; UTC when no zone is given")
	public String currentTime(@Nullable String zone) {
		ZoneId id;
		try {
			id = (zone == null || zone.isBlank()) ? ZoneOffset.UTC : ZoneId.of(zone.strip()).normalized();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("Unknown time zone '" + zone + "'; give an IANA id such as "
					+ "Europe/Paris or America/New_York, or UTC", ex);
		}
		return ZonedDateTime.now(this.clock.withZone(id))
			.truncatedTo(ChronoUnit.SECONDS)
			.format(DateTimeFormatter.ISO_ZONED_DATE_TIME);
	}

}
