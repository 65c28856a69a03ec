/**
 * Agents: a streaming tool-calling loop over any provider. Start at
 * {@link io.steer.llm.agent.AgentRunner} and {@link io.steer.llm.agent.AgentDefinition}.
 */
@NullMarked
package io.steer.llm.agent;

import org.jspecify.annotations.NullMarked;
