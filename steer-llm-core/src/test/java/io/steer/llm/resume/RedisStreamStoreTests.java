package io.steer.llm.resume;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.steer.llm.test.RedisServerExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisStreamStore} under the {@link StreamStoreContractTests}, on a real
 * {@code redis-server}, and what only Redis does: real key expiry (gone, then not found),
 * and two instances, each with its own connections, sharing one stream.
 */
class RedisStreamStoreTests extends StreamStoreContractTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = connectionFactory(redis);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	static LettuceConnectionFactory connectionFactory(RedisServerExtension redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	protected StreamStore store(Scheduler scheduler, int maxEventsPerStream, Duration goneRetention,
			PayloadCodec codec) {
		return RedisStreamStore.builder(connectionFactory)
			.scheduler(scheduler)
			.maxEventsPerStream(maxEventsPerStream)
			.goneRetention(goneRetention)
			.codec(codec)
			.build();
	}

	@Test
	void completedStreamShouldBeReadUntilItsTtlThenGoneThenNotFound() {
		StreamStore store = RedisStreamStore.builder(connectionFactory).goneRetention(Duration.ofMillis(300)).build();
		String id = newId();
		store.create(id, Duration.ofMillis(300)).block(TIMEOUT);
		store.append(id, events(0, 2)).block(TIMEOUT);
		store.complete(id).block(TIMEOUT);
		StepVerifier.create(store.read(id, 0)).expectNext(event(1), event(2)).expectComplete().verify(TIMEOUT);
		awaitState(store, id, StreamState.GONE);
		StepVerifier.create(store.read(id, 0))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.requestStop(id))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, id))
			.verify(TIMEOUT);
		StepVerifier.create(store.create(id, TTL))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.INVALID_ID, id))
			.verify(TIMEOUT);
		awaitState(store, id, StreamState.NOT_FOUND);
		StepVerifier.create(store.read(id, 0))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.NOT_FOUND, id))
			.verify(TIMEOUT);
	}

	@Test
	void runningStreamWhoseProducerStopsShouldExpireAfterItsTtl() {
		StreamStore store = RedisStreamStore.builder(connectionFactory).goneRetention(Duration.ofMinutes(1)).build();
		String id = newId();
		store.create(id, Duration.ofMillis(300)).block(TIMEOUT);
		store.append(id, events(0, 1)).block(TIMEOUT);
		awaitState(store, id, StreamState.GONE);
		StepVerifier.create(store.append(id, List.of(event(2))))
			.expectErrorSatisfies((ex) -> assertResumeError(ex, ResumeErrorType.GONE, id))
			.verify(TIMEOUT);
	}

	@Test
	void streamWrittenOnOneInstanceShouldBeReadOnAnotherFromASequenceWithoutGapOrDuplicate() {
		LettuceConnectionFactory otherConnections = connectionFactory(redis);
		try {
			StreamStore producer = RedisStreamStore.builder(connectionFactory).build();
			StreamStore reader = RedisStreamStore.builder(otherConnections).build();
			String id = newId();
			producer.create(id, TTL).block(TIMEOUT);
			producer.append(id, events(0, 4)).block(TIMEOUT);
			StepVerifier.create(reader.read(id, 2))
				.expectNext(event(3), event(4))
				.then(() -> producer.append(id, events(5, 7)).block(TIMEOUT))
				.expectNext(event(5), event(6), event(7))
				.then(() -> producer.append(id, List.of(event(8))).then(producer.complete(id)).block(TIMEOUT))
				.expectNext(event(8))
				.expectComplete()
				.verify(TIMEOUT);
			assertThat(reader.info(id).block(TIMEOUT).state()).isEqualTo(StreamState.COMPLETED);
			assertThat(producer.info(id).block(TIMEOUT).lastRead()).isNotNull();
			// a stop asked on the reader's instance reaches the producer's
			StreamStore other = RedisStreamStore.builder(otherConnections).build();
			String running = newId();
			producer.create(running, TTL).block(TIMEOUT);
			StepVerifier.create(producer.stopRequested(running, Duration.ofMillis(20)))
				.then(() -> assertThat(other.requestStop(running).block(TIMEOUT)).isTrue())
				.expectComplete()
				.verify(TIMEOUT);
		}
		finally {
			otherConnections.destroy();
		}
	}

	@Test
	void keysShouldFollowTheDocumentedLayout() {
		StreamStore store = RedisStreamStore.builder(connectionFactory).keyPrefix("layout:").build();
		String id = newId();
		store.create(id, TTL).block(TIMEOUT);
		store.append(id, events(0, 1)).block(TIMEOUT);
		try (var connection = connectionFactory.getConnection()) {
			byte[] events = ("layout:{" + id + "}:events").getBytes();
			byte[] meta = ("layout:{" + id + "}:meta").getBytes();
			assertThat(connection.keyCommands().exists(events)).isTrue();
			assertThat(connection.keyCommands().pTtl(events)).isPositive();
			assertThat(connection.streamCommands().xLen(events)).isEqualTo(2);
			assertThat(new String(connection.hashCommands().hGet(meta, "next".getBytes()))).isEqualTo("2");
			assertThat(new String(connection.hashCommands().hGet(meta, "state".getBytes()))).isEqualTo("RUNNING");
		}
	}

	private static void awaitState(StreamStore store, String id, StreamState state) {
		// Redis expires keys on its own clock: a bounded poll, at most 5 s
		StreamState reached = Flux.interval(Duration.ZERO, Duration.ofMillis(25), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> store.info(id).map(StreamInfo::state))
			.filter(state::equals)
			.blockFirst(Duration.ofSeconds(5));
		assertThat(reached).isEqualTo(state);
	}

}
