package io.steer.llm.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SdkEnvironmentVariablesPostProcessor}. The system environment is
 * replaced by a map: no real environment variable is read or needed.
 */
class SdkEnvironmentVariablesPostProcessorTests {

	private static final String SYSTEM_ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenSdkVariablesSetShouldMapThemToStreamingOptions() {
		this.contextRunner
			.withInitializer(environment(Map.of("STREAMING_CONNECTION_TIMEOUT", "5.0", "STREAMING_READ_TIMEOUT", "12",
					"STREAMING_MAX_RECONNECTS", "6", "STREAMING_ENABLE_AGGREGATION", "false",
					"STREAMING_PREFER_TIKTOKEN", "false", "STREAMING_ENABLE_JSON_HANDLER", "true")))
			.run((context) -> assertThat(context.getBean(StreamingOptions.class)).isEqualTo(StreamingOptions.builder()
				.connectionTimeout(Duration.ofSeconds(5))
				.readTimeout(Duration.ofSeconds(12))
				.maxReconnectAttempts(6)
				.enableUsageAggregation(false)
				.preferTiktoken(false)
				.enableJsonStreamHandler(true)
				.build()));
	}

	@Test
	void runWhenTimeoutHasDecimalsShouldConvertSecondsToMilliseconds() {
		this.contextRunner
			.withInitializer(
					environment(Map.of("STREAMING_CONNECTION_TIMEOUT", "2.5", "STREAMING_READ_TIMEOUT", " 0.125 ")))
			.run((context) -> {
				StreamingOptions options = context.getBean(StreamingOptions.class);
				assertThat(options.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
				assertThat(options.readTimeout()).isEqualTo(Duration.ofMillis(125));
			});
	}

	@Test
	void runWhenTimeoutHasUnitShouldPassItOn() {
		this.contextRunner.withInitializer(environment(Map.of("STREAMING_READ_TIMEOUT", "2m")))
			.run((context) -> assertThat(context.getBean(StreamingOptions.class).readTimeout())
				.isEqualTo(Duration.ofMinutes(2)));
	}

	@Test
	void runWhenStandardVariableAlsoSetShouldPreferStandardVariable() {
		this.contextRunner
			.withInitializer(environment(Map.of("STREAMING_READ_TIMEOUT", "10", "STEER_STREAMING_READ_TIMEOUT", "45s")))
			.run((context) -> assertThat(context.getBean(StreamingOptions.class).readTimeout())
				.isEqualTo(Duration.ofSeconds(45)));
	}

	@Test
	void runWhenCommandLineArgumentAlsoSetShouldPreferCommandLineArgument() {
		this.contextRunner.withInitializer(environment(Map.of("STREAMING_MAX_RECONNECTS", "1")))
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SimpleCommandLinePropertySource("--steer.streaming.max-reconnect-attempts=7")))
			.run((context) -> assertThat(context.getBean(StreamingOptions.class).maxReconnectAttempts()).isEqualTo(7));
	}

	@Test
	void runWhenApplicationYamlAlsoSetsPropertiesShouldPreferSdkVariables() {
		this.contextRunner
			.withInitializer(
					environment(Map.of("STREAMING_CONNECTION_TIMEOUT", "2.5", "STREAMING_ENABLE_AGGREGATION", "false")))
			.withInitializer((context) -> loadYaml(context.getEnvironment(), "sdk-env/application.yml"))
			.run((context) -> {
				StreamingOptions options = context.getBean(StreamingOptions.class);
				assertThat(options.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
				assertThat(options.enableUsageAggregation()).isFalse();
				assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(options.totalTimeout()).isEqualTo(Duration.ofMinutes(7));
			});
	}

	@Test
	void runWhenStateTtlVariableIsPlainNumberShouldBindSeconds() {
		this.contextRunner.withInitializer(environment(Map.of("STEER_STREAMING_STATE_TTL", "60")))
			.run((context) -> assertThat(context.getBean(SteerStreamingProperties.class).getStateTtl())
				.isEqualTo(Duration.ofSeconds(60)));
	}

	@Test
	void runWhenNoSdkVariableSetShouldAddNoPropertySource() {
		this.contextRunner.withInitializer(environment(Map.of("PATH", "/usr/bin"))).run((context) -> {
			assertThat(context.getEnvironment()
				.getPropertySources()
				.contains(SdkEnvironmentVariablesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
			assertThat(context.getBean(StreamingOptions.class)).isEqualTo(StreamingOptions.DEFAULTS);
		});
	}

	@Test
	void runWhenSdkVariablesSetShouldAddPropertySourceJustAfterSystemEnvironment() {
		this.contextRunner.withInitializer(environment(Map.of("STREAMING_MAX_RECONNECTS", "2")))
			.run((context) -> assertThat(names(context.getEnvironment()))
				.containsSubsequence(SYSTEM_ENVIRONMENT, SdkEnvironmentVariablesPostProcessor.PROPERTY_SOURCE_NAME)
				.element(names(context.getEnvironment()).indexOf(SYSTEM_ENVIRONMENT) + 1)
				.isEqualTo(SdkEnvironmentVariablesPostProcessor.PROPERTY_SOURCE_NAME));
	}

	@Test
	void runWhenTimeoutVariableIsNotADurationShouldFailNamingPropertyAndVariable() {
		this.contextRunner.withInitializer(environment(Map.of("STREAMING_CONNECTION_TIMEOUT", "soon")))
			.run((context) -> {
				BindException ex = cause(context, BindException.class);
				assertThat(ex).hasMessageContaining("steer.streaming.connection-timeout");
				assertThat(ex.getProperty()).isNotNull();
				assertThat(ex.getProperty().getOrigin())
					.hasToString("System Environment Property \"STREAMING_CONNECTION_TIMEOUT\"");
			});
	}

	@Test
	void runWhenTimeoutVariableIsNegativeShouldFailNamingProperty() {
		this.contextRunner.withInitializer(environment(Map.of("STREAMING_READ_TIMEOUT", "-1.5"))).run((context) -> {
			InvalidConfigurationPropertyValueException ex = cause(context,
					InvalidConfigurationPropertyValueException.class);
			assertThat(ex.getName()).isEqualTo("steer.streaming.read-timeout");
			assertThat(ex.getValue()).isEqualTo(Duration.ofMillis(-1500));
		});
	}

	@Test
	void secondsWhenDecimalShouldGiveMilliseconds() {
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("5.0")).isEqualTo("5000ms");
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("2.5")).isEqualTo("2500ms");
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("30")).isEqualTo("30000ms");
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("0.0004")).isEqualTo("0ms");
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("1e1")).isEqualTo("10000ms");
		assertThat(SdkEnvironmentVariablesPostProcessor.seconds("5s")).isEqualTo("5s");
	}

	/**
	 * Runs a real {@link SpringApplication}: proves the registration in
	 * {@code META-INF/spring.factories} and the precedence among config data, the SDK
	 * variables, {@code STEER_STREAMING_*} variables and command-line arguments.
	 */
	@Test
	void runWhenSpringApplicationStartsShouldApplySdkVariablesWithStandardPrecedence() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(SYSTEM_ENVIRONMENT,
					new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT,
							Map.of("STREAMING_CONNECTION_TIMEOUT", "2.5", "STREAMING_READ_TIMEOUT", "10",
									"STEER_STREAMING_READ_TIMEOUT", "45s", "STREAMING_MAX_RECONNECTS", "1",
									"STREAMING_ENABLE_AGGREGATION", "false", "STREAMING_PREFER_TIKTOKEN", "off",
									"STREAMING_ENABLE_JSON_HANDLER", "1")));
		SpringApplication application = new SpringApplication(SdkEnvironmentApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setEnvironment(environment);
		try (ConfigurableApplicationContext context = application.run(
				"--spring.config.location=classpath:/sdk-env/application.yml",
				"--steer.streaming.max-reconnect-attempts=7")) {
			StreamingOptions options = context.getBean(StreamingOptions.class);
			assertThat(options.connectionTimeout()).as("SDK variable over application.yml")
				.isEqualTo(Duration.ofMillis(2500));
			assertThat(options.readTimeout()).as("STEER_STREAMING_* over SDK variable")
				.isEqualTo(Duration.ofSeconds(45));
			assertThat(options.maxReconnectAttempts()).as("command line over SDK variable").isEqualTo(7);
			assertThat(options.enableUsageAggregation()).isFalse();
			assertThat(options.preferTiktoken()).isFalse();
			assertThat(options.enableJsonStreamHandler()).isTrue();
			assertThat(options.totalTimeout()).as("application.yml alone").isEqualTo(Duration.ofMinutes(7));
		}
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
			Map<String, Object> variables) {
		return (context) -> {
			ConfigurableEnvironment environment = context.getEnvironment();
			environment.getPropertySources()
				.replace(SYSTEM_ENVIRONMENT, new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT, variables));
			new SdkEnvironmentVariablesPostProcessor().postProcessEnvironment(environment);
		};
	}

	private static void loadYaml(ConfigurableEnvironment environment, String name) {
		try {
			new YamlPropertySourceLoader()
				.load("Config resource 'class path resource [" + name + "]'", new ClassPathResource(name))
				.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> names(ConfigurableEnvironment environment) {
		return environment.getPropertySources().stream().map(PropertySource::getName).toList();
	}

	private static <T extends Throwable> T cause(AssertableApplicationContext context, Class<T> type) {
		assertThat(context).hasFailed();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			if (type.isInstance(ex)) {
				return type.cast(ex);
			}
		}
		throw new AssertionError("No " + type.getName() + " in " + context.getStartupFailure());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SteerLLMAutoConfiguration.class)
	static class SdkEnvironmentApplication {

	}

}
