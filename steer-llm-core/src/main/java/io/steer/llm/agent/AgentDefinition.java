package io.steer.llm.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

/**
 * What an agent is: a name, a model, prompt templates, tools, and the limits of its loop.
 * Immutable; built with {@link #builder(String)}.
 * <p>
 * Templates hold {@code {variables}} replaced by the run's variables
 * ({@link AgentRunner#stream(AgentDefinition, Map, StreamingOptions)}); a template that
 * names a variable the run does not give is rejected with an
 * {@link IllegalArgumentException} naming it and the variables given.
 */
public final class AgentDefinition {

	/** The default {@link #maxSteps()}. */
	public static final int DEFAULT_MAX_STEPS = 10;

	/** The default {@link #maxParallelTools()}. */
	public static final int DEFAULT_MAX_PARALLEL_TOOLS = 4;

	/** The default {@link #toolTimeout()}: 30 seconds. */
	public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);

	private final String name;

	private final @Nullable String model;

	private final @Nullable ProviderApi api;

	private final @Nullable String systemPrompt;

	private final @Nullable String userPrompt;

	private final List<ToolCallback> tools;

	private final int maxSteps;

	private final @Nullable StreamingOptions options;

	private final int maxParallelTools;

	private final Duration toolTimeout;

	private final ToolApproval approval;

	private AgentDefinition(Builder builder) {
		this.name = builder.name;
		this.model = builder.model;
		this.systemPrompt = builder.systemPrompt;
		this.userPrompt = builder.userPrompt;
		this.tools = List.copyOf(builder.tools);
		this.api = builder.api;
		this.maxSteps = builder.maxSteps;
		this.options = builder.options;
		this.maxParallelTools = builder.maxParallelTools;
		this.toolTimeout = builder.toolTimeout;
		this.approval = builder.approval;
	}

	/**
	 * A builder of an agent with this name, no prompts, no tools and the default limits.
	 * @param name the agent's name, in its events and tool contexts
	 * @return the builder
	 * @throws IllegalArgumentException if {@code name} is blank
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * A builder that starts from this definition.
	 * @return the builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.name);
		builder.model = this.model;
		builder.api = this.api;
		builder.systemPrompt = this.systemPrompt;
		builder.userPrompt = this.userPrompt;
		builder.tools.addAll(this.tools);
		builder.maxSteps = this.maxSteps;
		builder.options = this.options;
		builder.maxParallelTools = this.maxParallelTools;
		builder.toolTimeout = this.toolTimeout;
		builder.approval = this.approval;
		return builder;
	}

	/**
	 * The agent's name, in every event and tool context.
	 * @return the name, not blank
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The model every step asks for, as a name or {@code provider:model}.
	 * @return the model, or {@code null} for the client's default model
	 */
	public @Nullable String model() {
		return this.model;
	}

	/**
	 * The API of every step.
	 * @return the API, or {@code null} for the provider's configured one
	 */
	public @Nullable ProviderApi api() {
		return this.api;
	}

	/**
	 * The system prompt template.
	 * @return the template, or {@code null} for no system message
	 */
	public @Nullable String systemPrompt() {
		return this.systemPrompt;
	}

	/**
	 * The template of the first user message, used when a run is given no user message.
	 * @return the template, or {@code null} for none
	 */
	public @Nullable String userPrompt() {
		return this.userPrompt;
	}

	/**
	 * The tools the model may call, sent with every step.
	 * @return the tools, unmodifiable, names unique
	 */
	public List<ToolCallback> tools() {
		return this.tools;
	}

	/**
	 * The most model turns a run makes; a run whose last allowed turn still asks for
	 * tools ends with an {@link AgentEvent.AgentFailed} of type
	 * {@link AgentErrorType#MAX_STEPS}.
	 * @return at least 1, {@value #DEFAULT_MAX_STEPS} by default
	 */
	public int maxSteps() {
		return this.maxSteps;
	}

	/**
	 * The streaming options of every step, unless the run is given its own.
	 * @return the options, or {@code null} for the client's default options
	 */
	public @Nullable StreamingOptions options() {
		return this.options;
	}

	/**
	 * The most tool calls of one step that run (or wait for approval) at the same time.
	 * @return at least 1, {@value #DEFAULT_MAX_PARALLEL_TOOLS} by default
	 */
	public int maxParallelTools() {
		return this.maxParallelTools;
	}

	/**
	 * How long one tool call may run before it is cancelled and the model gets
	 * {@code "Error: timed out after N ms"}. Approval time does not count.
	 * @return a positive duration, 30 s by default
	 */
	public Duration toolTimeout() {
		return this.toolTimeout;
	}

	/**
	 * The hook that reviews each call before it runs.
	 * @return the hook, {@link ToolApproval#APPROVE_ALL} by default
	 */
	public ToolApproval approval() {
		return this.approval;
	}

	/**
	 * Renders the system prompt template.
	 * @param variables the run's variables
	 * @return the system prompt, or {@code null} when the agent has none
	 * @throws IllegalArgumentException naming a variable the template uses that is not
	 * given, and the variables given
	 */
	public @Nullable String renderSystemPrompt(Map<String, Object> variables) {
		return (this.systemPrompt != null) ? PromptTemplate.render("system prompt", this.systemPrompt, variables)
				: null;
	}

	/**
	 * Renders the user prompt template.
	 * @param variables the run's variables
	 * @return the user prompt, or {@code null} when the agent has none
	 * @throws IllegalArgumentException naming a variable the template uses that is not
	 * given, and the variables given
	 */
	public @Nullable String renderUserPrompt(Map<String, Object> variables) {
		return (this.userPrompt != null) ? PromptTemplate.render("user prompt", this.userPrompt, variables) : null;
	}

	@Override
	public String toString() {
		return "AgentDefinition[name=" + this.name + ", model=" + this.model + ", api=" + this.api + ", tools="
				+ this.tools.stream().map(ToolCallback::name).toList() + ", maxSteps=" + this.maxSteps + "]";
	}

	/**
	 * Builder of an {@link AgentDefinition}.
	 */
	public static final class Builder {

		private final String name;

		private @Nullable String model;

		private @Nullable ProviderApi api;

		private @Nullable String systemPrompt;

		private @Nullable String userPrompt;

		private final List<ToolCallback> tools = new ArrayList<>();

		private int maxSteps = DEFAULT_MAX_STEPS;

		private @Nullable StreamingOptions options;

		private int maxParallelTools = DEFAULT_MAX_PARALLEL_TOOLS;

		private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;

		private ToolApproval approval = ToolApproval.APPROVE_ALL;

		private Builder(String name) {
			Objects.requireNonNull(name, "name must not be null");
			if (name.isBlank()) {
				throw new IllegalArgumentException("name must not be blank");
			}
			this.name = name;
		}

		/**
		 * Sets the model.
		 * @param model a model name or {@code provider:model}, or {@code null} for the
		 * client's default model
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * Sets the API of every step (OpenAI and xAI: Chat Completions or the Responses
		 * API).
		 * @param api the API, or {@code null} for the provider's configured one
		 * @return this builder
		 */
		public Builder api(@Nullable ProviderApi api) {
			this.api = api;
			return this;
		}

		/**
		 * Sets the system prompt template, with {@code {variables}}.
		 * @param systemPrompt the template, or {@code null} for none
		 * @return this builder
		 */
		public Builder systemPrompt(@Nullable String systemPrompt) {
			this.systemPrompt = systemPrompt;
			return this;
		}

		/**
		 * Sets the template of the first user message, used when a run is given none
		 * (Anthropic needs one).
		 * @param userPrompt the template, or {@code null} for none
		 * @return this builder
		 */
		public Builder userPrompt(@Nullable String userPrompt) {
			this.userPrompt = userPrompt;
			return this;
		}

		/**
		 * Replaces the tools.
		 * @param tools the tools, names unique
		 * @return this builder
		 * @throws IllegalArgumentException if two tools have the same name
		 * @throws NullPointerException if the list or a tool is {@code null}
		 */
		public Builder tools(List<ToolCallback> tools) {
			this.tools.clear();
			tools.forEach(this::tool);
			return this;
		}

		/**
		 * Adds a tool.
		 * @param tool the tool
		 * @return this builder
		 * @throws IllegalArgumentException if a tool with the same name was added
		 */
		public Builder tool(ToolCallback tool) {
			Objects.requireNonNull(tool, "tool must not be null");
			Set<String> names = new HashSet<>();
			this.tools.forEach((existing) -> names.add(existing.name()));
			if (!names.add(tool.name())) {
				throw new IllegalArgumentException("Two tools are named '" + tool.name() + "'");
			}
			this.tools.add(tool);
			return this;
		}

		/**
		 * Sets the most model turns of a run.
		 * @param maxSteps at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxSteps} is less than 1
		 */
		public Builder maxSteps(int maxSteps) {
			if (maxSteps < 1) {
				throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
			}
			this.maxSteps = maxSteps;
			return this;
		}

		/**
		 * Sets the streaming options of every step.
		 * @param options the options, or {@code null} for the client's defaults
		 * @return this builder
		 */
		public Builder options(@Nullable StreamingOptions options) {
			this.options = options;
			return this;
		}

		/**
		 * Sets the most tool calls of one step that run at the same time.
		 * @param maxParallelTools at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxParallelTools} is less than 1
		 */
		public Builder maxParallelTools(int maxParallelTools) {
			if (maxParallelTools < 1) {
				throw new IllegalArgumentException("maxParallelTools must be at least 1, was " + maxParallelTools);
			}
			this.maxParallelTools = maxParallelTools;
			return this;
		}

		/**
		 * Sets how long one tool call may run.
		 * @param toolTimeout a positive duration
		 * @return this builder
		 * @throws IllegalArgumentException if {@code toolTimeout} is zero or negative
		 */
		public Builder toolTimeout(Duration toolTimeout) {
			Objects.requireNonNull(toolTimeout, "toolTimeout must not be null");
			if (toolTimeout.isZero() || toolTimeout.isNegative()) {
				throw new IllegalArgumentException("toolTimeout must be positive, was " + toolTimeout);
			}
			this.toolTimeout = toolTimeout;
			return this;
		}

		/**
		 * Sets the hook that reviews each call before it runs.
		 * @param approval the hook; {@link ToolApproval#APPROVE_ALL} to run every call
		 * without an approval event
		 * @return this builder
		 */
		public Builder approval(ToolApproval approval) {
			this.approval = Objects.requireNonNull(approval, "approval must not be null");
			return this;
		}

		/**
		 * Builds the definition.
		 * @return the definition
		 */
		public AgentDefinition build() {
			return new AgentDefinition(this);
		}

	}

}
