package io.steer.llm.retry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Whether and how long to wait before retrying a request, from the provider's response
 * headers, as the OpenAI and Anthropic SDKs decide it:
 * <ol>
 * <li>{@code x-should-retry: true} or {@code false} decides whether to retry, overriding
 * what the status or error says;</li>
 * <li>{@code retry-after-ms} (milliseconds), else {@code retry-after} (seconds or an HTTP
 * date) decides how long, capped at the maximum retry delay;</li>
 * <li>without them, the wait grows exponentially from the reconnect delay, with
 * jitter.</li>
 * </ol>
 * Unlike the SDKs, which fall back to their backoff when {@code retry-after} asks for no
 * wait or for more than 60 s, a zero {@code retry-after} here retries at once and a long
 * one waits the maximum retry delay ({@code steer.streaming.max-retry-delay}).
 */
public final class RetryDelays {

	/** Non-standard header of OpenAI and Anthropic: {@code true} or {@code false}. */
	public static final String X_SHOULD_RETRY = "x-should-retry";

	/** Non-standard header of OpenAI and Anthropic: milliseconds, decimals allowed. */
	public static final String RETRY_AFTER_MS = "retry-after-ms";

	/** Standard header (RFC 9110 §10.2.3): seconds, or an HTTP date. */
	public static final String RETRY_AFTER = "retry-after";

	/** Share of the backoff delay that jitter may remove: waits are 75% to 100% of it. */
	private static final double JITTER = 0.25;

