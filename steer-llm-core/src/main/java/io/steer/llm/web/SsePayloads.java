package io.steer.llm.web;

import java.util.Locale;

import io.steer.llm.error.StreamErrorType;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.event.ToolCallDelta;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.Secrets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON payloads of the SSE events, shared by {@link ServerSentEvents} and
 * {@link SseWriter}; their fields are documented on {@link ServerSentEvents}.
 */
final class SsePayloads {

	/** The payload of the {@code done} event. */
	static final String DONE = "{}";

	private final JsonMapper mapper;

	SsePayloads(JsonMapper mapper) {
		this.mapper = mapper;
	}

	String start(StreamStartEvent start) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("streamId", start.streamId());
		node.put("provider", start.provider());
		node.put("model", start.model());
		if (start.requestId() != null) {
			node.put("requestId", start.requestId());
		}
		if (!start.metadata().isEmpty()) {
			node.set("metadata", this.mapper.valueToTree(start.metadata()));
		}
		return node.toString();
	}

	String delta(StreamDeltaEvent delta) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("text", delta.delta());
		node.put("kind", delta.kind().name().toLowerCase(Locale.ROOT));
		node.put("chunkIndex", delta.chunkIndex());
		node.put("choiceIndex", delta.choiceIndex());
		ToolCallDelta toolCall = delta.toolCall();
		if (toolCall != null) {
			ObjectNode call = node.putObject("toolCall");
			call.put("index", toolCall.index());
			if (toolCall.id() != null) {
				call.put("id", toolCall.id());
			}
			if (toolCall.name() != null) {
				call.put("name", toolCall.name());
			}
			call.put("providerExecuted", toolCall.providerExecuted());
		}
		if (delta.jsonSnapshot() != null) {
			node.set("json", delta.jsonSnapshot().value());
		}
		return node.toString();
	}

	String usage(StreamUsageEvent usage) {
		ObjectNode node = usageNode(this.mapper.createObjectNode(), usage.usage(), usage.estimated());
		node.put("confidence", usage.confidence());
		return node.toString();
	}

	String complete(StreamCompleteEvent complete) {
		StreamingResponse response = complete.response();
		ObjectNode node = this.mapper.createObjectNode();
		node.put("text", response.text());
		node.put("finishReason", response.finishReason());
		FinishReason normalized = response.normalizedFinishReason();
		node.put("normalizedFinishReason", (normalized != null) ? normalized.value() : null);
		node.put("model", response.model());
		Usage usage = complete.usage();
		if (usage != null) {
			usageNode(node.putObject("usage"), usage, response.usageEstimated());
		}
		else {
			node.putNull("usage");
		}
		node.put("costUsd", response.costUsd());
		node.put("durationMs", complete.durationMs());
		node.put("ttftMs", response.metrics().timeToFirstTokenMs());
		node.put("chunks", complete.totalChunks());
		return node.toString();
	}

	String error(StreamErrorEvent error) {
		return error(error.errorType(), error.error().getMessage(), error.retryable(), error.partialText());
	}

	/**
	 * The payload of a failure that is not an error event: a {@link SteerLLMException}
	 * keeps its type, retryability and partial text; anything else is a
	 * {@link StreamErrorType#PROCESSOR} failure (it happened while the stream's events
	 * were processed, after the client), not retryable, with its message redacted.
	 */
	String error(Throwable failure, String partialText) {
		if (failure instanceof SteerLLMException steer) {
			String partial = (steer.getPartialResponse() != null) ? steer.getPartialText() : partialText;
			return error(steer.getErrorType(), steer.getMessage(), steer.isRetryable(), partial);
		}
		String message = failure.getClass().getSimpleName()
				+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
		return error(StreamErrorType.PROCESSOR, Secrets.redact(message, null), false, partialText);
	}

	private String error(StreamErrorType type, @Nullable String message, boolean retryable, String partialText) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("type", type.name());
		node.put("message", Secrets.redact((message != null) ? message : type.name(), null));
		node.put("retryable", retryable);
		node.put("partialText", partialText);
		return node.toString();
	}

	String progress(long current, long total) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("current", current);
		node.put("total", total);
		if (total > 0) {
			node.put("percentage", current * 100.0 / total);
		}
		else {
			node.putNull("percentage");
		}
		return node.toString();
	}

	String json(@Nullable Object value) {
		return this.mapper.writeValueAsString(value);
	}

	static ObjectNode usageNode(ObjectNode node, Usage usage, boolean estimated) {
		node.put("promptTokens", usage.promptTokens());
		node.put("completionTokens", usage.completionTokens());
		node.put("totalTokens", usage.totalTokens());
		node.put("estimated", estimated);
		return node;
	}

}
