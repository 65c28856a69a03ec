package io.steer.llm.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import org.junit.jupiter.api.Test;

import static io.steer.llm.assembly.ScriptedAdapter.sse;
import static io.steer.llm.assembly.TestStreams.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StreamAssembly} fed the bytes of attempts' bodies, without HTTP: a retry starts
 * the answer afresh, a resume drops what it repeats, a prefill drops its overlap, chunk
 * indexes run on without gaps, the start event is held back.
 */
class StreamAssemblyTests {

	private static final Runnable NO_ACTIVITY = () -> {
	};

	private final AtomicLong nanos = new AtomicLong();

	private StreamAssembly begin(ScriptedAdapter adapter) {
		return StreamAssembly.begin(TestStreams.context(adapter, this.nanos));
	}

	/** The events, each as a short line: kind, then what identifies it. */
	private static List<String> describe(List<StreamEvent> events) {
		List<String> lines = new ArrayList<>();
		for (StreamEvent event : events) {
			if (event instanceof StreamStartEvent start) {
				lines.add("start " + start.requestId());
			}
			else if (event instanceof StreamDeltaEvent delta) {
				lines.add("delta #" + delta.chunkIndex() + " " + delta.kind() + " " + delta.delta());
			}
			else if (event instanceof StreamUsageEvent usage) {
				lines.add("usage " + usage.usage().promptTokens() + "+" + usage.usage().completionTokens()
						+ (usage.estimated() ? " estimated" : ""));
			}
			else if (event instanceof StreamCompleteEvent complete) {
				lines.add("complete " + complete.totalChunks());
			}
			else if (event instanceof StreamErrorEvent error) {
				lines.add("error " + error.errorType());
			}
		}
		return lines;
	}

