package io.steer.llm.options.adaptive;

import java.util.Locale;

/**
 * How well the network to one provider did over its recent streams, as estimated by
 * {@link NetworkQualityEstimator}. Declared from best to worst; {@link #ordinal()} is the
 * value of the {@code steer.network.quality} gauge (0 good, 1 fair, 2 poor).
 */
public enum NetworkQuality {

	/** Few failures and a quick first chunk. */
	GOOD,

	/** Some failures, or a slow first chunk. */
	FAIR,

	/** Many timeouts or connection errors, or a very slow first chunk. */
	POOR;

	/**
	 * The level's name as configured and shown: {@code good}, {@code fair} or
	 * {@code poor}.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The level of a configured name, in any case.
	 * @param value {@code good}, {@code fair} or {@code poor}
	 * @return the level
	 * @throws IllegalArgumentException if {@code value} names no level
	 */
	public static NetworkQuality of(String value) {
		for (NetworkQuality quality : values()) {
			if (quality.value().equalsIgnoreCase(value.strip())) {
				return quality;
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not a network quality (good, fair or poor)");
	}

}
