package io.steer.llm.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one top-level JSON value from the tokens of Jackson's non-blocking parser, fed
 * each segment of text once, and makes the {@link JsonSnapshot}s of it.
 * <p>
 * Containers are built in the open containers' own maps and lists (the spine, root to
 * current container); a container that closes becomes a frozen {@link ObjectNode} or
 * {@link ArrayNode} that adopts its map or list, never changed again, and is shared by
 * every later snapshot. A snapshot copies only the spine, shallowly, and adds the open
 * string as far as it got.
 * <p>
 * The change paths of a snapshot are the JSON Pointers of the values this segment added
 * (a value inside an added value is not listed again), of the strings it extended, and of
 * the containers it closed; sorted outermost first, then in document order.
 * <p>
 * Not thread-safe: one per value, fed by one thread at a time. Jackson's
 * {@code JacksonException} escapes {@link #feed} at the first bad token.
 */
final class JsonValueBuilder {

	private static final Comparator<Change> OUTERMOST_FIRST = Comparator.comparingInt(Change::depth);

	private final JsonParser parser;

	private final ByteArrayFeeder feeder;

	private final JsonNodeFactory nodes;

	private final boolean bigDecimals;

	private final boolean snapshots;

	private final List<Frame> stack = new ArrayList<>();

	private final PartialString partial = new PartialString();

	private final List<Change> changes = new ArrayList<>();

	private @Nullable JsonNode root;

	private long bytesFed;

	private int coveredDepth = -1;

	private boolean valueChanged;

	private boolean partialShown;

	private int partialShownLength;

	private boolean completeReported;

	private int completedElementsReported;

	JsonValueBuilder(ObjectMapper mapper, boolean snapshots) {
		this.parser = mapper.createNonBlockingByteArrayParser();
		this.feeder = (ByteArrayFeeder) this.parser.nonBlockingInputFeeder();
		this.nodes = mapper.getNodeFactory();
		this.bigDecimals = mapper.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
		this.snapshots = snapshots;
	}

	/**
	 * Bytes fed to the parser before the current segment.
	 * @return a byte count
	 */
	long bytesFed() {
		return this.bytesFed;
	}

	/**
	 * Feeds {@code text[from, to)} once and builds what its tokens complete.
	 * @param text the delta
	 * @param from first char of the segment
	 * @param to end of the segment (exclusive)
	 * @param stringContentStart when the segment ends inside a string, where the string's
	 * content in this segment starts ({@code from} when it began in an earlier segment);
	 * else -1
	 * @param stringOpenedHere whether that string's opening quote is in this segment
	 */
	void feed(String text, int from, int to, int stringContentStart, boolean stringOpenedHere) {
		byte[] bytes = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
		this.feeder.feedInput(bytes, 0, bytes.length);
		JsonToken token;
		while ((token = this.parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
			handle(token);
			if (this.root != null) {
				break;
			}
		}
		this.bytesFed += bytes.length;
		if (stringContentStart >= 0 && this.root == null) {
			if (stringOpenedHere) {
				this.partial.reset();
			}
			this.partial.decode(text, stringContentStart, to);
			if (this.snapshots && expectsValue()) {
				int length = this.partial.length();
				if (!this.partialShown || length > this.partialShownLength) {
					if (this.coveredDepth < 0) {
						record(childPath(top()), false);
					}
					this.valueChanged = true;
					this.partialShown = true;
					this.partialShownLength = length;
				}
			}
		}
	}

	/**
	 * The snapshot of what the last {@link #feed} changed, if it changed the value, its
	 * completeness or its count of completed top-level elements.
	 * @return the snapshot, or {@code null}
	 */
	@Nullable JsonSnapshot snapshot() {
		try {
			boolean complete = this.root != null;
			int completed = completedElements();
			if (!this.valueChanged && complete == this.completeReported
					&& completed == this.completedElementsReported) {
				return null;
			}
			if (this.changes.isEmpty()) {
				return null;
			}
			this.completeReported = complete;
			this.completedElementsReported = completed;
			if (this.changes.size() > 1) {
				this.changes.sort(OUTERMOST_FIRST);
			}
			List<String> paths = new ArrayList<>(this.changes.size());
			for (Change change : this.changes) {
				paths.add(change.path());
			}
			JsonNode value = (this.root != null) ? this.root : copy(0);
			return new JsonSnapshot(value, paths, complete, completed);
		}
		finally {
			this.changes.clear();
			this.valueChanged = false;
			this.coveredDepth = -1;
		}
	}

	/**
	 * The value, once its last token was read.
	 * @return the closed value, or {@code null} while it is open
	 */
	@Nullable JsonNode value() {
		return this.root;
	}

	private int completedElements() {
		if (this.root != null) {
			return this.root.isArray() ? this.root.size() : 0;
		}
		if (this.stack.isEmpty()) {
			return 0;
		}
		Frame bottom = this.stack.get(0);
		return (bottom.map == null) ? bottom.size : 0;
	}

	private JsonNode copy(int index) {
		Frame frame = this.stack.get(index);
		@Nullable JsonNode child = null;
		if (index + 1 < this.stack.size()) {
			child = copy(index + 1);
		}
		else if (this.partialShown) {
			child = this.nodes.stringNode(this.partial.text());
		}
		if (frame.map != null) {
			String key = (child != null) ? frame.key : null;
			if (key != null && frame.map.containsKey(key)) {
				// a repeated key: the later value replaces the earlier in place, as
				// readTree does
				LinkedHashMap<String, JsonNode> map = new LinkedHashMap<>(mapCapacity(frame.map.size()));
				map.putAll(frame.map);
				map.put(key, child);
				return new ObjectNode(this.nodes, map);
			}
			return new ObjectNode(this.nodes,
					new SpineViews.ObjectView(frame.keys, frame.values, frame.size, key, (key != null) ? child : null));
		}
		return new ArrayNode(this.nodes, new SpineViews.ArrayView(frame.values, frame.size, child));
	}

	private static int mapCapacity(int size) {
		return (int) (size / 0.75f) + 1;
	}

	private void handle(JsonToken token) {
		switch (token) {
			case START_OBJECT, START_ARRAY -> {
				String path = this.stack.isEmpty() ? "" : childPath(top());
				Frame frame = new Frame(token == JsonToken.START_OBJECT, path);
				this.stack.add(frame);
				if (this.coveredDepth < 0) {
					record(path, false);
					this.coveredDepth = this.stack.size() - 1;
				}
			}
			case END_OBJECT, END_ARRAY -> {
				int index = this.stack.size() - 1;
				Frame frame = this.stack.remove(index);
				JsonNode node = (frame.map != null) ? new ObjectNode(this.nodes, frame.map)
						: new ArrayNode(this.nodes, frame.elements());
				if (this.coveredDepth == index) {
					this.coveredDepth = -1;
				}
				else if (this.coveredDepth < 0) {
					record(frame.path, true);
				}
				if (this.stack.isEmpty()) {
					this.root = node;
				}
				else {
					attach(node);
				}
			}
			case PROPERTY_NAME -> top().key = this.parser.currentName();
			case VALUE_STRING -> {
				String text = this.parser.getString();
				if (this.partialShown) {
					if (text.length() > this.partialShownLength) {
						record(childPath(top()), false);
					}
					this.partialShown = false;
				}
				else {
					recordScalar();
				}
				attach(this.nodes.stringNode(text));
			}
			case VALUE_NUMBER_INT -> {
				recordScalar();
				attach(integer());
			}
			case VALUE_NUMBER_FLOAT -> {
				recordScalar();
				attach(this.bigDecimals ? this.nodes.numberNode(this.parser.getDecimalValue())
						: this.nodes.numberNode(this.parser.getDoubleValue()));
			}
			case VALUE_TRUE, VALUE_FALSE -> {
				recordScalar();
				attach(this.nodes.booleanNode(token == JsonToken.VALUE_TRUE));
			}
			case VALUE_NULL -> {
				recordScalar();
				attach(this.nodes.nullNode());
			}
			default -> throw new IllegalStateException("Unexpected JSON token " + token);
		}
	}

	private JsonNode integer() {
		return switch (this.parser.getNumberType()) {
			case INT -> this.nodes.numberNode(this.parser.getIntValue());
			case LONG -> this.nodes.numberNode(this.parser.getLongValue());
			default -> this.nodes.numberNode(this.parser.getBigIntegerValue());
		};
	}

	private void recordScalar() {
		if (this.snapshots && this.coveredDepth < 0) {
			record(childPath(top()), false);
		}
	}

	private void record(String path, boolean closed) {
		if (!this.snapshots) {
			return;
		}
		if (!closed) {
			this.valueChanged = true;
		}
		this.changes.add(new Change(path, this.stack.size()));
	}

	private void attach(JsonNode node) {
		top().attach(node);
	}

	private boolean expectsValue() {
		if (this.stack.isEmpty()) {
			return false;
		}
		Frame frame = top();
		return frame.map == null || frame.key != null;
	}

	private Frame top() {
		return this.stack.get(this.stack.size() - 1);
	}

	private static String childPath(Frame frame) {
		if (frame.map != null) {
			return frame.path + "/" + escape(frame.key);
		}
		return frame.path + "/" + frame.size;
	}

	static String escape(@Nullable String key) {
		if (key == null) {
			return "";
		}
		if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
			return key;
		}
		return key.replace("~", "~0").replace("/", "~1");
	}

	/**
	 * One open container of the spine. Its members are kept in append-only arrays that
	 * the snapshots' views share (a slot below {@code size} is never written again: a
	 * repeated key copies the arrays first), and, for an object, in the map that the
	 * closed {@link ObjectNode} adopts.
	 */
	private static final class Frame {

		private static final String[] NO_KEYS = {};

		final @Nullable LinkedHashMap<String, JsonNode> map;

		final String path;

		@Nullable String key;

		String[] keys = NO_KEYS;

		JsonNode[] values = new JsonNode[4];

		int size;

		Frame(boolean object, String path) {
			this.map = object ? new LinkedHashMap<>() : null;
			if (object) {
				this.keys = new String[4];
			}
			this.path = path;
		}

		void attach(JsonNode node) {
			LinkedHashMap<String, JsonNode> map = this.map;
			if (map != null) {
				String name = Objects.requireNonNull(this.key);
				this.key = null;
				if (map.put(name, node) != null) {
					this.keys = this.keys.clone();
					this.values = this.values.clone();
					for (int i = 0; i < this.size; i++) {
						if (this.keys[i].equals(name)) {
							this.values[i] = node;
						}
					}
					return;
				}
				if (this.size == this.keys.length) {
					this.keys = Arrays.copyOf(this.keys, this.size * 2);
				}
				this.keys[this.size] = name;
			}
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = node;
		}

		List<JsonNode> elements() {
			return new ArrayList<>(Arrays.asList(this.values).subList(0, this.size));
		}

	}

	/** A path this segment changed, with the depth at which it was seen. */
	private record Change(String path, int depth) {
	}

	/**
	 * The open string, decoded as far as it got: escapes decoded, a dangling backslash or
	 * an incomplete {@code \}{@code uXXXX} held back, and so is a high surrogate escape
	 * until its low one.
	 */
	static final class PartialString {

		private final StringBuilder text = new StringBuilder();

		/** 0: plain; 1: after a backslash; 2..5: hex digits read + 2. */
		private int state;

		private int hex;

		private char highSurrogate;

		void reset() {
			this.text.setLength(0);
			this.state = 0;
			this.hex = 0;
			this.highSurrogate = 0;
		}

		int length() {
			return this.text.length();
		}

		String text() {
			return this.text.toString();
		}

		void decode(String source, int from, int to) {
			for (int i = from; i < to; i++) {
				char c = source.charAt(i);
				if (this.state == 0) {
					if (c == '\\') {
						this.state = 1;
					}
					else {
						flushHigh();
						this.text.append(c);
					}
				}
				else if (this.state == 1) {
					if (c == 'u') {
						this.state = 2;
						this.hex = 0;
					}
					else {
						flushHigh();
						this.text.append(unescape(c));
						this.state = 0;
					}
				}
				else {
					this.hex = (this.hex << 4) | Character.digit(c, 16);
					if (++this.state == 6) {
						this.state = 0;
						char decoded = (char) this.hex;
						if (Character.isHighSurrogate(decoded)) {
							flushHigh();
							this.highSurrogate = decoded;
						}
						else {
							if (this.highSurrogate != 0 && Character.isLowSurrogate(decoded)) {
								this.text.append(this.highSurrogate);
								this.highSurrogate = 0;
							}
							flushHigh();
							this.text.append(decoded);
						}
					}
				}
			}
		}

		private void flushHigh() {
			if (this.highSurrogate != 0) {
				this.text.append(this.highSurrogate);
				this.highSurrogate = 0;
			}
		}

		private static char unescape(char c) {
			return switch (c) {
				case 'n' -> '\n';
				case 't' -> '\t';
				case 'r' -> '\r';
				case 'b' -> '\b';
				case 'f' -> '\f';
				default -> c;
			};
		}

	}

}
