package io.steer.llm.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the JSON value of a streamed text as its deltas arrive: snapshots of the value so
 * far, validation, and the duplicate policy for a text with more than one top-level
 * value.
 * <p>
 * Stand-in, replaced by J1: deliberately simple. It keeps the text of the current value,
 * validates it with Jackson's non-blocking parser, and makes each snapshot by parsing the
 * text with the closers its open strings and brackets need (falling back to the text up
 * to its last comma or opening bracket). Not thread-safe.
 */
public final class JsonStreamHandler {

	private final ObjectMapper mapper;

	private final Settings settings;

	private long length;

	/** The text of the value being read, {@code null} between values. */
	private @Nullable StringBuilder value;

	private long valueStart;

	private boolean scalar;

	/** The closers the open brackets need, innermost last. */
	private final StringBuilder closers = new StringBuilder();

	private boolean inString;

	private boolean escape;

	private int commas;

	/** Where the value text can be cut for a repair, and the closers needed there. */
	private int cut = -1;

	private String cutClosers = "";

	private @Nullable JsonParser parser;

	private boolean validating;

	private int values;

	private @Nullable JsonNode kept;

	private int duplicates;

	private @Nullable JsonNode lastSnapshot;

	private @Nullable JsonStreamException error;

	private @Nullable JsonOutcome outcome;

