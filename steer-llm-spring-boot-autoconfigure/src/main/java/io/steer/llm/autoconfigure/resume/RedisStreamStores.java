package io.steer.llm.autoconfigure.resume;

import io.steer.llm.resume.PayloadCodec;
import io.steer.llm.resume.RedisStreamStore;
import io.steer.llm.resume.StreamStore;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Builds the Redis store; loaded only when Spring Data Redis is on the class path.
 */
final class RedisStreamStores {

	private RedisStreamStores() {
	}

	static StreamStore create(SteerResumeProperties properties, PayloadCodec codec, BeanFactory beanFactory) {
		ReactiveRedisConnectionFactory connectionFactory = beanFactory
			.getBeanProvider(ReactiveRedisConnectionFactory.class)
			.getIfUnique();
		if (connectionFactory == null) {
			throw new InvalidConfigurationPropertyValueException(SteerResumeAutoConfiguration.PREFIX + "store", "redis",
					"The Redis store needs one ReactiveRedisConnectionFactory bean: add "
							+ "spring-boot-starter-data-redis-reactive and set spring.data.redis.*.");
		}
		SteerResumeProperties.Redis redis = properties.getRedis();
		SteerResumeAutoConfiguration.positive("redis.poll-timeout", redis.getPollTimeout());
		SteerResumeAutoConfiguration.positive("redis.command-timeout", redis.getCommandTimeout());
		if (redis.getKeyPrefix() == null || redis.getKeyPrefix().isBlank()) {
			throw new InvalidConfigurationPropertyValueException(
					SteerResumeAutoConfiguration.PREFIX + "redis.key-prefix", redis.getKeyPrefix(),
					"It must not be blank, e.g. steer:stream:.");
		}
		return RedisStreamStore.builder(connectionFactory)
			.keyPrefix(redis.getKeyPrefix())
			.maxEventsPerStream(properties.getMaxEventsPerStream())
			.goneRetention(properties.getGoneRetention())
			.codec(codec)
			.pollTimeout(redis.getPollTimeout())
			.commandTimeout(redis.getCommandTimeout())
			.build();
	}

}
