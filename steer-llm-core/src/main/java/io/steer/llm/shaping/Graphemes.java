package io.steer.llm.shaping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extended grapheme cluster boundaries (Unicode UAX #29), read with the regex {@code \X}:
 * Java 17's {@link java.text.BreakIterator#getCharacterInstance()} splits emoji ZWJ
 * sequences, flags and combining marks, {@code \X} does not.
 */
final class Graphemes {

	private static final Pattern CLUSTER = Pattern.compile("\\X");

	private static final int ZWJ = 0x200D;

	private Graphemes() {
	}

	/**
	 * The last grapheme cluster boundary at or before {@code index}, scanning clusters
	 * from the start of {@code text} (which must be a boundary).
	 * @param text the text
	 * @param index a position in {@code text}, 0 to its length
	 * @return the boundary, 0 to {@code index}
	 */
	static int boundaryAtOrBefore(CharSequence text, int index) {
		if (index <= 0) {
			return 0;
		}
		int length = text.length();
		if (index >= length - 1 && length > 0 && Character.isHighSurrogate(text.charAt(length - 1))) {
			// the cluster before a lone high surrogate may still grow with it
			return Math.min(index, lastClusterStart(text.subSequence(0, length - 1)));
		}
		if (index < length && isCertainBoundary(text, index)) {
			return index;
		}
		Matcher matcher = CLUSTER.matcher(text);
		int last = 0;
		while (matcher.find()) {
			if (matcher.end() > index) {
				break;
			}
			last = matcher.end();
			if (last == index) {
				break;
			}
		}
		return last;
	}

	/**
	 * Start of the last grapheme cluster of {@code text}, 0 when it has at most one.
	 * @param text the text
	 * @return the start of the last cluster
	 */
	static int lastClusterStart(CharSequence text) {
		int length = text.length();
		if (length > 1 && Character.isHighSurrogate(text.charAt(length - 1))) {
			return lastClusterStart(text.subSequence(0, length - 1));
		}
		Matcher matcher = CLUSTER.matcher(text);
		int start = 0;
		while (matcher.find()) {
			start = matcher.start();
		}
		return start;
	}

	/**
	 * Whether {@code index} (inside {@code text}) is a boundary by a rule that needs no
	 * context: right after a line feed (GB4), or between two characters of which the
	 * second is plain ASCII (no ASCII character extends a cluster) and the first is
	 * neither a carriage return nor possibly a prepended mark (GB9b, e.g. U+0600).
	 */
	private static boolean isCertainBoundary(CharSequence text, int index) {
		char before = text.charAt(index - 1);
		if (before == '\n') {
			return true;
		}
		char at = text.charAt(index);
		boolean mayPrepend = (before >= 0x0600 && before <= 0x0D4F) || Character.isLowSurrogate(before);
		return at < 0x80 && !mayPrepend && !(before == '\r' && at == '\n');
	}

	/**
	 * Length of a trailing fragment that cannot be shown alone yet, because what comes
	 * next completes it: a carriage return (a line feed may follow), a zero width joiner
	 * (an emoji may follow), a lone high surrogate, or an unpaired regional indicator (a
	 * flag's second letter may follow).
	 * @param text the text
	 * @return chars at the end of {@code text} to keep, 0 when none
	 */
	static int incompleteTail(CharSequence text) {
		int length = text.length();
		if (length == 0) {
			return 0;
		}
		char last = text.charAt(length - 1);
		if (last == '\r' || last == ZWJ || Character.isHighSurrogate(last)) {
			return lastClusterLength(text);
		}
		int count = 0;
		int i = length;
		while (i >= 2 && isRegionalIndicator(Character.codePointBefore(text, i))) {
			count++;
			i -= 2;
		}
		return (count % 2 == 1) ? 2 : 0;
	}

	private static int lastClusterLength(CharSequence text) {
		return text.length() - lastClusterStart(text);
	}

	private static boolean isRegionalIndicator(int codePoint) {
		return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
	}

}
