package io.steer.llm.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.retry.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveStreams}: registered streams are listed with their age and chunks until they
 * close or are cancelled; a cancel runs the stream's canceller once.
 */
class LiveStreamsTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(T0);

	private final LiveStreams live = new LiveStreams(this.clock);

	@Test
	void registeredStreamsShouldBeListedOldestFirstWithTheirAgeAndChunks() {
		LiveStreams.Handle first = this.live.register("s1", "openai", "gpt-4o-mini", () -> {
		});
		this.clock.advance(Duration.ofSeconds(2));
		this.live.register("s2", "anthropic", "claude-sonnet-4-5", () -> {
		});
		first.chunk();
		first.chunk();
		first.chunk();
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.live.size()).isEqualTo(2);
		assertThat(this.live.list()).containsExactly(
				new LiveStream("s1", "openai", "gpt-4o-mini", T0, Duration.ofSeconds(5), 3),
				new LiveStream("s2", "anthropic", "claude-sonnet-4-5", T0.plusSeconds(2), Duration.ofSeconds(3), 0));
		assertThat(this.live.get("s1")).hasValueSatisfying((stream) -> assertThat(stream.chunks()).isEqualTo(3));
		assertThat(this.live.get("nope")).isEmpty();
	}

	@Test
	void closeShouldRemoveTheStreamOnceAndLeaveANewRegistrationOfTheSameIdAlone() {
		LiveStreams.Handle handle = this.live.register("s1", "openai", "gpt-4o-mini", () -> {
		});
		handle.close();
		handle.close();
		assertThat(this.live.list()).isEmpty();
		assertThat(this.live.size()).isZero();
		LiveStreams.Handle again = this.live.register("s1", "openai", "gpt-4o-mini", () -> {
		});
		handle.close();
		assertThat(this.live.get("s1")).isPresent();
		again.close();
		assertThat(this.live.get("s1")).isEmpty();
	}

	@Test
	void cancelShouldRunTheCancellerOnceAndRemoveTheStream() {
		AtomicInteger cancels = new AtomicInteger();
		LiveStreams.Handle handle = this.live.register("s1", "openai", "gpt-4o-mini", cancels::incrementAndGet);
		assertThat(this.live.cancel("s1")).isTrue();
		assertThat(this.live.cancel("s1")).isFalse();
		assertThat(this.live.cancel("unknown")).isFalse();
		handle.close();
		assertThat(cancels).hasValue(1);
		assertThat(this.live.list()).isEmpty();
	}

	@Test
	void aStreamStartedAfterTheSnapshotClockShouldHaveNoNegativeAge() {
		this.live.register("s1", "openai", "gpt-4o-mini", () -> {
		});
		this.clock.set(T0.minusSeconds(1));
		assertThat(this.live.list()).singleElement().satisfies((stream) -> assertThat(stream.age()).isZero());
	}

}