	/**
	 * Creates a handler.
	 * @param mapper the mapper that parses the values
	 * @param settings how to read the text
	 */
	public JsonStreamHandler(ObjectMapper mapper, Settings settings) {
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	/**
	 * Reads the next delta of the text.
	 * @param delta the delta
	 * @return a snapshot when the delta changed the value, else {@code null}
	 * @throws JsonStreamException at the first bad token when validating incrementally,
	 * or at a second value under {@link JsonDuplicatePolicy#FAIL}
	 */
	public @Nullable JsonSnapshot append(String delta) {
		long base = this.length;
		this.length += delta.length();
		if (this.error != null || this.outcome != null) {
			return null;
		}
		JsonSnapshot snapshot = null;
		int segment = (this.value != null) ? 0 : -1;
		for (int i = 0; i < delta.length(); i++) {
			char c = delta.charAt(i);
			if (this.value == null) {
				if (Character.isWhitespace(c)) {
					continue;
				}
				boolean opener = c == '{' || c == '[';
				if (!opener && (this.settings.lenientPrefix() || this.values > 0)) {
					continue;
				}
				beginValue(base + i, !opener);
				if (this.error != null) {
					return null;
				}
				segment = i;
			}
			if (this.scalar) {
				continue;
			}
			if (this.inString) {
				if (this.escape) {
					this.escape = false;
				}
				else if (c == '\\') {
					this.escape = true;
				}
				else if (c == '"') {
					this.inString = false;
				}
			}
			else if (c == '"') {
				this.inString = true;
			}
			else if (c == '{' || c == '[') {
				this.closers.append((c == '{') ? '}' : ']');
				this.cut = this.value.length() + (i - segment) + 1;
				this.cutClosers = reversed(this.closers);
			}
			else if (c == '}' || c == ']') {
				if (!this.closers.isEmpty()) {
					this.closers.setLength(this.closers.length() - 1);
				}
				if (this.closers.isEmpty()) {
					feed(delta, segment, i + 1);
					if (this.error != null) {
						return null;
					}
					JsonSnapshot closed = endValue();
					if (closed != null) {
						snapshot = closed;
					}
					segment = -1;
				}
			}
			else if (c == ',') {
				if (this.closers.length() == 1) {
					this.commas++;
				}
				this.cut = this.value.length() + (i - segment);
				this.cutClosers = reversed(this.closers);
			}
		}
		if (segment >= 0 && this.value != null) {
			feed(delta, segment, delta.length());
			if (this.error != null) {
				return null;
			}
			if (tracking() && !this.scalar) {
				JsonNode repaired = repair();
				if (repaired != null && !repaired.equals(this.lastSnapshot)) {
					snapshot = snapshot(repaired, false,
							(repaired.isArray()) ? Math.min(this.commas, repaired.size()) : 0);
				}
			}
		}
		return snapshot;
	}

	/**
	 * The text ended: the value the duplicate policy keeps, or why there is none.
	 * @return the outcome; the same one on each call
	 */
	public JsonOutcome finish() {
		JsonOutcome done = this.outcome;
		if (done != null) {
			return done;
		}
		if (this.error == null && this.value != null) {
			if (this.scalar) {
				try {
					accept(this.mapper.readTree(this.value.toString()));
				}
				catch (JacksonException ex) {
					this.error = new JsonStreamException(this.valueStart, ex.getOriginalMessage());
				}
			}
			else if (this.kept == null || this.settings.duplicatePolicy() == JsonDuplicatePolicy.LAST) {
				this.error = new JsonStreamException(this.length, "the text ended inside a JSON value (truncated)");
			}
		}
		if (this.error == null && this.kept == null) {
			this.error = new JsonStreamException(this.length, "the text holds no JSON value");
		}
		closeParser();
		done = new JsonOutcome((this.error != null) ? null : this.kept, this.duplicates, this.error);
		this.outcome = done;
		return done;
	}

	/**
	 * The characters read so far.
	 * @return the length of the text, in chars
	 */
	public long length() {
		return this.length;
	}

	private boolean tracking() {
		return this.kept == null || this.settings.duplicatePolicy() == JsonDuplicatePolicy.LAST;
	}

	private void beginValue(long offset, boolean scalar) {
		if (this.values > 0) {
			this.duplicates++;
			if (this.settings.duplicatePolicy() == JsonDuplicatePolicy.FAIL) {
				this.error = new JsonStreamException(offset, "a second top-level JSON value");
				throw this.error;
			}
		}
		this.values++;
		this.value = new StringBuilder();
		this.valueStart = offset;
		this.scalar = scalar;
		this.closers.setLength(0);
		this.inString = false;
		this.escape = false;
		this.commas = 0;
		this.cut = -1;
		this.lastSnapshot = tracking() ? this.lastSnapshot : null;
		this.validating = tracking();
		if (this.validating && !scalar) {
			this.parser = this.mapper.createNonBlockingByteArrayParser();
		}
	}

	private void feed(String delta, int from, int to) {
		StringBuilder text = this.value;
		int before = text.length();
		text.append(delta, from, to);
		JsonParser parser = this.parser;
		if (parser == null) {
			return;
		}
		byte[] bytes = delta.substring(from, to).getBytes(StandardCharsets.UTF_8);
		try {
			((ByteArrayFeeder) parser.nonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
			JsonToken token;
			do {
				token = parser.nextToken();
			}
			while (token != null && token != JsonToken.NOT_AVAILABLE);
		}
		catch (JacksonException ex) {
			TokenStreamLocation location = ex.getLocation();
			long bytesIn = (location != null) ? location.getByteOffset() : -1;
			long offset = this.valueStart + ((bytesIn >= 0) ? charsOf(text, bytesIn) : before);
			closeParser();
			this.error = new JsonStreamException(offset, String.valueOf(ex.getOriginalMessage()));
			if (this.settings.validateIncrementally()) {
				throw this.error;
			}
		}
	}

	private @Nullable JsonSnapshot endValue() {
		boolean tracked = tracking();
		JsonSnapshot snapshot = null;
		if (this.validating) {
			try {
				JsonNode node = this.mapper.readTree(this.value.toString());
				accept(node);
				snapshot = snapshot(node, true, node.isArray() ? node.size() : 0);
			}
			catch (JacksonException ex) {
				this.error = new JsonStreamException(this.valueStart, String.valueOf(ex.getOriginalMessage()));
				if (this.settings.validateIncrementally()) {
					throw this.error;
				}
			}
		}
		closeParser();
		this.value = null;
		return tracked ? snapshot : null;
	}

	private void accept(JsonNode node) {
		if (this.kept == null || this.settings.duplicatePolicy() == JsonDuplicatePolicy.LAST) {
			this.kept = node;
		}
	}

	private JsonSnapshot snapshot(JsonNode node, boolean complete, int completedElements) {
		List<String> paths = new ArrayList<>();
		diff("", this.lastSnapshot, node, paths);
		if (paths.isEmpty()) {
			paths.add("");
		}
		this.lastSnapshot = node;
		return new JsonSnapshot(node, paths, complete, completedElements);
	}

	private @Nullable JsonNode repair() {
		String text = this.value.toString();
		JsonNode node = tryRead(text + (this.inString ? "\"" : "") + reversed(this.closers));
		if (node == null && this.cut >= 0) {
			node = tryRead(text.substring(0, this.cut) + this.cutClosers);
		}
		return node;
	}

	private @Nullable JsonNode tryRead(String text) {
		try {
			return this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private void closeParser() {
		JsonParser parser = this.parser;
		this.parser = null;
		if (parser != null) {
			parser.close();
		}
	}

	private static void diff(String path, @Nullable JsonNode old, JsonNode now, List<String> out) {
		if (now.equals(old)) {
			return;
		}
		out.add(path);
		if (old == null) {
			return;
		}
		if (now.isObject() && old.isObject()) {
			for (Map.Entry<String, JsonNode> field : now.properties()) {
				String key = field.getKey().replace("~", "~0").replace("/", "~1");
				diff(path + "/" + key, old.get(field.getKey()), field.getValue(), out);
			}
		}
		else if (now.isArray() && old.isArray()) {
			for (int i = 0; i < now.size(); i++) {
				diff(path + "/" + i, (i < old.size()) ? old.get(i) : null, now.get(i), out);
			}
		}
	}

	private static String reversed(StringBuilder closers) {
		return new StringBuilder(closers).reverse().toString();
	}

	private static long charsOf(CharSequence text, long bytes) {
		long count = 0;
		int i = 0;
		while (i < text.length() && count < bytes) {
			int cp = Character.codePointAt(text, i);
			count += (cp < 0x80) ? 1 : (cp < 0x800) ? 2 : (cp < 0x10000) ? 3 : 4;
			i += Character.charCount(cp);
		}
		return i;
	}

	/**
	 * How a handler reads its text.
	 *
	 * @param validateIncrementally whether invalid JSON throws at the first bad token,
	 * rather than being reported by {@link #finish()}
	 * @param duplicatePolicy what to do with a second top-level value
	 * @param lenientPrefix whether prose or a Markdown fence before the first opening
	 * brace or bracket (and after the value) is skipped
	 */
	public record Settings(boolean validateIncrementally, JsonDuplicatePolicy duplicatePolicy, boolean lenientPrefix) {

		/** An answer: not validating incrementally, first value kept, prose skipped. */
		public static final Settings ANSWER = new Settings(false, JsonDuplicatePolicy.FIRST, true);

		/** A tool call's arguments: never throws, first value kept, no prose skipped. */
		public static final Settings TOOL_ARGUMENTS = new Settings(false, JsonDuplicatePolicy.FIRST, false);

		/**
		 * Creates settings.
		 * @param validateIncrementally whether to throw at the first bad token
		 * @param duplicatePolicy the duplicate policy, not {@code null}
		 * @param lenientPrefix whether prose before the value is skipped
		 */
		public Settings {
			Objects.requireNonNull(duplicatePolicy, "duplicatePolicy must not be null");
		}

	}

}
