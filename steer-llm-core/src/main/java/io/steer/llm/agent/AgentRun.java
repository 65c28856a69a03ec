package io.steer.llm.agent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.agent.AgentEvent.AgentCompleted;
import io.steer.llm.agent.AgentEvent.AgentFailed;
import io.steer.llm.agent.AgentEvent.ApprovalRequired;
import io.steer.llm.agent.AgentEvent.StepCompleted;
import io.steer.llm.agent.AgentEvent.StepEvent;
import io.steer.llm.agent.AgentEvent.StepStarted;
import io.steer.llm.agent.AgentEvent.ToolCallCompleted;
import io.steer.llm.agent.AgentEvent.ToolCallStarted;
import io.steer.llm.agent.AgentEvent.ToolError;
import io.steer.llm.agent.AgentEvent.ToolExecutionStarted;
import io.steer.llm.agent.AgentEvent.ToolResult;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ServerToolCall;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.model.ToolDefinition;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One run of an agent, made fresh for each subscription: the conversation, the completed
 * steps and the totals. Steps run one after the other; only the tool calls of one step
 * run concurrently, each writing its own slot of the step's results.
 */
final class AgentRun {

	private static final String PROVIDER_EXECUTED = "provider_executed";

	private static final String APPROVAL = "approval";

	private final SteerLLMClient client;

	private final Clock clock;

	private final Scheduler toolScheduler;

	private final Scheduler timer;

	private final ObjectMapper mapper;

	private final AgentDefinition definition;

	private final String agentName;

	private final Map<String, Object> variables;

	/**
	 * The options of every step, or {@code null} for the client's options for each step's
	 * request.
	 */
	private final @Nullable StreamingOptions options;

	private final List<Message> conversation;

	private final Map<String, ToolCallback> tools = new LinkedHashMap<>();

	private final List<ToolDefinition> toolDefinitions = new ArrayList<>();

	private final List<StreamingResponse> steps = new ArrayList<>();

	private @Nullable Usage totalUsage;

	private BigDecimal totalCost = BigDecimal.ZERO;

	private boolean costUnknown;

	private volatile int currentStep = 1;

	private volatile boolean inTools;

	AgentRun(SteerLLMClient client, Clock clock, Scheduler toolScheduler, Scheduler timer, ObjectMapper mapper,
			AgentDefinition definition, Map<String, Object> variables, List<Message> start,
			@Nullable StreamingOptions options) {
		this.client = client;
		this.clock = clock;
		this.toolScheduler = toolScheduler;
		this.timer = timer;
		this.mapper = mapper;
		this.definition = definition;
		this.agentName = definition.name();
		this.variables = variables;
		this.options = options;
		this.conversation = new ArrayList<>(start);
		for (ToolCallback tool : definition.tools()) {
			this.tools.put(tool.name(), tool);
			@SuppressWarnings("unchecked")
			Map<String, Object> schema = mapper.convertValue(tool.inputSchema(), Map.class);
			this.toolDefinitions.add(ToolDefinition.function(tool.name(), tool.description(), schema));
		}
	}

	Flux<AgentEvent> run() {
		return step(1).onErrorResume((ex) -> Flux.just(failed(this.currentStep,
				this.inTools ? AgentErrorType.TOOL : AgentErrorType.PROVIDER,
				"Agent '" + this.agentName + "' failed in step " + this.currentStep + ": " + message(ex), null, ex)));
	}

	private Flux<AgentEvent> step(int step) {
		this.currentStep = step;
		this.inTools = false;
		ChatRequest request = ChatRequest.builder()
			.messages(this.conversation)
			.model(this.definition.model())
			.api(this.definition.api())
			.tools(this.toolDefinitions)
			.build();
		StepState state = new StepState(step);
		return Flux.concat(Mono.fromSupplier(() -> new StepStarted(this.agentName, step, request, now(), Map.of())),
				this.client
					.streamEvents(request, (this.options != null) ? this.options : this.client.optionsFor(request))
					.flatMapIterable(state::map),
				Flux.defer(() -> afterStep(state)));
	}

