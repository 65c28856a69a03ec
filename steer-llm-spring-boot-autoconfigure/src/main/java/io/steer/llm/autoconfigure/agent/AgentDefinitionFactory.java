package io.steer.llm.autoconfigure.agent;

import java.util.Map;

import io.steer.llm.agent.AgentDefinition;
import io.steer.llm.agent.ToolCallback;
import io.steer.llm.options.StreamingOptions;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link AgentDefinition} of a {@code steer.agents.<name>} entry, the factory
 * of the beans {@link AgentDefinitionsRegistrar} registers.
 */
final class AgentDefinitionFactory {

	static final String BEAN_NAME = "steerAgentDefinitionFactory";

	static final String AGENTS = "steer.agents";

	private final Environment environment;

	private final SteerToolRegistry tools;

	private final BeanFactory beanFactory;

	AgentDefinitionFactory(Environment environment, SteerToolRegistry tools, BeanFactory beanFactory) {
		this.environment = environment;
		this.tools = tools;
		this.beanFactory = beanFactory;
	}

	/**
	 * The definition of an agent.
	 * @param name the key under {@code steer.agents}
	 * @return the definition, named {@code name}
	 * @throws InvalidConfigurationPropertyValueException naming the key when a tool or
	 * the preset does not exist, or a value is out of range
	 */
	AgentDefinition agent(String name) {
		AgentProperties properties = bind().get(name);
		if (properties == null) {
			throw new IllegalStateException("No agent '" + name + "' under " + AGENTS);
		}
		String prefix = AGENTS + "." + name + ".";
		AgentDefinition.Builder builder = AgentDefinition.builder(name)
			.model(properties.getModel())
			.api(properties.getApi())
			.systemPrompt(properties.getSystemPrompt())
			.userPrompt(properties.getUserPrompt());
		for (int i = 0; i < properties.getTools().size(); i++) {
			String toolName = properties.getTools().get(i);
			ToolCallback tool = this.tools.tool(toolName);
			if (tool == null) {
				throw new InvalidConfigurationPropertyValueException(prefix + "tools[" + i + "]", toolName,
						"There is no tool '" + toolName + "'; the tools are " + this.tools.names() + ".");
			}
			builder.tool(tool);
		}
		try {
			if (properties.getMaxSteps() != null) {
				builder.maxSteps(properties.getMaxSteps());
			}
			if (properties.getMaxParallelTools() != null) {
				builder.maxParallelTools(properties.getMaxParallelTools());
			}
			if (properties.getToolTimeout() != null) {
				builder.toolTimeout(properties.getToolTimeout());
			}
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix.substring(0, prefix.length() - 1), name,
					ex.getMessage());
		}
		String preset = properties.getPreset();
		if (preset != null) {
			try {
				builder.options(this.beanFactory.getBean(preset, StreamingOptions.class));
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix + "preset", preset,
						"There is no StreamingOptions bean '" + preset + "'.");
			}
		}
		return builder.build();
	}

	private Map<String, AgentProperties> bind() {
		return bind(this.environment);
	}

	static Map<String, AgentProperties> bind(Environment environment) {
		return Binder.get(environment)
			.bind(AGENTS, Bindable.mapOf(String.class, AgentProperties.class))
			.orElse(Map.of());
	}

}
