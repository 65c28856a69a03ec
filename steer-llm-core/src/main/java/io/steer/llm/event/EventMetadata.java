package io.steer.llm.event;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metadata maps of the events: the copies {@code withMetadata} makes. Package-private
 * helper of the event records.
 */
final class EventMetadata {

	/** Most entries a copy is made of without an intermediate map. */
	private static final int MAX_SMALL = 8;

	private EventMetadata() {
	}

	/**
	 * The metadata with one entry added or replaced.
	 * @param metadata the event's metadata
	 * @param key the key
	 * @param value the value
	 * @return an unmodifiable copy with the entry
	 * @throws NullPointerException if {@code key} or {@code value} is {@code null}
	 */
	static Map<String, Object> with(Map<String, Object> metadata, String key, Object value) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(value, () -> "value of metadata '" + key + "' must not be null");
		if (metadata.isEmpty()) {
			return Map.of(key, value);
		}
		if (metadata.size() < MAX_SMALL) {
			Object[] pairs = pairs(metadata, 1);
			return small(pairs, put(pairs, metadata.size(), key, value));
		}
		Map<String, Object> copy = new HashMap<>(metadata);
		copy.put(key, value);
		return Map.copyOf(copy);
	}

	/**
	 * The metadata with several entries added or replaced.
	 * @param metadata the event's metadata
	 * @param entries the entries
	 * @return an unmodifiable copy with the entries
	 * @throws NullPointerException if {@code entries} is {@code null} or holds a
	 * {@code null} key or value
	 */
	static Map<String, Object> with(Map<String, Object> metadata, Map<String, ?> entries) {
		Objects.requireNonNull(entries, "entries must not be null");
		if (entries.isEmpty()) {
			return metadata;
		}
		if (metadata.isEmpty()) {
			return Map.copyOf(entries);
		}
		if (metadata.size() + entries.size() <= MAX_SMALL) {
			Object[] pairs = pairs(metadata, entries.size());
			int size = metadata.size();
			for (Map.Entry<String, ?> entry : entries.entrySet()) {
				String key = Objects.requireNonNull(entry.getKey(), "metadata key must not be null");
				Object value = Objects.requireNonNull(entry.getValue(),
						() -> "value of metadata '" + key + "' must not be null");
				size = put(pairs, size, key, value);
			}
			return small(pairs, size);
		}
		Map<String, Object> copy = new HashMap<>(metadata);
		copy.putAll(entries);
		return Map.copyOf(copy);
	}

	/**
	 * The entries of {@code metadata} as keys and values in turn, with room for
	 * {@code more} entries.
	 */
	private static Object[] pairs(Map<String, Object> metadata, int more) {
		Object[] pairs = new Object[2 * (metadata.size() + more)];
		int i = 0;
		for (Map.Entry<String, Object> entry : metadata.entrySet()) {
			pairs[i++] = entry.getKey();
			pairs[i++] = entry.getValue();
		}
		return pairs;
	}

	/**
	 * Sets {@code key} to {@code value} among the first {@code size} pairs, replacing the
	 * value of an equal key, else appending.
	 * @return the new number of pairs
	 */
	private static int put(Object[] pairs, int size, String key, Object value) {
		for (int i = 0; i < size; i++) {
			if (pairs[2 * i].equals(key)) {
				pairs[2 * i + 1] = value;
				return size;
			}
		}
		pairs[2 * size] = key;
		pairs[2 * size + 1] = value;
		return size + 1;
	}

	/**
	 * The unmodifiable map of the first {@code size} pairs, made with {@code Map.of}
	 * without an intermediate map or entry objects.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> small(Object[] p, int size) {
		return switch (size) {
			case 1 -> Map.of((String) p[0], p[1]);
			case 2 -> Map.of((String) p[0], p[1], (String) p[2], p[3]);
			case 3 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5]);
			case 4 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5], (String) p[6], p[7]);
			case 5 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5], (String) p[6], p[7],
					(String) p[8], p[9]);
			case 6 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5], (String) p[6], p[7],
					(String) p[8], p[9], (String) p[10], p[11]);
			case 7 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5], (String) p[6], p[7],
					(String) p[8], p[9], (String) p[10], p[11], (String) p[12], p[13]);
			case 8 -> Map.of((String) p[0], p[1], (String) p[2], p[3], (String) p[4], p[5], (String) p[6], p[7],
					(String) p[8], p[9], (String) p[10], p[11], (String) p[12], p[13], (String) p[14], p[15]);
			default -> throw new IllegalStateException("more than " + MAX_SMALL + " entries");
		};
	}

}
