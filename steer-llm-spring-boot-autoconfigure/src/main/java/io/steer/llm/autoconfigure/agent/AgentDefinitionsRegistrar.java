package io.steer.llm.autoconfigure.agent;

import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.agent.AgentDefinition;
import io.steer.llm.autoconfigure.ConfiguredBeanNames;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers an {@link AgentDefinition} bean definition for each
 * {@code steer.agents.<name>} entry, named {@code <name>Agent} with the name in camelCase
 * ({@code math-tutor} gives {@code mathTutorAgent}), built by
 * {@link AgentDefinitionFactory#agent(String)} when the bean is created. A bean already
 * defined under the same name wins.
 */
final class AgentDefinitionsRegistrar implements ImportBeanDefinitionRegistrar {

	private final Environment environment;

	AgentDefinitionsRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		Map<String, String> agentsByBeanName = new LinkedHashMap<>();
		for (String agent : AgentDefinitionFactory.bind(this.environment).keySet()) {
			String beanName = beanName(agent);
			String previous = agentsByBeanName.putIfAbsent(beanName, agent);
			if (previous != null) {
				throw new InvalidConfigurationPropertyValueException(AgentDefinitionFactory.AGENTS + "." + agent, agent,
						"Agents '" + previous + "' and '" + agent + "' would both be the bean '" + beanName
								+ "'; rename one.");
			}
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(agent));
			}
		}
	}

	private static RootBeanDefinition definition(String agent) {
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setTargetType(AgentDefinition.class);
		definition.setFactoryBeanName(AgentDefinitionFactory.BEAN_NAME);
		definition.setFactoryMethodName("agent");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, agent);
		definition.setResourceDescription(AgentDefinitionFactory.AGENTS + "." + agent);
		return definition;
	}

	/**
	 * The bean name of an agent: its name in camelCase followed by {@code Agent}.
	 * @param agent the agent name, e.g. {@code math-tutor}
	 * @return the bean name, e.g. {@code mathTutorAgent}
	 */
	static String beanName(String agent) {
		return ConfiguredBeanNames.beanName(agent, "Agent", AgentDefinitionFactory.AGENTS, "agent");
	}

}
