package io.steer.llm.provider.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.ParserFeed;
import io.steer.llm.provider.RecordingListener;
import io.steer.llm.sse.SseDecoder;
import io.steer.llm.sse.SseEvent;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The Responses API parser alone: exactly which listener calls each event produces.
 * Streams marked SYNTHETIC are hand-written variations of recorded ones, not recordings.
 */
class ResponsesStreamParserTests {

	private static final String FC_ITEM = "fc_68d9303fe7fc819ea999bda43617404203aa6e5a972b3b23";

	private static final String CALL_ID = "call_5dp5Uj0Loqn1YcyIpqSq6sLX";

	private static final String ARGUMENTS = "{ \"location\": \"New York City, USA\" }";

	private final RecordingListener listener = RecordingListener.ofChoiceZero();

	private final ResponsesStreamParser parser = new ResponsesStreamParser("openai",
			JsonMapper.builder().build().readerFor(ResponsesEvent.class), this.listener, null);

	private void feed(byte[] body) {
		ParserFeed.feed(this.parser, body);
	}

	private void feed(List<byte[]> events) {
		for (byte[] event : events) {
			feed(event);
		}
	}

	private void feed(String rawEvents) {
		feed(rawEvents.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void recordedFunctionCallShouldReportTheCallOnceDespiteItsDoneEvents() {
		feed(SseFixture.load("openai", "responses-function-call").bytes());
		assertThat(this.parser.isComplete()).isTrue();
		assertThatNoException().isThrownBy(this.parser::onEndOfBody);
		List<String> calls = this.listener.toolCalls;
		assertThat(calls).hasSize(13).first().isEqualTo("0|" + CALL_ID + "|get_weather|");
		assertThat(calls.subList(1, 13)).allMatch((call) -> call.startsWith("0|null|null|"));
		assertThat(String.join("", calls.subList(1, 13).stream().map((call) -> call.substring(12)).toList()))
			.isEqualTo(ARGUMENTS);
		assertThat(this.listener.text).isEmpty();
		assertThat(this.listener.finishReasons).containsExactly("completed");
		assertThat(this.listener.usages).hasSize(1);
		assertThat(this.listener.usages.get(0).reasoningTokens()).isEqualTo(128);
	}

	@Test
	void everyEventShouldReportItsSequenceNumberWithTheResponseId() {
		SseFixture fixture = SseFixture.load("openai", "responses-text");
		feed(fixture.bytes());
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < fixture.events().size(); i++) {
			expected.add("resp_0b0392bd3bb81302006994e83ac0ac819396f3f5aa5f239e03#" + i);
		}
		assertThat(this.listener.positions).containsExactlyElementsOf(expected);
		assertThat(this.listener.text).hasToString("`arm64` (Apple Silicon).");
		assertThat(this.listener.metadata()).containsExactly("service_tier=default", "status=completed");
	}

	@Test
	void functionCallWithoutArgumentDeltasShouldTakeTheArgumentsFromTheFirstDoneEventOnly() {
		// SYNTHETIC: the recorded function-call stream without its 12 argument deltas
		List<byte[]> events = SseFixture.load("openai", "responses-function-call").events();
		List<byte[]> withoutDeltas = new ArrayList<>(events.subList(0, 5));
		withoutDeltas.addAll(events.subList(17, events.size()));
		feed(withoutDeltas);
		assertThat(this.listener.toolCalls).containsExactly("0|" + CALL_ID + "|get_weather|",
				"0|null|null|" + ARGUMENTS);
	}

	@Test
	void functionCallKnownOnlyFromItsDoneItemShouldBeReportedWhole() {
		// SYNTHETIC: only the recorded output_item.done of the call, then
		// response.completed
		List<byte[]> events = SseFixture.load("openai", "responses-function-call").events();
		feed(List.of(events.get(0), events.get(18), events.get(19)));
		assertThat(this.listener.toolCalls).containsExactly("0|" + CALL_ID + "|get_weather|" + ARGUMENTS);
	}

	@Test
	void parallelCallsShouldBeNumberedInOrderOfFirstAppearanceAndMatchedByItemOrOutputIndex() {
		// SYNTHETIC: two calls at output indexes 3 and 1, argument deltas interleaved,
		// the last
		// ones without item_id
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":3,"item":{"id":"fc_a","type":"function_call","arguments":"","call_id":"call_a","name":"f"}}

				data: {"type":"response.output_item.added","sequence_number":1,"output_index":1,"item":{"id":"fc_b","type":"function_call","arguments":"","call_id":"call_b","name":"g"}}

				data: {"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"fc_b","output_index":1,"delta":"{\\"b\\""}

				data: {"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"fc_a","output_index":3,"delta":"{\\"a\\""}

				data: {"type":"response.function_call_arguments.delta","sequence_number":4,"output_index":3,"delta":":1}"}

				data: {"type":"response.function_call_arguments.delta","sequence_number":5,"output_index":1,"delta":":2}"}

				data: {"type":"response.function_call_arguments.done","sequence_number":6,"item_id":"fc_a","output_index":3,"arguments":"{\\"a\\":1}"}

				data: {"type":"response.function_call_arguments.done","sequence_number":7,"item_id":"fc_b","output_index":1,"arguments":"{\\"b\\":2}"}

				""");
		assertThat(this.listener.toolCalls).containsExactly("0|call_a|f|", "1|call_b|g|", "1|null|null|{\"b\"",
				"0|null|null|{\"a\"", "0|null|null|:1}", "1|null|null|:2}");
		assertThat(this.parser.isComplete()).isFalse();
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(this.parser::onEndOfBody);
	}

	@Test
	void reasoningSummaryAndRefusalDeltasShouldBeReported() {
		// SYNTHETIC: one event of each kind
		feed("""
				event: response.reasoning_summary_text.delta
				data: {"type":"response.reasoning_summary_text.delta","sequence_number":0,"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Thinking"}

				event: response.reasoning_summary_text.done
				data: {"type":"response.reasoning_summary_text.done","sequence_number":1,"item_id":"rs_1","output_index":0,"summary_index":0,"text":"Thinking"}

				event: response.refusal.delta
				data: {"type":"response.refusal.delta","sequence_number":2,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"I can't"}

				event: response.refusal.done
				data: {"type":"response.refusal.done","sequence_number":3,"item_id":"msg_1","output_index":1,"content_index":0,"refusal":"I can't"}

				""");
		assertThat(this.listener.reasoning).hasToString("Thinking");
		assertThat(this.listener.refusal).hasToString("I can't");
		assertThat(this.listener.positions).containsExactly("null#0", "null#1", "null#2", "null#3");
	}

	@Test
	void errorEventShouldEndTheStreamBeforeTheResponseFailedThatFollows() {
		List<byte[]> events = SseFixture.load("openai", "responses-error-insufficient-quota").events();
		feed(events.subList(0, 2));
		assertThatExceptionOfType(ProviderStreamException.class).isThrownBy(() -> feed(events.get(2)))
			.satisfies((ex) -> assertThat(ex.getProviderErrorType()).isEqualTo("insufficient_quota"));
		assertThat(this.parser.isComplete()).isTrue();
		assertThatNoException()
			.isThrownBy(() -> this.parser.onEvent(new SseEvent("response.failed", "{}", null, null)));
		assertThat(this.listener.positions).last()
			.isEqualTo("resp_0265b28bea036ff60068df845920648196938b4f36acdcee37#2");
	}

	@Test
	void usageShouldBeNormalisedFromTheResponsesApiFields() {
		Usage usage = ResponsesStreamParser.usage(new LinkedHashMap<>(
				Map.of("input_tokens", 216, "input_tokens_details", Map.of("cached_tokens", 192), "output_tokens", 923,
						"output_tokens_details", Map.of("reasoning_tokens", 323), "total_tokens", 1139)));
		assertThat(usage)
			.extracting(Usage::promptTokens, Usage::completionTokens, Usage::totalTokens, Usage::cachedPromptTokens,
					Usage::cacheCreationTokens, Usage::reasoningTokens)
			.containsExactly(216, 923, 1139, 192, 0, 323);
		assertThat(ResponsesStreamParser.usage(Map.of("input_tokens", 3, "output_tokens", 4)).totalTokens())
			.isEqualTo(7);
	}

	private static final String WEB_SEARCH_ITEM = "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\","
			+ "\"action\":{\"type\":\"search\",\"query\":\"weather NYC\"}}";

	private static final String CITATION = "{\"type\":\"url_citation\",\"start_index\":0,\"end_index\":12,"
			+ "\"url\":\"https://weather.example/nyc\",\"title\":\"NYC weather\"}";

	private static final String SECOND_CITATION = "{\"type\":\"url_citation\",\"start_index\":7,\"end_index\":12,"
			+ "\"url\":\"https://news.example/nyc\",\"title\":\"NYC news\"}";

	@Test
	void webSearchShouldBeAServerToolCallWithItsResultAndItsAnnotationsCitationsReportedOnce() {
		// SYNTHETIC, following the documented shapes of the web_search_call item, its
		// in_progress/searching/completed events and url_citation annotations (OpenAI
		// Responses
		// streaming reference); the first citation comes in annotation.added and again in
		// every
		// done event, the second only in the done message item
		feed("""
				data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_ws","object":"response","status":"in_progress","model":"gpt-5-2025-08-07","output":[]}}

				data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}}

				data: {"type":"response.web_search_call.in_progress","sequence_number":2,"output_index":0,"item_id":"ws_1"}

				data: {"type":"response.web_search_call.searching","sequence_number":3,"output_index":0,"item_id":"ws_1"}

				data: {"type":"response.web_search_call.completed","sequence_number":4,"output_index":0,"item_id":"ws_1"}

				data: {"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":%1$s}

				data: {"type":"response.output_item.added","sequence_number":6,"output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}

				data: {"type":"response.content_part.added","sequence_number":7,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

				data: {"type":"response.output_text.delta","sequence_number":8,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Sunny, 21°C."}

				data: {"type":"response.output_text.annotation.added","sequence_number":9,"item_id":"msg_1","output_index":1,"content_index":0,"annotation_index":0,"annotation":%2$s}

				data: {"type":"response.output_text.done","sequence_number":10,"item_id":"msg_1","output_index":1,"content_index":0,"text":"Sunny, 21°C.","annotations":[%2$s]}

				data: {"type":"response.content_part.done","sequence_number":11,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"Sunny, 21°C.","annotations":[%2$s]}}

				data: {"type":"response.output_item.done","sequence_number":12,"output_index":1,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Sunny, 21°C.","annotations":[%2$s,%3$s]}]}}

				data: {"type":"response.completed","sequence_number":13,"response":{"id":"resp_ws","object":"response","status":"completed","model":"gpt-5-2025-08-07","usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15}}}

				"""
			.formatted(WEB_SEARCH_ITEM, CITATION, SECOND_CITATION));
		assertThat(this.parser.isComplete()).isTrue();
		assertThat(this.listener.text).hasToString("Sunny, 21°C.");
		assertThat(this.listener.toolCalls).isEmpty();
		assertThat(this.listener.serverToolCalls).containsExactly("0|ws_1|web_search_call|",
				"0|null|null|{\"type\":\"search\",\"query\":\"weather NYC\"}");
		assertThat(this.listener.serverToolResults).containsExactly("0|ws_1|completed|" + WEB_SEARCH_ITEM);
		assertThat(this.listener.finishReasons).containsExactly("completed");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.STOP);
		assertThat(this.listener.citations)
			.extracting(Citation::type, Citation::url, Citation::title, Citation::citedText, Citation::startIndex,
					Citation::endIndex)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("url_citation", "https://weather.example/nyc", "NYC weather",
							null, 0, 12),
					org.assertj.core.groups.Tuple.tuple("url_citation", "https://news.example/nyc", "NYC news", null, 7,
							12));
		assertThat(this.listener.citations.get(0).raw()).hasToString(CITATION);
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void providerRunToolsShouldNotCountTowardsToolCallsAndTheirStreamedInputShouldNotBeRepeated() {
		// SYNTHETIC, following the documented shapes of the mcp_list_tools, mcp_call and
		// code_interpreter_call items and of response.mcp_call_arguments.* and
		// response.code_interpreter_call_code.* events; then one function call for the
		// caller
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":0,"item":{"id":"mcpl_1","type":"mcp_list_tools","server_label":"dice","tools":[]}}

				data: {"type":"response.mcp_list_tools.in_progress","sequence_number":1,"output_index":0,"item_id":"mcpl_1"}

				data: {"type":"response.mcp_list_tools.completed","sequence_number":2,"output_index":0,"item_id":"mcpl_1"}

				data: {"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"mcpl_1","type":"mcp_list_tools","server_label":"dice","tools":[{"name":"roll","input_schema":{}}]}}

				data: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"mcp_1","type":"mcp_call","status":"in_progress","server_label":"dice","name":"roll","arguments":""}}

				data: {"type":"response.mcp_call_arguments.delta","sequence_number":5,"output_index":1,"item_id":"mcp_1","delta":"{\\"dice\\":"}

				data: {"type":"response.mcp_call_arguments.delta","sequence_number":6,"output_index":1,"item_id":"mcp_1","delta":"\\"2d6\\"}"}

				data: {"type":"response.mcp_call_arguments.done","sequence_number":7,"output_index":1,"item_id":"mcp_1","arguments":"{\\"dice\\":\\"2d6\\"}"}

				data: {"type":"response.mcp_call.completed","sequence_number":8,"output_index":1,"item_id":"mcp_1"}

				data: {"type":"response.output_item.done","sequence_number":9,"output_index":1,"item":{"id":"mcp_1","type":"mcp_call","status":"completed","server_label":"dice","name":"roll","arguments":"{\\"dice\\":\\"2d6\\"}","output":"7","error":null}}

				data: {"type":"response.output_item.added","sequence_number":10,"output_index":2,"item":{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","code":"","container_id":"cntr_1","outputs":null}}

				data: {"type":"response.code_interpreter_call.in_progress","sequence_number":11,"output_index":2,"item_id":"ci_1"}

				data: {"type":"response.code_interpreter_call_code.delta","sequence_number":12,"output_index":2,"item_id":"ci_1","delta":"print(1+1)"}

				data: {"type":"response.code_interpreter_call_code.done","sequence_number":13,"output_index":2,"item_id":"ci_1","code":"print(1+1)"}

				data: {"type":"response.code_interpreter_call.interpreting","sequence_number":14,"output_index":2,"item_id":"ci_1"}

				data: {"type":"response.code_interpreter_call.completed","sequence_number":15,"output_index":2,"item_id":"ci_1"}

				data: {"type":"response.output_item.done","sequence_number":16,"output_index":2,"item":{"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(1+1)","container_id":"cntr_1","outputs":[{"type":"logs","logs":"2"}]}}

				data: {"type":"response.output_item.added","sequence_number":17,"output_index":3,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"save"}}

				data: {"type":"response.function_call_arguments.delta","sequence_number":18,"output_index":3,"item_id":"fc_1","delta":"{}"}

				data: {"type":"response.output_item.done","sequence_number":19,"output_index":3,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"{}","call_id":"call_1","name":"save"}}

				data: {"type":"response.completed","sequence_number":20,"response":{"id":"resp_1","status":"completed","model":"gpt-5"}}

				""");
		assertThat(this.listener.serverToolCalls).containsExactly("0|mcpl_1|mcp_list_tools|", "1|mcp_1|roll|",
				"1|null|null|{\"dice\":", "1|null|null|\"2d6\"}", "2|ci_1|code_interpreter_call|",
				"2|null|null|print(1+1)");
		assertThat(this.listener.serverToolResults).extracting((result) -> result.substring(0, result.indexOf('{')))
			.containsExactly("0|mcpl_1|mcp_list_tools|", "1|mcp_1|completed|", "2|ci_1|completed|");
		assertThat(this.listener.toolCalls).containsExactly("0|call_1|save|", "0|null|null|{}");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.TOOL_CALLS);
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void responseWithOnlyProviderRunToolsShouldStop() {
		// SYNTHETIC, following the documented image_generation_call item and its
		// in_progress/generating/partial_image/completed events
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":0,"item":{"id":"ig_1","type":"image_generation_call","status":"in_progress"}}

				data: {"type":"response.image_generation_call.in_progress","sequence_number":1,"output_index":0,"item_id":"ig_1"}

				data: {"type":"response.image_generation_call.generating","sequence_number":2,"output_index":0,"item_id":"ig_1"}

				data: {"type":"response.image_generation_call.partial_image","sequence_number":3,"output_index":0,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"iVBORw0KGgo="}

				data: {"type":"response.image_generation_call.completed","sequence_number":4,"output_index":0,"item_id":"ig_1"}

				data: {"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":{"id":"ig_1","type":"image_generation_call","status":"completed","result":"iVBORw0KGgo=","revised_prompt":"a cat"}}

				data: {"type":"response.completed","sequence_number":6,"response":{"id":"resp_1","status":"completed","model":"gpt-5"}}

				""");
		assertThat(this.listener.serverToolCalls).containsExactly("0|ig_1|image_generation_call|");
		assertThat(this.listener.serverToolResults).singleElement().asString().startsWith("0|ig_1|completed|{");
		assertThat(this.listener.toolCalls).isEmpty();
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.STOP);
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void callerExecutedBuiltInItemsShouldBeToolCalls() {
		// SYNTHETIC, following the documented custom_tool_call item with its
		// response.custom_tool_call_input.* events, and the local_shell_call item whose
		// action
		// the caller runs
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_c","name":"grammar","input":""}}

				data: {"type":"response.custom_tool_call_input.delta","sequence_number":1,"output_index":0,"item_id":"ctc_1","delta":"SELECT 1"}

				data: {"type":"response.custom_tool_call_input.done","sequence_number":2,"output_index":0,"item_id":"ctc_1","input":"SELECT 1"}

				data: {"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"call_c","name":"grammar","input":"SELECT 1"}}

				data: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"lsh_1","type":"local_shell_call","status":"in_progress","call_id":"call_s","action":{"type":"exec","command":["ls"]}}}

				data: {"type":"response.output_item.done","sequence_number":5,"output_index":1,"item":{"id":"lsh_1","type":"local_shell_call","status":"completed","call_id":"call_s","action":{"type":"exec","command":["ls"]}}}

				data: {"type":"response.completed","sequence_number":6,"response":{"id":"resp_1","status":"completed","model":"gpt-5"}}

				""");
		assertThat(this.listener.toolCalls).containsExactly("0|call_c|grammar|", "0|null|null|SELECT 1",
				"1|call_s|local_shell_call|", "1|null|null|{\"type\":\"exec\",\"command\":[\"ls\"]}");
		assertThat(this.listener.serverToolCalls).isEmpty();
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.TOOL_CALLS);
	}

	@Test
	void xaiCustomToolCallsAndSearchCallsShouldBeServerToolCalls() {
		// SYNTHETIC, following xAI's documentation of server-side tools in the Responses
		// API
		// (x_search_call, and custom_tool_call items for the steps of its own tools)
		RecordingListener xai = RecordingListener.ofChoiceZero();
		ResponsesStreamParser parser = new ResponsesStreamParser("xai",
				JsonMapper.builder().build().readerFor(ResponsesEvent.class), xai, null);
		String body = """
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":0,"item":{"id":"xs_1","type":"x_search_call","status":"in_progress","name":"x_keyword_search","arguments":"{\\"query\\":\\"grok\\"}"}}

				data: {"type":"response.x_search_call.searching","sequence_number":1,"output_index":0,"item_id":"xs_1"}

				data: {"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"xs_1","type":"x_search_call","status":"completed","name":"x_keyword_search","arguments":"{\\"query\\":\\"grok\\"}"}}

				data: {"type":"response.output_item.done","sequence_number":3,"output_index":1,"item":{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"c1","name":"browse_page","input":"{\\"url\\":\\"https://x.ai\\"}"}}

				data: {"type":"response.completed","sequence_number":4,"response":{"id":"r1","status":"completed","model":"grok-4"}}

				""";
		SseDecoder decoder = new SseDecoder();
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		decoder.decode(bytes, 0, bytes.length, parser::onEvent);
		assertThat(xai.serverToolCalls).containsExactly("0|xs_1|x_keyword_search|", "0|null|null|{\"query\":\"grok\"}",
				"1|ctc_1|browse_page|{\"url\":\"https://x.ai\"}");
		assertThat(xai.toolCalls).isEmpty();
		assertThat(xai.normalizedFinishReasons).containsExactly(FinishReason.STOP);
		assertThat(xai.unrecognized).isEmpty();
	}

	@Test
	void toolSearchShouldBeRunByWhoeverItsExecutionNames() {
		// SYNTHETIC, following the documented tool_search_call (arguments of any JSON
		// type,
		// execution server or client) and tool_search_output items
		feed("""
				data: {"type":"response.output_item.done","sequence_number":0,"output_index":0,"item":{"id":"ts_1","type":"tool_search_call","call_id":"tsc_1","execution":"server","arguments":{"query":"weather"},"status":"completed"}}

				data: {"type":"response.output_item.done","sequence_number":1,"output_index":1,"item":{"id":"tso_1","type":"tool_search_output","call_id":"tsc_1","execution":"server","tools":[],"status":"completed"}}

				data: {"type":"response.output_item.done","sequence_number":2,"output_index":2,"item":{"id":"ts_2","type":"tool_search_call","call_id":"tsc_2","execution":"client","arguments":{"query":"maps"},"status":"completed"}}

				data: {"type":"response.completed","sequence_number":3,"response":{"id":"r1","status":"completed","model":"gpt-5"}}

				""");
		assertThat(this.listener.serverToolCalls).containsExactly("0|ts_1|tool_search_call|{\"query\":\"weather\"}");
		assertThat(this.listener.serverToolResults).extracting((result) -> result.substring(0, result.indexOf('{')))
			.containsExactly("0|ts_1|completed|", "0|ts_1|completed|");
		assertThat(this.listener.serverToolResults.get(1)).contains("tso_1");
		assertThat(this.listener.toolCalls).containsExactly("0|tsc_2|tool_search_call|{\"query\":\"maps\"}");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.TOOL_CALLS);
		assertThat(this.listener.unrecognized).isEmpty();
	}

	@Test
	void unknownItemsEventsAndFieldTypesShouldBeCountedNeverEndTheStream() {
		// SYNTHETIC: a compaction item (added and done), an item type and an event type
		// this
		// parser does not know, a function call whose name is null and whose arguments
		// are an
		// object, then text and response.completed
		feed("""
				data: {"type":"response.output_item.added","sequence_number":0,"output_index":0,"item":{"id":"cmp_1","type":"compaction","encrypted_content":null,"summary":{"text":[1,2]}}}

				data: {"type":"response.compaction.progress","sequence_number":1,"output_index":0,"item_id":"cmp_1","delta":{"x":true}}

				data: {"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"cmp_1","type":"compaction","encrypted_content":"abc"}}

				data: {"type":"response.output_item.added","sequence_number":3,"output_index":1,"item":{"id":"wf_1","type":"web_fetch_call","status":"in_progress"}}

				data: {"type":"response.output_item.done","sequence_number":4,"output_index":1,"item":{"id":"wf_1","type":"web_fetch_call","status":"completed","action":{"url":"https://example.com"}}}

				data: {"type":"response.output_item.added","sequence_number":5,"output_index":2,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":null,"arguments":{}}}

				data: {"type":"response.output_item.done","sequence_number":6,"output_index":2,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":null,"arguments":{"a":1}}}

				data: {"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_1","output_index":3,"content_index":0,"delta":"ok"}

				data: [1,2]

				data: null

				data: {"type":"response.completed","sequence_number":8,"response":{"id":"resp_1","status":"completed","model":"gpt-5","service_tier":7,"incomplete_details":"none","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2}}}

				""");
		assertThat(this.parser.isComplete()).isTrue();
		assertThat(this.listener.text).hasToString("ok");
		assertThat(this.listener.toolCalls).containsExactly("0|call_1|null|", "0|null|null|{\"a\":1}");
		assertThat(this.listener.serverToolCalls).containsExactly("1|wf_1|web_fetch_call|",
				"1|null|null|{\"url\":\"https://example.com\"}");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.TOOL_CALLS);
		assertThat(this.listener.usages).singleElement().extracting(Usage::totalTokens).isEqualTo(2);
		assertThat(this.listener.metadata()).contains("service_tier=7", "status=completed");
		assertThat(this.listener.unrecognized).containsExactly("output_item:compaction",
				"event:response.compaction.progress", "output_item:web_fetch_call",
				"field:response.output_item.done.item.arguments:object", "event:array", "event:null",
				"field:response.completed.response.incomplete_details:string",
				"field:response.completed.response.service_tier:number");
		assertThat(this.listener.positions).hasSize(9);
	}

	@Test
	void errorGivenAsAStringShouldEndTheStreamWithItsMessageAndDataThatIsNotJsonWithAParseError() {
		// SYNTHETIC: an error event whose error is a plain string
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> feed(
					"data: {\"type\":\"error\",\"sequence_number\":0,\"error\":\"server_error: try again\"}\n\n"))
			.satisfies((ex) -> assertThat(ex.getProviderMessage()).isEqualTo("server_error: try again"));
		ResponsesStreamParser other = new ResponsesStreamParser("openai",
				JsonMapper.builder().build().readerFor(ResponsesEvent.class), RecordingListener.ofChoiceZero(), null);
		assertThatExceptionOfType(StreamParseException.class)
			.isThrownBy(() -> other.onEvent(new SseEvent("response.output_text.delta", "{\"delta\":", null, null)));
	}

	@ParameterizedTest
	@CsvSource({ "max_output_tokens, LENGTH", "content_filter, CONTENT_FILTER", "a_new_reason, OTHER" })
	void incompleteResponseShouldNormalizeItsReason(String reason, FinishReason expected) {
		// SYNTHETIC, following the documented response.incomplete event
		assertThatExceptionOfType(ResponsesIncompleteException.class).isThrownBy(
				() -> feed("data: {\"type\":\"response.incomplete\",\"sequence_number\":0,\"response\":{\"id\":\"r1\","
						+ "\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"" + reason + "\"}}}\n\n"));
		assertThat(this.listener.finishReasons).containsExactly("incomplete");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(expected);
	}

	@Test
	void failedResponseShouldNormalizeToError() {
		// SYNTHETIC, following the documented response.failed event
		assertThatExceptionOfType(ProviderStreamException.class).isThrownBy(
				() -> feed("data: {\"type\":\"response.failed\",\"sequence_number\":0,\"response\":{\"id\":\"r1\","
						+ "\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"x\"}}}\n\n"));
		assertThat(this.listener.finishReasons).containsExactly("failed");
		assertThat(this.listener.normalizedFinishReasons).containsExactly(FinishReason.ERROR);
	}

}
