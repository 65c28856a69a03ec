package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.steer.llm.autoconfigure.SteerLLMAutoConfigurationRetryTests.MutableClock;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.observation.EndedStream;
import io.steer.llm.observation.StreamOutcome;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SteerHealthAutoConfiguration} and its
 * {@link ProviderHealthIndicator}s, against the loopback provider server.
 */
class SteerHealthAutoConfigurationTests {

	private static final String OPENAI_KEY = "sk-health-0123456789abcdef";

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final String ANTHROPIC_KEY = "sk-ant-health-0123456789abcdef";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class, SteerHealthAutoConfiguration.class));

	private LoopbackProviderServer server;

	@BeforeEach
	void startServer() {
		this.server = LoopbackProviderServer.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void runWhenHealthModuleOnClasspathShouldDefineSteerContributorWithOneIndicatorPerProvider() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean(SteerHealthAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME);
			assertThat(context).hasSingleBean(SteerHealthProperties.class);
			CompositeReactiveHealthContributor composite = composite(context);
			assertThat(composite.stream().map((entry) -> entry.name())).containsExactly("openai", "xai", "anthropic");
			assertThat(composite.getContributor("openai")).isInstanceOf(ProviderHealthIndicator.class);
		});
	}

	@Test
	void runWhenHealthRegistryConfiguredShouldRegisterContributorAsSteer() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveHealthContributorRegistry.class);
				ReactiveHealthContributorRegistry registry = context.getBean(ReactiveHealthContributorRegistry.class);
				assertThat(registry.getContributor("steer")).isSameAs(composite(context));
			});
	}

	@Test
	void runWhenHealthModuleAbsentShouldNotDefineContributor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactiveHealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveHealthContributor.class)
				.doesNotHaveBean(SteerHealthProperties.class));
	}

	@Test
	void runWhenSteerHealthDisabledShouldNotDefineContributor() {
		this.contextRunner.withPropertyValues("management.health.steer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveHealthContributor.class));
	}

	@Test
	void runWhenHealthDefaultsDisabledShouldNotDefineContributor() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveHealthContributor.class));
	}

	@Test
	void runWhenUserDefinesSteerHealthContributorShouldKeepIt() {
		this.contextRunner.withUserConfiguration(UserHealthConfiguration.class)
			.run((context) -> assertThat(context.getBean(SteerHealthAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME))
				.isSameAs(UserHealthConfiguration.CONTRIBUTOR));
	}

	@Test
	void runWhenNoPropertiesShouldUseDefaultTimeoutAndCacheTtl() {
		this.contextRunner.run((context) -> {
			SteerHealthProperties properties = context.getBean(SteerHealthProperties.class);
			assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getCacheTtl()).isEqualTo(Duration.ofSeconds(60));
		});
	}

	@Test
	void runWhenTimeoutIsZeroShouldFailToStart() {
		this.contextRunner.withPropertyValues("steer.health.timeout=0")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
				.rootCause()
				.hasMessageContaining("steer.health.timeout"));
	}

	@Test
	void runWhenCacheTtlIsNegativeShouldFailToStart() {
		this.contextRunner.withPropertyValues("steer.health.cache-ttl=-1s")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
				.rootCause()
				.hasMessageContaining("steer.health.cache-ttl"));
	}

	@Test
	void runWhenProviderHasNoApiKeyShouldReportUnknownWithoutAskingIt() {
		this.contextRunner
			.withPropertyValues("steer.providers.openai.base-url=" + this.server.baseUrl() + "/v1",
					"steer.providers.openai.default-model=gpt-4o")
			.run((context) -> {
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
				assertThat(health.getDetails()).containsEntry("reason", "no-api-key")
					.containsEntry("provider", "openai")
					.containsEntry("host", "127.0.0.1")
					.containsEntry("defaultModel", "gpt-4o");
				assertThat(this.server.requestCount()).isZero();
			});
	}

	@Test
	void runWhenOpenAiAnswers200ShouldBeUpWithDetails() {
		this.server.enqueue(MockResponse.status(200, "{\"id\":\"gpt-4o\",\"object\":\"model\"}"));
		openAi().run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("provider", "openai")
				.containsEntry("host", "127.0.0.1")
				.containsEntry("api", "chat-completions")
				.containsEntry("defaultModel", "gpt-4o")
				.containsEntry("httpStatus", 200)
				.containsKeys("latencyMs", "lastChecked")
				.doesNotContainKey("reason");
			RecordedRequest request = this.server.takeRequest();
			assertThat(request.method()).isEqualTo("GET");
			assertThat(request.path()).isEqualTo("/v1/models/gpt-4o");
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
			assertThat(request.body()).isEmpty();
		});
	}

	@Test
	void runWhenOpenAiHasNoDefaultModelShouldAskForTheModelList() {
		this.server.enqueue(MockResponse.status(200, "{\"object\":\"list\",\"data\":[]}"));
		this.contextRunner
			.withPropertyValues("steer.providers.openai.base-url=" + this.server.baseUrl() + "/v1",
					"steer.providers.openai.api-key=" + OPENAI_KEY)
			.run((context) -> {
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).doesNotContainKey("defaultModel");
				assertThat(this.server.takeRequest().path()).isEqualTo("/v1/models");
			});
	}

	@Test
	void runWhenAnthropicAnswers200ShouldSendItsKeyAndVersionHeaders() {
		this.server.enqueue(MockResponse.status(200, "{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\"}"));
		this.contextRunner
			.withPropertyValues("steer.providers.anthropic.base-url=" + this.server.baseUrl(),
					"steer.providers.anthropic.api-key=" + ANTHROPIC_KEY,
					"steer.providers.anthropic.default-model=claude-sonnet-4-5")
			.run((context) -> {
				Health health = health(context, "anthropic");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("api", "messages");
				RecordedRequest request = this.server.takeRequest();
				assertThat(request.path()).isEqualTo("/v1/models/claude-sonnet-4-5");
				assertThat(request.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
				assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
				assertThat(request.header("Authorization")).isNull();
			});
	}

	@Test
	void runWhenAnthropicHasNoDefaultModelShouldAskForOneModelOfTheList() {
		this.server.enqueue(MockResponse.status(200, "{\"data\":[]}"));
		this.contextRunner
			.withPropertyValues("steer.providers.anthropic.base-url=" + this.server.baseUrl(),
					"steer.providers.anthropic.api-key=" + ANTHROPIC_KEY)
			.run((context) -> {
				assertThat(health(context, "anthropic").getStatus()).isEqualTo(Status.UP);
				assertThat(this.server.takeRequest().path()).isEqualTo("/v1/models?limit=1");
			});
	}

	@Test
	void runWhenProviderAnswers401ShouldBeDownUnauthorizedAndNeverShowOrLogTheKey() {
		this.server.enqueue(MockResponse.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
				+ OPENAI_KEY + ".\",\"code\":\"invalid_api_key\"}}"));
		try (CapturedLog log = new CapturedLog()) {
			openAi().run((context) -> {
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "unauthorized")
					.containsEntry("httpStatus", 401);
				String json = JsonMapper.builder().build().writeValueAsString(health);
				assertThat(json).contains("unauthorized").doesNotContain(OPENAI_KEY).doesNotContain("Bearer");
			});
			assertThat(log.size()).isPositive();
			assertThat(log.text()).doesNotContain(OPENAI_KEY);
		}
	}

	@Test
	void runWhenProviderAnswers403ShouldBeDownUnauthorized() {
		this.server.enqueue(MockResponse.status(403, "{}"));
		openAi().run((context) -> assertThat(health(context, "openai").getDetails()).containsEntry("reason",
				"unauthorized"));
	}

	@Test
	void runWhenProviderAnswers500ShouldBeDownWithServerError() {
		this.server.enqueue(MockResponse.status(500, "{\"error\":\"overloaded\"}"));
		openAi().run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "server-error")
				.containsEntry("httpStatus", 500)
				.containsEntry("provider", "openai");
		});
	}

	@Test
	void runWhenDefaultModelUnknownShouldBeUpAndSaySo() {
		this.server.enqueue(MockResponse.status(404, "{\"error\":{\"code\":\"model_not_found\"}}"));
		openAi().run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("reason", "unknown-default-model")
				.containsEntry("httpStatus", 404);
		});
	}

	@Test
	void runWhenProviderRateLimitsShouldBeUpAndSaySo() {
		this.server.enqueue(MockResponse.status(429, "{}"));
		openAi().run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("reason", "rate-limited");
		});
	}

	@Test
	void runWhenProviderAnswersAfterTheTimeoutShouldBeDownWithTimeout() {
		this.server.enqueue(MockResponse.status(200, "{}").delayBeforeFirstByte(Duration.ofSeconds(30)));
		openAi().withPropertyValues("steer.health.timeout=200ms").run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "timeout")
				.containsEntry("timeoutMs", 200L)
				.doesNotContainKey("httpStatus");
		});
	}

	@Test
	void runWhenProviderUnreachableShouldBeDownWithConnectionFailed() {
		String baseUrl = this.server.baseUrl() + "/v1";
		this.server.close();
		this.contextRunner
			.withPropertyValues("steer.providers.openai.base-url=" + baseUrl,
					"steer.providers.openai.api-key=" + OPENAI_KEY)
			.run((context) -> {
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "connection-failed").containsKey("error");
			});
	}

	@Test
	void runWhenCheckedTwiceWithinTheCacheTtlShouldAskTheProviderOnce() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		openAi().run((context) -> {
			Health first = health(context, "openai");
			Health second = health(context, "openai");
			assertThat(second).isEqualTo(first);
			assertThat(this.server.requestCount()).isOne();
		});
	}

	@Test
	void runWhenCheckedConcurrentlyShouldShareOneRequest() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}").delayBeforeFirstByte(Duration.ofMillis(200)));
		openAi().run((context) -> {
			ReactiveHealthIndicator indicator = (ReactiveHealthIndicator) composite(context).getContributor("openai");
			List<Health> healths = Flux.merge(indicator.health(), indicator.health(), indicator.health())
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(healths).hasSize(3).allSatisfy((health) -> assertThat(health.getStatus()).isEqualTo(Status.UP));
			assertThat(this.server.requestCount()).isOne();
		});
	}

	@Test
	void runWhenProviderDownShouldCacheTheDownResultToo() {
		this.server.setDefaultResponse(MockResponse.status(503, "{}"));
		openAi().run((context) -> {
			assertThat(health(context, "openai").getStatus()).isEqualTo(Status.DOWN);
			assertThat(health(context, "openai").getStatus()).isEqualTo(Status.DOWN);
			assertThat(this.server.requestCount()).isOne();
		});
	}

	@Test
	void runWhenCacheTtlIsZeroShouldAskTheProviderEveryTime() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		openAi().withPropertyValues("steer.health.cache-ttl=0").run((context) -> {
			health(context, "openai");
			health(context, "openai");
			assertThat(this.server.requestCount()).isEqualTo(2);
		});
	}

	@Test
	void runWhenProbeUpAndNoRecentStreamsShouldBeUpWithZeroSignals() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("recentStreams", 0)
				.containsEntry("failureRate", 0.0)
				.containsEntry("rateLimited", 0)
				.containsEntry("serverErrors", 0)
				.containsEntry("timeouts", 0)
				.containsEntry("connectionErrors", 0)
				.doesNotContainKeys("reason", "lastErrorType", "lastErrorAt");
		});
	}

	@Test
	void runWhenProbeUpButHalfOfFiveRecentStreamsFailedShouldBeDownWithRecentFailures() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			StreamStatistics statistics = context.getBean(StreamStatistics.class);
			record(statistics, "openai", 2, null);
			record(statistics, "openai", 1, 429);
			record(statistics, "openai", 1, 503);
			statistics.record(failed("openai", StreamErrorType.TIMEOUT, null, NOW.plusSeconds(1)));
			record(statistics, "anthropic", 5, 503);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "recent-failures")
				.containsEntry("httpStatus", 200)
				.containsEntry("recentStreams", 5)
				.containsEntry("failureRate", 0.6)
				.containsEntry("rateLimited", 1)
				.containsEntry("serverErrors", 1)
				.containsEntry("timeouts", 1)
				.containsEntry("connectionErrors", 0)
				.containsEntry("lastErrorType", "TIMEOUT")
				.containsEntry("lastErrorAt", "2026-01-01T00:00:01Z")
				.doesNotContainKeys("probeReason", "lastErrorMessage");
		});
	}

	@Test
	void runWhenFewerThanMinStreamsFailedShouldStayUp() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			record(context.getBean(StreamStatistics.class), "openai", 4, 503);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("recentStreams", 4)
				.containsEntry("failureRate", 1.0)
				.containsEntry("serverErrors", 4)
				.doesNotContainKey("reason");
		});
	}

	@Test
	void runWhenFailureRateBelowThresholdShouldStayUp() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			StreamStatistics statistics = context.getBean(StreamStatistics.class);
			record(statistics, "openai", 6, null);
			record(statistics, "openai", 4, 503);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("failureRate", 0.4).doesNotContainKey("reason");
		});
	}

	@Test
	void runWhenThresholdsConfiguredShouldApplyThem() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class)
			.withPropertyValues("steer.health.recent-failures.min-streams=10",
					"steer.health.recent-failures.failure-rate=0.25")
			.run((context) -> {
				StreamStatistics statistics = context.getBean(StreamStatistics.class);
				record(statistics, "openai", 7, null);
				record(statistics, "openai", 2, 503);
				assertThat(health(context, "openai").getStatus()).as("9 streams").isEqualTo(Status.UP);
				record(statistics, "openai", 1, 503);
				Health health = health(context, "openai");
				assertThat(health.getStatus()).as("10 streams, 30%% failed").isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "recent-failures");
			});
	}

	@Test
	void runWhenRecentFailuresRuleDisabledShouldStayUpWithSignals() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class)
			.withPropertyValues("steer.health.recent-failures.enabled=false")
			.run((context) -> {
				record(context.getBean(StreamStatistics.class), "openai", 5, 503);
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("failureRate", 1.0).doesNotContainKey("reason");
			});
	}

	@Test
	void runWhenProbeRateLimitedAndRecentStreamsFailShouldBeDownAndKeepTheProbeReason() {
		this.server.enqueue(MockResponse.status(429, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			record(context.getBean(StreamStatistics.class), "openai", 5, 429);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "recent-failures")
				.containsEntry("probeReason", "rate-limited")
				.containsEntry("rateLimited", 5);
		});
	}

	@Test
	void runWhenProbeDownShouldKeepItsReasonWithTheSignals() {
		this.server.enqueue(MockResponse.status(500, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			record(context.getBean(StreamStatistics.class), "openai", 5, 503);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "server-error").containsEntry("serverErrors", 5);
		});
	}

	@Test
	void runWhenProviderHasNoApiKeyAndRecentStreamsFailShouldStayUnknown() {
		this.contextRunner.withUserConfiguration(StatisticsConfiguration.class)
			.withPropertyValues("steer.providers.openai.base-url=" + this.server.baseUrl() + "/v1")
			.run((context) -> {
				record(context.getBean(StreamStatistics.class), "openai", 5, 503);
				Health health = health(context, "openai");
				assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
				assertThat(health.getDetails()).containsEntry("reason", "no-api-key").containsEntry("recentStreams", 5);
				assertThat(this.server.requestCount()).isZero();
			});
	}

	@Test
	void runWhenCachedProbeShouldStillReadTheSignalsOfEachRequest() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			assertThat(health(context, "openai").getStatus()).isEqualTo(Status.UP);
			record(context.getBean(StreamStatistics.class), "openai", 5, 503);
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "recent-failures");
			assertThat(this.server.requestCount()).isOne();
		});
	}

	@Test
	void runWhenRecentStreamsAgeOutShouldBeUpAgain() {
		this.server.setDefaultResponse(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			record(context.getBean(StreamStatistics.class), "openai", 5, 503);
			assertThat(health(context, "openai").getStatus()).isEqualTo(Status.DOWN);
			context.getBean(StatisticsConfiguration.class).clock.advance(Duration.ofMinutes(16));
			Health health = health(context, "openai");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("recentStreams", 0);
		});
	}

	@Test
	void runWhenLastErrorMessageQuotesAKeyShouldNotShowIt() {
		this.server.enqueue(MockResponse.status(200, "{}"));
		openAi().withUserConfiguration(StatisticsConfiguration.class).run((context) -> {
			context.getBean(StreamStatistics.class)
				.record(new EndedStream("openai", "gpt-4o", StreamOutcome.ERROR, StreamErrorType.HTTP, 401,
						"Incorrect API key provided: " + OPENAI_KEY, null, 0, 0, null, NOW));
			Health health = health(context, "openai");
			assertThat(health.getDetails()).containsEntry("lastErrorType", "HTTP");
			assertThat(JsonMapper.builder().build().writeValueAsString(health)).doesNotContain(OPENAI_KEY)
				.doesNotContain("Incorrect API key");
		});
	}

	@Test
	void runWhenRecentFailuresMinStreamsIsZeroShouldFailToStart() {
		this.contextRunner.withPropertyValues("steer.health.recent-failures.min-streams=0")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
				.rootCause()
				.hasMessageContaining("steer.health.recent-failures.min-streams"));
	}

	@Test
	void runWhenRecentFailuresRateAboveOneShouldFailToStart() {
		this.contextRunner.withPropertyValues("steer.health.recent-failures.failure-rate=1.5")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
				.rootCause()
				.hasMessageContaining("steer.health.recent-failures.failure-rate"));
	}

	@Test
	void runWhenNoPropertiesShouldUseDefaultRecentFailuresRule() {
		this.contextRunner.run((context) -> {
			SteerHealthProperties.RecentFailures rule = context.getBean(SteerHealthProperties.class)
				.getRecentFailures();
			assertThat(rule.isEnabled()).isTrue();
			assertThat(rule.getMinStreams()).isEqualTo(5);
			assertThat(rule.getFailureRate()).isEqualTo(0.5);
		});
	}

	private static void record(StreamStatistics statistics, String provider, int count, @Nullable Integer httpStatus) {
		for (int i = 0; i < count; i++) {
			statistics.record(
					(httpStatus != null) ? failed(provider, StreamErrorType.HTTP, httpStatus, NOW) : new EndedStream(
							provider, "gpt-4o", StreamOutcome.SUCCESS, null, null, null, 100.0, 10, 20, null, NOW));
		}
	}

	private static EndedStream failed(String provider, StreamErrorType type, @Nullable Integer httpStatus,
			Instant endedAt) {
		return new EndedStream(provider, "gpt-4o", StreamOutcome.ERROR, type, httpStatus, "failed", null, 10, 0, null,
				endedAt);
	}

	private ApplicationContextRunner openAi() {
		return this.contextRunner.withPropertyValues("steer.providers.openai.base-url=" + this.server.baseUrl() + "/v1",
				"steer.providers.openai.api-key=" + OPENAI_KEY, "steer.providers.openai.default-model=gpt-4o");
	}

	private static CompositeReactiveHealthContributor composite(AssertableApplicationContext context) {
		return context.getBean(SteerHealthAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME,
				CompositeReactiveHealthContributor.class);
	}

	private static Health health(AssertableApplicationContext context, String provider) {
		ReactiveHealthIndicator indicator = (ReactiveHealthIndicator) composite(context).getContributor(provider);
		Health health = indicator.health().block(Duration.ofSeconds(10));
		assertThat(health).isNotNull();
		return health;
	}

	/**
	 * Stream statistics on a clock the test moves, in place of the auto-configured ones.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StatisticsConfiguration {

		final MutableClock clock = new MutableClock();

		@Bean
		StreamStatistics testStreamStatistics() {
			return new StreamStatistics(200, 100, Duration.ofMinutes(15), this.clock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthConfiguration {

		static final ReactiveHealthIndicator CONTRIBUTOR = () -> reactor.core.publisher.Mono.just(Health.up().build());

		@Bean(SteerHealthAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME)
		ReactiveHealthIndicator steerHealthContributor() {
			return CONTRIBUTOR;
		}

	}

	/**
	 * Captures every logger at TRACE (the root logger's level is lowered) until closed.
	 */
	static final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

		private final Logger root;

		private final Level previousLevel;

		private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		CapturedLog() {
			LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
			this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			this.previousLevel = this.root.getLevel();
			setContext(context);
			setName("captured-health");
			start();
			this.root.addAppender(this);
			this.root.setLevel(Level.TRACE);
		}

		int size() {
			return this.events.size();
		}

		String text() {
			StringBuilder text = new StringBuilder();
			for (ILoggingEvent event : this.events) {
				text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
				if (event.getThrowableProxy() != null) {
					text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
				}
			}
			return text.toString();
		}

		@Override
		protected void append(ILoggingEvent event) {
			event.prepareForDeferredProcessing();
			this.events.add(event);
		}

		@Override
		public void close() {
			this.root.detachAppender(this);
			this.root.setLevel(this.previousLevel);
			stop();
		}

	}

}
