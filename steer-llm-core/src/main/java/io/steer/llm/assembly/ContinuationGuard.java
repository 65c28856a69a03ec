package io.steer.llm.assembly;

import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.provider.StreamDeltaListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The first listener of the chain a parser reads into: passes everything on, except what
 * a continued attempt repeats, so that no delta is delivered twice.
 * <ul>
 * <li>In a resumed stream (after {@link #resumeAfter(long)}), an event at or before the
 * position resumed after is a repeat (a provider that ignored {@code starting_after}):
 * from its {@link #resumePosition} on, what it carries goes nowhere, until an event after
 * that position.</li>
 * <li>In a prefill continuation, the start of the text that repeats the overlap
 * (whitespace the prefill left out) is dropped, as far as it matches, once.</li>
 * </ul>
 * The response's id and model always pass. One guard per parser: a resume keeps both. Not
 * thread-safe: used under the lock of its stream.
 */
final class ContinuationGuard implements StreamDeltaListener {

	private final StreamDeltaListener next;

	/** Where calls go: {@link #next}, or {@link Discard#INSTANCE} during a repeat. */
	private StreamDeltaListener target;

	/** In a resumed attempt, the sequence number it resumes after; else -1. */
	private long resumedAfter = -1;

	/** Text a prefill continuation may repeat at its start, {@code null} once passed. */
	private @Nullable String overlap;

	/**
	 * Creates a guard that drops nothing until {@link #resumeAfter(long)} is called.
	 * @param next the listener everything else goes to
	 */
	ContinuationGuard(StreamDeltaListener next) {
		this(next, "");
	}

	/**
	 * Creates the guard of a prefill continuation.
	 * @param next the listener everything else goes to
	 * @param overlap text the continuation may repeat at its start, empty for none
	 */
	ContinuationGuard(StreamDeltaListener next, String overlap) {
		this.next = next;
		this.target = next;
		this.overlap = overlap.isEmpty() ? null : overlap;
	}

	/**
	 * The parser reads on in a resumed attempt: events up to and including
	 * {@code sequenceNumber} are repeats.
	 * @param sequenceNumber the last sequence number received before the resume, or -1
	 * for none
	 */
	void resumeAfter(long sequenceNumber) {
		this.resumedAfter = sequenceNumber;
		this.target = this.next;
	}

	@Override
	public void resumePosition(@Nullable String responseId, long sequenceNumber) {
		if (this.resumedAfter >= 0) {
			boolean repeat = sequenceNumber <= this.resumedAfter;
			this.target = repeat ? Discard.INSTANCE : this.next;
			if (repeat) {
				return;
			}
		}
		this.next.resumePosition(responseId, sequenceNumber);
	}

	@Override
	public void responseInfo(@Nullable String id, @Nullable String model) {
		this.next.responseInfo(id, model);
	}

	@Override
	public void text(int choice, String text) {
		if (this.target == this.next && this.overlap != null) {
			text = dropOverlap(text);
			if (text.isEmpty()) {
				return;
			}
		}
		this.target.text(choice, text);
	}

	/**
	 * Drops the start of the text that repeats the overlap, as far as it matches.
	 */
	private String dropOverlap(String text) {
		String overlap = this.overlap;
		int i = 0;
		while (i < text.length() && i < overlap.length() && text.charAt(i) == overlap.charAt(i)) {
			i++;
		}
		if (i == text.length() && i < overlap.length()) {
			this.overlap = overlap.substring(i);
			return "";
		}
		this.overlap = null;
		return text.substring(i);
	}

	@Override
	public void reasoning(int choice, String text) {
		this.target.reasoning(choice, text);
	}

	@Override
	public void refusal(int choice, String text) {
		this.target.refusal(choice, text);
	}

	@Override
	public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
		this.target.toolCall(choice, index, id, name, arguments);
	}

	@Override
	public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
		this.target.serverToolCall(choice, index, id, name, input);
	}

	@Override
	public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
			@Nullable JsonNode content) {
		this.target.serverToolResult(choice, index, toolUseId, type, content);
	}

	@Override
	public void citation(int choice, Citation citation) {
		this.target.citation(choice, citation);
	}

	@Override
	public void finishReason(int choice, String reason, FinishReason normalized) {
		this.target.finishReason(choice, reason, normalized);
	}

	@Override
	public void unrecognized(String what) {
		this.target.unrecognized(what);
	}

	@Override
	public void usage(Usage usage) {
		this.target.usage(usage);
	}

	@Override
	public void metadata(String key, Object value) {
		this.target.metadata(key, value);
	}

	/** Where a repeat goes. */
	private enum Discard implements StreamDeltaListener {

		INSTANCE;

		@Override
		public void responseInfo(@Nullable String id, @Nullable String model) {
		}

		@Override
		public void text(int choice, String text) {
		}

		@Override
		public void reasoning(int choice, String text) {
		}

		@Override
		public void refusal(int choice, String text) {
		}

		@Override
		public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
		}

		@Override
		public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
		}

		@Override
		public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
				@Nullable JsonNode content) {
		}

		@Override
		public void citation(int choice, Citation citation) {
		}

		@Override
		public void finishReason(int choice, String reason, FinishReason normalized) {
		}

		@Override
		public void unrecognized(String what) {
		}

		@Override
		public void usage(Usage usage) {
		}

		@Override
		public void metadata(String key, Object value) {
		}

	}

}
