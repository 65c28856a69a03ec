package io.steer.llm.model;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An Anthropic thinking block, to send back in the assistant turn it belongs to: either a
 * {@code thinking} block (the thinking text and its signature) or a
 * {@code redacted_thinking} block (its opaque {@code data}). Anthropic requires the
 * blocks of the turn that made tool calls to come back complete and unmodified, in their
 * order, before its {@code tool_use} blocks.
 *
 * @param thinking the thinking text as streamed ({@code thinking_delta}s joined), for a
 * {@code thinking} block; {@code null} for a redacted one
 * @param signature the block's signature ({@code signature_delta}), for a
 * {@code thinking} block; {@code null} for a redacted one
 * @param data the encrypted content of a {@code redacted_thinking} block; {@code null}
 * for a {@code thinking} block
 * @see <a href=
 * "https://platform.claude.com/docs/en/build-with-claude/extended-thinking#preserving-thinking-blocks">Anthropic,
 * Extended thinking: preserving thinking blocks</a>
 */
public record ThinkingBlock(@Nullable String thinking, @Nullable String signature,
		@Nullable String data) implements ReasoningItem {

	/**
	 * Creates a block, checking that it is one of the two kinds.
	 * @param thinking the thinking text, or {@code null} for a redacted block
	 * @param signature the signature, or {@code null} for a redacted block
	 * @param data the redacted block's data, or {@code null} for a thinking block
	 * @throws IllegalArgumentException unless exactly {@code thinking} and
	 * {@code signature}, or exactly {@code data}, are given
	 */
	public ThinkingBlock {
		boolean thinkingBlock = thinking != null && signature != null && data == null;
		boolean redacted = thinking == null && signature == null && data != null;
		if (!thinkingBlock && !redacted) {
			throw new IllegalArgumentException(
					"a thinking block has a thinking text and a signature, a redacted one only data");
		}
	}

	/**
	 * A {@code thinking} block.
	 * @param thinking the thinking text, as streamed
	 * @param signature the block's signature
	 * @return the block
	 * @throws NullPointerException if an argument is {@code null}
	 */
	public static ThinkingBlock thinking(String thinking, String signature) {
		return new ThinkingBlock(Objects.requireNonNull(thinking, "thinking must not be null"),
				Objects.requireNonNull(signature, "signature must not be null"), null);
	}

	/**
	 * A {@code redacted_thinking} block.
	 * @param data the block's encrypted data
	 * @return the block
	 * @throws NullPointerException if {@code data} is {@code null}
	 */
	public static ThinkingBlock redacted(String data) {
		return new ThinkingBlock(null, null, Objects.requireNonNull(data, "data must not be null"));
	}

	/**
	 * Whether this is a {@code redacted_thinking} block.
	 * @return {@code true} when the block has {@link #data()} only
	 */
	public boolean isRedacted() {
		return this.data != null;
	}

}
