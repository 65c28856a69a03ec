package io.steer.llm.agent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.Message;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link AgentRunner} over a {@link SteerLLMClient}: each step is one
 * {@link SteerLLMClient#streamEvents} call, so every provider, retry, usage and pricing
 * feature of the client applies to each step, and the adapters write the assistant turns
 * and tool results in each provider's own shape (Chat Completions {@code tool} messages,
 * Responses API {@code function_call_output} items, Anthropic {@code tool_result}
 * blocks).
 */
public final class DefaultAgentRunner implements AgentRunner {

	private final SteerLLMClient client;

	private final Clock clock;

	private final Scheduler toolScheduler;

	private final Scheduler timer;

	private final ObjectMapper mapper;

	/**
	 * A runner with the system clock, blocking tools on
	 * {@link Schedulers#boundedElastic()} and tool timeouts on
	 * {@link Schedulers#parallel()}.
	 * @param client the client each step streams through
	 */
	public DefaultAgentRunner(SteerLLMClient client) {
		this(builder(client));
	}

	private DefaultAgentRunner(Builder builder) {
		this.client = builder.client;
		this.clock = builder.clock;
		this.toolScheduler = builder.toolScheduler;
		this.timer = builder.timer;
		this.mapper = builder.mapper;
	}

	/**
	 * A builder of a runner over a client.
	 * @param client the client each step streams through
	 * @return the builder
	 */
	public static Builder builder(SteerLLMClient client) {
		return new Builder(client);
	}

	@Override
	public Flux<AgentEvent> stream(AgentDefinition definition, Map<String, Object> variables,
			@Nullable StreamingOptions options) {
		return stream(definition, variables, null, options);
	}

	@Override
	public Flux<AgentEvent> stream(AgentDefinition definition, Map<String, Object> variables,
			@Nullable String userMessage, @Nullable StreamingOptions options) {
		Objects.requireNonNull(definition, "definition must not be null");
		Objects.requireNonNull(variables, "variables must not be null");
		List<Message> conversation = new ArrayList<>(2);
		String system = definition.renderSystemPrompt(variables);
		if (system != null) {
			conversation.add(Message.system(system));
		}
		String user = (userMessage != null) ? userMessage : definition.renderUserPrompt(variables);
		if (user != null) {
			conversation.add(Message.user(user));
		}
		if (conversation.isEmpty()) {
			throw new IllegalArgumentException("Agent '" + definition.name()
					+ "' has no system prompt and no user prompt, and no user message was given");
		}
		// neither: each step's request gets the client's options for it (its resolver)
		@Nullable StreamingOptions stepOptions = (options != null) ? options : definition.options();
		List<Message> start = List.copyOf(conversation);
		Map<String, Object> vars = Map.copyOf(variables);
		return Flux.defer(() -> new AgentRun(this.client, this.clock, this.toolScheduler, this.timer, this.mapper,
				definition, vars, start, stepOptions)
			.run());
	}

	/**
	 * Builder of a {@link DefaultAgentRunner}.
	 */
	public static final class Builder {

		private final SteerLLMClient client;

		private Clock clock = Clock.systemUTC();

		private Scheduler toolScheduler = Schedulers.boundedElastic();

		private Scheduler timer = Schedulers.parallel();

		private ObjectMapper mapper = JsonMapper.builder().build();

		private Builder(SteerLLMClient client) {
			this.client = Objects.requireNonNull(client, "client must not be null");
		}

		/**
		 * Sets the clock of event timestamps and tool durations.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Sets the scheduler blocking tools ({@link ToolCallback#blocking()}) run on.
		 * @param toolScheduler a scheduler with bounded threads, by default
		 * {@link Schedulers#boundedElastic()}
		 * @return this builder
		 */
		public Builder toolScheduler(Scheduler toolScheduler) {
			this.toolScheduler = Objects.requireNonNull(toolScheduler, "toolScheduler must not be null");
			return this;
		}

		/**
		 * Sets the scheduler that times tool calls out
		 * ({@link AgentDefinition#toolTimeout()}).
		 * @param timer the scheduler, by default {@link Schedulers#parallel()}; a
		 * {@code VirtualTimeScheduler} in tests
		 * @return this builder
		 */
		public Builder timer(Scheduler timer) {
			this.timer = Objects.requireNonNull(timer, "timer must not be null");
			return this;
		}

		/**
		 * Sets the mapper that parses tool call arguments and converts input schemas.
		 * @param mapper the mapper, by default a plain {@link JsonMapper}
		 * @return this builder
		 */
		public Builder jsonMapper(ObjectMapper mapper) {
			this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
			return this;
		}

		/**
		 * Builds the runner.
		 * @return the runner
		 */
		public DefaultAgentRunner build() {
			return new DefaultAgentRunner(this);
		}

	}

}
