package io.steer.llm.shaping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ThrottledCallback} on virtual time: at most one call per interval, always the
 * latest value, a final call at the end.
 */
class ThrottledCallbackTests {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final List<String> calls = new ArrayList<>();

	private final ThrottledCallback<String> callback = ThrottledCallback.of(Duration.ofMillis(100),
			(value) -> this.calls.add(this.scheduler.now(TimeUnit.MILLISECONDS) + ":" + value), this.scheduler);

	@Test
	void firstValueShouldGoOutAtOnce() {
		this.callback.offer("a");
		assertThat(this.calls).containsExactly("0:a");
	}

	@Test
	void valuesWithinTheIntervalShouldCollapseToTheLatest() {
		this.callback.offer("a");
		advance(10);
		this.callback.offer("b");
		advance(10);
		this.callback.offer("c");
		advance(79);
		assertThat(this.calls).containsExactly("0:a");
		advance(1);
		assertThat(this.calls).containsExactly("0:a", "100:c");
		advance(500);
		assertThat(this.calls).containsExactly("0:a", "100:c");
	}

	@Test
	void aValueAfterTheIntervalShouldGoOutAtOnce() {
		this.callback.offer("a");
		advance(150);
		this.callback.offer("b");
		advance(10);
		this.callback.offer("c");
		advance(90);
		assertThat(this.calls).containsExactly("0:a", "150:b", "250:c");
	}

	@Test
	void steadyOffersShouldBeCalledOncePerInterval() {
		for (int i = 0; i < 100; i++) {
			this.callback.offer("v" + i);
			advance(10);
		}
		// offers at 0, 10, …, 990: calls at 0, 100, …, 1000 with the value offered last
		assertThat(this.calls).hasSize(11).startsWith("0:v0", "100:v9", "200:v19").endsWith("900:v89", "1000:v99");
	}

	@Test
	void completeShouldCallAtOnceWithTheFinalValueAndStop() {
		this.callback.offer("a");
		advance(10);
		this.callback.offer("b");
		this.callback.complete("final");
		advance(500);
		this.callback.offer("late");
		this.callback.complete("again");
		assertThat(this.calls).containsExactly("0:a", "10:final");
	}

	@Test
	void cancelShouldDropTheWaitingValue() {
		this.callback.offer("a");
		this.callback.offer("b");
		this.callback.cancel();
		advance(500);
		this.callback.complete("final");
		assertThat(this.calls).containsExactly("0:a");
	}

	@Test
	void failingDelayedCallShouldNotStopLaterCalls() {
		List<String> seen = new ArrayList<>();
		ThrottledCallback<String> failing = ThrottledCallback.of(Duration.ofMillis(100), (value) -> {
			seen.add(value);
			if (value.equals("b")) {
				throw new IllegalStateException("boom");
			}
		}, this.scheduler);
		failing.offer("a");
		failing.offer("b");
		advance(100);
		failing.offer("c");
		advance(100);
		assertThat(seen).containsExactly("a", "b", "c");
	}

	@Test
	void negativeIntervalShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ThrottledCallback.of(Duration.ofMillis(-1), (value) -> {
		}, this.scheduler));
	}

	private void advance(long millis) {
		this.scheduler.advanceTimeBy(Duration.ofMillis(millis));
	}

}
