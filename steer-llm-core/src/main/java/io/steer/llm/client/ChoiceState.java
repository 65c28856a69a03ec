package io.steer.llm.client;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.steer.llm.model.Choice;
import io.steer.llm.model.ToolCall;
import io.steer.llm.usage.UsageAggregator;
import org.jspecify.annotations.Nullable;

/**
 * What one choice of a stream has gathered: text, reasoning, refusal, finish reason and tool
 * calls by index. Used only under its {@link StreamSession}'s lock.
 */
final class ChoiceState {

	final int index;

	final StringBuilder text = new StringBuilder();

	final StringBuilder reasoning = new StringBuilder(0);

	@Nullable StringBuilder refusal;

	@Nullable String finishReason;

	final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();

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

	Choice toChoice() {
		List<ToolCall> calls = new ArrayList<>(this.toolCalls.size());
		for (ToolCallState call : this.toolCalls.values()) {
			calls.add(new ToolCall(call.index, call.id, (call.name != null) ? call.name : "",
					call.arguments.toString()));
		}
		return new Choice(this.index, this.text.toString(),
				(this.refusal != null) ? this.refusal.toString() : null, this.reasoning.toString(),
				this.finishReason, calls);
	}

	/** One tool call of a choice, as its fragments arrive. */
	static final class ToolCallState {

		final int index;

		@Nullable String id;

		@Nullable String name;

		final StringBuilder arguments = new StringBuilder();

		ToolCallState(int index) {
			this.index = index;
		}

	}

}
