package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ServerToolCall;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tool the provider ran is part of the answer a text prefill cannot continue: an
 * Anthropic message that broke after a {@code server_tool_use} block and its result is
 * not continued with its text alone (which would drop the search and its result, and have
 * Anthropic answer again without them); it ends with the interruption, carrying the
 * server tool call.
 */
class ServerToolInterruptionTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final StreamingOptions RETRIES = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(1))
		.maxRetryDelay(Duration.ofMillis(5))
		.build();

	private static byte[] event(String type, String data) {
		return ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Text, a web search Anthropic runs and its result, more text, then the connection
	 * drops.
	 */
	private static List<byte[]> textThenWebSearchThenText() {
		return List.of(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
				+ "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
				+ "\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}"),
				event("content_block_start",
						"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
								+ "{\"type\":\"text\",\"text\":\"\"}}"),
				event("content_block_delta",
						"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
								+ "{\"type\":\"text_delta\",\"text\":\"Let me search. \"}}"),
				event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
				event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
						+ "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}"),
				event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
						+ "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"weather\\\"}\"}}"),
				event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
				event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
						+ "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}}"),
				event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
				event("content_block_start",
						"{\"type\":\"content_block_start\",\"index\":3,\"content_block\":"
								+ "{\"type\":\"text\",\"text\":\"\"}}"),
				event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":"
						+ "{\"type\":\"text_delta\",\"text\":\"It is sunny\"}}"));
	}

	@Test
	void streamEventsWhenAnthropicDropsAfterAServerToolShouldNotContinueWithATextPrefill() {
		server.server().enqueue(MockResponse.chunks(textThenWebSearchThenText()).dropAfterEvents(11));
		SteerLLMClient client = SteerLLMClient.builder()
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test-key"))
			.defaultOptions(RETRIES)
			.build();
		List<StreamEvent> events = client.streamEvents(ChatRequest.of("Weather?", "claude-sonnet-4-5"))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(events).last().isInstanceOf(StreamErrorEvent.class);
		StreamErrorEvent error = (StreamErrorEvent) events.get(events.size() - 1);
		assertThat(error.error()).isInstanceOf(StreamInterruptedException.class);
		assertThat(server.server().requestCount()).isEqualTo(1);
		assertThat(error.partialText()).isEqualTo("Let me search. It is sunny");
		assertThat(error.partialResponse().toolCalls()).isEmpty();
		assertThat(error.partialResponse().serverToolCalls())
			.extracting(ServerToolCall::id, ServerToolCall::name, ServerToolCall::resultType)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("srvtoolu_1", "web_search", "web_search_tool_result"));
	}

}
