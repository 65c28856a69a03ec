package io.steer.llm.autoconfigure.resume;

import java.time.Duration;

import io.steer.llm.autoconfigure.resume.SteerResumeProperties.Store;
import io.steer.llm.resume.InMemoryStreamStore;
import io.steer.llm.resume.PayloadCodec;
import io.steer.llm.resume.ResumableStreams;
import io.steer.llm.resume.ResumeSettings;
import io.steer.llm.resume.StreamStore;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of resumable streams ({@code steer.resume.*}):
 * <ul>
 * <li>{@code steerStreamStore}, the {@link StreamStore}: an {@link InMemoryStreamStore}
 * by default; with {@code steer.resume.store=redis}, a
 * {@link io.steer.llm.resume.RedisStreamStore} on the application's
 * {@code ReactiveRedisConnectionFactory} (from
 * {@code spring-boot-starter-data-redis-reactive}), shared by every instance; payloads
 * deflated with {@code enable-compression};</li>
 * <li>{@code steerResumableStreams}, the {@link ResumableStreams} over it, closed (its
 * running streams cancelled) with the context.</li>
 * </ul>
 * Either bean of your own replaces it. A bad value fails start-up naming the key: a
 * duration that is not positive, a watchdog not longer than the heartbeat, a bound below
 * 1, or {@code store=redis} without Spring Data Redis or a connection factory.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(ResumableStreams.class)
@EnableConfigurationProperties(SteerResumeProperties.class)
public final class SteerResumeAutoConfiguration {

	/** Name of the {@link StreamStore} bean. */
	public static final String STREAM_STORE_BEAN_NAME = "steerStreamStore";

	/** Name of the {@link ResumableStreams} bean. */
	public static final String RESUMABLE_STREAMS_BEAN_NAME = "steerResumableStreams";

	static final String PREFIX = "steer.resume.";

	private static final String REDIS_FACTORY = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

	@Bean(STREAM_STORE_BEAN_NAME)
	@ConditionalOnMissingBean
	StreamStore steerStreamStore(SteerResumeProperties properties, BeanFactory beanFactory) {
		atLeastOne("max-events-per-stream", properties.getMaxEventsPerStream());
		positive("gone-retention", properties.getGoneRetention());
		PayloadCodec codec = properties.isEnableCompression() ? PayloadCodec.deflate() : PayloadCodec.plain();
		if (properties.getStore() == Store.REDIS) {
			if (!ClassUtils.isPresent(REDIS_FACTORY, SteerResumeAutoConfiguration.class.getClassLoader())) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "store", "redis",
						"The Redis store needs Spring Data Redis: add spring-boot-starter-data-redis-reactive, or use "
								+ "steer.resume.store=memory.");
			}
			return RedisStreamStores.create(properties, codec, beanFactory);
		}
		atLeastOne("max-streams", properties.getMaxStreams());
		return InMemoryStreamStore.builder()
			.maxStreams(properties.getMaxStreams())
			.maxEventsPerStream(properties.getMaxEventsPerStream())
			.goneRetention(properties.getGoneRetention())
			.codec(codec)
			.build();
	}

	@Bean(name = RESUMABLE_STREAMS_BEAN_NAME, destroyMethod = "close")
	@ConditionalOnMissingBean
	ResumableStreams steerResumableStreams(StreamStore store, SteerResumeProperties properties) {
		return new ResumableStreams(store, settings(properties));
	}

	static ResumeSettings settings(SteerResumeProperties properties) {
		positive("ttl", properties.getTtl());
		positive("heartbeat-interval", properties.getHeartbeatInterval());
		positive("watchdog-timeout", properties.getWatchdogTimeout());
		positive("stop-poll-interval", properties.getStopPollInterval());
		if (properties.getWatchdogTimeout().compareTo(properties.getHeartbeatInterval()) <= 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "watchdog-timeout",
					properties.getWatchdogTimeout(), "It must be longer than steer.resume.heartbeat-interval ("
							+ properties.getHeartbeatInterval() + "), or readers end while the producer is alive.");
		}
		Duration retry = properties.getRetry();
		if (retry != null && retry.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "retry", retry, "It must not be negative.");
		}
		return new ResumeSettings(properties.getTtl(), properties.getHeartbeatInterval(),
				properties.getWatchdogTimeout(), properties.getStopPollInterval(), retry);
	}

	static void positive(String key, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + key, value, "It must be positive, e.g. 5s.");
		}
	}

	private static void atLeastOne(String key, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + key, value, "It must be at least 1.");
		}
	}

}
