package io.steer.llm.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), as
 * {@code /actuator/prometheus} answers: one {@link Sample} per line that is not a
 * comment.
 *
 * @param text the scraped text, as received
 * @param samples the samples, in the order of the text
 */
record PrometheusScrape(String text, List<Sample> samples) {

	private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?");

	static PrometheusScrape parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher matcher = LINE.matcher(line.strip());
			if (!matcher.matches()) {
				throw new IllegalArgumentException("Not a sample line: " + line);
			}
			Map<String, String> labels = (matcher.group(3) != null) ? labels(matcher.group(3)) : Map.of();
			samples.add(new Sample(matcher.group(1), labels, value(matcher.group(4))));
		}
		return new PrometheusScrape(text, List.copyOf(samples));
	}

	/** The names of every sample, such as {@code x_bucket}, {@code x_count}. */
	Set<String> names() {
		Set<String> names = new LinkedHashSet<>();
		this.samples.forEach((sample) -> names.add(sample.name()));
		return names;
	}

	List<Sample> samples(String name) {
		return this.samples.stream().filter((sample) -> sample.name().equals(name)).toList();
	}

	/** The label names of the samples named {@code name}. */
	Set<String> labelNames(String name) {
		Set<String> labels = new LinkedHashSet<>();
		samples(name).forEach((sample) -> labels.addAll(sample.labels().keySet()));
		return labels;
	}

	private static double value(String value) {
		return switch (value) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(value);
		};
	}

	/** {@code a="x",b="y \" z"}: label values are quoted with backslash escapes. */
	private static Map<String, String> labels(String text) {
		Map<String, String> labels = new LinkedHashMap<>();
		int i = 0;
		while (i < text.length()) {
			int equals = text.indexOf('=', i);
			String name = text.substring(i, equals).strip();
			if (name.startsWith(",")) {
				name = name.substring(1).strip();
			}
			int j = equals + 1;
			if (text.charAt(j) != '"') {
				throw new IllegalArgumentException("Unquoted label value in: " + text);
			}
			StringBuilder value = new StringBuilder();
			j++;
			while (text.charAt(j) != '"') {
				char c = text.charAt(j);
				if (c == '\\') {
					char next = text.charAt(++j);
					value.append((next == 'n') ? '\n' : next);
				}
				else {
					value.append(c);
				}
				j++;
			}
			labels.put(name, value.toString());
			i = j + 1;
			while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
				i++;
			}
		}
		return labels;
	}

	/**
	 * One sample.
	 *
	 * @param name the sample's name, with its suffix ({@code _bucket}, {@code _total} …)
	 * @param labels its labels, by name
	 * @param value its value
	 */
	record Sample(String name, Map<String, String> labels, double value) {

		String label(String name) {
			return this.labels.get(name);
		}

	}

}