	@Test
	void readShouldHoldTheStartEventBackUntilTheAttemptEmitsAnotherEvent() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start("req-1", 200, NO_ACTIVITY);
		assertThat(assembly.read(buffer(sse("id resp-1 model-a")))).isFalse();
		assertThat(assembly.drain()).isEmpty();
		assertThat(assembly.read(buffer(sse("text 0 Hi")))).isFalse();
		List<StreamEvent> events = assembly.drain();
		assertThat(describe(events)).containsExactly("start req-1", "delta #0 TEXT Hi");
		assertThat(((StreamStartEvent) events.get(0)).metadata()).containsEntry("http.status", 200);
		assertThat(events.get(0).timestamp()).isEqualTo(TestStreams.NOW);
	}

	@Test
	void readShouldEndOnTheEndMarkerAndCountTheEventsAfterIt() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start(null, 200, NO_ACTIVITY);
		assertThat(assembly.read(buffer(sse("text 0 Hi", "usage 3 1", "end", "text 0 ignored", "fail")))).isTrue();
		StreamCompleteEvent complete = assembly.complete();
		assertThat(describe(assembly.drain())).containsExactly("start null", "delta #0 TEXT Hi", "usage 3+1",
				"complete 1");
		assertThat(complete.response().text()).isEqualTo("Hi");
		assertThat(complete.response().metadata()).containsEntry("stream.events_after_end", 2);
		assertThat(complete.attempts()).isEqualTo(1);
	}

	@Test
	void readShouldIgnoreAFailureAfterTheEndMarker() {
		StreamContext context = TestStreams.context(ScriptedAdapter.reportingUsage(),
				StreamingOptions.builder().maxEventSize(64).build(), this.nanos);
		StreamAssembly assembly = StreamAssembly.begin(context);
		assembly.start(null, 200, NO_ACTIVITY);
		String oversized = "data: " + "x".repeat(100) + "\n\n";
		assertThat(assembly.read(buffer(new String(sse("text 0 Hi", "end")) + oversized))).isTrue();
	}

	@Test
	void readShouldThrowWhenTheAttemptBreaksAndDrainWhatCameBefore() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start("req-1", 200, NO_ACTIVITY);
		assertThatExceptionOfType(ProviderStreamException.class)
			.isThrownBy(() -> assembly.read(buffer(sse("text 0 Hi", "fail", "text 0 never"))));
		assertThat(describe(assembly.drain())).containsExactly("start req-1", "delta #0 TEXT Hi");
	}

	@Test
	void readShouldReportEventsAndCommentLinesAsActivity() {
		AtomicInteger activity = new AtomicInteger();
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start(null, 200, activity::incrementAndGet);
		assembly.read(buffer(": keep-alive\n\n"));
		assertThat(activity).hasValue(1);
		assembly.read(buffer("data: text 0 a\n\ndata: text 0 b\n\ndata: text 0 c"));
		assertThat(activity).hasValue(3);
		assembly.read(buffer("\n"));
		assertThat(activity).hasValue(3);
		assembly.read(buffer("\n"));
		assertThat(activity).hasValue(4);
	}

	@Test
	void retryShouldStartTheAnswerAfreshAndEmitTheStartEventOnce() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start("req-1", 200, NO_ACTIVITY);
		first.read(buffer(sse("id resp-1 model-a", "meta tier gold", "unknown ping", "usage 5 0")));
		assertThat(describe(first.drain())).containsExactly("start req-1", "usage 5+0");
		assertThatExceptionOfType(ProviderStreamException.class).isThrownBy(() -> first.read(buffer(sse("fail"))));

		StreamAssembly second = first.retry();
		second.start("req-2", 200, NO_ACTIVITY);
		assertThat(second.read(buffer(sse("id resp-2 model-b", "text 0 Hello", "end")))).isTrue();
		StreamCompleteEvent complete = second.complete();
		assertThat(describe(second.drain())).containsExactly("delta #0 TEXT Hello", "usage 6+2 estimated",
				"complete 1");
		StreamingResponse response = complete.response();
		assertThat(response.id()).isEqualTo("resp-2");
		assertThat(response.model()).isEqualTo("model-b");
		assertThat(response.usageEstimated()).isTrue();
		assertThat(response.metadata()).doesNotContainKeys("tier", "stream.unrecognized", "reconnects");
		assertThat(response.attempts()).isEqualTo(2);
	}

	@Test
	void retryShouldNotEmitTheStartEventTheFailedAttemptHeldBack() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start("req-1", 200, NO_ACTIVITY);
		first.read(buffer(sse("id resp-1")));
		StreamAssembly second = first.retry();
		// the retry never got a response
		List<StreamEvent> events = second.fail(new StreamInterruptedException("scripted", "reset", null));
		assertThat(describe(events)).containsExactly("error INTERRUPTED");
	}

	@Test
	void continueWithShouldKeepTheStartEventHeldBack() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start("req-1", 200, NO_ACTIVITY);
		first.read(buffer(sse("id resp-1", "seq 0")));
		StreamAssembly second = first.continueWith(Continuation.resume(ScriptedAdapter.request("http://resume")));
		List<StreamEvent> events = second.fail(new StreamInterruptedException("scripted", "reset", null));
		assertThat(describe(events)).containsExactly("start req-1", "error INTERRUPTED");
	}

	@Test
	void continueWithResumeShouldDropWhatTheResumedAttemptRepeats() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start("req-1", 200, NO_ACTIVITY);
		first.read(buffer(sse("id resp-1", "seq 1", "text 0 Hel", "seq 2", "text 0 lo", "seq 3", "meta k 1")));
		assertThat(describe(first.drain())).containsExactly("start req-1", "delta #0 TEXT Hel", "delta #1 TEXT lo");
		assertThat(first.progress().sequenceNumber()).isEqualTo(3);

		StreamAssembly second = first.continueWith(Continuation.resume(ScriptedAdapter.request("http://resume")));
		second.start("req-2", 200, NO_ACTIVITY);
		// a provider that ignored starting_after: events 2 and 3 again
		assertThat(second.read(
				buffer(sse("seq 2", "text 0 lo", "seq 3", "meta k 2", "seq 4", "text 0 , world", "usage 4 3", "end"))))
			.isTrue();
		StreamCompleteEvent complete = second.complete();
		assertThat(describe(second.drain())).containsExactly("delta #2 TEXT , world", "usage 4+3", "complete 3");
		assertThat(complete.response().text()).isEqualTo("Hello, world");
		assertThat(complete.response().metadata()).containsEntry("sequence_number", 4L)
			.containsEntry("reconnects", 1)
			.containsEntry("k", "1");
		assertThat(complete.attempts()).isEqualTo(2);
	}

	@Test
	void continueWithPrefillShouldDropTheOverlapAndAddTheUsageOfTheResponseItContinues() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start("req-1", 200, NO_ACTIVITY);
		first.read(buffer(sse("id msg-1", "text 0 Hello,", "text 0  ", "usage 10 3")));
		assertThat(describe(first.drain())).containsExactly("start req-1", "delta #0 TEXT Hello,", "delta #1 TEXT  ",
				"usage 10+3");

		// the prefill holds "Hello," (its whitespace removed), which the text may repeat
		StreamAssembly second = first
			.continueWith(Continuation.prefill(ScriptedAdapter.request("http://prefill"), " "));
		second.start("req-2", 200, NO_ACTIVITY);
		assertThat(second.read(buffer(sse("id msg-2", "text 0  wor", "text 0 ld", "usage 12 2", "end")))).isTrue();
		StreamCompleteEvent complete = second.complete();
		assertThat(describe(second.drain())).containsExactly("delta #2 TEXT wor", "delta #3 TEXT ld", "usage 22+5",
				"complete 4");
		StreamingResponse response = complete.response();
		assertThat(response.text()).isEqualTo("Hello, world");
		assertThat(response.id()).isEqualTo("msg-1");
		assertThat(response.usage()).isEqualTo(Usage.of(10, 3).plus(Usage.of(12, 2)));
		assertThat(response.usageEstimated()).isFalse();
		assertThat(response.metadata()).containsEntry("reconnects", 1);
	}

	@Test
	void continueWithPrefillShouldEstimateTheUsageOfAResponseThatReportedNone() {
		StreamAssembly first = begin(ScriptedAdapter.reportingUsage());
		first.start(null, 200, NO_ACTIVITY);
		first.read(buffer(sse("text 0 Hello there")));
		StreamAssembly second = first.continueWith(Continuation.prefill(ScriptedAdapter.request("http://prefill"), ""));
		second.start(null, 200, NO_ACTIVITY);
		second.read(buffer(sse("text 0 !", "usage 12 1", "end")));
		StreamingResponse response = second.complete().response();
		assertThat(response.usage()).isNotNull();
		assertThat(response.usage().completionTokens()).isGreaterThan(1);
		assertThat(response.usageEstimated()).isTrue();
	}

	@Test
	void failShouldEmitTheUsageNoEventCarriedThenTheError() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start("req-1", 200, NO_ACTIVITY);
		assembly.read(buffer(sse("text 0 Hello")));
		assembly.drain();
		StreamInterruptedException error = new StreamInterruptedException("scripted", "reset", null);
		List<StreamEvent> events = assembly.fail(error);
		assertThat(describe(events)).containsExactly("usage 6+2 estimated", "error INTERRUPTED");
		assertThat(error.getPartialResponse()).isNotNull()
			.satisfies((partial) -> assertThat(partial.text()).isEqualTo("Hello"));
	}

	@Test
	void failBeforeAnyDeltaShouldEmitNoEstimatedUsageEvent() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start("req-1", 200, NO_ACTIVITY);
		List<StreamEvent> events = assembly.fail(new StreamInterruptedException("scripted", "reset", null));
		assertThat(describe(events)).containsExactly("start req-1", "error INTERRUPTED");
		assertThat(((StreamErrorEvent) events.get(1)).partialResponse().usageEstimated()).isTrue();
	}

	@Test
	void endOfBodyShouldThrowWhenTheStreamWasCutShort() {
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start(null, 200, NO_ACTIVITY);
		assembly.read(buffer(sse("text 0 Hi")));
		assertThatExceptionOfType(StreamInterruptedException.class).isThrownBy(assembly::endOfBody);
	}

	@Test
	void metricsShouldFollowTheStreamsNanosecondSource() {
		this.nanos.set(1_000_000_000L);
		StreamAssembly assembly = begin(ScriptedAdapter.reportingUsage());
		assembly.start(null, 200, NO_ACTIVITY);
		this.nanos.addAndGet(250_000_000L);
		assembly.read(buffer(sse("text 0 Hello")));
		this.nanos.addAndGet(1_000_000_000L);
		assembly.read(buffer(sse("text 0  world", "end")));
		StreamCompleteEvent complete = assembly.complete();
		assertThat(complete.durationMs()).isEqualTo(1250.0);
		assertThat(complete.response().metrics().timeToFirstTokenMs()).isEqualTo(250.0);
		assertThat(complete.response().metrics().charsPerSecond()).isEqualTo(11.0);
	}

}
