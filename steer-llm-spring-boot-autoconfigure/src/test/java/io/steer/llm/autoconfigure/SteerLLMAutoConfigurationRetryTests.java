package io.steer.llm.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import io.steer.llm.retry.RetryState;
import io.steer.llm.retry.StreamingRetryManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link StreamingRetryManager} and its scheduled cleanup in
 * {@link SteerLLMAutoConfiguration}.
 */
class SteerLLMAutoConfigurationRetryTests {

	private static final Duration TTL = Duration.ofSeconds(900);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenNoPropertiesShouldCreateRetryManagerWithDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(StreamingRetryManager.class);
			assertThat(context).hasBean("steerStreamingRetryManager");
			StreamingRetryManager manager = context.getBean(StreamingRetryManager.class);
			assertThat(manager.stateTtl()).isEqualTo(Duration.ofSeconds(900));
			assertThat(manager.maxStates()).isEqualTo(10_000);
			SteerStreamingProperties properties = context.getBean(SteerStreamingProperties.class);
			assertThat(properties.getMaxStates()).isEqualTo(StreamingRetryManager.DEFAULT_MAX_STATES);
			assertThat(properties.getStateTtl()).isEqualTo(StreamingRetryManager.DEFAULT_STATE_TTL);
			assertThat(properties.getStateCleanupInterval()).isEqualTo(Duration.ofSeconds(60));
		});
	}

	@Test
	void runWhenNoPropertiesShouldStartCleanupEveryMinute() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(StreamingStateCleanup.class);
			StreamingStateCleanup cleanup = context.getBean(StreamingStateCleanup.class);
			assertThat(cleanup.interval()).isEqualTo(Duration.ofSeconds(60));
			assertThat(cleanup.isRunning()).isTrue();
		});
	}

	@Test
	void runWhenPropertiesSetShouldBindThem() {
		this.contextRunner
			.withPropertyValues("steer.streaming.state-ttl=120", "steer.streaming.max-states=50",
					"steer.streaming.state-cleanup-interval=30")
			.run((context) -> {
				StreamingRetryManager manager = context.getBean(StreamingRetryManager.class);
				assertThat(manager.stateTtl()).isEqualTo(Duration.ofSeconds(120));
				assertThat(manager.maxStates()).isEqualTo(50);
				assertThat(context.getBean(StreamingStateCleanup.class).interval()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void runWhenDurationsHaveUnitsShouldBindThem() {
		this.contextRunner
			.withPropertyValues("steer.streaming.state-ttl=2m", "steer.streaming.state-cleanup-interval=500ms")
			.run((context) -> {
				assertThat(context.getBean(StreamingRetryManager.class).stateTtl()).isEqualTo(Duration.ofMinutes(2));
				assertThat(context.getBean(StreamingStateCleanup.class).interval()).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void runWhenSdkEnvironmentVariableSetShouldBindStateTtlInSeconds() {
		this.contextRunner.withInitializer(environment(Map.of("STEER_STREAMING_STATE_TTL", "900")))
			.run((context) -> assertThat(context.getBean(StreamingRetryManager.class).stateTtl())
				.isEqualTo(Duration.ofSeconds(900)));
		this.contextRunner.withInitializer(environment(Map.of("STEER_STREAMING_STATE_TTL", "45",
				"STEER_STREAMING_MAX_STATES", "7", "STEER_STREAMING_STATE_CLEANUP_INTERVAL", "5")))
			.run((context) -> {
				StreamingRetryManager manager = context.getBean(StreamingRetryManager.class);
				assertThat(manager.stateTtl()).isEqualTo(Duration.ofSeconds(45));
				assertThat(manager.maxStates()).isEqualTo(7);
				assertThat(context.getBean(StreamingStateCleanup.class).interval()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void runWhenUserDefinesRetryManagerShouldBackOffAndCleanItUp() {
		this.contextRunner.withUserConfiguration(UserRetryManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StreamingRetryManager.class);
			assertThat(context).doesNotHaveBean("steerStreamingRetryManager");
			assertThat(context.getBean(StreamingRetryManager.class).maxStates()).isEqualTo(3);
			assertThat(context).hasSingleBean(StreamingStateCleanup.class);
		});
	}

	@Test
	void runShouldHandTheRetryManagerToTheClient() {
		this.contextRunner.withUserConfiguration(UserRetryManagerConfiguration.class).run((context) -> {
			io.steer.llm.client.DefaultSteerLLMClient client = (io.steer.llm.client.DefaultSteerLLMClient) context
				.getBean(io.steer.llm.SteerLLMClient.class);
			assertThat(client.retryManager()).isSameAs(context.getBean(StreamingRetryManager.class));
		});
	}

	@Test
	void runWhenCleanupIntervalShortShouldRemoveExpiredStates() {
		this.contextRunner.withUserConfiguration(UserRetryManagerConfiguration.class)
			.withPropertyValues("steer.streaming.state-cleanup-interval=10ms")
			.run((context) -> {
				StreamingRetryManager manager = context.getBean(StreamingRetryManager.class);
				MutableClock clock = context.getBean(MutableClock.class);
				RetryState active = manager.begin("active", "openai", "gpt-4o-mini");
				manager.begin("idle-1", "openai", "gpt-4o-mini");
				manager.begin("idle-2", "anthropic", "claude-3-haiku-20240307");
				clock.advance(TTL.minusSeconds(1));
				active.recordAttempt();
				clock.advance(Duration.ofSeconds(2));
				await().atMost(Duration.ofSeconds(30)).until(() -> manager.size() == 1);
				assertThat(manager.states()).containsExactly(active);
			});
	}

	@Test
	void runWhenContextClosedShouldStopCleanup() {
		this.contextRunner.run((context) -> {
			StreamingStateCleanup cleanup = context.getBean(StreamingStateCleanup.class);
			assertThat(cleanup.isRunning()).isTrue();
			context.close();
			assertThat(cleanup.isRunning()).isFalse();
		});
	}

	@Test
	void runWhenCleanupIntervalZeroShouldNotScheduleCleanup() {
		this.contextRunner.withPropertyValues("steer.streaming.state-cleanup-interval=0").run((context) -> {
			StreamingStateCleanup cleanup = context.getBean(StreamingStateCleanup.class);
			assertThat(cleanup.isAutoStartup()).isFalse();
			assertThat(cleanup.isRunning()).isFalse();
			cleanup.start();
			assertThat(cleanup.isRunning()).isFalse();
		});
	}

	@Test
	void runWhenMaxStatesBelowOneShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.max-states=0")
			.run((context) -> assertThat(invalidProperty(context).getName()).isEqualTo("steer.streaming.max-states"));
	}

	@Test
	void runWhenStateTtlZeroShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.state-ttl=0")
			.run((context) -> assertThat(invalidProperty(context).getName()).isEqualTo("steer.streaming.state-ttl"));
	}

	@Test
	void runWhenCleanupIntervalNegativeShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("steer.streaming.state-cleanup-interval=-1s")
			.run((context) -> assertThat(invalidProperty(context).getName())
				.isEqualTo("steer.streaming.state-cleanup-interval"));
	}

	@Test
	void cleanupShouldReturnHowManyStatesItRemoved() {
		MutableClock clock = new MutableClock();
		StreamingRetryManager manager = new StreamingRetryManager(TTL, 10, clock);
		manager.begin("a", "openai", "gpt-4o");
		manager.begin("b", "openai", "gpt-4o");
		StreamingStateCleanup cleanup = new StreamingStateCleanup(manager, Duration.ofMinutes(1));
		assertThat(cleanup.cleanup()).isZero();
		clock.advance(TTL.plusSeconds(1));
		assertThat(cleanup.cleanup()).isEqualTo(2);
		assertThat(cleanup.isRunning()).isFalse();
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
			Map<String, Object> variables) {
		String name = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.replace(name, new SystemEnvironmentPropertySource(name, variables));
	}

	private static InvalidConfigurationPropertyValueException invalidProperty(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			if (ex instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException", context.getStartupFailure());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRetryManagerConfiguration {

		@Bean
		MutableClock testClock() {
			return new MutableClock();
		}

		@Bean
		StreamingRetryManager userRetryManager(MutableClock testClock) {
			return new StreamingRetryManager(TTL, 3, testClock);
		}

	}

	/**
	 * A clock that stands still until a test moves it.
	 */
	static final class MutableClock extends Clock {

		private volatile Instant instant = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.instant = this.instant.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
