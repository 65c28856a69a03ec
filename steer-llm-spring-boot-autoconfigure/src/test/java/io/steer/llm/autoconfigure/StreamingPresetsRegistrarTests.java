package io.steer.llm.autoconfigure;

import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StreamingPresetsRegistrar}.
 */
class StreamingPresetsRegistrarTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void beanNameWhenPresetNameIsKebabOrSnakeCaseShouldBeCamelCase() {
		assertThat(StreamingPresetsRegistrar.beanName("reliable")).isEqualTo("reliableOptions");
		assertThat(StreamingPresetsRegistrar.beanName("fast-ui")).isEqualTo("fastUiOptions");
		assertThat(StreamingPresetsRegistrar.beanName("batch_jobs")).isEqualTo("batchJobsOptions");
		assertThat(StreamingPresetsRegistrar.beanName("very-long-name")).isEqualTo("veryLongNameOptions");
		assertThat(StreamingPresetsRegistrar.beanName("Nightly")).isEqualTo("nightlyOptions");
		assertThat(StreamingPresetsRegistrar.beanName("v2")).isEqualTo("v2Options");
		assertThat(StreamingPresetsRegistrar.beanName("-edge-")).isEqualTo("edgeOptions");
	}

	@Test
	void beanNameWhenPresetNameHasNoLetterOrDigitShouldFail() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> StreamingPresetsRegistrar.beanName("--"))
			.withMessageContaining("steer.streaming.presets");
	}

	@Test
	void runWhenPresetConfiguredShouldRegisterDefinitionBeforeInstantiation() {
		this.contextRunner.withPropertyValues("steer.streaming.presets.reliable.max-reconnect-attempts=5")
			.run((context) -> {
				BeanDefinition definition = context.getBeanFactory().getBeanDefinition("reliableOptions");
				assertThat(definition.getFactoryBeanName()).isEqualTo(StreamingOptionsFactory.BEAN_NAME);
				assertThat(definition.getResourceDescription()).isEqualTo("steer.streaming.presets.reliable");
				assertThat(((AbstractBeanDefinition) definition).isDefaultCandidate()).isFalse();
				assertThat(context.getBeanFactory().getBeanNamesForType(StreamingOptions.class))
					.contains("reliableOptions");
			});
	}

	@Test
	void runWhenTwoPresetsGiveSameBeanNameShouldFail() {
		this.contextRunner
			.withPropertyValues("steer.streaming.presets.fast-ui.chunk-size=1",
					"steer.streaming.presets.[fast_ui].chunk-size=2")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("fastUiOptions"));
	}

}
