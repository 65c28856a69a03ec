package io.steer.llm.client;

import java.time.Duration;
import java.time.Instant;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The end of an attempt's events: the subscriber completes at its terminal event, while
 * the HTTP exchange is read to its end (bounded in virtual time) rather than cancelled,
 * so that its connection can be used again.
 */
class EndOfAttemptTests {

	private static final Duration LIMIT = Duration.ofSeconds(1);

	private static final StreamEvent DELTA = new StreamDeltaEvent("s", DeltaKind.TEXT, "Hi", 0, 0, false, null,
			Instant.EPOCH);

	/** The last event of a failed attempt, in {@link #failedAfter}. */
	private static final StreamEvent LAST_OF_FAILED = new StreamDeltaEvent("s", DeltaKind.TEXT, "lo", 1, 0, false, null,
			Instant.EPOCH);

	private static final StreamEvent COMPLETE = new StreamCompleteEvent("s", 1, 0, null, TestEvents.response("Hi"),
			Instant.EPOCH);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final TestPublisher<StreamEvent> exchange = TestPublisher.create();

	private EndOfAttempt events() {
		return new EndOfAttempt(this.exchange.flux(), (event) -> event == LAST_OF_FAILED, LIMIT, this.time);
	}

	@Test
	void terminalEventShouldCompleteAtOnceAndTheExchangeBeReadToItsEnd() {
		StepVerifier.create(events(), 0)
			.thenRequest(1)
			.then(() -> this.exchange.next(DELTA))
			.expectNext(DELTA)
			.thenRequest(1)
			.then(() -> this.exchange.next(COMPLETE))
			.expectNext(COMPLETE)
			.verifyComplete();
		// the rest of the body is read, not cancelled: all of it is asked for
		this.exchange.assertNotCancelled();
		this.exchange.assertMinRequested(Long.MAX_VALUE / 2);
		this.exchange.next(DELTA);
		this.exchange.complete();
		// the drain's timer was disposed: it no longer cancels
		this.time.advanceTimeBy(LIMIT);
		this.exchange.assertNotCancelled();
	}

	@Test
	void exchangeThatDoesNotEndShouldBeCancelledOnceTheLimitPassed() {
		StepVerifier.create(events()).then(() -> this.exchange.next(COMPLETE)).expectNext(COMPLETE).verifyComplete();
		this.time.advanceTimeBy(LIMIT.minusMillis(1));
		this.exchange.assertNotCancelled();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		this.exchange.assertCancelled();
	}

	@Test
	void cancelWhileTheTerminalEventIsDeliveredShouldNotCancelTheExchange() {
		StepVerifier.create(events().next())
			.then(() -> this.exchange.next(COMPLETE))
			.expectNext(COMPLETE)
			.verifyComplete();
		this.exchange.assertNotCancelled();
		this.exchange.complete();
		this.time.advanceTimeBy(LIMIT);
		this.exchange.assertNotCancelled();
	}

	@Test
	void errorOfTheExchangeWhileItIsReadShouldBeDropped() {
		StepVerifier.create(events()).then(() -> this.exchange.next(COMPLETE)).expectNext(COMPLETE).verifyComplete();
		this.exchange.error(new IllegalStateException("connection reset after the end marker"));
		this.time.advanceTimeBy(LIMIT);
		this.exchange.assertNotCancelled();
	}

	@Test
	void lastEventOfAFailedAttemptShouldCompleteAfterItAndCancelTheExchange() {
		StepVerifier.create(events())
			.then(() -> this.exchange.next(DELTA, LAST_OF_FAILED, DELTA))
			.expectNext(DELTA, LAST_OF_FAILED)
			.verifyComplete();
		this.exchange.assertCancelled();
		// no drain, so no timer
		assertThat(this.time.getScheduledTaskCount()).isZero();
	}

	@Test
	void beforeTheTerminalEventCancelAndErrorsShouldPassThrough() {
		StepVerifier.create(events()).then(() -> this.exchange.next(DELTA)).expectNext(DELTA).thenCancel().verify();
		this.exchange.assertCancelled();
		TestPublisher<StreamEvent> failing = TestPublisher.create();
		StepVerifier.create(new EndOfAttempt(failing.flux(), (event) -> false, LIMIT, this.time))
			.then(() -> failing.error(new IllegalStateException("reset")))
			.verifyErrorMessage("reset");
		StepVerifier
			.create(new EndOfAttempt(TestPublisher.<StreamEvent>create().flux().take(0), (event) -> false, LIMIT,
					this.time))
			.verifyComplete();
	}

	@Test
	void negativeLimitShouldBeRefused() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EndOfAttempt(this.exchange.flux(), (event) -> false, Duration.ofMillis(-1), this.time));
	}

}
