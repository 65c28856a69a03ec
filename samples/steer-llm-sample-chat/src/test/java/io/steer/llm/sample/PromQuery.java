package io.steer.llm.sample;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label names a PromQL expression uses: the names of its selectors
 * (and {@code __name__} matchers), the labels of its matchers and of its {@code by},
 * {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right} clauses. Grafana's variables may appear in strings and ranges;
 * function names are not metric names.
 *
 * @param where where the expression is, for messages (a panel title or a variable name)
 * @param expr the expression
 * @param metrics the metric names it selects
 * @param labels the label names it uses
 */
record PromQuery(String where, String expr, Set<String> metrics, Set<String> labels) {

	private static final String STRING = "\"(?:[^\"\\\\]|\\\\.)*\"";

	private static final Pattern CLAUSE = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

	private static final Pattern SELECTOR = Pattern
		.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{((?:" + STRING + "|[^}\"])*)\\}");

	private static final Pattern MATCHER = Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(" + STRING + ")");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");

	private static final Pattern LABEL_VALUES = Pattern
		.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

	static PromQuery parse(String where, String expr) {
		Set<String> metrics = new LinkedHashSet<>();
		Set<String> labels = new LinkedHashSet<>();
		Matcher labelValues = LABEL_VALUES.matcher(expr);
		String rest = expr;
		if (labelValues.matches()) {
			labels.add(labelValues.group(2));
			rest = labelValues.group(1);
		}
		Matcher clause = CLAUSE.matcher(rest);
		StringBuilder withoutClauses = new StringBuilder();
		while (clause.find()) {
			for (String label : clause.group(2).split(",")) {
				if (!label.isBlank()) {
					labels.add(label.strip());
				}
			}
			clause.appendReplacement(withoutClauses, " ");
		}
		clause.appendTail(withoutClauses);
		Matcher selector = SELECTOR.matcher(withoutClauses);
		StringBuilder withoutMatchers = new StringBuilder();
		while (selector.find()) {
			Matcher matcher = MATCHER.matcher(selector.group(2));
			while (matcher.find()) {
				if (matcher.group(1).equals("__name__")) {
					String quoted = matcher.group(3);
					metrics.add(quoted.substring(1, quoted.length() - 1));
				}
				else {
					labels.add(matcher.group(1));
				}
			}
			String name = selector.group(1);
			selector.appendReplacement(withoutMatchers, Matcher.quoteReplacement(((name != null) ? name : "") + " "));
		}
		selector.appendTail(withoutMatchers);
		String bare = withoutMatchers.toString().replaceAll("\\[[^\\]]*\\]", " ").replaceAll(STRING, " ");
		Matcher identifier = IDENTIFIER.matcher(bare);
		while (identifier.find()) {
			if (!KEYWORDS.contains(identifier.group(1))) {
				metrics.add(identifier.group(1));
			}
		}
		return new PromQuery(where, expr, Set.copyOf(metrics), Set.copyOf(labels));
	}

	/** Whether it uses one of the client's own {@code steer_*} meters. */
	boolean usesSteerMeters() {
		return this.metrics.stream().anyMatch((metric) -> metric.startsWith("steer_"));
	}

}
