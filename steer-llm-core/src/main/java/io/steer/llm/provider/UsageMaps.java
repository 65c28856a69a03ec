package io.steer.llm.provider;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads token counts out of a provider's usage object held as nested maps.
 */
public final class UsageMaps {

	private UsageMaps() {
	}

	/**
	 * The integer at a path of keys, or 0.
	 * @param map the usage object
	 * @param path keys, outermost first
	 * @return the number, 0 when a key is missing or the value is not a number
	 */
	public static int intAt(@Nullable Map<String, Object> map, String... path) {
		Object value = map;
		for (String key : path) {
			if (!(value instanceof Map<?, ?> m)) {
				return 0;
			}
			value = m.get(key);
		}
		return (value instanceof Number n) ? n.intValue() : 0;
	}

	/**
	 * Whether a key is present with a number.
	 * @param map the usage object
	 * @param key the key
	 * @return {@code true} when {@code map.get(key)} is a number
	 */
	public static boolean hasNumber(@Nullable Map<String, Object> map, String key) {
		return map != null && map.get(key) instanceof Number;
	}

}
