package io.steer.llm.provider.openai;

import java.nio.charset.StandardCharsets;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.ParserFeed;
import io.steer.llm.provider.RecordingListener;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The Chat Completions parser alone: exactly which listener calls each chunk produces,
 * above all for chunks of OpenAI-compatible servers that differ from OpenAI's. Streams
 * marked SYNTHETIC are hand-written, not recordings; they follow the chunk object of the
 * OpenAI reference (https://platform.openai.com/docs/api-reference/chat-streaming) with
 * the one deviation each test names.
 */
class ChatCompletionsStreamParserTests {

	private final RecordingListener listener = RecordingListener.withoutServerTools("Chat Completions");

	private final ChatCompletionsStreamParser parser = new ChatCompletionsStreamParser("openai",
			JsonMapper.builder().build(), this.listener, null);

	private void feed(byte[] body) {
		ParserFeed.feed(this.parser, body);
	}

	private void feed(String rawEvents) {
		feed(rawEvents.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void recordedStreamShouldReportNothingUnrecognized() {
		feed(SseFixture.load("openai", "chat-parallel-tool-calls").bytes());
		feed(SseFixture.load("xai", "chat-reasoning-tool-call").bytes());
		assertThat(this.listener.unrecognized).isEmpty();
		assertThat(this.listener.normalizedFinishReasons).containsOnly(FinishReason.TOOL_CALLS);
	}

	@Test
	void azureFirstChunkWithEmptyIdAndModelShouldReportThemAsAbsent() {
		// SYNTHETIC, Azure OpenAI style: a first chunk with prompt_filter_results, empty
		// choices and "" as id and model, then ordinary chunks
		feed("""
				data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}

				data: {"choices":[{"content_filter_results":{},"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_1"}

				data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Hi"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A1","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_1"}

				data: [DONE]

				""");
		assertThat(this.listener.responseInfo).containsExactly("chatcmpl-A1|gpt-4o-2024-08-06",
				"chatcmpl-A1|gpt-4o-2024-08-06");
		assertThat(this.listener.metadata()).containsExactly("system_fingerprint=fp_1");
		assertThat(this.listener.text).hasToString("Hi");
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void chunksOfUnexpectedShapesShouldNeverEndTheStream() {
		// SYNTHETIC: choices null, a choice without index and with delta null, an empty
		// finish_reason, content as an array of parts, tool call arguments as an object,
		// then
		// an ordinary finish and usage
		feed("""
				data: {"id":"c1","model":"m","choices":null}

				data: {"id":"c1","model":"m","choices":[{"delta":null,"finish_reason":""}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":" world"}]}}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":{"a":1}}}]}}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

				data: {"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}

				data: [DONE]

				""");
		assertThat(this.listener.text).hasToString("Hello world");
		assertThat(this.listener.toolCallsByChoice).containsExactly("0|0|call_1|f|{\"a\":1}");
		assertThat(this.listener.finishReasons).containsExactly("tool_calls");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.TOOL_CALLS);
		assertThat(this.listener.usages).singleElement().extracting(Usage::totalTokens).isEqualTo(7);
		assertThat(this.listener.unrecognized).containsExactly("field:chunk.choices[].index:missing",
				"field:chunk.choices[].delta.content:array", "content_part:image_url",
				"field:chunk.choices[].delta.tool_calls[].function.arguments:object");
		assertThatNoException().isThrownBy(this.parser::onEndOfBody);
	}

	@Test
	void choicesWithoutIndexShouldTakeTheirPositionAndIdsOfTheWrongTypeTheirText() {
		// SYNTHETIC: n=2 without choice indexes; a numeric id; choices that is an object
		feed("""
				data: {"id":42,"model":"m","choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}

				data: {"id":42,"model":"m","choices":{"index":0,"delta":{"content":"lost"}}}

				data: {"id":42,"model":"m","choices":[{"delta":{"content":"c"},"finish_reason":"stop"},{"delta":{},"finish_reason":"length"}]}

				""");
		assertThat(this.listener.textByChoice).containsExactly("0:a", "1:b", "0:c");
		assertThat(this.listener.finishReasons).containsExactly("stop", "length");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.STOP, FinishReason.LENGTH);
		assertThat(this.listener.responseInfo).first().isEqualTo("42|m");
		assertThat(this.listener.unrecognized).contains("field:chunk.choices:object");
	}

	@Test
	void toolCallFragmentsWithoutIndexShouldBeMatchedByIdElseContinueTheLastCall() {
		// SYNTHETIC: two parallel calls whose fragments carry no index
		feed("""
				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_a","function":{"name":"f","arguments":"{\\"a\\""}}]}}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":":1}"}}]}}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_b","function":{"name":"g","arguments":"{}"}}]}}]}

				data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

				data: [DONE]

				""");
		assertThat(this.listener.toolCallsByChoice).containsExactly("0|0|call_a|f|{\"a\"", "0|0|null|null|:1}",
				"0|1|call_b|g|{}");
	}

	@Test
	void errorGivenAsAStringShouldEndTheStreamWithItsMessage() {
		// SYNTHETIC: some compatible servers send "error" as a plain string
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> feed("data: {\"error\":\"model overloaded, try later\"}\n\n"))
			.satisfies((ex) -> assertThat(ex.getProviderMessage()).isEqualTo("model overloaded, try later"));
	}

	@Test
	void jsonThatIsNotAnObjectShouldBeSkippedButDataThatIsNotJsonShouldEndTheStream() {
		feed("data: null\n\ndata: [1,2]\n\ndata: \"text\"\n\n");
		assertThat(this.listener.unrecognized).containsExactly("chunk:null", "chunk:array", "chunk:string");
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> feed("data: {\"id\":\"c1\",\n\n"));
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> feed("data: not json\n\n"));
	}

	@ParameterizedTest
	@CsvSource({ "stop, STOP", "length, LENGTH", "tool_calls, TOOL_CALLS", "function_call, TOOL_CALLS",
			"content_filter, CONTENT_FILTER", "eos, OTHER" })
	void finishReasonShouldBeNormalized(String reason, FinishReason expected) {
		// SYNTHETIC: one chunk with the finish_reason values of the OpenAI reference, and
		// one
		// that other compatible servers send
		feed("data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason
				+ "\"}]}\n\n");
		assertThat(this.listener.finishReasons).containsExactly(reason);
		assertThat(this.listener.normalizedFinishReasons).containsExactly(expected);
	}

}
