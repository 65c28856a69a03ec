package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a stream's progress, taken by a {@link ProgressTracker}.
 *
 * @param tokensReceived output tokens received so far (text and reasoning), estimated per
 * delta unless the provider reported its exact count, at least 0
 * @param estimatedTotalTokens the output tokens expected in all (the request's
 * {@code max_tokens} or a caller's estimate), {@code null} when unknown
 * @param elapsed time since tracking began, not negative
 * @param percentage {@code tokensReceived} as a percentage of
 * {@code estimatedTotalTokens}, from 0 to 100 (capped at 100), exactly 100 once the
 * stream ended successfully (a model may stop well before {@code max_tokens}),
 * {@code null} when the total is unknown and the stream has not ended successfully
 * @param estimatedTimeLeft time until {@code estimatedTotalTokens} at the rate seen so
 * far, {@code null} when the total is unknown, no token arrived yet or the stream failed;
 * {@link Duration#ZERO} once it ended successfully or went past the total
 * @param complete whether the stream has ended, successfully or not (this is the final
 * snapshot)
 */
public record Progress(long tokensReceived, @Nullable Long estimatedTotalTokens, Duration elapsed,
		@Nullable Double percentage, @Nullable Duration estimatedTimeLeft, boolean complete) {

	/**
	 * Creates a snapshot.
	 * @param tokensReceived output tokens received so far, at least 0
	 * @param estimatedTotalTokens the expected total, or {@code null}
	 * @param elapsed time since tracking began, not negative
	 * @param percentage 0 to 100, or {@code null}
	 * @param estimatedTimeLeft the estimated time left, or {@code null}
	 * @param complete whether the stream has ended
	 * @throws IllegalArgumentException if {@code tokensReceived} or {@code elapsed} is
	 * negative, or {@code percentage} is outside 0 to 100
	 */
	public Progress {
		Objects.requireNonNull(elapsed, "elapsed");
		if (tokensReceived < 0) {
			throw new IllegalArgumentException("tokensReceived must be at least 0, was " + tokensReceived);
		}
		if (elapsed.isNegative()) {
			throw new IllegalArgumentException("elapsed must not be negative, was " + elapsed);
		}
		if (percentage != null && !(percentage >= 0 && percentage <= 100)) {
			throw new IllegalArgumentException("percentage must be from 0 to 100, was " + percentage);
		}
	}

}
