package io.steer.llm.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The reasoning an assistant {@link Message} carries back, and the response helpers that
 * supply it.
 */
class MessageReasoningTests {

	private static final StreamingMetrics METRICS = new StreamingMetrics(0, 0, 0, null, 0, 1);

	private static StreamingResponse response(String text, List<ToolCall> toolCalls, Map<String, Object> metadata) {
		return new StreamingResponse("id", "anthropic", "m", text, null, "", null, null, toolCalls, List.of(),
				List.of(), List.of(), null, false, null, null, METRICS, metadata);
	}

	@Test
	void existingConstructorAndFactoriesShouldCarryNoReasoning() {
		Message message = new Message(Role.ASSISTANT, "hi", null, null, List.of(), false);
		assertThat(message.reasoning()).isEmpty();
		assertThat(Message.assistant(null, List.of(ToolCall.of("c", "f", "{}"))).reasoning()).isEmpty();
	}

	@Test
	void copiesShouldKeepTheReasoning() {
		List<ReasoningItem> reasoning = List.of(ThinkingBlock.thinking("t", "s"));
		Message message = Message.assistant("hi", List.of(), reasoning);
		assertThat(message.cacheControl().reasoning()).isEqualTo(reasoning);
		assertThat(message.withName("bot").reasoning()).isEqualTo(reasoning);
	}

	@Test
	void onlyAnAssistantMessageShouldCarryReasoning() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new Message(Role.USER, "hi", null, null, List.of(), false, List.of(ThinkingBlock.redacted("d"))));
	}

	@Test
	void thinkingBlockShouldBeEitherSignedThinkingOrRedactedData() {
		assertThat(ThinkingBlock.redacted("d").isRedacted()).isTrue();
		assertThat(ThinkingBlock.thinking("t", "s").isRedacted()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new ThinkingBlock("t", null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new ThinkingBlock("t", "s", "d"));
		assertThatIllegalArgumentException().isThrownBy(() -> new ThinkingBlock(null, null, null));
	}

	@Test
	void reasoningItemsShouldReadTheMetadataAndSkipWhatIsNotAnItem() {
		ReasoningItem item = new ResponsesReasoningItem("rs_1", List.of("s"), null);
		assertThat(response("", List.of(), Map.of()).reasoningItems()).isEmpty();
		assertThat(response("", List.of(), Map.of(StreamingResponse.REASONING_ITEMS, "x")).reasoningItems()).isEmpty();
		assertThat(response("", List.of(), Map.of(StreamingResponse.REASONING_ITEMS, List.of(item, Map.of("id", "x"))))
			.reasoningItems()).containsExactly(item);
	}

	@Test
	void assistantOfAResponseShouldTakeTextToolCallsAndReasoning() {
		ToolCall call = ToolCall.of("toolu_1", "f", "{}");
		ReasoningItem thinking = ThinkingBlock.thinking("t", "s");
		Message withCalls = Message
			.assistant(response("", List.of(call), Map.of(StreamingResponse.REASONING_ITEMS, List.of(thinking))));
		assertThat(withCalls.role()).isEqualTo(Role.ASSISTANT);
		assertThat(withCalls.content()).isNull();
		assertThat(withCalls.toolCalls()).containsExactly(call);
		assertThat(withCalls.reasoning()).containsExactly(thinking);
		assertThat(Message.assistant(response("", List.of(), Map.of())).content()).isEmpty();
		assertThat(Message.assistant(response("Hello", List.of(call), Map.of())).content()).isEqualTo("Hello");
	}

	@Test
	void aToolErrorShouldBeAToolMessageThatCopiesKeep() {
		Message error = Message.toolError("call_1", "Error: boom");
		assertThat(error.role()).isEqualTo(Role.TOOL);
		assertThat(error.toolError()).isTrue();
		assertThat(error.cacheControl().toolError()).isTrue();
		assertThat(error.withName("n").toolError()).isTrue();
		assertThat(Message.tool("call_1", "ok").toolError()).isFalse();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Message(Role.USER, "hi", null, null, List.of(), false, List.of(), true))
			.withMessageContaining("only a tool message is a tool error");
	}

}