	private Flux<AgentEvent> afterStep(StepState state) {
		int step = state.step;
		StreamErrorEvent error = state.error;
		if (error != null) {
			AgentErrorType type = (error.errorType() == StreamErrorType.CANCELLED) ? AgentErrorType.CANCELLED
					: AgentErrorType.PROVIDER;
			return Flux.just(failed(step, type,
					"Agent '" + this.agentName + "' step " + step + " failed: " + error.error().getMessage(),
					error.partialResponse(), error.error()));
		}
		StreamingResponse response = state.response;
		if (response == null) {
			return Flux.just(failed(step, AgentErrorType.PROVIDER,
					"Agent '" + this.agentName + "' step " + step + " ended without a response", null, null));
		}
		this.steps.add(response);
		Usage usage = response.usage();
		if (usage != null) {
			this.totalUsage = (this.totalUsage != null) ? this.totalUsage.plus(usage) : usage;
		}
		if (response.costUsd() != null) {
			this.totalCost = this.totalCost.add(response.costUsd());
		}
		else {
			this.costUnknown = true;
		}
		List<AgentEvent> events = new ArrayList<>();
		List<PendingCall> calls = new ArrayList<>();
		for (ToolCall call : response.toolCalls()) {
			String id = callId(call);
			JsonNode arguments = parseArguments(call.arguments());
			events.add(new ToolCallCompleted(this.agentName, step, id, call.name(), arguments, call.arguments(), now(),
					Map.of(AgentEvent.TOOL, call.name())));
			calls.add(new PendingCall(calls.size(), id, call, arguments));
		}
		events.add(new StepCompleted(this.agentName, step, usage, response.normalizedFinishReason(), response.costUsd(),
				response, now(), serverToolMetadata(response)));
		if (calls.isEmpty()) {
			events.add(new AgentCompleted(this.agentName, step, this.totalUsage,
					this.costUnknown ? null : this.totalCost, this.steps, response.text(), now(), Map.of()));
			return Flux.fromIterable(events);
		}
		if (step >= this.definition.maxSteps()) {
			events.add(failed(step, AgentErrorType.MAX_STEPS,
					"Agent '" + this.agentName + "' reached its limit of " + this.definition.maxSteps()
							+ " steps; step " + step + " still asked for tools "
							+ calls.stream().map((call) -> call.call.name()).toList(),
					null, null));
			return Flux.fromIterable(events);
		}
		return Flux.concat(Flux.fromIterable(events), runTools(step, response, calls),
				Flux.defer(() -> step(step + 1)));
	}

	private Flux<AgentEvent> runTools(int step, StreamingResponse response, List<PendingCall> calls) {
		this.inTools = true;
		AtomicReferenceArray<Message> results = new AtomicReferenceArray<>(calls.size());
		return Flux.fromIterable(calls)
			.flatMap((call) -> handle(step, call, results), this.definition.maxParallelTools())
			.concatWith(Mono.fromRunnable(() -> {
				this.conversation.add(assistantTurn(response, calls));
				for (PendingCall call : calls) {
					this.conversation.add(results.get(call.position));
				}
			}));
	}

	/**
	 * The assistant turn of a step: its text, the calls as run (ids as the results carry
	 * them), and the thinking blocks or reasoning items the provider needs back.
	 */
	private Message assistantTurn(StreamingResponse response, List<PendingCall> calls) {
		List<ToolCall> toolCalls = calls.stream()
			.map((call) -> new ToolCall(call.call.index(), call.id, call.call.name(), call.call.arguments()))
			.toList();
		return Message.assistant(response.text().isEmpty() ? null : response.text(), toolCalls,
				response.reasoningItems());
	}

