package io.steer.llm.autoconfigure.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.resume.InMemoryStreamStore;
import io.steer.llm.resume.RedisStreamStore;
import io.steer.llm.resume.ResumableStreams;
import io.steer.llm.resume.StoredEvent;
import io.steer.llm.resume.StreamStore;
import io.steer.llm.test.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SteerResumeAutoConfiguration}: the in-memory store by default, the Redis store
 * on a real Redis with {@code steer.resume.store=redis} (two contexts sharing it, as two
 * instances), compression, a user's beans winning, and bad values failing start-up naming
 * the key.
 */
class SteerResumeAutoConfigurationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerResumeAutoConfiguration.class));

	@Test
	void runShouldDefineAnInMemoryStoreAndTheResumableStreams() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ResumableStreams.class);
			assertThat(context.getBean(SteerResumeAutoConfiguration.STREAM_STORE_BEAN_NAME))
				.isInstanceOf(InMemoryStreamStore.class);
		});
	}

	@Test
	void runWhenCompressionIsEnabledShouldKeepFewerBytes() {
		long plain = storedBytes(this.contextRunner);
		long deflated = storedBytes(this.contextRunner.withPropertyValues("steer.resume.enable-compression=true"));
		assertThat(deflated).isLessThan(plain);
	}

	private static long storedBytes(ApplicationContextRunner runner) {
		long[] bytes = new long[1];
		runner.run((context) -> {
			InMemoryStreamStore store = context.getBean(InMemoryStreamStore.class);
			List<StoredEvent> events = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				events.add(new StoredEvent(i, "delta",
						"{\"text\":\" word\",\"kind\":\"text\",\"chunkIndex\":" + i + ",\"choiceIndex\":0}"));
			}
			store.create("s1", Duration.ofMinutes(1)).then(store.append("s1", events)).block(Duration.ofSeconds(5));
			bytes[0] = store.storedBytes();
		});
		return bytes[0];
	}

	@Test
	void runWhenUserDefinesAStoreShouldUseIt() {
		this.contextRunner.withUserConfiguration(OwnStore.class).run((context) -> {
			assertThat(context).hasSingleBean(StreamStore.class);
			assertThat(context.getBean(StreamStore.class)).isSameAs(context.getBean("ownStore"));
			assertThat(context).hasSingleBean(ResumableStreams.class);
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "steer.resume.ttl=0s | steer.resume.ttl | It must be positive",
					"steer.resume.heartbeat-interval=-1s | steer.resume.heartbeat-interval | It must be positive",
					"steer.resume.watchdog-timeout=5s | steer.resume.watchdog-timeout | It must be longer than",
					"steer.resume.max-streams=0 | steer.resume.max-streams | It must be at least 1",
					"steer.resume.max-events-per-stream=0 | steer.resume.max-events-per-stream | It must be at least 1",
					"steer.resume.gone-retention=0s | steer.resume.gone-retention | It must be positive" })
	void runWhenAValueIsBadShouldFailNamingTheKey(String property, String key, String reason) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(key)
				.hasMessageContaining(reason);
		});
	}

	@Test
	void runWhenStoreIsRedisWithoutAConnectionFactoryShouldFailSayingWhatToAdd() {
		this.contextRunner.withPropertyValues("steer.resume.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("steer.resume.store")
				.hasMessageContaining("ReactiveRedisConnectionFactory")
				.hasMessageContaining("spring-boot-starter-data-redis-reactive");
		});
	}

	@Test
	void runWhenStoreIsRedisWithoutSpringDataRedisShouldFailSayingWhatToAdd() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("steer.resume.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("steer.resume.store")
					.hasMessageContaining("spring-boot-starter-data-redis-reactive");
			});
	}

	@Test
	void runWhenStoreIsRedisShouldShareStreamsBetweenInstances() {
		ApplicationContextRunner instance = this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("steer.resume.store=redis", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port());
		instance.run((first) -> instance.run((second) -> {
			assertThat(first.getBean(StreamStore.class)).isInstanceOf(RedisStreamStore.class);
			ResumableStreams producer = first.getBean(ResumableStreams.class);
			Flux<ServerSentEvent<String>> events = Flux.range(0, 20)
				.map((i) -> ServerSentEvent.builder("{\"text\":\"" + i + "\"}").event("delta").build())
				.concatWithValues(ServerSentEvent.builder("{}").event("done").build());
			String id = producer.start(events).block(Duration.ofSeconds(10));
			// the other instance resumes after the 8th event: the rest, once each, in
			// order
			List<ServerSentEvent<String>> rest = second.getBean(ResumableStreams.class)
				.events(id, id + ":7")
				.collectList()
				.block(Duration.ofSeconds(20));
			assertThat(rest).extracting(ServerSentEvent::id)
				.containsExactlyElementsOf(Flux.range(8, 13).map((i) -> id + ":" + i).toIterable());
			assertThat(rest.get(0).data()).isEqualTo("{\"text\":\"8\"}");
			assertThat(rest.get(rest.size() - 1).event()).isEqualTo("done");
		}));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean
		StreamStore ownStore() {
			return InMemoryStreamStore.create();
		}

	}

}
