package io.steer.llm.shaping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import io.steer.llm.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateLimiter#shared} on Bucket4j's Lettuce proxy manager and a real
 * {@code redis-server}: two "instances", each with its own Redis client and connection,
 * share one bucket per key. The bucket's clock is real (Redis-shared); the delays it
 * hands out run on a virtual-time scheduler, so that the test asserts on the delays, not
 * on wall time.
 */
class RateLimiterSharedTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static RedisClient client1;

	private static RedisClient client2;

	private static ProxyManager<String> instance1;

	private static ProxyManager<String> instance2;

	@BeforeAll
	static void connect() {
		client1 = RedisClient.create(redis.uri());
		client2 = RedisClient.create(redis.uri());
		instance1 = proxyManager(client1);
		instance2 = proxyManager(client2);
	}

	@AfterAll
	static void disconnect() {
		client1.shutdown();
		client2.shutdown();
	}

	private static ProxyManager<String> proxyManager(RedisClient client) {
		StatefulRedisConnection<String, byte[]> connection = client
			.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		return Bucket4jLettuce.casBasedBuilder(connection).build();
	}

	@Test
	void limitersOnTwoInstancesWithOneKeyShareOneBucket() {
		RateLimiter first = RateLimiter.shared(instance1, "tenant-shared", 1, 10);
		RateLimiter second = RateLimiter.shared(instance2, "tenant-shared", 1, 10);
		assertThat(first.isShared()).isTrue();
		// the burst, taken on the first instance, at once
		StepVerifier.create(first.acquire(10)).expectComplete().verify(TIMEOUT);
		// the second instance finds the bucket empty: 10 tokens at 1/s wait 10 s (less
		// the real time the bucket refilled since, well under 2 s)
		assertThat(waitOf(second, 10)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
		// and the first now waits behind that reservation too: 20 s
		assertThat(waitOf(first, 10)).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
		assertThat(second.availableTokens()).isNegative();
	}

	@Test
	void acquireOnASharedBucketDelaysOnTheScheduler() {
		VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
		RateLimiter first = RateLimiter.shared(instance1, "tenant-delay", 1, 5, scheduler);
		RateLimiter second = RateLimiter.shared(instance2, "tenant-delay", 1, 5, scheduler);
		first.acquire(5).block(TIMEOUT);
		AtomicBoolean granted = new AtomicBoolean();
		Mono<Void> acquire = second.acquire(5).doOnSuccess((done) -> granted.set(true));
		StepVerifier.create(acquire)
			.expectSubscription()
			// the reservation is made in Redis (real time), then delayed on the scheduler
			.then(() -> awaitPending(scheduler))
			.then(() -> scheduler.advanceTimeBy(Duration.ofSeconds(3)))
			.then(() -> assertThat(granted).isFalse())
			.then(() -> scheduler.advanceTimeBy(Duration.ofSeconds(2)))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void limitersWithDifferentKeysDoNotShare() {
		RateLimiter a = RateLimiter.shared(instance1, "tenant-a", 1, 10);
		RateLimiter b = RateLimiter.shared(instance2, "tenant-b", 1, 10);
		assertThat(waitOf(a, 10)).isZero();
		assertThat(waitOf(b, 10)).isZero();
		assertThat(a.tryAcquire(5)).isFalse();
		assertThat(b.tryAcquire(5)).isFalse();
	}

	@Test
	void combinedAcquisitionsOfTwoInstancesRespectOneRate() {
		RateLimiter first = RateLimiter.shared(instance1, "tenant-rate", 10, 20);
		RateLimiter second = RateLimiter.shared(instance2, "tenant-rate", 10, 20);
		// 20 reservations of 10 tokens, alternating instances: the burst (20) passes at
		// once, the other 180 tokens need 18 s at 10/s; each waits behind the ones before
		List<Duration> waits = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			waits.add(waitOf((i % 2 == 0) ? first : second, 10));
		}
		assertThat(waits.subList(0, 2)).containsOnly(Duration.ZERO);
		assertThat(waits).isSorted();
		// less the real time the test took (the bucket refills on its clock)
		assertThat(waits.get(19)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(18));
		for (int i = 2; i < 20; i++) {
			assertThat(waits.get(i)).as("reservation %d", i)
				.isBetween(Duration.ofSeconds(i - 1).minusSeconds(3), Duration.ofSeconds(i - 1));
		}
	}

	@Test
	void setRateOnOneInstanceChangesTheSharedBucket() {
		RateLimiter first = RateLimiter.shared(instance1, "tenant-set-rate", 0.5, 10);
		RateLimiter second = RateLimiter.shared(instance2, "tenant-set-rate", 0.5, 10);
		first.acquire(10).block(TIMEOUT);
		first.setRate(0.05);
		// the bucket refilled under half a token at 0.5/s in the real time since (under
		// 1 s); the rest of 1 token at 0.05/s is 10 to 20 s, for the other instance too
		assertThat(waitOf(second, 1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
	}

	private static Duration waitOf(RateLimiter limiter, long tokens) {
		Long nanos = limiter.reserve(tokens).block(TIMEOUT);
		assertThat(nanos).isNotNull();
		return Duration.ofNanos(Math.max(0, nanos));
	}

	private static void awaitPending(VirtualTimeScheduler scheduler) {
		// a bounded wait for Redis's answer (real time), then the delay is on the
		// scheduler
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (scheduler.getScheduledTaskCount() == 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(scheduler.getScheduledTaskCount()).isPositive();
	}

}