	private Flux<AgentEvent> handle(int step, PendingCall call, AtomicReferenceArray<Message> results) {
		String name = call.call.name();
		Map<String, Object> metadata = Map.of(AgentEvent.TOOL, name);
		ToolCallback tool = this.tools.get(name);
		JsonNode arguments = call.arguments;
		if (arguments == null) {
			return error(step, call, "the arguments are not a JSON object: " + call.call.arguments(), metadata,
					results);
		}
		if (tool == null) {
			return error(step, call, "no tool is named '" + name + "'; the tools are " + this.tools.keySet(), metadata,
					results);
		}
		ToolApproval approval = this.definition.approval();
		if (approval == ToolApproval.APPROVE_ALL) {
			return execute(step, call, tool, arguments, metadata, results);
		}
		ToolCallRequest request = new ToolCallRequest(this.agentName, step, call.id, name, arguments);
		Mono<ApprovalDecision> decision = Mono.defer(() -> approval.review(request))
			.switchIfEmpty(Mono.fromSupplier(() -> ApprovalDecision.deny("the approval gave no decision")))
			.onErrorResume((ex) -> Mono.just(ApprovalDecision.deny("the approval failed: " + message(ex))));
		return Flux.concat(
				Mono.fromSupplier(() -> new ApprovalRequired(this.agentName, step, request, now(), metadata)),
				decision.flatMapMany((decided) -> {
					if (decided instanceof ApprovalDecision.Deny deny) {
						return error(step, call, "denied: " + deny.reason(), with(metadata, APPROVAL, "denied"),
								results);
					}
					if (decided instanceof ApprovalDecision.Edit edit) {
						return execute(step, call, tool, edit.arguments(), with(metadata, APPROVAL, "edited"), results);
					}
					return execute(step, call, tool, arguments, metadata, results);
				}));
	}

	private Flux<AgentEvent> execute(int step, PendingCall call, ToolCallback tool, JsonNode arguments,
			Map<String, Object> metadata, AtomicReferenceArray<Message> results) {
		return Flux.defer(() -> {
			long start = this.clock.millis();
			ToolContext context = new ToolContext(call.id, step, this.agentName, this.variables);
			Mono<String> invocation = Mono.defer(() -> tool.call(arguments, context));
			if (tool.blocking()) {
				invocation = invocation.subscribeOn(this.toolScheduler);
			}
			Duration timeout = this.definition.toolTimeout();
			// The timer is subscribed first: it runs from before the tool starts.
			Mono<Outcome> outcome = Mono.firstWithSignal(
					Mono.delay(timeout, this.timer)
						.map((tick) -> new Outcome(null, "timed out after " + timeout.toMillis() + " ms")),
					invocation.map((result) -> new Outcome(result, null))
						.defaultIfEmpty(new Outcome("", null))
						.onErrorResume((ex) -> Mono.just(new Outcome(null, message(ex)))));
			return Flux.concat(Mono
				.just(new ToolExecutionStarted(this.agentName, step, call.id, tool.name(), arguments, now(), metadata)),
					outcome.map((done) -> {
						long durationMs = this.clock.millis() - start;
						if (done.error != null) {
							results.set(call.position, Message.toolError(call.id, "Error: " + done.error));
							return new ToolError(this.agentName, step, call.id, tool.name(), done.error, now(),
									metadata);
						}
						String result = (done.result != null) ? done.result : "";
						results.set(call.position, Message.tool(call.id, result));
						return new ToolResult(this.agentName, step, call.id, tool.name(), result, durationMs, now(),
								metadata);
					}));
		});
	}

	private Flux<AgentEvent> error(int step, PendingCall call, String message, Map<String, Object> metadata,
			AtomicReferenceArray<Message> results) {
		return Flux.defer(() -> {
			results.set(call.position, Message.toolError(call.id, "Error: " + message));
			return Flux.just(new ToolError(this.agentName, step, call.id, call.call.name(), message, now(), metadata));
		});
	}

