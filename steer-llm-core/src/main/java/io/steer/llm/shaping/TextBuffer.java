package io.steer.llm.shaping;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.steer.llm.options.BufferType;
import io.steer.llm.usage.TiktokenUsageAggregator;
import org.jspecify.annotations.Nullable;

/**
 * Groups streamed text into the units of a {@link BufferType} (words, sentences, lines,
 * paragraphs, groups of tokens) before it is released: {@link #add(String)} takes the
 * next fragment and returns the text that is ready, {@link #flush()} returns the rest.
 * The concatenation of everything released, {@code flush()} included, is exactly the text
 * added.
 * <p>
 * No type ever splits an extended grapheme cluster (Unicode UAX #29: an emoji ZWJ
 * sequence such as 👩‍👩‍👧, a flag such as 🇫🇷, a letter with its combining marks, a
 * {@code \r\n}): a piece ends only where a cluster does, and a cluster that may still
 * grow is held. Where each type releases:
 * <ul>
 * <li>{@link BufferType#NONE}: everything at once;</li>
 * <li>{@link BufferType#CHARACTER}: every complete cluster; the last one is held, since a
 * combining mark, a ZWJ or a flag's second letter may still follow (unless it is a line
 * feed);</li>
 * <li>{@link BufferType#WORD}: up to and including the last white space, or the last CJK
 * punctuation mark ({@code 、。，！？；：}) for text without spaces;</li>
 * <li>{@link BufferType#SENTENCE}: through the last sentence end: {@code . ! ? …}, with
 * any closing quotes or brackets, followed by white space (so {@code 3.14} and a final
 * {@code .} whose next character is unknown do not end one), not after one of the
 * {@linkplain Settings#abbreviations() abbreviations} ({@code Mr.}, {@code e.g.}) nor
 * after a list number at the start of a line ({@code 1. }); a CJK {@code 。！？} ends a
 * sentence by itself; a blank line ends one too. The white space after the end stays at
 * the start of the held text;</li>
 * <li>{@link BufferType#LINE}: through the last {@code \n} (a {@code \r\n} is never
 * split; a lone {@code \r} does not end a line);</li>
 * <li>{@link BufferType#PARAGRAPH}: through the last blank line ({@code \n\n},
 * {@code \r\n\r\n}, or a line of spaces and tabs between two line feeds);</li>
 * <li>{@link BufferType#TOKEN}: whole groups of {@linkplain Settings#chunkSize() N}
 * tokens of the {@linkplain Settings#encoding() encoding}; the last token is held, since
 * it may still grow.</li>
 * </ul>
 * {@link BufferType#WORD} and {@link BufferType#SENTENCE} hold at most
 * {@linkplain Settings#maxHeld() a maximum} of characters without a boundary (CJK text, a
 * long URL): beyond it a sentence buffer releases through the last word boundary, and
 * both release every complete cluster.
 * <p>
 * Not thread-safe: one buffer per stream (and per kind of text), used by one thread at a
 * time.
 */
public final class TextBuffer {

	private final BufferType type;

	private final Settings settings;

	private final StringBuilder pending = new StringBuilder();

	private TextBuffer(BufferType type, Settings settings) {
		this.type = type;
		this.settings = settings;
	}

	/**
	 * A buffer of the given type with the {@linkplain Settings#defaults() default
	 * settings}.
	 * @param type how the buffer groups text
	 * @return a new, empty buffer
	 */
	public static TextBuffer of(BufferType type) {
		return of(type, Settings.defaults());
	}

	/**
	 * A buffer of the given type.
	 * @param type how the buffer groups text
	 * @param settings token group size, encoding, maximum held characters, abbreviations
	 * @return a new, empty buffer
	 */
	public static TextBuffer of(BufferType type, Settings settings) {
		return new TextBuffer(type, settings);
	}

	/**
	 * How this buffer groups text.
	 * @return the buffer type
	 */
	public BufferType type() {
		return this.type;
	}

	/**
	 * Adds the next fragment of the stream's text.
	 * @param text the fragment, possibly empty
	 * @return the text ready to be released now, possibly empty, never {@code null}: a
	 * prefix of what is held followed by {@code text}
	 */
	public String add(String text) {
		if (this.type == BufferType.NONE) {
			return text;
		}
		if (text.isEmpty()) {
			return "";
		}
		int from = this.pending.length();
		this.pending.append(text);
		return take(cut(from));
	}

