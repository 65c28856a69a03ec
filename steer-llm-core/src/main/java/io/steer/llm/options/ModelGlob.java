package io.steer.llm.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A shell-style pattern over model names, such as {@code claude-*} or
 * {@code gpt-4o-[a-z]*}: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one, {@code [abc]} one of the listed characters, {@code [a-z]} one in the
 * range, {@code [!x]} one not listed; every other character matches itself. Matching is
 * case-sensitive and covers the whole name. Immutable and thread-safe.
 * <p>
 * A {@code -} first or last in a class is literal ({@code [-a]}, {@code [a-]}); a
 * {@code [} inside a class is literal; there is no escape character.
 */
public final class ModelGlob {

	private final String pattern;

	private final List<Token> tokens;

	private final int specificity;

	private ModelGlob(String pattern, List<Token> tokens) {
		this.pattern = pattern;
		this.tokens = tokens;
		this.specificity = (int) tokens.stream().filter(Literal.class::isInstance).count();
	}

	/**
	 * Compiles a glob.
	 * @param glob the pattern, e.g. {@code claude-*}
	 * @return the compiled glob
	 * @throws IllegalArgumentException when the glob is empty, has an unclosed {@code [},
	 * an empty class ({@code []}, {@code [!]}) or a reversed range ({@code [z-a]}); the
	 * message names the problem and its position (0-based index of the character)
	 * @throws NullPointerException when {@code glob} is {@code null}
	 */
	public static ModelGlob compile(String glob) {
		Objects.requireNonNull(glob, "glob must not be null");
		if (glob.isEmpty()) {
			throw new IllegalArgumentException("Invalid model glob '': it is empty");
		}
		List<Token> tokens = new ArrayList<>();
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i);
			if (c == '*') {
				if (tokens.isEmpty() || !(tokens.get(tokens.size() - 1) instanceof AnyRun)) {
					tokens.add(new AnyRun());
				}
				i++;
			}
			else if (c == '?') {
				tokens.add(new AnyOne());
				i++;
			}
			else if (c == '[') {
				i = parseClass(glob, i, tokens);
			}
			else {
				tokens.add(new Literal(c));
				i++;
			}
		}
		return new ModelGlob(glob, List.copyOf(tokens));
	}

	private static int parseClass(String glob, int open, List<Token> tokens) {
		int i = open + 1;
		boolean negated = i < glob.length() && glob.charAt(i) == '!';
		if (negated) {
			i++;
		}
		int start = i;
		StringBuilder singles = new StringBuilder();
		List<char[]> ranges = new ArrayList<>();
		while (i < glob.length() && glob.charAt(i) != ']') {
			char c = glob.charAt(i);
			if (i + 2 < glob.length() && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
				char to = glob.charAt(i + 2);
				if (to < c) {
					throw invalid(glob, "reversed range '" + c + "-" + to + "'", i);
				}
				ranges.add(new char[] { c, to });
				i += 3;
			}
			else {
				singles.append(c);
				i++;
			}
		}
		if (i >= glob.length()) {
			throw invalid(glob, "unclosed '['", open);
		}
		if (i == start) {
			throw invalid(glob, "empty character class", open);
		}
		tokens.add(new CharClass(negated, singles.toString(), List.copyOf(ranges)));
		return i + 1;
	}

	private static IllegalArgumentException invalid(String glob, String problem, int position) {
		return new IllegalArgumentException(
				"Invalid model glob '" + glob + "': " + problem + " at position " + position);
	}

	/**
	 * Whether a model name matches this glob, as a whole and case-sensitively.
	 * @param model the model name, e.g. {@code claude-3-haiku-20240307}
	 * @return whether it matches
	 * @throws NullPointerException when {@code model} is {@code null}
	 */
	public boolean matches(String model) {
		Objects.requireNonNull(model, "model must not be null");
		int t = 0;
		int m = 0;
		int starToken = -1;
		int starModel = -1;
		while (m < model.length()) {
			if (t < this.tokens.size() && this.tokens.get(t) instanceof AnyRun) {
				starToken = t++;
				starModel = m;
			}
			else if (t < this.tokens.size() && this.tokens.get(t).matches(model.charAt(m))) {
				t++;
				m++;
			}
			else if (starToken >= 0) {
				t = starToken + 1;
				m = ++starModel;
			}
			else {
				return false;
			}
		}
		while (t < this.tokens.size() && this.tokens.get(t) instanceof AnyRun) {
			t++;
		}
		return t == this.tokens.size();
	}

	/**
	 * How specific this glob is: the number of its literal characters ({@code *},
	 * {@code ?} and classes do not count). {@code gpt-4o-*} has 7, {@code gpt-*} 4.
	 * @return the number of literal characters, 0 or more
	 */
	public int specificity() {
		return this.specificity;
	}

	/**
	 * The pattern this glob was compiled from.
	 * @return the pattern
	 */
	public String pattern() {
		return this.pattern;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ModelGlob that && this.pattern.equals(that.pattern));
	}

	@Override
	public int hashCode() {
		return this.pattern.hashCode();
	}

	@Override
	public String toString() {
		return this.pattern;
	}

	private sealed interface Token permits Literal, AnyOne, AnyRun, CharClass {

		boolean matches(char c);

	}

	private record Literal(char value) implements Token {

		@Override
		public boolean matches(char c) {
			return c == this.value;
		}

	}

	private record AnyOne() implements Token {

		@Override
		public boolean matches(char c) {
			return true;
		}

	}

	private record AnyRun() implements Token {

		@Override
		public boolean matches(char c) {
			return true;
		}

	}

	private record CharClass(boolean negated, String singles, List<char[]> ranges) implements Token {

		@Override
		public boolean matches(char c) {
			boolean found = this.singles.indexOf(c) >= 0
					|| this.ranges.stream().anyMatch((range) -> range[0] <= c && c <= range[1]);
			return found != this.negated;
		}

	}

}
