package io.steer.llm.provider;

import org.jspecify.annotations.Nullable;

/**
 * How far a broken stream got, as a provider adapter needs it to continue the same answer
 * (see {@link ProviderAdapter#continuation}).
 *
 * @param responseId the provider's response id ({@code resp_…}, {@code msg_…}), or
 * {@code null} when none arrived
 * @param sequenceNumber the last Responses API {@code sequence_number} received, or
 * {@code -1}
 * @param text the text of choice 0 delivered so far, possibly empty
 * @param deltas number of delta events delivered so far (all kinds, all choices)
 * @param choices number of choices that received a delta
 * @param toolCalls whether a tool-call delta was delivered, of a call for the caller or
 * of a tool the provider ran
 * @param reasoning whether a reasoning delta was delivered
 * @param refusal whether a refusal delta was delivered
 */
public record StreamProgress(@Nullable String responseId, long sequenceNumber, String text, int deltas, int choices,
		boolean toolCalls, boolean reasoning, boolean refusal) {

	/**
	 * Whether only answer text of choice 0 was delivered (no tool call, reasoning or
	 * refusal, no other choice), the one case a text prefill can continue.
	 * @return {@code true} when the delivered deltas are text of choice 0 alone
	 */
	public boolean textOnly() {
		return this.choices <= 1 && !this.toolCalls && !this.reasoning && !this.refusal;
	}

}
