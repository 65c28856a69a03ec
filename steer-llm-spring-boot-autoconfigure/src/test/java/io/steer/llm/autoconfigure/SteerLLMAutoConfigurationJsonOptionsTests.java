package io.steer.llm.autoconfigure;

import io.steer.llm.json.JsonDuplicatePolicy;
import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON answer keys of {@code steer.streaming} and its presets:
 * {@code json-duplicate-policy} and {@code fail-on-schema-violation}.
 */
class SteerLLMAutoConfigurationJsonOptionsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenJsonKeysUnsetShouldUseTheDefaults() {
		this.contextRunner.run((context) -> {
			StreamingOptions options = context.getBean(StreamingOptions.class);
			assertThat(options.jsonDuplicatePolicy()).isEqualTo(JsonDuplicatePolicy.FIRST);
			assertThat(options.failOnSchemaViolation()).isFalse();
		});
	}

	@Test
	void runWhenJsonKeysSetShouldBindThem() {
		this.contextRunner
			.withPropertyValues("steer.streaming.json-duplicate-policy=last",
					"steer.streaming.fail-on-schema-violation=true")
			.run((context) -> assertThat(context.getBean(StreamingOptions.class)).isEqualTo(StreamingOptions.builder()
				.jsonDuplicatePolicy(JsonDuplicatePolicy.LAST)
				.failOnSchemaViolation(true)
				.build()));
	}

	@Test
	void runWhenPresetSetsJsonKeysShouldBindThemAndInheritTheOthers() {
		this.contextRunner
			.withPropertyValues("steer.streaming.fail-on-schema-violation=true",
					"steer.streaming.presets.strict.json-duplicate-policy=fail")
			.run((context) -> {
				StreamingOptions strict = context.getBean("strictOptions", StreamingOptions.class);
				assertThat(strict.jsonDuplicatePolicy()).isEqualTo(JsonDuplicatePolicy.FAIL);
				assertThat(strict.failOnSchemaViolation()).isTrue();
				assertThat(context.getBean(StreamingOptions.class).jsonDuplicatePolicy())
					.isEqualTo(JsonDuplicatePolicy.FIRST);
			});
	}

	@Test
	void runWhenDuplicatePolicyIsUnknownShouldFailNamingTheKey() {
		this.contextRunner.withPropertyValues("steer.streaming.json-duplicate-policy=newest")
			.run((context) -> assertThat(bindFailure(context))
				.hasMessageContaining("steer.streaming.json-duplicate-policy"));
	}

	@Test
	void runWhenPresetFailOnSchemaViolationIsNotABooleanShouldFailNamingTheKey() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.strict.fail-on-schema-violation=sometimes")
			.run((context) -> assertThat(bindFailure(context))
				.hasMessageContaining("steer.streaming.presets.strict.fail-on-schema-violation"));
	}

	private static BindException bindFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
			if (ex instanceof BindException bind) {
				return bind;
			}
		}
		throw new AssertionError("No BindException", context.getStartupFailure());
	}

}
