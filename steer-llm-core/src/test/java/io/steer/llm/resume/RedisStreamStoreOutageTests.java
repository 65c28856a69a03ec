package io.steer.llm.resume;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

import io.steer.llm.test.RedisServerExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisStreamStore} when its Redis dies mid-stream: readers and the producer get
 * {@link ResumeErrorType#UNAVAILABLE} within a bound, never a hang; the store works again
 * once Redis is back.
 */
class RedisStreamStoreOutageTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration BOUND = Duration.ofSeconds(5);

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void connect() {
		redis.start();
		this.connectionFactory = RedisStreamStoreTests.connectionFactory(redis);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void redisStoppedMidReadShouldSignalUnavailableToReadersAndTheProducerWithinABound() {
		StreamStore store = RedisStreamStore.builder(this.connectionFactory)
			.pollTimeout(Duration.ofMillis(500))
			.commandTimeout(Duration.ofSeconds(1))
			.build();
		String id = "outage-1";
		store.create(id, Duration.ofMinutes(5)).block(BOUND);
		store.append(id, List.of(new StoredEvent(0, "delta", "{\"text\":\"a\"}"))).block(BOUND);
		Duration took = StepVerifier.create(store.read(id, -1))
			.expectNext(new StoredEvent(0, "delta", "{\"text\":\"a\"}"))
			.then(redis::stop)
			.expectErrorSatisfies((ex) -> assertUnavailable(ex, id))
			.verify(Duration.ofSeconds(10));
		assertThat(took).isLessThan(BOUND);
		StepVerifier.create(store.append(id, List.of(new StoredEvent(1, "delta", "{\"text\":\"b\"}"))))
			.expectErrorSatisfies((ex) -> assertUnavailable(ex, id))
			.verify(BOUND);
		StepVerifier.create(store.info(id)).expectErrorSatisfies((ex) -> assertUnavailable(ex, id)).verify(BOUND);
		StepVerifier.create(store.read(id, -1)).expectErrorSatisfies((ex) -> assertUnavailable(ex, id)).verify(BOUND);
		redis.start();
		// the data went with the server; the store reconnects: a bounded retry
		store.create("outage-2", Duration.ofMinutes(5))
			.retryWhen(Retry.fixedDelay(50, Duration.ofMillis(100)))
			.block(Duration.ofSeconds(10));
		assertThat(store.info("outage-2").block(BOUND).state()).isEqualTo(StreamState.RUNNING);
	}

	@Test
	void readerWaitingOnACaughtUpStreamShouldSignalUnavailableWhenRedisStops() {
		StreamStore store = RedisStreamStore.builder(this.connectionFactory)
			.pollTimeout(Duration.ofSeconds(1))
			.commandTimeout(Duration.ofSeconds(1))
			.build();
		String id = "outage-3";
		store.create(id, Duration.ofMinutes(5)).block(BOUND);
		Duration took = StepVerifier.create(store.read(id, -1))
			.then(redis::stop)
			.expectErrorSatisfies((ex) -> assertUnavailable(ex, id))
			.verify(Duration.ofSeconds(10));
		assertThat(took).isLessThan(BOUND);
	}

	private static void assertUnavailable(Throwable failure, String id) {
		StreamStoreContractTests.assertResumeError(failure, ResumeErrorType.UNAVAILABLE, id);
	}

}
