package io.steer.llm.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.steer.llm.test.SseFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer of the {@code json} scenario: one large JSON object, as a model asked for
 * {@code response_format: json_object} streams it, in small deltas.
 * <p>
 * The object is a product catalog: a {@code catalog} object with nested objects, an array
 * of {@code products} objects (strings, some with escapes and non-ASCII text, numbers,
 * booleans, {@code null}s, an array and a nested object each) and a {@code summary}; 200
 * products make about 35 KB of compact JSON. Its text is cut into deltas of 3 to 8
 * characters (a fixed cycle, never inside a surrogate pair), and the stream is the test
 * kit's {@link SseFixture#syntheticOpenAiChat(int) synthetic Chat Completions stream}
 * (role chunk, content chunks, finish chunk, usage chunk, {@code [DONE]}) with each
 * content chunk's {@code delta.content} set to one delta. Deterministic: the provider's
 * JVM and the client's build the same answer.
 */
final class JsonAnswer {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Delta lengths, cycled: what a model's tokens look like. */
	private static final int[] LENGTHS = { 4, 7, 3, 5, 8, 4, 6, 3, 5, 7, 4, 6 };

	private static final String[] NAMES = { "Runner \"Pro\"", "Café Crème", "Kettle 1.7 L", "Earbuds – ANC",
			"Chair\\Office", "Über Blender", "Lamp\nUSB-C", "Yoga Mat", "Thermos 日本製", "Backpack 🎒" };

	private static final String[] CATEGORIES = { "sports", "kitchen", "electronics", "office", "outdoor" };

	private final JsonNode document;

	private final List<String> deltas;

	private JsonAnswer(JsonNode document, List<String> deltas) {
		this.document = document;
		this.deltas = deltas;
	}

	/**
	 * The answer with {@code products} products.
	 * @param products how many product objects the array holds, 0 or more (about 170
	 * bytes each)
	 * @return the answer
	 */
	static JsonAnswer of(int products) {
		JsonNode document = catalog(products);
		String text = MAPPER.writeValueAsString(document);
		List<String> deltas = new ArrayList<>(text.length() / 5 + 1);
		int start = 0;
		for (int i = 0; start < text.length(); i++) {
			int end = Math.min(text.length(), start + LENGTHS[i % LENGTHS.length]);
			if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
				end++;
			}
			deltas.add(text.substring(start, end));
			start = end;
		}
		if (!MAPPER.readTree(String.join("", deltas)).equals(document)) {
			throw new IllegalStateException("the deltas do not make the answer");
		}
		return new JsonAnswer(document, deltas);
	}

	private static JsonNode catalog(int products) {
		ObjectNode root = MAPPER.createObjectNode();
		ObjectNode catalog = root.putObject("catalog");
		catalog.put("id", "cat-2026-12");
		catalog.put("title", "Winter «Sale» — Résumé of offers");
		catalog.put("currency", "EUR");
		catalog.putNull("expires");
		ObjectNode store = catalog.putObject("store");
		store.put("name", "Steer Outlet");
		store.putObject("address").put("street", "Hauptstraße 5").put("city", "München").put("zip", "80331");
		store.put("open", true);
		ArrayNode items = root.putArray("products");
		for (int i = 0; i < products; i++) {
			ObjectNode product = items.addObject();
			product.put("sku", "SKU-" + (100000 + i * 37));
			product.put("name", NAMES[i % NAMES.length]);
			product.put("cat", CATEGORIES[i % CATEGORIES.length]);
			product.put("price", 9.99 + (i * 7919 % 50000) / 100.0);
			product.put("stock", i * 13 % 250);
			product.put("inStock", i % 7 != 0);
			if (i % 4 == 0) {
				product.putNull("discount");
			}
			else {
				product.put("discount", (i % 4) * 0.05);
			}
			product.putArray("tags").add((i % 2 == 0) ? "new" : "top");
			ObjectNode rating = product.putObject("rating");
			rating.put("avg", 3.0 + (i % 20) / 10.0);
			rating.put("n", i * 29 % 1000);
		}
		ObjectNode summary = root.putObject("summary");
		summary.put("count", products);
		summary.put("complete", true);
		summary.putNull("nextPage");
		return root;
	}

	/**
	 * The object the deltas make.
	 * @return the document; not to be modified
	 */
	JsonNode document() {
		return this.document;
	}

	/**
	 * The content deltas, in order.
	 * @return the deltas, whose concatenation is the compact JSON text of
	 * {@link #document()}
	 */
	List<String> deltas() {
		return this.deltas;
	}

	/**
	 * The SSE stream, one event per element ({@code data: ...\n\n}): the synthetic Chat
	 * Completions stream of {@code deltas().size()} content chunks, each carrying one
	 * delta.
	 * @return the events, in order
	 */
	List<byte[]> events() {
		List<byte[]> events = SseFixture.syntheticOpenAiChat(this.deltas.size()).events();
		List<byte[]> answer = new ArrayList<>(events);
		for (int i = 0; i < this.deltas.size(); i++) {
			String event = new String(events.get(i + 1), StandardCharsets.UTF_8);
			ObjectNode chunk = (ObjectNode) MAPPER.readTree(event.substring("data: ".length()).trim());
			((ObjectNode) chunk.get("choices").get(0).get("delta")).put("content", this.deltas.get(i));
			answer.set(i + 1, ("data: " + MAPPER.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
		}
		return answer;
	}

	/**
	 * A new tally for one variant's subscriber.
	 * @return the tally, all counts 0
	 */
	Tally tally() {
		return new Tally(this.document);
	}

	/**
	 * What a {@code json} scenario subscriber saw, over all its streams: JDK and Jackson
	 * types only, so that it is shared with an {@link IsolatedCore}'s
	 * {@link SteerStreams}.
	 */
	static final class Tally {

		private final JsonNode expected;

		/** Streams that completed. */
		final LongAdder streams = new LongAdder();

		/** Deltas that carried a JSON snapshot. */
		final LongAdder snapshots = new LongAdder();

		/** Streams whose last snapshot was complete and equal to the answer. */
		final LongAdder complete = new LongAdder();

		private long streamsMark;

		private long snapshotsMark;

		private long completeMark;

		private Tally(JsonNode expected) {
			this.expected = expected;
		}

		/** Notes the counts as the measured rounds begin. */
		void mark() {
			this.streamsMark = this.streams.sum();
			this.snapshotsMark = this.snapshots.sum();
			this.completeMark = this.complete.sum();
		}

		/**
		 * Streams completed since {@link #mark()}.
		 * @return the count
		 */
		long streamsSinceMark() {
			return this.streams.sum() - this.streamsMark;
		}

		/**
		 * Deltas with a snapshot per stream since {@link #mark()}.
		 * @return the mean, {@code NaN} when no stream completed
		 */
		double snapshotsPerStream() {
			return (this.snapshots.sum() - this.snapshotsMark) / (double) streamsSinceMark();
		}

		/**
		 * Streams since {@link #mark()} whose last snapshot was the complete answer.
		 * @return the count
		 */
		long completeSinceMark() {
			return this.complete.sum() - this.completeMark;
		}

		/**
		 * The object the stream's last snapshot must equal.
		 * @return the answer's document
		 */
		JsonNode expected() {
			return this.expected;
		}

	}

}
