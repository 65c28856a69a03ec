/**
 * Auto-configuration of agents: the {@link io.steer.llm.agent.AgentRunner} bean, tools
 * from {@link io.steer.llm.autoconfigure.agent.SteerTool @SteerTool} bean methods and
 * {@link io.steer.llm.agent.ToolCallback} beans, and agent definitions from
 * {@code steer.agents.<name>.*}.
 */
@NullMarked
package io.steer.llm.autoconfigure.agent;

import org.jspecify.annotations.NullMarked;
