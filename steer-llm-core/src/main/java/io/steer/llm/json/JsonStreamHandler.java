package io.steer.llm.json;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses one streamed JSON answer (or one tool call's arguments) as it arrives, with
 * Jackson's non-blocking parser fed each delta once, and returns a repaired
 * {@link JsonSnapshot} of the value so far whenever a delta changed it.
 * <p>
 * Only an object or an array is a value. With {@link Settings#lenientPrefix()}, whatever
 * precedes the first <code>&#123;</code> or {@code [} is skipped: whitespace, a Markdown
 * fence, {@code <think>…</think>} and {@code <thinking>…</thinking>} blocks (braces
 * inside them included) and other prose; without it only whitespace may precede the
 * value. After the value, whitespace, a closing fence and prose are ignored; a further
 * <code>&#123;</code> or {@code [} starts a second value, handled per
 * {@link Settings#duplicatePolicy()}. Snapshots are made of the first value only, so they
 * grow monotonically: under {@link JsonDuplicatePolicy#LAST} a later value that closes
 * replaces the delivered value in {@link #finish()}, without snapshots.
 * <p>
 * Not thread-safe: one handler per text, fed by one thread at a time (as the listener
 * chain of one stream attempt is).
 */
public final class JsonStreamHandler {

	private static final String END_OF_TEXT = "unexpected end of the JSON text";

	private static final String SECOND_VALUE = "a second JSON value";

	private static final String[] THINK_TAGS = { "<think>", "<thinking>" };

	private final ObjectMapper mapper;

	private final Settings settings;

	private Mode mode = Mode.BEFORE;

	private long length;

	/** Chars processed: {@link #length} less a held-back high surrogate. */
	private long processed;

	private char heldHighSurrogate;

	// the value being read

	private @Nullable JsonValueBuilder builder;

	private boolean first = true;

	private int depth;

	private boolean inString;

	private boolean escape;

	// think blocks and tags outside the value

	private @Nullable StringBuilder tag;

	private @Nullable String thinkClose;

	private int thinkMatched;

	// the outcome

	private @Nullable JsonNode value;

	private int duplicates;

	private @Nullable JsonStreamException error;

	private @Nullable JsonOutcome outcome;

	/**
	 * Creates a handler for one text.
	 * @param mapper the mapper whose non-blocking parser, node factory and number
	 * settings are used; not {@code null}
	 * @param settings validation, duplicate policy and prefix handling; not {@code null}
	 */
	public JsonStreamHandler(ObjectMapper mapper, Settings settings) {
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	/**
	 * Feeds one delta of the text; each delta is fed exactly once, in order. The delta is
	 * encoded to UTF-8 once and fed to the parser once; the accumulated text is never
	 * parsed again. After an error was thrown, or after the first value broke, later
	 * deltas are only counted.
	 * @param delta the next characters of the text, not {@code null} (may be empty)
	 * @return the new snapshot of the first value when this delta changed it (or closed
	 * it, or completed an element of a top-level array); {@code null} when it did not
	 * @throws JsonStreamException at the first bad token when
	 * {@link Settings#validateIncrementally()}; and, whatever that setting, at the first
	 * character of a second top-level value when the policy is
	 * {@link JsonDuplicatePolicy#FAIL}
	 */
	public @Nullable JsonSnapshot append(String delta) {
		Objects.requireNonNull(delta, "delta must not be null");
		this.length += delta.length();
		if (this.mode == Mode.DEAD || this.outcome != null) {
			this.processed = this.length;
			return null;
		}
		String text = delta;
		if (this.heldHighSurrogate != 0) {
			text = this.heldHighSurrogate + delta;
			this.heldHighSurrogate = 0;
		}
		int end = text.length();
		if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			this.heldHighSurrogate = text.charAt(--end);
		}
		long base = this.processed;
		this.processed += end;
		@Nullable JsonSnapshot snapshot = null;
		int i = 0;
		while (i < end) {
			switch (this.mode) {
				case BEFORE, AFTER -> i = outside(text, i, end, base);
				case VALUE -> {
					int next = inside(text, i, end, base);
					if (this.first && this.builder != null) {
						JsonSnapshot made = this.builder.snapshot();
						if (made != null) {
							snapshot = made;
						}
					}
					if (this.mode == Mode.AFTER || this.mode == Mode.DEAD) {
						afterValue();
					}
					i = next;
				}
				default -> i = end;
			}
		}
		return snapshot;
	}

	/**
	 * The text ended: returns what it made. Never throws; idempotent (a second call
	 * returns the same outcome, and deltas after it are ignored).
	 * @return the outcome: the delivered value, the count of duplicates, and the error
	 * not thrown (the text ending inside the first value is reported here, with offset
	 * {@link #length()}, whatever the validation setting)
	 */
	public JsonOutcome finish() {
		if (this.outcome == null) {
			if (this.mode == Mode.VALUE) {
				if (this.first) {
					if (this.builder != null && this.error == null) {
						this.error = new JsonStreamException(END_OF_TEXT, this.length);
					}
				}
				else if (this.builder != null) {
					this.duplicates++;
				}
			}
			this.outcome = new JsonOutcome(this.value, this.duplicates, this.error);
		}
		return this.outcome;
	}

	/**
	 * Characters fed so far.
	 * @return the total length of the deltas, in Java chars
	 */
	public long length() {
		return this.length;
	}

	/** Scans text outside a value; returns where a value starts, or {@code end}. */
	private int outside(String text, int from, int end, long base) {
		boolean lenient = this.settings.lenientPrefix();
		for (int i = from; i < end; i++) {
			char c = text.charAt(i);
			if (this.thinkClose != null) {
				skipThinking(c);
				continue;
			}
			if (this.tag != null) {
				this.tag.append(c);
				String started = thinkTag(this.tag);
				if (started != null) {
					this.tag = null;
					this.thinkClose = "</" + started.substring(1);
					this.thinkMatched = 0;
					continue;
				}
				if (isTagPrefix(this.tag)) {
					continue;
				}
				this.tag = null;
			}
			if (c == '{' || c == '[') {
				startValue(base + i);
				return i;
			}
			if (Character.isWhitespace(c)) {
				continue;
			}
			if (lenient) {
				if (c == '<') {
					this.tag = new StringBuilder(12).append(c);
				}
			}
			else if (this.mode == Mode.BEFORE) {
				fail(new JsonStreamException(unexpected(c), base + i));
				return end;
			}
		}
		return end;
	}

	private void skipThinking(char c) {
		String close = this.thinkClose;
		if (c == close.charAt(this.thinkMatched)) {
			if (++this.thinkMatched == close.length()) {
				this.thinkClose = null;
			}
		}
		else {
			this.thinkMatched = (c == '<') ? 1 : 0;
		}
	}

	private static @Nullable String thinkTag(CharSequence tag) {
		for (String candidate : THINK_TAGS) {
			if (candidate.contentEquals(tag)) {
				return candidate;
			}
		}
		return null;
	}

	private static boolean isTagPrefix(CharSequence tag) {
		for (String candidate : THINK_TAGS) {
			if (candidate.length() > tag.length() && candidate.startsWith(tag.toString())) {
				return true;
			}
		}
		return false;
	}

	private void startValue(long offset) {
		if (!this.first || this.value != null) {
			this.first = false;
			if (this.settings.duplicatePolicy() == JsonDuplicatePolicy.FAIL) {
				this.duplicates++;
				this.mode = Mode.DEAD;
				throw new JsonStreamException(SECOND_VALUE, offset);
			}
		}
		this.mode = Mode.VALUE;
		this.depth = 0;
		this.inString = false;
		this.escape = false;
		this.builder = new JsonValueBuilder(this.mapper, this.first);
	}

	/**
	 * Scans and feeds text inside a value; returns where the value ended (exclusive), or
	 * {@code end}.
	 */
	private int inside(String text, int from, int end, long base) {
		int stringStart = this.inString ? from : -1;
		boolean openedHere = false;
		int stop = end;
		for (int i = from; i < end; i++) {
			char c = text.charAt(i);
			if (this.inString) {
				if (this.escape) {
					this.escape = false;
				}
				else if (c == '\\') {
					this.escape = true;
				}
				else if (c == '"') {
					this.inString = false;
					stringStart = -1;
				}
			}
			else if (c == '"') {
				this.inString = true;
				stringStart = i + 1;
				openedHere = true;
			}
			else if (c == '{' || c == '[') {
				this.depth++;
			}
			else if (c == '}' || c == ']') {
				if (--this.depth == 0) {
					stop = i + 1;
					break;
				}
			}
		}
		JsonValueBuilder current = this.builder;
		if (current != null) {
			try {
				current.feed(text, from, stop, this.inString ? stringStart : -1, openedHere);
				if (this.depth == 0 && current.value() == null) {
					broken(new JsonStreamException("invalid JSON", base + stop - 1));
				}
			}
			catch (JacksonException ex) {
				broken(new JsonStreamException(reason(ex), offset(ex, current, text, from, stop, base)));
			}
		}
		if (this.depth == 0 && this.mode == Mode.VALUE) {
			this.mode = Mode.AFTER;
		}
		return stop;
	}

	/** A value closed (mode AFTER) or broke (mode DEAD, or AFTER without builder). */
	private void afterValue() {
		JsonValueBuilder done = this.builder;
		this.builder = null;
		if (done == null || this.mode == Mode.DEAD) {
			return;
		}
		JsonNode closed = done.value();
		if (closed == null) {
			return;
		}
		if (this.first) {
			this.value = closed;
			this.first = false;
		}
		else {
			this.duplicates++;
			if (this.settings.duplicatePolicy() == JsonDuplicatePolicy.LAST) {
				this.value = closed;
			}
		}
	}

	private void broken(JsonStreamException ex) {
		if (this.first) {
			fail(ex);
			return;
		}
		// a broken later value: skip it to its end, neither counted nor delivered
		this.builder = null;
	}

	private void fail(JsonStreamException ex) {
		this.mode = Mode.DEAD;
		this.builder = null;
		if (this.settings.validateIncrementally()) {
			throw ex;
		}
		if (this.error == null) {
			this.error = ex;
		}
	}

	private static String reason(JacksonException ex) {
		String message = ex.getOriginalMessage();
		int quote = message.indexOf("('");
		if (message.startsWith("Unexpected character") && quote >= 0 && quote + 2 < message.length()) {
			return unexpected(message.charAt(quote + 2));
		}
		if (message.startsWith("Unexpected close marker '") && message.length() > 25) {
			return unexpected(message.charAt(25));
		}
		if (message.startsWith("Unrecognized token")) {
			return "unrecognized token";
		}
		if (message.startsWith("Illegal unquoted character")) {
			return "unescaped control character in a string";
		}
		return "invalid JSON";
	}

	private static String unexpected(char c) {
		return "unexpected character '" + c + "'";
	}

	/** Maps the parser's byte offset back to a char offset into the whole text. */
	private static long offset(JacksonException ex, JsonValueBuilder builder, String text, int from, int to,
			long base) {
		TokenStreamLocation location = ex.getLocation();
		long byteOffset = (location != null) ? location.getByteOffset() : -1;
		long inSegment = byteOffset - builder.bytesFed();
		if (byteOffset < 0 || inSegment < 0) {
			return base + from;
		}
		long bytes = 0;
		for (int i = from; i < to; i++) {
			if (bytes >= inSegment) {
				return base + i;
			}
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return base + to;
	}

	private enum Mode {

		BEFORE, VALUE, AFTER, DEAD

	}

	/**
	 * Settings of one handler.
	 *
	 * @param validateIncrementally whether an invalid token throws a
	 * {@link JsonStreamException} from {@link #append} at once; when not, the snapshots
	 * stop there and {@link #finish()} reports the error
	 * @param duplicatePolicy what a second top-level value does; not {@code null}
	 * @param lenientPrefix whether whatever precedes the value is skipped (fences,
	 * thinking blocks, prose: answers); when not, only whitespace may precede it (tool
	 * arguments)
	 */
	public record Settings(boolean validateIncrementally, JsonDuplicatePolicy duplicatePolicy, boolean lenientPrefix) {

		/** For answers: not validating incrementally, {@code FIRST}, lenient prefix. */
		public static final Settings ANSWER = new Settings(false, JsonDuplicatePolicy.FIRST, true);

		/**
		 * For tool-call arguments: not validating incrementally, {@code FIRST}, only
		 * whitespace before the value.
		 */
		public static final Settings TOOL_ARGUMENTS = new Settings(false, JsonDuplicatePolicy.FIRST, false);

		/**
		 * Creates settings.
		 * @param validateIncrementally whether an invalid token throws at once
		 * @param duplicatePolicy what a second top-level value does; not {@code null}
		 * @param lenientPrefix whether whatever precedes the value is skipped
		 * @throws NullPointerException if {@code duplicatePolicy} is {@code null}
		 */
		public Settings {
			Objects.requireNonNull(duplicatePolicy, "duplicatePolicy must not be null");
		}

	}

}
