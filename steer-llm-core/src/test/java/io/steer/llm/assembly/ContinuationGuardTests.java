package io.steer.llm.assembly;

import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.RecordingListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContinuationGuard} in front of a recording listener: everything passes, except
 * what a resumed attempt repeats and the overlap a prefill continuation repeats.
 */
class ContinuationGuardTests {

	private final RecordingListener next = new RecordingListener();

	@Test
	void guardShouldPassEverythingOfAFirstAttempt() {
		ContinuationGuard guard = new ContinuationGuard(this.next);
		guard.responseInfo("resp-1", "gpt");
		guard.resumePosition("resp-1", 0);
		guard.text(0, "Hello");
		guard.reasoning(0, "hmm");
		guard.toolCall(0, 0, "call-1", "weather", "{}");
		guard.finishReason(0, "stop", FinishReason.STOP);
		guard.usage(Usage.of(1, 2));
		guard.metadata("k", "v");
		guard.unrecognized("thing");
		assertThat(this.next.responseInfo).containsExactly("resp-1|gpt");
		assertThat(this.next.positions).containsExactly("resp-1#0");
		assertThat(this.next.text).hasToString("Hello");
		assertThat(this.next.reasoning).hasToString("hmm");
		assertThat(this.next.toolCalls).hasSize(1);
		assertThat(this.next.finishReasons).containsExactly("stop");
		assertThat(this.next.usages).containsExactly(Usage.of(1, 2));
		assertThat(this.next.metadata()).containsExactly("k=v");
		assertThat(this.next.unrecognized).containsExactly("thing");
	}

	@Test
	void resumeAfterShouldDropWhatEventsAtOrBeforeTheResumePointCarry() {
		ContinuationGuard guard = new ContinuationGuard(this.next);
		guard.resumeAfter(3);
		guard.resumePosition("resp-1", 2);
		guard.text(0, "repeated");
		guard.usage(Usage.of(9, 9));
		guard.metadata("k", "old");
		guard.responseInfo("resp-1", "gpt");
		guard.resumePosition("resp-1", 3);
		guard.toolCall(0, 0, "call-1", "weather", "{}");
		guard.finishReason(0, "stop", FinishReason.STOP);
		guard.resumePosition("resp-1", 4);
		guard.text(0, "new");
		guard.metadata("k", "new");
		assertThat(this.next.positions).containsExactly("resp-1#4");
		assertThat(this.next.text).hasToString("new");
		assertThat(this.next.usages).isEmpty();
		assertThat(this.next.toolCalls).isEmpty();
		assertThat(this.next.finishReasons).isEmpty();
		assertThat(this.next.metadata()).containsExactly("k=new");
		// the response's id and model always pass
		assertThat(this.next.responseInfo).containsExactly("resp-1|gpt");
	}

	@Test
	void resumeAfterAgainShouldPassUntilTheNextPositionIsARepeat() {
		ContinuationGuard guard = new ContinuationGuard(this.next);
		guard.resumeAfter(1);
		guard.resumePosition(null, 1);
		guard.resumeAfter(1);
		guard.text(0, "a");
		guard.resumePosition(null, 0);
		guard.text(0, "b");
		assertThat(this.next.text).hasToString("a");
	}

	@Test
	void overlapShouldBeDroppedFromTheStartOfTheText() {
		ContinuationGuard guard = new ContinuationGuard(this.next, " ");
		guard.text(0, " world");
		guard.text(0, " again");
		assertThat(this.next.text).hasToString("world again");
	}

	@Test
	void overlapShouldBeDroppedAcrossFragmentsAsFarAsItMatches() {
		ContinuationGuard guard = new ContinuationGuard(this.next, " \n\n");
		guard.text(0, " ");
		guard.text(0, "\n");
		guard.text(0, "\nNext");
		assertThat(this.next.textByChoice).containsExactly("0:Next");
	}

	@Test
	void overlapShouldBeForgottenOnceTheTextDiffers() {
		ContinuationGuard guard = new ContinuationGuard(this.next, "  ");
		guard.text(0, " x");
		guard.text(0, "  y");
		assertThat(this.next.text).hasToString("x  y");
	}

	@Test
	void overlapShouldNotApplyToOtherDeltas() {
		ContinuationGuard guard = new ContinuationGuard(this.next, " ");
		guard.reasoning(0, " think");
		guard.text(0, " said");
		assertThat(this.next.reasoning).hasToString(" think");
		assertThat(this.next.text).hasToString("said");
	}

}