	/**
	 * Decimal number without sign or exponent, as {@code 12}, {@code 1.5} or {@code .5}.
	 */
	private static final Pattern DECIMAL = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)");

	private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE);

	private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

	/** The three HTTP date forms recipients must accept (RFC 9110 §5.6.7). */
	private static final List<DateTimeFormatter> HTTP_DATES = List.of(DateTimeFormatter.RFC_1123_DATE_TIME,
			new DateTimeFormatterBuilder().parseCaseInsensitive()
				.appendPattern("EEEE, dd-MMM-")
				.appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
				.appendPattern(" HH:mm:ss zzz")
				.toFormatter(Locale.US),
			new DateTimeFormatterBuilder().parseCaseInsensitive()
				.appendPattern("EEE MMM ppd HH:mm:ss yyyy")
				.toFormatter(Locale.US)
				.withZone(ZoneOffset.UTC));

	private RetryDelays() {
	}

	/**
	 * Whether and how long to wait before retry number {@code attempt}.
	 * <ul>
	 * <li>{@code x-should-retry: false}: do not retry, whatever the status says;</li>
	 * <li>{@code x-should-retry: true}, or no such header and a status that allows
	 * retrying ({@code statusSaysRetry} {@code true} or {@code null}): the
	 * {@link #retryAfter(HttpHeaders, Clock) Retry-After} wait capped at
	 * {@code maxRetryDelay} when the headers give one, else the {@link #backoff
	 * exponential backoff};</li>
	 * <li>no such header and a status that forbids retrying: do not retry.</li>
	 * </ul>
	 * Whether retries remain ({@code max-reconnect-attempts}) is for the caller to check.
	 * @param attempt the retry about to be made: 1 for the first retry, 2 for the second
	 * @param statusSaysRetry whether the failure is retryable by itself (for an HTTP
	 * error, {@link io.steer.llm.error.ProviderHttpException#isRetryableStatus(int)}), or
	 * {@code null} when there is no status to judge, such as for a connection error
	 * @param headers the headers of the failed response; empty when there was none
	 * @param reconnectDelay the first backoff delay; not negative
	 * @param maxRetryDelay the longest wait; not negative
	 * @param clock the clock an HTTP date in {@code retry-after} is compared with
	 * @param random the source of jitter
	 * @return the wait, never negative, or empty when the request must not be retried
	 * @throws IllegalArgumentException when {@code attempt} is less than 1 or a delay is
	 * negative
	 */
	public static Optional<Duration> compute(int attempt, @Nullable Boolean statusSaysRetry, HttpHeaders headers,
			Duration reconnectDelay, Duration maxRetryDelay, Clock clock, RandomGenerator random) {
		checkArguments(attempt, reconnectDelay, maxRetryDelay);
		Objects.requireNonNull(clock, "clock must not be null");
		Objects.requireNonNull(random, "random must not be null");
		Boolean headerSaysRetry = shouldRetryHeader(headers);
		boolean retry = (headerSaysRetry != null) ? headerSaysRetry : !Boolean.FALSE.equals(statusSaysRetry);
		if (!retry) {
			return Optional.empty();
		}
		Duration retryAfter = retryAfter(headers, clock);
		if (retryAfter != null) {
			return Optional.of(min(retryAfter, maxRetryDelay));
		}
		return Optional.of(backoff(attempt, reconnectDelay, maxRetryDelay, random));
	}

	/**
	 * What the {@code x-should-retry} header says. Case and surrounding blanks are
	 * ignored; the first value counts.
	 * @param headers the response headers
	 * @return {@code true} or {@code false} as the header says, or {@code null} when it
	 * is absent or has another value
	 */
	public static @Nullable Boolean shouldRetryHeader(HttpHeaders headers) {
		String value = headers.getFirst(X_SHOULD_RETRY);
		if (value == null) {
			return null;
		}
		value = value.strip();
		if (value.equalsIgnoreCase("true")) {
			return Boolean.TRUE;
		}
		if (value.equalsIgnoreCase("false")) {
			return Boolean.FALSE;
		}
		return null;
	}

	/**
	 * How long the provider asks to wait: {@code retry-after-ms} in milliseconds when it
	 * is a valid number, else {@code retry-after} in seconds or as an HTTP date (RFC
	 * 1123, or the obsolete RFC 850 and asctime forms, in GMT). Numbers may have decimals
	 * ({@code 1.5}) but no sign or exponent; an HTTP date is taken relative to
	 * {@code clock}, and a date in the past gives zero. The result is not capped.
	 * @param headers the response headers; the first value of each counts
	 * @param clock the current time for an HTTP date
	 * @return the wait, zero or positive, or {@code null} when neither header is present
	 * with a valid value (a negative number is not valid)
	 */
	public static @Nullable Duration retryAfter(HttpHeaders headers, Clock clock) {
		Duration millis = decimal(headers.getFirst(RETRY_AFTER_MS), 3);
		if (millis != null) {
			return millis;
		}
		String retryAfter = headers.getFirst(RETRY_AFTER);
		if (retryAfter == null) {
			return null;
		}
		Duration seconds = decimal(retryAfter, 0);
		return (seconds != null) ? seconds : untilDate(retryAfter.strip(), clock);
	}

	/**
	 * Exponential backoff: {@code reconnectDelay × 2^(attempt - 1)}, capped at
	 * {@code maxRetryDelay}, then reduced by a random jitter of up to 25%: the wait is
	 * between 75% and 100% of the capped delay, as in the OpenAI and Anthropic SDKs. With
	 * the defaults (500 ms, 60 s) the first retry waits 375 to 500 ms, the second 750 ms
	 * to 1 s, the eighth and later 45 to 60 s.
	 * @param attempt the retry about to be made: 1 for the first retry
	 * @param reconnectDelay the first delay; not negative
	 * @param maxRetryDelay the cap; not negative
	 * @param random the source of jitter
	 * @return the wait, between zero and {@code maxRetryDelay}
	 * @throws IllegalArgumentException when {@code attempt} is less than 1 or a delay is
	 * negative
	 */
	public static Duration backoff(int attempt, Duration reconnectDelay, Duration maxRetryDelay,
			RandomGenerator random) {
		checkArguments(attempt, reconnectDelay, maxRetryDelay);
		Objects.requireNonNull(random, "random must not be null");
		double capNanos = nanos(maxRetryDelay);
		// 2^64 already exceeds any cap in nanoseconds; a larger exponent would only risk
		// 0 × ∞
		double delayNanos = Math.min(nanos(reconnectDelay) * Math.pow(2, Math.min(attempt - 1, 64)), capNanos);
		double jittered = delayNanos * (1 - JITTER * random.nextDouble());
		return Duration.ofNanos(Math.max(0, Math.min(Math.round(jittered), (long) capNanos)));
	}

	private static void checkArguments(int attempt, Duration reconnectDelay, Duration maxRetryDelay) {
		Objects.requireNonNull(reconnectDelay, "reconnectDelay must not be null");
		Objects.requireNonNull(maxRetryDelay, "maxRetryDelay must not be null");
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
		}
		if (reconnectDelay.isNegative()) {
			throw new IllegalArgumentException("reconnectDelay must not be negative, was " + reconnectDelay);
		}
		if (maxRetryDelay.isNegative()) {
			throw new IllegalArgumentException("maxRetryDelay must not be negative, was " + maxRetryDelay);
		}
	}

	/**
	 * A duration's nanoseconds, saturated at {@link Long#MAX_VALUE} (about 292 years).
	 */
	private static long nanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A decimal number of units of {@code 10^-scale} seconds, to the nanosecond.
	 */
	private static @Nullable Duration decimal(@Nullable String value, int scale) {
		if (value == null) {
			return null;
		}
		String trimmed = value.strip();
		if (!DECIMAL.matcher(trimmed).matches()) {
			return null;
		}
		BigDecimal seconds = new BigDecimal(trimmed).movePointLeft(scale);
		if (seconds.compareTo(MAX_SECONDS) >= 0) {
			return LONGEST;
		}
		BigDecimal nanos = seconds.setScale(9, RoundingMode.HALF_UP);
		return Duration.ofSeconds(nanos.longValue(), nanos.remainder(BigDecimal.ONE).movePointRight(9).longValue());
	}

	private static @Nullable Duration untilDate(String value, Clock clock) {
		for (DateTimeFormatter format : HTTP_DATES) {
			try {
				Instant date = ZonedDateTime.parse(value, format).toInstant();
				Duration wait = Duration.between(clock.instant(), date);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeException ex) {
				// try the next form
			}
		}
		return null;
	}

}
