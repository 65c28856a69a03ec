package io.steer.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RetryDelays}.
 */
class RetryDelaysTests {

	private static final Instant NOW = Instant.parse("2015-10-21T07:27:30Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

	private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(60);

	/** nextDouble() is 0: no jitter, the full delay. */
	private static final RandomGenerator NO_JITTER = () -> 0L;

	/** nextDouble() is just below 1: the most jitter, 75% of the delay. */
	private static final RandomGenerator MOST_JITTER = () -> -1L;

	@Test
	void shouldRetryHeaderShouldReadTrueAndFalseOnly() {
		assertThat(RetryDelays.shouldRetryHeader(headers("x-should-retry", "true"))).isTrue();
		assertThat(RetryDelays.shouldRetryHeader(headers("x-should-retry", "false"))).isFalse();
		assertThat(RetryDelays.shouldRetryHeader(headers("X-Should-Retry", " TRUE "))).isTrue();
		assertThat(RetryDelays.shouldRetryHeader(headers("x-should-retry", "yes"))).isNull();
		assertThat(RetryDelays.shouldRetryHeader(headers("x-should-retry", ""))).isNull();
		assertThat(RetryDelays.shouldRetryHeader(new HttpHeaders())).isNull();
	}

	@Test
	void computeWhenShouldRetryHeaderFalseShouldNotRetryWhateverTheStatus() {
		HttpHeaders headers = headers("x-should-retry", "false");
		headers.set("retry-after", "1");
		assertThat(compute(1, true, headers)).isEmpty();
		assertThat(compute(1, null, headers)).isEmpty();
		assertThat(compute(1, false, headers)).isEmpty();
	}

	@Test
	void computeWhenShouldRetryHeaderTrueShouldRetryWhateverTheStatus() {
		assertThat(compute(1, false, headers("x-should-retry", "true"))).contains(RECONNECT_DELAY);
		HttpHeaders withRetryAfter = headers("x-should-retry", "true");
		withRetryAfter.set("retry-after", "3");
		assertThat(compute(1, false, withRetryAfter)).contains(Duration.ofSeconds(3));
	}

	@Test
	void computeWhenNoShouldRetryHeaderShouldFollowTheStatus() {
		assertThat(compute(1, true, new HttpHeaders())).contains(RECONNECT_DELAY);
		assertThat(compute(1, null, new HttpHeaders())).contains(RECONNECT_DELAY);
		assertThat(compute(1, false, new HttpHeaders())).isEmpty();
		assertThat(compute(1, false, headers("retry-after", "3"))).isEmpty();
		assertThat(compute(2, true, headers("x-should-retry", "maybe"))).contains(Duration.ofSeconds(1));
	}

	@Test
	void computeWhenRetryAfterGivenShouldWaitItInsteadOfBackoff() {
		assertThat(compute(3, true, headers("retry-after", "2"))).contains(Duration.ofSeconds(2));
		assertThat(compute(3, true, headers("retry-after-ms", "250"))).contains(Duration.ofMillis(250));
	}

	@Test
	void computeWhenRetryAfterLongerThanMaxRetryDelayShouldWaitMaxRetryDelay() {
		assertThat(compute(1, true, headers("retry-after", "120"))).contains(MAX_RETRY_DELAY);
		assertThat(compute(1, true, headers("retry-after-ms", "60001"))).contains(MAX_RETRY_DELAY);
		assertThat(compute(1, true, headers("retry-after", "Wed, 21 Oct 2015 09:00:00 GMT"))).contains(MAX_RETRY_DELAY);
		assertThat(RetryDelays.compute(1, true, headers("retry-after", "5"), RECONNECT_DELAY, Duration.ofSeconds(2),
				CLOCK, NO_JITTER))
			.contains(Duration.ofSeconds(2));
	}

	@Test
	void computeWhenRetryAfterZeroShouldRetryAtOnce() {
		assertThat(compute(1, true, headers("retry-after", "0"))).contains(Duration.ZERO);
		assertThat(compute(1, true, headers("retry-after-ms", "0"))).contains(Duration.ZERO);
	}

	@Test
	void computeWhenAttemptBelowOneOrDelayNegativeShouldThrow() {
		assertThatIllegalArgumentException().isThrownBy(() -> compute(0, true, new HttpHeaders()))
			.withMessageContaining("attempt");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryDelays.compute(1, true, new HttpHeaders(), Duration.ofMillis(-1), MAX_RETRY_DELAY,
					CLOCK, NO_JITTER))
			.withMessageContaining("reconnectDelay");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryDelays.backoff(1, RECONNECT_DELAY, Duration.ofMillis(-1), NO_JITTER))
			.withMessageContaining("maxRetryDelay");
	}

	@Test
	void retryAfterWhenMillisecondsWithDecimalsShouldBeExact() {
		assertThat(RetryDelays.retryAfter(headers("retry-after-ms", "1500.5"), CLOCK))
			.isEqualTo(Duration.ofNanos(1_500_500_000));
		assertThat(RetryDelays.retryAfter(headers("retry-after-ms", " 20 "), CLOCK)).isEqualTo(Duration.ofMillis(20));
		assertThat(RetryDelays.retryAfter(headers("retry-after-ms", ".25"), CLOCK))
			.isEqualTo(Duration.ofNanos(250_000));
	}

	@Test
	void retryAfterWhenBothHeadersShouldPreferMilliseconds() {
		HttpHeaders headers = headers("retry-after-ms", "1200");
		headers.set("retry-after", "2");
		assertThat(RetryDelays.retryAfter(headers, CLOCK)).isEqualTo(Duration.ofMillis(1200));
	}

	@Test
	void retryAfterWhenMillisecondsInvalidShouldUseSeconds() {
		HttpHeaders headers = headers("retry-after-ms", "soon");
		headers.set("retry-after", "2");
		assertThat(RetryDelays.retryAfter(headers, CLOCK)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void retryAfterWhenSecondsShouldAllowDecimals() {
		assertThat(RetryDelays.retryAfter(headers("retry-after", "7"), CLOCK)).isEqualTo(Duration.ofSeconds(7));
		assertThat(RetryDelays.retryAfter(headers("retry-after", "2.5"), CLOCK)).isEqualTo(Duration.ofMillis(2500));
		assertThat(RetryDelays.retryAfter(headers("retry-after", "0.000000001"), CLOCK)).isEqualTo(Duration.ofNanos(1));
	}

	@Test
	void retryAfterWhenHttpDateShouldBeRelativeToTheClock() {
		assertThat(RetryDelays.retryAfter(headers("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"), CLOCK))
			.isEqualTo(Duration.ofSeconds(30));
		// the obsolete forms of RFC 9110 §5.6.7
		assertThat(RetryDelays.retryAfter(headers("retry-after", "Wednesday, 21-Oct-15 07:28:00 GMT"), CLOCK))
			.isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryDelays.retryAfter(headers("retry-after", "Wed Oct 21 07:28:00 2015"), CLOCK))
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void retryAfterWhenHttpDateInThePastShouldBeZero() {
		assertThat(RetryDelays.retryAfter(headers("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT"), CLOCK))
			.isEqualTo(Duration.ZERO);
		assertThat(compute(1, true, headers("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT"))).contains(Duration.ZERO);
	}

	@Test
	void retryAfterWhenAbsentShouldBeNull() {
		assertThat(RetryDelays.retryAfter(new HttpHeaders(), CLOCK)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "soon", "-1", "-0.5", "+3", "1e3", "NaN", "Infinity", "0x10", "10d", "1,5",
			"1.2.3", "5 s", "21 Oct 2015 07:28:00", "Wed, 32 Oct 2015 07:28:00 GMT" })
	void retryAfterWhenGarbageShouldBeIgnored(String value) {
		assertThat(RetryDelays.retryAfter(headers("retry-after", value), CLOCK)).isNull();
		assertThat(RetryDelays.retryAfter(headers("retry-after-ms", value), CLOCK)).isNull();
		assertThat(compute(2, true, headers("retry-after", value))).contains(Duration.ofSeconds(1));
	}

	@Test
	void retryAfterWhenHugeShouldNotOverflow() {
		String huge = "9".repeat(40);
		assertThat(RetryDelays.retryAfter(headers("retry-after", huge), CLOCK)).isPositive();
		assertThat(compute(1, true, headers("retry-after", huge))).contains(MAX_RETRY_DELAY);
		assertThat(compute(1, true, headers("retry-after-ms", huge))).contains(MAX_RETRY_DELAY);
	}

	@Test
	void backoffWhenNoJitterShouldDoubleFromReconnectDelayUpToMaxRetryDelay() {
		long[] expectedMillis = { 500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };
		for (int attempt = 1; attempt <= expectedMillis.length; attempt++) {
			assertThat(RetryDelays.backoff(attempt, RECONNECT_DELAY, MAX_RETRY_DELAY, NO_JITTER))
				.as("attempt %d", attempt)
				.isEqualTo(Duration.ofMillis(expectedMillis[attempt - 1]));
		}
	}

	@Test
	void backoffWhenMostJitterShouldWaitThreeQuarters() {
		// to the nanosecond: just over 75% rounds to 75%
		Duration first = RetryDelays.backoff(1, RECONNECT_DELAY, MAX_RETRY_DELAY, MOST_JITTER);
		assertThat(first).isBetween(Duration.ofMillis(375), Duration.ofNanos(375_000_001));
		Duration capped = RetryDelays.backoff(20, RECONNECT_DELAY, MAX_RETRY_DELAY, MOST_JITTER);
		assertThat(capped).isBetween(Duration.ofSeconds(45), Duration.ofNanos(45_000_000_001L));
	}

	@Test
	void backoffWhenSeededRandomShouldStayWithinJitterBoundsAndVary() {
		RandomGenerator random = new SplittableRandom(42);
		for (int attempt = 1; attempt <= 12; attempt++) {
			long full = Math.min(500L << (attempt - 1), 60_000L);
			Duration lowest = Duration.ofMillis(full).multipliedBy(3).dividedBy(4);
			Duration highest = Duration.ofMillis(full);
			Set<Duration> seen = new HashSet<>();
			for (int i = 0; i < 200; i++) {
				Duration delay = RetryDelays.backoff(attempt, RECONNECT_DELAY, MAX_RETRY_DELAY, random);
				assertThat(delay).as("attempt %d", attempt).isBetween(lowest, highest);
				seen.add(delay);
			}
			assertThat(seen).as("jitter of attempt %d", attempt).hasSizeGreaterThan(100);
		}
	}

	@Test
	void backoffWhenReconnectDelayAboveMaxShouldWaitMax() {
		assertThat(RetryDelays.backoff(1, Duration.ofSeconds(10), Duration.ofSeconds(2), NO_JITTER))
			.isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void backoffWhenZeroDelaysOrHugeAttemptShouldNotOverflow() {
		assertThat(RetryDelays.backoff(1, Duration.ZERO, MAX_RETRY_DELAY, NO_JITTER)).isZero();
		assertThat(RetryDelays.backoff(Integer.MAX_VALUE, Duration.ZERO, MAX_RETRY_DELAY, NO_JITTER)).isZero();
		assertThat(RetryDelays.backoff(3, RECONNECT_DELAY, Duration.ZERO, NO_JITTER)).isZero();
		assertThat(RetryDelays.backoff(Integer.MAX_VALUE, RECONNECT_DELAY, MAX_RETRY_DELAY, NO_JITTER))
			.isEqualTo(MAX_RETRY_DELAY);
		Duration longest = Duration.ofDays(365L * 1000);
		assertThat(RetryDelays.backoff(Integer.MAX_VALUE, longest, longest, NO_JITTER)).isPositive()
			.isLessThanOrEqualTo(longest);
	}

	private static Optional<Duration> compute(int attempt, Boolean statusSaysRetry, HttpHeaders headers) {
		return RetryDelays.compute(attempt, statusSaysRetry, headers, RECONNECT_DELAY, MAX_RETRY_DELAY, CLOCK,
				NO_JITTER);
	}

	private static HttpHeaders headers(String name, String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(name, value);
		return headers;
	}

}
