package io.steer.llm.autoconfigure.agent;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.agent.AgentRunner;
import io.steer.llm.agent.DefaultAgentRunner;
import io.steer.llm.autoconfigure.SteerLLMAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of agents, after {@link SteerLLMAutoConfiguration}, when there is a
 * {@link SteerLLMClient} bean:
 * <ul>
 * <li>{@code steerAgentRunner}, the {@link AgentRunner} over the client, its tools'
 * arguments read with the application's {@code JsonMapper} when there is one;</li>
 * <li>{@code steerToolRegistry}, the {@link SteerToolRegistry} of every
 * {@link io.steer.llm.agent.ToolCallback} bean and {@link SteerTool @SteerTool} bean
 * method;</li>
 * <li>an {@link io.steer.llm.agent.AgentDefinition} bean {@code <name>Agent} per
 * {@code steer.agents.<name>} entry; an unknown tool name or preset fails start-up naming
 * the key.</li>
 * </ul>
 */
@AutoConfiguration(after = SteerLLMAutoConfiguration.class)
@ConditionalOnClass({ SteerLLMClient.class, AgentRunner.class })
@ConditionalOnBean(SteerLLMClient.class)
@Import(AgentDefinitionsRegistrar.class)
public final class SteerAgentAutoConfiguration {

	/** Name of the {@link AgentRunner} bean. */
	public static final String AGENT_RUNNER_BEAN_NAME = "steerAgentRunner";

	/** Name of the {@link SteerToolRegistry} bean. */
	public static final String TOOL_REGISTRY_BEAN_NAME = "steerToolRegistry";

	@Bean(AGENT_RUNNER_BEAN_NAME)
	@ConditionalOnMissingBean
	AgentRunner steerAgentRunner(SteerLLMClient client, ObjectProvider<JsonMapper> jsonMapper) {
		return DefaultAgentRunner.builder(client).jsonMapper(mapper(jsonMapper)).build();
	}

	@Bean(TOOL_REGISTRY_BEAN_NAME)
	@ConditionalOnMissingBean
	SteerToolRegistry steerToolRegistry(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<JsonMapper> jsonMapper) {
		return new SteerToolRegistry(beanFactory, mapper(jsonMapper));
	}

	@Bean(AgentDefinitionFactory.BEAN_NAME)
	AgentDefinitionFactory steerAgentDefinitionFactory(Environment environment, SteerToolRegistry tools,
			ConfigurableListableBeanFactory beanFactory) {
		return new AgentDefinitionFactory(environment, tools, beanFactory);
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
	}

}
