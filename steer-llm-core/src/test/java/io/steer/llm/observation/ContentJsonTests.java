package io.steer.llm.observation;

import java.util.List;
import java.util.Map;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Message;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContentJson}: the request's messages and the response as the OpenTelemetry GenAI
 * conventions' {@code gen_ai.input.messages} and {@code gen_ai.output.messages} JSON.
 */
class ContentJsonTests {

	@Test
	void inputShouldHaveTextToolCallAndToolCallResponseParts() {
		ChatRequest request = ChatRequest.builder()
			.messages(List.of(Message.user("Weather in \"Paris\"?"),
					Message.assistant(null, List.of(new ToolCall(0, "call_1", "weather", "{\"city\":\"Paris\"}"))),
					Message.tool("call_1", "18 C")))
			.model("gpt-4o-mini")
			.build();
		assertThat(ContentJson.input(request))
			.isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in \\\"Paris\\\"?\"}]},"
					+ "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"weather\","
					+ "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]},"
					+ "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"18 C\"}]}]");
	}

	@Test
	void outputShouldBeOneAssistantMessageWithItsFinishReason() {
		StreamingResponse response = new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", "Hello\nthere", null,
				"", "stop", FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(1, 1, 10, 5.0, 0, 1), Map.of());
		assertThat(ContentJson.output(response)).isEqualTo(
				"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\\nthere\"}],\"finish_reason\":\"stop\"}]");
	}

}