	/**
	 * Releases everything held, as at the end of the stream.
	 * @return the held text, possibly empty
	 */
	public String flush() {
		if (this.pending.length() == 0) {
			return "";
		}
		String all = this.pending.toString();
		this.pending.setLength(0);
		return all;
	}

	/**
	 * Releases what is held, as when the maximum hold time has passed: everything, even
	 * mid-word, except a trailing fragment that cannot be shown alone because what comes
	 * next completes it (a {@code \r}, a trailing zero width joiner with its emoji, a
	 * lone high surrogate, a flag's first regional indicator).
	 * @return the released text, possibly empty
	 */
	public String releaseHeld() {
		return take(this.pending.length() - Graphemes.incompleteTail(this.pending));
	}

	/**
	 * Whether the buffer holds no text.
	 * @return {@code true} when {@link #held()} is 0
	 */
	public boolean isEmpty() {
		return this.pending.length() == 0;
	}

	/**
	 * How much text the buffer holds.
	 * @return the held text's length in UTF-16 chars
	 */
	public int held() {
		return this.pending.length();
	}

	private String take(int cut) {
		if (cut <= 0) {
			return "";
		}
		String out = this.pending.substring(0, cut);
		this.pending.delete(0, cut);
		return out;
	}

	private int cut(int from) {
		StringBuilder text = this.pending;
		return switch (this.type) {
			case NONE -> text.length();
			case CHARACTER -> characterCut(text);
			case WORD -> bounded(safe(wordCut(text)), false);
			case SENTENCE -> bounded(safe(sentenceCut(text)), true);
			case LINE -> lineCut(text, from);
			case PARAGRAPH -> paragraphCut(text, from);
			case TOKEN -> tokenCut(text);
		};
	}

	private int safe(int cut) {
		return (cut <= 0 || cut >= this.pending.length()) ? cut : Graphemes.boundaryAtOrBefore(this.pending, cut);
	}

	/** The cut, moved on when the text it would hold exceeds the maximum. */
	private int bounded(int cut, boolean byWord) {
		StringBuilder text = this.pending;
		if (text.length() - cut <= this.settings.maxHeld()) {
			return cut;
		}
		int fallback = byWord ? safe(wordCut(text)) : 0;
		if (text.length() - fallback > this.settings.maxHeld()) {
			fallback = characterCut(text);
		}
		return Math.max(cut, fallback);
	}

	private static int characterCut(CharSequence text) {
		return (text.charAt(text.length() - 1) == '\n') ? text.length() : Graphemes.lastClusterStart(text);
	}

