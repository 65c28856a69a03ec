package io.steer.llm.json;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Read-only views of an open container for one snapshot, in O(1): the first {@code size}
 * members of append-only arrays that the builder shares with every view (slots below a
 * view's size are never written again), plus the open child of this snapshot. Mutators
 * throw {@link UnsupportedOperationException}.
 */
final class SpineViews {

	private SpineViews() {
	}

	/** The members of an open object: {@code keys[0, size)} then the open child. */
	static final class ObjectView extends AbstractMap<String, JsonNode> {

		private static final int SCAN_LIMIT = 8;

		private final String[] keys;

		private final JsonNode[] values;

		private final int size;

		private final @Nullable String lastKey;

		private final @Nullable JsonNode lastValue;

		private @Nullable Map<String, Integer> index;

		private @Nullable Set<Entry<String, JsonNode>> entries;

		ObjectView(String[] keys, JsonNode[] values, int size, @Nullable String lastKey, @Nullable JsonNode lastValue) {
			this.keys = keys;
			this.values = values;
			this.size = size;
			this.lastKey = lastKey;
			this.lastValue = lastValue;
		}

		@Override
		public int size() {
			return this.size + ((this.lastKey != null) ? 1 : 0);
		}

		@Override
		public boolean containsKey(Object key) {
			return find(key) >= 0;
		}

		@Override
		public @Nullable JsonNode get(Object key) {
			int at = find(key);
			if (at < 0) {
				return null;
			}
			return (at == this.size) ? this.lastValue : this.values[at];
		}

		private int find(Object key) {
			if (this.lastKey != null && this.lastKey.equals(key)) {
				return this.size;
			}
			if (this.size <= SCAN_LIMIT) {
				for (int i = 0; i < this.size; i++) {
					if (this.keys[i].equals(key)) {
						return i;
					}
				}
				return -1;
			}
			Map<String, Integer> index = this.index;
			if (index == null) {
				index = new HashMap<>((int) (this.size / 0.75f) + 1);
				for (int i = 0; i < this.size; i++) {
					index.put(this.keys[i], i);
				}
				this.index = index;
			}
			Integer at = index.get(key);
			return (at != null) ? at : -1;
		}

		@Override
		public Set<Entry<String, JsonNode>> entrySet() {
			Set<Entry<String, JsonNode>> entries = this.entries;
			if (entries == null) {
				entries = new AbstractSet<>() {

					@Override
					public Iterator<Entry<String, JsonNode>> iterator() {
						return new Iterator<>() {

							private int next;

							@Override
							public boolean hasNext() {
								return this.next < size();
							}

							@Override
							public Entry<String, JsonNode> next() {
								if (!hasNext()) {
									throw new NoSuchElementException();
								}
								int at = this.next++;
								if (at == ObjectView.this.size) {
									return Map.entry(ObjectView.this.lastKey, ObjectView.this.lastValue);
								}
								return Map.entry(ObjectView.this.keys[at], ObjectView.this.values[at]);
							}

						};
					}

					@Override
					public int size() {
						return ObjectView.this.size();
					}

				};
				this.entries = entries;
			}
			return entries;
		}

	}

	/** The elements of an open array: {@code items[0, size)} then the open child. */
	static final class ArrayView extends AbstractList<JsonNode> implements RandomAccess {

		private final JsonNode[] items;

		private final int size;

		private final @Nullable JsonNode last;

		ArrayView(JsonNode[] items, int size, @Nullable JsonNode last) {
			this.items = items;
			this.size = size;
			this.last = last;
		}

		@Override
		public JsonNode get(int index) {
			if (index == this.size && this.last != null) {
				return this.last;
			}
			if (index < 0 || index >= this.size) {
				throw new IndexOutOfBoundsException(index);
			}
			return this.items[index];
		}

		@Override
		public int size() {
			return this.size + ((this.last != null) ? 1 : 0);
		}

	}

}
