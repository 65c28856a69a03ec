package io.steer.llm.agent;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a prompt template: each {@code {name}} (a letter or {@code _}, then letters,
 * digits, {@code _}, {@code .} or {@code -}) is replaced by the variable's
 * {@code String.valueOf}; other braces, such as those of a JSON example, are left as they
 * are.
 */
final class PromptTemplate {

	private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

	private PromptTemplate() {
	}

	/**
	 * Renders a template.
	 * @param what which template, for the error message ({@code system prompt})
	 * @param template the template
	 * @param variables the variables
	 * @return the rendered text
	 * @throws IllegalArgumentException naming the first missing variable and the ones
	 * given
	 */
	static String render(String what, String template, Map<String, Object> variables) {
		Matcher matcher = VARIABLE.matcher(template);
		StringBuilder out = new StringBuilder(template.length() + 16);
		while (matcher.find()) {
			String name = matcher.group(1);
			Object value = variables.get(name);
			if (value == null) {
				throw new IllegalArgumentException("The " + what + " uses the variable '" + name
						+ "', which was not given; variables given: " + new TreeSet<>(variables.keySet()));
			}
			matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
		}
		matcher.appendTail(out);
		return out.toString();
	}

}
