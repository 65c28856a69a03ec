package io.steer.llm.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Bean names of the entries of a configured map ({@code steer.streaming.presets.<name>},
 * {@code steer.agents.<name>}): the entry's name in camelCase followed by a suffix. Used
 * by the auto-configuration's registrars; not meant for applications.
 */
public final class ConfiguredBeanNames {

	private ConfiguredBeanNames() {
	}

	/**
	 * The bean name of an entry: its letters and digits in camelCase (a separator such as
	 * {@code -}, {@code _} or {@code .} starts a new word), followed by the suffix.
	 * @param entry the entry's name, e.g. {@code fast-ui}
	 * @param suffix the suffix, e.g. {@code Options}
	 * @param property the map's property, named in the error
	 * @param kind what an entry is, e.g. {@code preset}, named in the error
	 * @return the bean name, e.g. {@code fastUiOptions}
	 * @throws InvalidConfigurationPropertyValueException when the name has no letter or
	 * digit
	 */
	public static String beanName(String entry, String suffix, String property, String kind) {
		StringBuilder name = new StringBuilder();
		boolean upper = false;
		for (char c : entry.toCharArray()) {
			if (!Character.isLetterOrDigit(c)) {
				upper = name.length() > 0;
			}
			else if (name.length() == 0) {
				name.append(Character.toLowerCase(c));
			}
			else {
				name.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		if (name.length() == 0) {
			throw new InvalidConfigurationPropertyValueException(property, entry,
					"A " + kind + " name needs at least one letter or digit.");
		}
		return name.append(suffix).toString();
	}

}
