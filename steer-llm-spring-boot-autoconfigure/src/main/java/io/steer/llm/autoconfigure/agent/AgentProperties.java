package io.steer.llm.autoconfigure.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.model.ProviderApi;
import org.jspecify.annotations.Nullable;

/**
 * One agent of {@code steer.agents.<name>.*}, the {@code <name>Agent}
 * {@link io.steer.llm.agent.AgentDefinition} bean. Unset values take the definition's
 * defaults.
 */
public final class AgentProperties {

	/**
	 * Model of every step, e.g. 'gpt-4.1-mini'; the provider's default model when unset.
	 */
	private @Nullable String model;

	/**
	 * API of every step for OpenAI and xAI, 'chat-completions' or 'responses'; the
	 * provider's configured API when unset.
	 */
	private @Nullable ProviderApi api;

	/**
	 * System prompt template, with '{variable}' placeholders filled from the run's
	 * variables.
	 */
	private @Nullable String systemPrompt;

	/**
	 * First user message template, with '{variable}' placeholders, used when a run gives
	 * no user message.
	 */
	private @Nullable String userPrompt;

	/**
	 * Names of the tools the agent may call: '@SteerTool' methods and 'ToolCallback'
	 * beans.
	 */
	private List<String> tools = new ArrayList<>();

	/**
	 * Maximum number of model turns of a run; 10 when unset.
	 */
	private @Nullable Integer maxSteps;

	/**
	 * Maximum number of a step's tool calls run at once; 4 when unset.
	 */
	private @Nullable Integer maxParallelTools;

	/**
	 * Timeout of one tool call, after which the model sees an error; 30s when unset.
	 */
	private @Nullable Duration toolTimeout;

	/**
	 * Bean name of the 'StreamingOptions' of every step, e.g. 'reliableOptions'; the
	 * client's defaults when unset.
	 */
	private @Nullable String preset;

	/**
	 * The model.
	 * @return the model, or {@code null}
	 */
	public @Nullable String getModel() {
		return this.model;
	}

	/**
	 * Sets the model.
	 * @param model the model, or {@code null}
	 */
	public void setModel(@Nullable String model) {
		this.model = model;
	}

	/**
	 * The API.
	 * @return the API, or {@code null}
	 */
	public @Nullable ProviderApi getApi() {
		return this.api;
	}

	/**
	 * Sets the API.
	 * @param api the API, or {@code null}
	 */
	public void setApi(@Nullable ProviderApi api) {
		this.api = api;
	}

	/**
	 * The system prompt template.
	 * @return the template, or {@code null}
	 */
	public @Nullable String getSystemPrompt() {
		return this.systemPrompt;
	}

	/**
	 * Sets the system prompt template.
	 * @param systemPrompt the template, or {@code null}
	 */
	public void setSystemPrompt(@Nullable String systemPrompt) {
		this.systemPrompt = systemPrompt;
	}

	/**
	 * The user prompt template.
	 * @return the template, or {@code null}
	 */
	public @Nullable String getUserPrompt() {
		return this.userPrompt;
	}

	/**
	 * Sets the user prompt template.
	 * @param userPrompt the template, or {@code null}
	 */
	public void setUserPrompt(@Nullable String userPrompt) {
		this.userPrompt = userPrompt;
	}

	/**
	 * The tool names.
	 * @return the names, possibly empty
	 */
	public List<String> getTools() {
		return this.tools;
	}

	/**
	 * Sets the tool names.
	 * @param tools the names
	 */
	public void setTools(List<String> tools) {
		this.tools = tools;
	}

	/**
	 * The maximum number of steps.
	 * @return the maximum, or {@code null} for the default
	 */
	public @Nullable Integer getMaxSteps() {
		return this.maxSteps;
	}

	/**
	 * Sets the maximum number of steps.
	 * @param maxSteps the maximum, or {@code null} for the default
	 */
	public void setMaxSteps(@Nullable Integer maxSteps) {
		this.maxSteps = maxSteps;
	}

	/**
	 * The maximum number of tool calls run at once.
	 * @return the maximum, or {@code null} for the default
	 */
	public @Nullable Integer getMaxParallelTools() {
		return this.maxParallelTools;
	}

	/**
	 * Sets the maximum number of tool calls run at once.
	 * @param maxParallelTools the maximum, or {@code null} for the default
	 */
	public void setMaxParallelTools(@Nullable Integer maxParallelTools) {
		this.maxParallelTools = maxParallelTools;
	}

	/**
	 * The timeout of one tool call.
	 * @return the timeout, or {@code null} for the default
	 */
	public @Nullable Duration getToolTimeout() {
		return this.toolTimeout;
	}

	/**
	 * Sets the timeout of one tool call.
	 * @param toolTimeout the timeout, or {@code null} for the default
	 */
	public void setToolTimeout(@Nullable Duration toolTimeout) {
		this.toolTimeout = toolTimeout;
	}

	/**
	 * The bean name of the steps' streaming options.
	 * @return the bean name, or {@code null} for the client's defaults
	 */
	public @Nullable String getPreset() {
		return this.preset;
	}

	/**
	 * Sets the bean name of the steps' streaming options.
	 * @param preset the bean name, or {@code null}
	 */
	public void setPreset(@Nullable String preset) {
		this.preset = preset;
	}

}
