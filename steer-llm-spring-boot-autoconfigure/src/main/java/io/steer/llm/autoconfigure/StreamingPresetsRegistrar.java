package io.steer.llm.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.options.StreamingOptions;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a {@link StreamingOptions} bean definition for each
 * {@code steer.streaming.presets.<name>} entry, named {@code <name>Options} with the name
 * in camelCase ({@code fast-ui} gives {@code fastUiOptions}).
 * <p>
 * The definitions exist before any bean is created, so
 * {@code @Qualifier("reliableOptions")} injection works. They are not default candidates:
 * an unqualified {@code StreamingOptions} injection point still gets the primary
 * {@code steerStreamingOptions} bean. A bean already defined under the same name wins;
 * the names of the built-in presets are reserved. The options are built by
 * {@link StreamingOptionsFactory#preset(String)} when the bean is created.
 */
final class StreamingPresetsRegistrar implements ImportBeanDefinitionRegistrar {

	private static final String PRESETS = "steer.streaming.presets";

	private final Environment environment;

	StreamingPresetsRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		Map<String, StreamingOptionsProperties> presets = Binder.get(this.environment)
			.bind(PRESETS, Bindable.mapOf(String.class, StreamingOptionsProperties.class))
			.orElse(Map.of());
		Map<String, String> presetsByBeanName = new LinkedHashMap<>();
		for (String preset : presets.keySet()) {
			String beanName = beanName(preset);
			if (SteerLLMAutoConfiguration.BUILT_IN_PRESET_BEAN_NAMES.contains(beanName)) {
				throw new InvalidConfigurationPropertyValueException(PRESETS + "." + preset, preset,
						"'" + beanName + "' is the bean of a built-in preset; give this preset another name.");
			}
			String previous = presetsByBeanName.putIfAbsent(beanName, preset);
			if (previous != null) {
				throw new InvalidConfigurationPropertyValueException(PRESETS + "." + preset, preset, "Presets '"
						+ previous + "' and '" + preset + "' would both be the bean '" + beanName + "'; rename one.");
			}
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(preset));
			}
		}
	}

	private static RootBeanDefinition definition(String preset) {
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setTargetType(StreamingOptions.class);
		definition.setFactoryBeanName(StreamingOptionsFactory.BEAN_NAME);
		definition.setFactoryMethodName("preset");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, preset);
		definition.setDefaultCandidate(false);
		definition.setResourceDescription(PRESETS + "." + preset);
		return definition;
	}

	/**
	 * The bean name of a preset: its name in camelCase followed by {@code Options}.
	 * @param preset the preset name, e.g. {@code fast-ui}
	 * @return the bean name, e.g. {@code fastUiOptions}
	 */
	static String beanName(String preset) {
		return ConfiguredBeanNames.beanName(preset, "Options", PRESETS, "preset");
	}

}