	private @Nullable JsonNode parseArguments(String arguments) {
		if (arguments.isBlank()) {
			return this.mapper.createObjectNode();
		}
		try {
			JsonNode node = this.mapper.readTree(arguments);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private AgentFailed failed(int step, AgentErrorType type, String message, @Nullable StreamingResponse partial,
			@Nullable Throwable cause) {
		return new AgentFailed(this.agentName, step, new AgentException(message, type, this.steps, partial, cause),
				now(), Map.of());
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static String callId(ToolCall call) {
		return (call.id() != null) ? call.id() : call.name() + "_" + call.index();
	}

	private static Map<String, Object> serverToolMetadata(StreamingResponse response) {
		if (response.serverToolCalls().isEmpty()) {
			return Map.of();
		}
		return Map.of("server_tool_calls", response.serverToolCalls().stream().map(ServerToolCall::name).toList());
	}

	private static Map<String, Object> with(Map<String, Object> metadata, String key, Object value) {
		Map<String, Object> copy = new HashMap<>(metadata);
		copy.put(key, value);
		return Map.copyOf(copy);
	}

	private static String message(Throwable ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/**
	 * A tool call of the step's response, with its position in the turn and its id.
	 */
	private record PendingCall(int position, String id, ToolCall call, @Nullable JsonNode arguments) {

	}

	/**
	 * What a tool call came to: a result, or an error message.
	 */
	private record Outcome(@Nullable String result, @Nullable String error) {

	}

	/**
	 * What one step's stream has shown so far: the tool calls begun, and its terminal
	 * event.
	 */
	private final class StepState {

		private final int step;

		private final Map<Integer, String[]> calls = new HashMap<>();

		private @Nullable StreamingResponse response;

		private @Nullable StreamErrorEvent error;

		StepState(int step) {
			this.step = step;
		}

		List<AgentEvent> map(StreamEvent event) {
			if (event instanceof StreamDeltaEvent delta) {
				return delta(delta);
			}
			if (event instanceof StreamCompleteEvent complete) {
				this.response = complete.response();
			}
			else if (event instanceof StreamErrorEvent failure) {
				this.error = failure;
			}
			return List.of();
		}

		private List<AgentEvent> delta(StreamDeltaEvent delta) {
			io.steer.llm.event.ToolCallDelta call = delta.toolCall();
			if (delta.kind() != DeltaKind.TOOL_CALL || call == null) {
				return List.of(new StepEvent(AgentRun.this.agentName, this.step, delta, now(), Map.of()));
			}
			String[] known = this.calls.computeIfAbsent(call.index(), (index) -> new String[2]);
			boolean first = known[0] == null && known[1] == null;
			if (known[0] == null && call.id() != null) {
				known[0] = call.id();
			}
			if (known[1] == null && call.name() != null) {
				known[1] = call.name();
			}
			String name = (known[1] != null) ? known[1] : "";
			Map<String, Object> metadata = Map.of(AgentEvent.TOOL, name);
			if (call.providerExecuted()) {
				return List.of(new StepEvent(AgentRun.this.agentName, this.step, delta, now(),
						with(metadata, PROVIDER_EXECUTED, true)));
			}
			if (delta.choiceIndex() != 0) {
				return List.of();
			}
			String id = (known[0] != null) ? known[0] : name + "_" + call.index();
			List<AgentEvent> events = new ArrayList<>(2);
			if (first) {
				events.add(new ToolCallStarted(AgentRun.this.agentName, this.step, id, name, now(), metadata));
			}
			if (!delta.delta().isEmpty()) {
				JsonNode partial = (delta.jsonSnapshot() != null) ? delta.jsonSnapshot().value() : null;
				events.add(new AgentEvent.ToolCallDelta(AgentRun.this.agentName, this.step, id, name, delta.delta(),
						partial, now(), metadata));
			}
			return events;
		}

	}

}
