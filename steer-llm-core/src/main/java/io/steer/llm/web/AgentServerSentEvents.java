package io.steer.llm.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import io.steer.llm.agent.AgentEvent;
import io.steer.llm.agent.AgentEvent.AgentCompleted;
import io.steer.llm.agent.AgentEvent.AgentFailed;
import io.steer.llm.agent.AgentEvent.ApprovalRequired;
import io.steer.llm.agent.AgentEvent.StepCompleted;
import io.steer.llm.agent.AgentEvent.StepEvent;
import io.steer.llm.agent.AgentEvent.StepStarted;
import io.steer.llm.agent.AgentEvent.ToolCallCompleted;
import io.steer.llm.agent.AgentEvent.ToolCallDelta;
import io.steer.llm.agent.AgentEvent.ToolCallStarted;
import io.steer.llm.agent.AgentEvent.ToolError;
import io.steer.llm.agent.AgentEvent.ToolExecutionStarted;
import io.steer.llm.agent.AgentEvent.ToolResult;
import io.steer.llm.agent.AgentException;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.Secrets;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Maps an agent run's events ({@link io.steer.llm.agent.AgentRunner#stream}) to WebFlux
 * {@link ServerSentEvent}s for a browser: return
 * {@code AgentServerSentEvents.builder().build().apply(runner.stream(agent, variables, null))}
 * from a {@code text/event-stream} controller method.
 * <p>
 * Each event is named by its {@link AgentEvent#type()} and its data is one line of JSON
 * (written with the builder's {@link JsonMapper}); every payload has {@code agent} (the
 * agent's name) and {@code step} (1-based), tool events also {@code id} (the call's id)
 * and {@code name} (the tool's):
 * <ul>
 * <li>{@code step_start}: {@code {"model", "messages"}} — the model asked for
 * ({@code null} for the client's default) and the number of messages the step sends;</li>
 * <li>{@code delta}: {@code {"text", "kind", "chunkIndex"}} — {@code kind} is
 * {@code text}, {@code reasoning}, {@code refusal} or, for a tool the provider runs
 * itself, {@code tool_call};</li>
 * <li>{@code tool_call_start}: the call's {@code id} and {@code name};</li>
 * <li>{@code tool_call_delta}: {@code {"fragment", "arguments"}} — the argument text as
 * streamed, and the arguments parsed so far ({@code null} when unchanged or the JSON
 * stream handler is off);</li>
 * <li>{@code tool_call}: {@code {"arguments", "rawArguments"}} — parsed ({@code null}
 * when not a JSON object) and as the model wrote them;</li>
 * <li>{@code approval_required} and {@code tool_execution_start}:
 * {@code {"arguments"}};</li>
 * <li>{@code tool_result}: {@code {"result", "durationMs"}} — the text the model sees,
 * and how long the tool ran (ms);</li>
 * <li>{@code tool_error}: {@code {"message"}} — the model sees
 * {@code "Error: " + message};</li>
 * <li>{@code step_complete}: {@code {"text", "finishReason", "usage", "costUsd",
 * "durationMs", "ttftMs"}} — the step's text, normalized finish reason ({@code tool_call}
 * when it asked for tools), usage {@code {"promptTokens", "completionTokens",
 * "totalTokens", "estimated"}} (tokens), cost in USD, duration and time to first token in
 * milliseconds; each {@code null} when unknown;</li>
 * <li>{@code complete}: {@code {"text", "steps", "usage", "costUsd"}} — the answer, the
 * number of steps, the usage and cost over every step ({@code null} when unknown);</li>
 * <li>{@code error}: {@code {"type", "message", "partialText"}} — {@code type} an
 * {@link io.steer.llm.agent.AgentErrorType} name, {@code message} with anything shaped
 * like an API key masked, {@code partialText} the failed step's text so far;</li>
 * <li>{@code done}: {@code {}}, always the last event.</li>
 * </ul>
 * Each event has the id {@code runId:sequence}: a random run id per subscription and the
 * sequence counting the events written from 0. The first event carries the
 * {@link Builder#retry(Duration) retry} time, when one is set.
 * <p>
 * An agent run ends with {@code complete} or {@code error} and never signals an error; if
 * the flux does anyway (a failure outside the runner), the failure becomes an
 * {@code error} event of type {@code PROCESSOR}, then {@code done}, and the returned flux
 * completes normally, so the HTTP response stays 200. Anything after the run's last event
 * is dropped. Cancelling the returned flux cancels the run (and its tools in flight).
 */
public final class AgentServerSentEvents implements Function<Flux<AgentEvent>, Flux<ServerSentEvent<String>>> {

	/** Name of the last event of every run; its data is {@code {}}. */
	public static final String DONE = ServerSentEvents.DONE;

	private final JsonMapper mapper;

	private final @Nullable Duration retry;

	private AgentServerSentEvents(Builder builder) {
		this.mapper = builder.mapper;
		this.retry = builder.retry;
	}

	/**
	 * A builder with the defaults: a default {@link JsonMapper}, no retry.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The server-sent events of an agent run, as documented on this class.
	 * @param events the run's events
	 * @return the server-sent events, ending with {@code done}
	 */
	@Override
	public Flux<ServerSentEvent<String>> apply(Flux<AgentEvent> events) {
		Objects.requireNonNull(events, "events must not be null");
		return Flux.defer(() -> {
			Writer writer = new Writer(UUID.randomUUID().toString());
			return events.concatMapIterable(writer::next)
				.onErrorResume((failure) -> Flux.fromIterable(writer.failed(failure)))
				.concatWith(Flux.defer(() -> Flux.fromIterable(writer.end())));
		});
	}

	/** The payload of an event, as documented on the class. */
	String payload(AgentEvent event) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("agent", event.agentName());
		node.put("step", event.step());
		if (event instanceof StepStarted started) {
			node.put("model", started.request().model());
			node.put("messages", started.request().messages().size());
		}
		else if (event instanceof StepEvent delta) {
			node.put("text", delta.text());
			node.put("kind", delta.kind().name().toLowerCase(Locale.ROOT));
			node.put("chunkIndex", delta.event().chunkIndex());
		}
		else if (event instanceof ToolCallStarted call) {
			call(node, call.id(), call.name());
		}
		else if (event instanceof ToolCallDelta call) {
			call(node, call.id(), call.name());
			node.put("fragment", call.fragment());
			node.set("arguments", call.partialArguments());
		}
		else if (event instanceof ToolCallCompleted call) {
			call(node, call.id(), call.name());
			node.set("arguments", call.arguments());
			node.put("rawArguments", call.rawArguments());
		}
		else if (event instanceof ApprovalRequired approval) {
			call(node, approval.request().callId(), approval.request().name());
			node.set("arguments", approval.request().arguments());
		}
		else if (event instanceof ToolExecutionStarted execution) {
			call(node, execution.id(), execution.name());
			node.set("arguments", execution.arguments());
		}
		else if (event instanceof ToolResult result) {
			call(node, result.id(), result.name());
			node.put("result", result.result());
			node.put("durationMs", result.durationMs());
		}
		else if (event instanceof ToolError error) {
			call(node, error.id(), error.name());
			node.put("message", Secrets.redact(error.message(), null));
		}
		else if (event instanceof StepCompleted completed) {
			StreamingResponse response = completed.response();
			node.put("text", response.text());
			FinishReason reason = completed.finishReason();
			node.put("finishReason", (reason != null) ? reason.value() : null);
			usage(node, completed.usage(), response.usageEstimated());
			node.put("costUsd", completed.costUsd());
			node.put("durationMs", response.metrics().durationMs());
			node.put("ttftMs", response.metrics().timeToFirstTokenMs());
		}
		else if (event instanceof AgentCompleted completed) {
			node.put("text", completed.text());
			node.put("steps", completed.steps().size());
			usage(node, completed.totalUsage(), completed.steps().stream().anyMatch(StreamingResponse::usageEstimated));
			node.put("costUsd", completed.totalCostUsd());
		}
		else if (event instanceof AgentFailed failed) {
			AgentException error = failed.error();
			StreamingResponse partial = error.getPartialResponse();
			error(node, failed.errorType().name(), error.getMessage(), (partial != null) ? partial.text() : "");
		}
		return node.toString();
	}

	private static void call(ObjectNode node, String id, String name) {
		node.put("id", id);
		node.put("name", name);
	}

	private static void usage(ObjectNode node, @Nullable Usage usage, boolean estimated) {
		if (usage != null) {
			SsePayloads.usageNode(node.putObject("usage"), usage, estimated);
		}
		else {
			node.putNull("usage");
		}
	}

	private static void error(ObjectNode node, String type, @Nullable String message, String partialText) {
		node.put("type", type);
		node.put("message", Secrets.redact((message != null) ? message : type, null));
		node.put("partialText", partialText);
	}

	/** The state of one subscription: the run id, the next sequence, the last event. */
	private final class Writer {

		private final String runId;

		private long sequence;

		private @Nullable AgentEvent last;

		private boolean terminated;

		Writer(String runId) {
			this.runId = runId;
		}

		List<ServerSentEvent<String>> next(AgentEvent event) {
			if (this.terminated) {
				return List.of();
			}
			this.last = event;
			this.terminated = event instanceof AgentCompleted || event instanceof AgentFailed;
			return List.of(sse(event.type(), payload(event)));
		}

		List<ServerSentEvent<String>> failed(Throwable failure) {
			if (this.terminated) {
				return List.of();
			}
			this.terminated = true;
			ObjectNode node = AgentServerSentEvents.this.mapper.createObjectNode();
			AgentEvent last = this.last;
			node.put("agent", (last != null) ? last.agentName() : null);
			node.put("step", (last != null) ? last.step() : 0);
			String message = failure.getClass().getSimpleName()
					+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
			error(node, "PROCESSOR", message, "");
			return List.of(sse("error", node.toString()));
		}

		List<ServerSentEvent<String>> end() {
			return List.of(sse(DONE, SsePayloads.DONE));
		}

		private ServerSentEvent<String> sse(String name, String data) {
			ServerSentEvent.Builder<String> builder = ServerSentEvent.<String>builder(data)
				.event(name)
				.id(this.runId + ":" + this.sequence);
			if (this.sequence == 0 && AgentServerSentEvents.this.retry != null) {
				builder.retry(AgentServerSentEvents.this.retry);
			}
			this.sequence++;
			return builder.build();
		}

	}

	/** Builds {@link AgentServerSentEvents}. */
	public static final class Builder {

		private JsonMapper mapper = JsonMapper.builder().build();

		private @Nullable Duration retry;

		private Builder() {
		}

		/**
		 * The mapper that writes the payloads, for example the application's.
		 * @param mapper the mapper
		 * @return this builder
		 */
		public Builder mapper(JsonMapper mapper) {
			this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
			return this;
		}

		/**
		 * The reconnection time a browser is told on the first event.
		 * @param retry the time, or {@code null} for none
		 * @return this builder
		 * @throws IllegalArgumentException if {@code retry} is negative
		 */
		public Builder retry(@Nullable Duration retry) {
			if (retry != null && retry.isNegative()) {
				throw new IllegalArgumentException("retry must not be negative: " + retry);
			}
			this.retry = retry;
			return this;
		}

		/**
		 * Builds the writer.
		 * @return the writer, which holds no per-run state
		 */
		public AgentServerSentEvents build() {
			return new AgentServerSentEvents(this);
		}

	}

}
