package io.steer.llm.options;

/**
 * How output-shaping buffers group text before they release it.
 */
public enum BufferType {

	/** Release text as it arrives. */
	NONE,

	/** Release one character at a time. */
	CHARACTER,

	/** Release whole words. */
	WORD,

	/** Release whole sentences ({@link java.text.BreakIterator} sentence boundaries). */
	SENTENCE,

	/** Release whole lines. */
	LINE,

	/** Release whole paragraphs (text up to a blank line). */
	PARAGRAPH,

	/** Release groups of a fixed number of tokens ({@code chunk-size}). */
	TOKEN

}