	private static int wordCut(CharSequence text) {
		int last = text.length() - 1;
		for (int i = last; i >= 0; i--) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				if (c == '\r' && i == last) {
					continue;
				}
				return i + 1;
			}
			if (isCjkPause(c) || isCjkTerminal(c)) {
				return i + 1;
			}
		}
		return 0;
	}

	private int sentenceCut(CharSequence text) {
		int length = text.length();
		for (int i = length - 1; i >= 0; i--) {
			char c = text.charAt(i);
			if (isCjkTerminal(c)) {
				return skipClosers(text, i + 1);
			}
			if (c == '.' || c == '!' || c == '?' || c == '\u2026') {
				int end = skipClosers(text, i + 1);
				if (end < length && Character.isWhitespace(text.charAt(end))
						&& (c != '.' || !isAbbreviationOrNumber(text, i))) {
					return end;
				}
			}
			else if (c == '\n' && i > 0) {
				int k = i - 1;
				while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t' || text.charAt(k) == '\r')) {
					k--;
				}
				if (k > 0 && text.charAt(k) == '\n') {
					return k;
				}
			}
		}
		return 0;
	}

	private static int skipClosers(CharSequence text, int from) {
		int end = from;
		while (end < text.length() && isCloser(text.charAt(end))) {
			end++;
		}
		return end;
	}

	/** Whether the period at {@code dot} ends an abbreviation or a list number. */
	private boolean isAbbreviationOrNumber(CharSequence text, int dot) {
		int start = dot;
		while (start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
			start--;
		}
		boolean lineStart = start == 0 || text.charAt(start - 1) == '\n';
		while (start < dot && isOpener(text.charAt(start))) {
			start++;
		}
		String word = text.subSequence(start, dot + 1).toString();
		if (lineStart && word.length() > 1 && word.chars().limit(word.length() - 1).allMatch(Character::isDigit)) {
			return true;
		}
		return this.settings.abbreviations().contains(word.toLowerCase(Locale.ROOT));
	}

	private static int lineCut(CharSequence text, int from) {
		for (int i = text.length() - 1; i >= from; i--) {
			if (text.charAt(i) == '\n') {
				return i + 1;
			}
		}
		return 0;
	}

	private static int paragraphCut(CharSequence text, int from) {
		for (int i = text.length() - 1; i >= Math.max(from, 1); i--) {
			if (text.charAt(i) == '\n') {
				int k = i - 1;
				while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t' || text.charAt(k) == '\r')) {
					k--;
				}
				if (k >= 0 && text.charAt(k) == '\n') {
					return i + 1;
				}
			}
		}
		return 0;
	}

	private int tokenCut(StringBuilder text) {
		Encoding encoding = this.settings.encoding();
		int length = text.length();
		// jtokkit rejects a lone surrogate: the high half of a pair waits for its other
		// half
		int complete = (Character.isHighSurrogate(text.charAt(length - 1))) ? length - 1 : length;
		IntArrayList tokens = encoding.encodeOrdinary(text.substring(0, complete));
		int size = this.settings.chunkSize();
		int release = ((tokens.size() - 1) / size) * size;
		if (release <= 0) {
			return 0;
		}
		IntArrayList first = new IntArrayList(release);
		for (int i = 0; i < release; i++) {
			first.add(tokens.get(i));
		}
		int cut = charsOfUtf8Prefix(text, encoding.decodeBytes(first).length);
		return Graphemes.boundaryAtOrBefore(text, cut);
	}

	/** Chars of the longest run of whole code points that fits in {@code bytes}. */
	private static int charsOfUtf8Prefix(CharSequence text, int bytes) {
		int used = 0;
		int i = 0;
		while (i < text.length()) {
			int codePoint = Character.codePointAt(text, i);
			int width = (codePoint < 0x80 || Character.isSurrogate((char) codePoint)) ? 1
					: (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
			if (used + width > bytes) {
				break;
			}
			used += width;
			i += Character.charCount(codePoint);
		}
		return i;
	}

	private static boolean isCjkTerminal(char c) {
		return c == '。' || c == '！' || c == '？' || c == '｡';
	}

	private static boolean isCjkPause(char c) {
		return c == '、' || c == '，' || c == '；' || c == '：' || c == '､';
	}

	private static boolean isCloser(char c) {
		return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201D' || c == '\u2019' || c == '\u00BB'
				|| c == '」' || c == '』' || c == '）' || c == '】';
	}

	private static boolean isOpener(char c) {
		return c == '"' || c == '\'' || c == '(' || c == '[' || c == '\u201C' || c == '\u2018' || c == '\u00AB';
	}

	/**
	 * What a {@link TextBuffer} needs besides its type: the token group size and encoding
	 * ({@link BufferType#TOKEN}), the most characters held without a boundary
	 * ({@link BufferType#WORD}, {@link BufferType#SENTENCE}) and the abbreviations after
	 * which a period does not end a sentence. Immutable; the {@code with…} methods return
	 * copies.
	 */
	public static final class Settings {

		/** Tokens per released group when none is set. */
		public static final int DEFAULT_CHUNK_SIZE = 5;

		/** Most characters held without a boundary when none is set. */
		public static final int DEFAULT_MAX_HELD = 200;

		/**
		 * Common English abbreviations after which a period does not end a sentence,
		 * lower case (they are matched ignoring case).
		 */
		public static final Set<String> DEFAULT_ABBREVIATIONS = Set.of("mr.", "mrs.", "ms.", "dr.", "prof.", "sr.",
				"jr.", "st.", "mt.", "vs.", "etc.", "e.g.", "i.e.", "cf.", "al.", "approx.", "a.m.", "p.m.", "u.s.",
				"u.s.a.", "u.k.", "e.u.", "inc.", "ltd.", "corp.", "fig.", "vol.", "pp.", "ph.d.", "gen.", "col.",
				"lt.", "sgt.", "capt.", "rev.", "hon.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.");

		private static final Settings DEFAULTS = new Settings(DEFAULT_CHUNK_SIZE, DEFAULT_MAX_HELD,
				EncodingType.CL100K_BASE, null, DEFAULT_ABBREVIATIONS);

		private final int chunkSize;

		private final int maxHeld;

		private final EncodingType encodingType;

		private final @Nullable Encoding encoding;

		private final Set<String> abbreviations;

		private Settings(int chunkSize, int maxHeld, EncodingType encodingType, @Nullable Encoding encoding,
				Set<String> abbreviations) {
			this.chunkSize = chunkSize;
			this.maxHeld = maxHeld;
			this.encodingType = encodingType;
			this.encoding = encoding;
			this.abbreviations = abbreviations;
		}

		/**
		 * Groups of {@value #DEFAULT_CHUNK_SIZE} tokens of {@code cl100k_base}, at most
		 * {@value #DEFAULT_MAX_HELD} characters held without a boundary, the
		 * {@link #DEFAULT_ABBREVIATIONS}.
		 * @return the default settings
		 */
		public static Settings defaults() {
			return DEFAULTS;
		}

		/**
		 * The default settings with the encoding of a model, picked as usage estimates
		 * pick it ({@link TiktokenUsageAggregator#encodingType(String)}).
		 * @param model the model name
		 * @return the settings
		 */
		public static Settings forModel(String model) {
			return DEFAULTS.withModel(model);
		}

		/**
		 * A copy with another token group size.
		 * @param tokens tokens per released group, at least 1
		 * @return the copy
		 * @throws IllegalArgumentException if {@code tokens} is less than 1
		 */
		public Settings withChunkSize(int tokens) {
			if (tokens < 1) {
				throw new IllegalArgumentException("chunk size must be at least 1 token, was " + tokens);
			}
			return new Settings(tokens, this.maxHeld, this.encodingType, this.encoding, this.abbreviations);
		}

		/**
		 * A copy with another maximum of characters held without a boundary.
		 * @param chars UTF-16 chars, at least 1
		 * @return the copy
		 * @throws IllegalArgumentException if {@code chars} is less than 1
		 */
		public Settings withMaxHeld(int chars) {
			if (chars < 1) {
				throw new IllegalArgumentException("maximum held must be at least 1 char, was " + chars);
			}
			return new Settings(this.chunkSize, chars, this.encodingType, this.encoding, this.abbreviations);
		}

		/**
		 * A copy with the encoding of a model
		 * ({@link TiktokenUsageAggregator#encodingType(String)}).
		 * @param model the model name
		 * @return the copy
		 */
		public Settings withModel(String model) {
			return new Settings(this.chunkSize, this.maxHeld, TiktokenUsageAggregator.encodingType(model), null,
					this.abbreviations);
		}

		/**
		 * A copy with a given encoding.
		 * @param encoding the jtokkit encoding
		 * @return the copy
		 */
		public Settings withEncoding(Encoding encoding) {
			return new Settings(this.chunkSize, this.maxHeld, this.encodingType, encoding, this.abbreviations);
		}

		/**
		 * A copy with other abbreviations (replacing the defaults; add to
		 * {@link #DEFAULT_ABBREVIATIONS} to keep them).
		 * @param abbreviations words ending with a period, such as {@code "Dr."}; matched
		 * ignoring case
		 * @return the copy
		 */
		public Settings withAbbreviations(Collection<String> abbreviations) {
			Set<String> lower = abbreviations.stream()
				.map((word) -> word.toLowerCase(Locale.ROOT))
				.collect(Collectors.toUnmodifiableSet());
			return new Settings(this.chunkSize, this.maxHeld, this.encodingType, this.encoding, lower);
		}

		/**
		 * Tokens per group a {@link BufferType#TOKEN} buffer releases.
		 * @return the group size, at least 1
		 */
		public int chunkSize() {
			return this.chunkSize;
		}

		/**
		 * Most characters a {@link BufferType#WORD} or {@link BufferType#SENTENCE} buffer
		 * holds without a boundary.
		 * @return UTF-16 chars, at least 1
		 */
		public int maxHeld() {
			return this.maxHeld;
		}

		/**
		 * The encoding {@link BufferType#TOKEN} buffers count with (loaded on first use).
		 * @return the encoding
		 */
		public Encoding encoding() {
			return (this.encoding != null) ? this.encoding : TiktokenUsageAggregator.encoding(this.encodingType);
		}

		/**
		 * Abbreviations after which a period does not end a sentence.
		 * @return lower-case words ending with a period, unmodifiable
		 */
		public Set<String> abbreviations() {
			return this.abbreviations;
		}

	}

}
