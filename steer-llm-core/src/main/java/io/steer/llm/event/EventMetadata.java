package io.steer.llm.event;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metadata maps of the events: the copies {@code withMetadata} makes. Package-private
 * helper of the event records.
 */
final class EventMetadata {

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
		Map<String, Object> copy = new HashMap<>(metadata);
		copy.putAll(entries);
		return Map.copyOf(copy);
	}

}
