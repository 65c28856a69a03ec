package io.steer.llm.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.steer.llm.json.JsonStreamHandler;
import io.steer.llm.model.Choice;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.ServerToolCall;
import io.steer.llm.model.ToolCall;
import io.steer.llm.usage.UsageAggregator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one choice of a stream has gathered: text, reasoning, refusal, finish reason and
 * tool calls by index. Used only under the lock of the stream that assembles it.
 */
final class ChoiceState {

	final int index;

	final StringBuilder text = new StringBuilder();

	final StringBuilder reasoning = new StringBuilder(0);

	@Nullable StringBuilder refusal;

	@Nullable String finishReason;

	@Nullable FinishReason normalizedFinishReason;

	final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();

	final TreeMap<Integer, ServerToolState> serverToolCalls = new TreeMap<>();

	final List<Citation> citations = new ArrayList<>(0);

	/** Reads the text as JSON, when the JSON stream handler is on for the answer. */
	@Nullable JsonStreamHandler json;

	/** The text's JSON value once the text ended and the handler finished it. */
	@Nullable JsonNode jsonValue;

	/** Top-level values past the first in the text. */
	int jsonDuplicates;

	/** What breaks the request's JSON schema. */
	List<String> schemaViolations = List.of();

	ChoiceState(int index) {
		this.index = index;
	}

	void countInto(UsageAggregator aggregator) {
		aggregator.addReasoning(this.index, this.reasoning.toString());
		aggregator.addCompletion(this.index, this.text.toString());
		if (this.refusal != null) {
			aggregator.addCompletion(this.index, this.refusal.toString());
		}
		for (ToolCallState call : this.toolCalls.values()) {
			if (call.name != null) {
				aggregator.addToolCall(call.name);
			}
			aggregator.addCompletion(this.index, call.arguments.toString());
		}
	}

	/**
	 * The server tool call with the given index, else the one with the given id, else a
	 * new one after the others.
	 */
	ServerToolState serverToolCall(int index, @Nullable String id) {
		if (index >= 0) {
			return this.serverToolCalls.computeIfAbsent(index, ServerToolState::new);
		}
		if (id != null) {
			for (ServerToolState call : this.serverToolCalls.values()) {
				if (id.equals(call.id)) {
					return call;
				}
			}
		}
		int next = this.serverToolCalls.isEmpty() ? 0 : this.serverToolCalls.lastKey() + 1;
		ServerToolState call = this.serverToolCalls.computeIfAbsent(next, ServerToolState::new);
		call.id = id;
		return call;
	}

	/**
	 * The choice as assembled so far.
	 * @param failed whether the stream failed, so that a choice without a finish reason
	 * gets {@link FinishReason#ERROR}
	 * @param json the choice's JSON value, or {@code null}
	 */
	Choice toChoice(boolean failed, @Nullable JsonNode json) {
		List<ToolCall> calls = new ArrayList<>(this.toolCalls.size());
		for (ToolCallState call : this.toolCalls.values()) {
			calls.add(
					new ToolCall(call.index, call.id, (call.name != null) ? call.name : "", call.arguments.toString()));
		}
		List<ServerToolCall> serverCalls = new ArrayList<>(this.serverToolCalls.size());
		for (ServerToolState call : this.serverToolCalls.values()) {
			serverCalls.add(new ServerToolCall(call.index, call.id, (call.name != null) ? call.name : "",
					call.input.toString(), call.resultType, call.result));
		}
		FinishReason normalized = this.normalizedFinishReason;
		if (normalized == null && failed) {
			normalized = FinishReason.ERROR;
		}
		return new Choice(this.index, this.text.toString(), (this.refusal != null) ? this.refusal.toString() : null,
				this.reasoning.toString(), this.finishReason, normalized, calls, serverCalls, this.citations, json);
	}

	/** One tool call that the provider ran, as its fragments and result arrive. */
	static final class ServerToolState {

		final int index;

		@Nullable String id;

		@Nullable String name;

		final StringBuilder input = new StringBuilder();

		/** Snapshots of the input, when the JSON stream handler is on. */
		@Nullable JsonStreamHandler json;

		@Nullable String resultType;

		@Nullable JsonNode result;

		ServerToolState(int index) {
			this.index = index;
		}

	}

	/** One tool call of a choice, as its fragments arrive. */
	static final class ToolCallState {

		final int index;

		@Nullable String id;

		@Nullable String name;

		final StringBuilder arguments = new StringBuilder();

		/** Snapshots of the arguments, when the JSON stream handler is on. */
		@Nullable JsonStreamHandler json;

		ToolCallState(int index) {
			this.index = index;
		}

	}

}
