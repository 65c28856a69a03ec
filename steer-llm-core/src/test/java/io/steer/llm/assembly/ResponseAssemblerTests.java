package io.steer.llm.assembly;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.steer.llm.error.StreamParseException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.Choice;
import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.usage.UsageMeter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ResponseAssembler} told what a parser reads, without a parser: choices, tool
 * calls, server tool calls, citations, finish reasons and metadata; each delta emitted.
 */
class ResponseAssemblerTests {

	private static final StreamingMetrics METRICS = new StreamingMetrics(0, 0, 1.0, null, 0, 1);

	private static final ResponseAssembler.Reading NOTHING_READ = new ResponseAssembler.Reading(0, 0, 0, 0);

	private final AtomicLong nanos = new AtomicLong();

	private final StreamContext context = TestStreams.context(ScriptedAdapter.reportingUsage(), this.nanos);

	private final EventEmitter emitter = new EventEmitter(this.context);

	private final UsageMeter usage = new UsageMeter(this.context.options(), "scripted", "scripted-model",
			TestStreams.REQUEST, true);

	private final ResponseAssembler assembler = new ResponseAssembler(this.context, new StreamTimings(this.nanos::get),
			this.emitter, this.usage);

	@Test
	void responseShouldAssembleEachChoice() {
		this.assembler.responseInfo("resp-1", "model-a");
		this.assembler.responseInfo("resp-2", "model-b");
		this.assembler.text(0, "Hel");
		this.assembler.reasoning(0, "think");
		this.assembler.text(1, "Other");
		this.assembler.text(0, "lo");
		this.assembler.toolCall(0, 0, "call-1", "weather", "{\"city\":");
		this.assembler.toolCall(0, 0, null, null, "\"Paris\"}");
		this.assembler.serverToolCall(0, 3, "srv-1", "web_search", "{\"q\":\"x\"}");
		this.assembler.serverToolResult(0, -1, "srv-1", "web_search_tool_result", JsonNodeFactory.instance.arrayNode());
		Citation citation = new Citation("url_citation", "https://example.com", "Example", null, null, null,
				JsonNodeFactory.instance.objectNode());
		this.assembler.citation(0, citation);
		this.assembler.finishReason(0, "tool_calls", FinishReason.TOOL_CALLS);
		this.assembler.refusal(1, "no");
		this.assembler.metadata("service_tier", "default");
		StreamingResponse response = this.assembler.response(true, false, METRICS, NOTHING_READ);
		assertThat(response.id()).isEqualTo("resp-1");
		assertThat(response.model()).isEqualTo("model-a");
		assertThat(response.text()).isEqualTo("Hello");
		assertThat(response.reasoning()).isEqualTo("think");
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.normalizedFinishReason()).isEqualTo(FinishReason.TOOL_CALLS);
		assertThat(response.toolCalls()).singleElement().satisfies((call) -> {
			assertThat(call.id()).isEqualTo("call-1");
			assertThat(call.name()).isEqualTo("weather");
			assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
		});
		assertThat(response.serverToolCalls()).singleElement().satisfies((call) -> {
			assertThat(call.index()).isEqualTo(3);
			assertThat(call.input()).isEqualTo("{\"q\":\"x\"}");
			assertThat(call.resultType()).isEqualTo("web_search_tool_result");
		});
		assertThat(response.citations()).containsExactly(citation);
		assertThat(response.choices()).extracting(Choice::text).containsExactly("Hello", "Other");
		assertThat(response.choices().get(1).refusal()).isEqualTo("no");
		assertThat(response.metadata()).containsExactly(java.util.Map.entry("service_tier", "default"));
		assertThat(response.usage()).isNull();
	}

	@Test
	void deltasShouldBeEmittedWithGapFreeChunkIndexes() {
		this.assembler.text(0, "a");
		this.assembler.toolCall(0, 1, "call-1", "f", "{}");
		this.assembler.serverToolCall(0, 2, "srv-1", "search", "");
		this.assembler.serverToolResult(0, 2, null, "done", null);
		this.assembler.citation(0,
				new Citation("url", null, null, null, null, null, JsonNodeFactory.instance.objectNode()));
		this.assembler.reasoning(0, "r");
		List<StreamEvent> events = this.emitter.drain();
		assertThat(events).map(StreamDeltaEvent.class::cast)
			.extracting(StreamDeltaEvent::chunkIndex, StreamDeltaEvent::kind, StreamDeltaEvent::isJson)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(0, DeltaKind.TEXT, false),
					org.assertj.core.groups.Tuple.tuple(1, DeltaKind.TOOL_CALL, true),
					org.assertj.core.groups.Tuple.tuple(2, DeltaKind.TOOL_CALL, true),
					org.assertj.core.groups.Tuple.tuple(3, DeltaKind.REASONING, false));
		assertThat(((StreamDeltaEvent) events.get(2)).toolCall().providerExecuted()).isTrue();
	}

	@Test
	void usageShouldBeMeteredAndEmitted() {
		this.assembler.usage(Usage.of(7, 3));
		assertThat(this.emitter.drain()).singleElement().isInstanceOfSatisfying(StreamUsageEvent.class, (event) -> {
			assertThat(event.usage()).isEqualTo(Usage.of(7, 3));
			assertThat(event.estimated()).isFalse();
			assertThat(event.confidence()).isEqualTo(1.0);
		});
		assertThat(this.assembler.response(true, false, METRICS, NOTHING_READ).usage()).isEqualTo(Usage.of(7, 3));
	}

	@Test
	void choiceIndexOutOfRangeShouldFailTheStream() {
		assertThatExceptionOfType(StreamParseException.class).isThrownBy(() -> this.assembler.text(128, "x"))
			.withMessageContaining("choice index out of range: 128");
		assertThatExceptionOfType(StreamParseException.class)
			.isThrownBy(() -> this.assembler.finishReason(-1, "stop", FinishReason.STOP));
		assertThat(this.emitter.drain()).isEmpty();
	}

	@Test
	void metadataShouldHoldTheStreamsCountsOnlyWhenThereAreAny() {
		this.assembler.unrecognized("event:ping");
		this.assembler.unrecognized("event:ping");
		this.assembler.unrecognized("item:compaction");
		this.assembler.resumePosition("resp-1", 41);
		StreamingResponse response = this.assembler.response(true, false, METRICS,
				new ResponseAssembler.Reading(2, 3, 4, 5));
		assertThat(response.metadata()).containsEntry("sequence_number", 41L)
			.containsEntry("reconnects", 2)
			.containsEntry("sse.ignored_lines", 3)
			.containsEntry("sse.invalid_utf8", 4)
			.containsEntry("stream.events_after_end", 5)
			.containsEntry("stream.unrecognized", java.util.Map.of("event:ping", 2, "item:compaction", 1));
		ResponseAssembler fresh = new ResponseAssembler(this.context, new StreamTimings(this.nanos::get), this.emitter,
				this.usage);
		assertThat(fresh.response(true, false, METRICS, NOTHING_READ).metadata()).isEmpty();
	}

	@Test
	void responseOfAFailureShouldLeaveTheContentOutWhenAskedAndMarkTheError() {
		this.assembler.text(0, "partial");
		StreamingResponse withContent = this.assembler.response(true, true, METRICS, NOTHING_READ);
		assertThat(withContent.text()).isEqualTo("partial");
		assertThat(withContent.normalizedFinishReason()).isEqualTo(FinishReason.ERROR);
		StreamingResponse without = this.assembler.response(false, true, METRICS, NOTHING_READ);
		assertThat(without.text()).isEmpty();
		assertThat(without.choices()).isEmpty();
		assertThat(without.finishReason()).isNull();
		assertThat(without.normalizedFinishReason()).isEqualTo(FinishReason.ERROR);
	}

	@Test
	void progressShouldTellWhatWasDelivered() {
		this.assembler.responseInfo("resp-1", null);
		this.assembler.text(0, "Hi");
		this.assembler.resumePosition("resp-1", 7);
		StreamProgress textOnly = this.assembler.progress(1);
		assertThat(textOnly).isEqualTo(new StreamProgress("resp-1", 7, "Hi", 1, 1, false, false, false));
		assertThat(textOnly.textOnly()).isTrue();
		this.assembler.serverToolCall(0, 0, "srv-1", "search", "");
		assertThat(this.assembler.progress(2).toolCalls()).isTrue();
		this.assembler.refusal(1, "no");
		StreamProgress two = this.assembler.progress(3);
		assertThat(two.choices()).isEqualTo(2);
		assertThat(two.refusal()).isTrue();
		assertThat(two.textOnly()).isFalse();
	}

}
