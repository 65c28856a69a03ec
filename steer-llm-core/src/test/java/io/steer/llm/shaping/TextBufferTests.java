package io.steer.llm.shaping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.steer.llm.options.BufferType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TextBufferTests {

	private static final Pattern BLANK_LINE = Pattern.compile("\r?\n[ \t\r]*\n");

	/** Texts whose boundaries are easy to get wrong. */
	static final List<String> TRICKY = List.of("A family 👩‍👩‍👧 arrived. Then 👍🏽 again!\n",
			"Flags 🇫🇷🇩🇪 and 🇯🇵, side by side.\n\nNext paragraph.",
			"Cafe\u0301 au lait, s'il vous plai\u0302t. Voila\u0300!", "今天天气很好。我们去公园散步吧！你觉得怎么样？\n\n第二段没有空格也要能发出来、对吧。",
			"Mr. Smith went to Washington. He… stayed! Dr. Who? e.g. this, i.e. that.",
			"pi is 3.14. Next the U.S. economy grew 2.5 percent.",
			"Here is code:\n```java\nint x = 1; // a.b.\nSystem.out.println(x);\n```\nDone.\n",
			"Windows\r\nline ends\r\n\r\nand a paragraph.\r\nLast line",
			"1. First item\n2. Second item\n\n\"Quoted.\" (Bracketed.) End");

	/** The guide's example, as written. */
	@Test
	void wordBufferReleasesThroughTheLastSpace() {
		TextBuffer buffer = TextBuffer.of(BufferType.WORD);
		assertThat(buffer.add("Hel")).isEmpty();
		assertThat(buffer.add("lo ")).isEqualTo("Hello ");
		assertThat(buffer.add("world!")).isEmpty();
		assertThat(buffer.flush()).isEqualTo("world!");
		assertThat(buffer.isEmpty()).isTrue();
	}

	/** The guide's example, as written. */
	@Test
	void sentenceBufferReleasesThroughTheLastSentenceEnd() {
		TextBuffer buffer = TextBuffer.of(BufferType.SENTENCE);
		assertThat(buffer.add("Hello world")).isEmpty();
		assertThat(buffer.add(". How are")).isEqualTo("Hello world.");
		assertThat(buffer.held()).isEqualTo(" How are".length());
		assertThat(buffer.add(" you?")).isEmpty();
		assertThat(buffer.flush()).isEqualTo(" How are you?");
	}

	@Test
	void noneReleasesEverythingAtOnce() {
		TextBuffer buffer = TextBuffer.of(BufferType.NONE);
		assertThat(buffer.add("Hel")).isEqualTo("Hel");
		assertThat(buffer.held()).isZero();
		assertThat(buffer.flush()).isEmpty();
	}

	@Test
	void characterBufferHoldsTheClusterThatMayGrow() {
		TextBuffer buffer = TextBuffer.of(BufferType.CHARACTER);
		assertThat(buffer.add("abc")).isEqualTo("ab");
		assertThat(buffer.add("\u0301d")).isEqualTo("c\u0301");
		assertThat(buffer.add("👩\u200D")).isEqualTo("d");
		assertThat(buffer.add("👧")).isEmpty();
		assertThat(buffer.add("\n")).isEqualTo("👩\u200D👧\n");
		assertThat(buffer.add("🇫")).isEmpty();
		assertThat(buffer.add("🇷🇩")).isEqualTo("🇫🇷");
		assertThat(buffer.flush()).isEqualTo("🇩");
	}

	@Test
	void sentenceBufferSkipsAbbreviationsAndDecimals() {
		assertThat(pieces(BufferType.SENTENCE, "Mr. Smith went to Washington. He left."))
			.containsExactly("Mr. Smith went to Washington.", " He left.");
		assertThat(pieces(BufferType.SENTENCE, "Use e.g. this one. Ok")).containsExactly("Use e.g. this one.", " Ok");
		assertThat(pieces(BufferType.SENTENCE, "pi is 3.14. Next")).containsExactly("pi is 3.14.", " Next");
		assertThat(pieces(BufferType.SENTENCE, "The U.S. team won! Really?! Yes… ok"))
			.containsExactly("The U.S. team won!", " Really?!", " Yes…", " ok");
		assertThat(pieces(BufferType.SENTENCE, "He said \"stop.\" Then")).containsExactly("He said \"stop.\"", " Then");
		assertThat(pieces(BufferType.SENTENCE, "1. One\n2. Two\n\nNext")).containsExactly("1. One\n2. Two", "\n\nNext");
	}

	@Test
	void sentenceBufferWaitsForWhatFollowsAPeriod() {
		TextBuffer buffer = TextBuffer.of(BufferType.SENTENCE);
		assertThat(buffer.add("pi is 3.")).isEmpty();
		assertThat(buffer.add("14")).isEmpty();
		assertThat(buffer.add(". ")).isEqualTo("pi is 3.14.");
	}

	@Test
	void cjkSentencesEndAtTheirOwnPunctuation() {
		assertThat(pieces(BufferType.SENTENCE, "今天天气很好。我们去公园吧！好？")).containsExactly("今天天气很好。", "我们去公园吧！", "好？");
		assertThat(pieces(BufferType.WORD, "你好，世界、再见")).containsExactly("你好，", "世界、", "再见");
	}

	@Test
	void textWithoutBoundariesIsReleasedBeyondTheMaximum() {
		TextBuffer.Settings settings = TextBuffer.Settings.defaults().withMaxHeld(10);
		TextBuffer word = TextBuffer.of(BufferType.WORD, settings);
		assertThat(word.add("没有空格的中文文本一直写下去")).isEqualTo("没有空格的中文文本一直写下");
		assertThat(word.held()).isEqualTo(1);
		TextBuffer sentence = TextBuffer.of(BufferType.SENTENCE, settings);
		assertThat(sentence.add("a long sentence without end")).isEqualTo("a long sentence without ");
		assertThat(sentence.flush()).isEqualTo("end");
	}

	@Test
	void lineBufferKeepsWindowsLineEndsWhole() {
		TextBuffer buffer = TextBuffer.of(BufferType.LINE);
		assertThat(buffer.add("one\r")).isEmpty();
		assertThat(buffer.add("\ntwo\r\nthr")).isEqualTo("one\r\ntwo\r\n");
		assertThat(buffer.flush()).isEqualTo("thr");
	}

	@Test
	void paragraphBufferReleasesThroughTheLastBlankLine() {
		TextBuffer buffer = TextBuffer.of(BufferType.PARAGRAPH);
		assertThat(buffer.add("First.\nStill first.\n")).isEmpty();
		assertThat(buffer.add("\nSecond")).isEqualTo("First.\nStill first.\n\n");
		assertThat(buffer.add(".\r\n\r\nThird")).isEqualTo("Second.\r\n\r\n");
		assertThat(buffer.flush()).isEqualTo("Third");
	}

	@Test
	void tokenBufferReleasesWholeGroupsAndHoldsTheLastToken() {
		TextBuffer.Settings settings = TextBuffer.Settings.forModel("gpt-4o").withChunkSize(2);
		TextBuffer buffer = TextBuffer.of(BufferType.TOKEN, settings);
		String released = buffer.add("Hello world, how are you");
		assertThat(settings.encoding().countTokensOrdinary(released)).isEqualTo(4);
		assertThat(released).isEqualTo("Hello world, how");
		assertThat(buffer.flush()).isEqualTo(" are you");
	}

	@Test
	void releaseHeldKeepsOnlyAnIncompleteTail() {
		TextBuffer buffer = TextBuffer.of(BufferType.WORD);
		assertThat(buffer.add("mid-wo")).isEmpty();
		assertThat(buffer.releaseHeld()).isEqualTo("mid-wo");
		assertThat(buffer.add("fam👩\u200D")).isEmpty();
		assertThat(buffer.releaseHeld()).isEqualTo("fam");
		assertThat(buffer.flush()).isEqualTo("👩\u200D");
		assertThat(buffer.add("🇫")).isEmpty();
		assertThat(buffer.releaseHeld()).isEmpty();
		assertThat(buffer.add("🇷 line\r")).isEqualTo("🇫🇷 ");
		assertThat(buffer.releaseHeld()).isEqualTo("line");
		assertThat(buffer.flush()).isEqualTo("\r");
	}

	@Test
	void settingsRejectNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> TextBuffer.Settings.defaults().withChunkSize(0));
		assertThatIllegalArgumentException().isThrownBy(() -> TextBuffer.Settings.defaults().withMaxHeld(0));
		assertThat(TextBuffer.Settings.defaults().withAbbreviations(Set.of("Approx.")).abbreviations())
			.containsExactly("approx.");
	}

	static Stream<Arguments> trickyTexts() {
		List<Arguments> arguments = new ArrayList<>();
		for (BufferType type : BufferType.values()) {
			for (String text : TRICKY) {
				arguments.add(Arguments.of(type, text));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("trickyTexts")
	void everySplitInTwoKeepsTextAndClusters(BufferType type, String text) {
		for (int split = 0; split <= text.length(); split++) {
			TextBuffer buffer = TextBuffer.of(type);
			List<String> pieces = new ArrayList<>();
			pieces.add(buffer.add(text.substring(0, split)));
			pieces.add(buffer.add(text.substring(split)));
			pieces.add(buffer.flush());
			assertPieces(type, text, pieces, "split at " + split);
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("trickyTexts")
	void charByCharKeepsTextAndClusters(BufferType type, String text) {
		TextBuffer buffer = TextBuffer.of(type);
		List<String> pieces = new ArrayList<>();
		for (int i = 0; i < text.length(); i++) {
			pieces.add(buffer.add(text.substring(i, i + 1)));
		}
		pieces.add(buffer.flush());
		assertPieces(type, text, pieces, "char by char");
		int offset = 0;
		for (String piece : pieces.subList(0, pieces.size() - 1)) {
			offset += piece.length();
			if (!piece.isEmpty() && type != BufferType.NONE) {
				assertThat(endsWhereTheTypeSays(type, piece, text.substring(offset))).as("%s piece %s", type, piece)
					.isTrue();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(BufferType.class)
	void emptyAddsReleaseNothing(BufferType type) {
		TextBuffer buffer = TextBuffer.of(type);
		assertThat(buffer.add("")).isEmpty();
		assertThat(buffer.flush()).isEmpty();
	}

	private static void assertPieces(BufferType type, String text, List<String> pieces, String how) {
		assertThat(String.join("", pieces)).as("%s %s", type, how).isEqualTo(text);
		if (type == BufferType.NONE) {
			return;
		}
		Set<Integer> boundaries = clusterBoundaries(text);
		int offset = 0;
		for (String piece : pieces) {
			offset += piece.length();
			assertThat(boundaries).as("%s %s: boundary at %d of %s", type, how, offset, pieces).contains(offset);
		}
	}

	private static boolean endsWhereTheTypeSays(BufferType type, String piece, String rest) {
		char last = piece.charAt(piece.length() - 1);
		return switch (type) {
			case NONE, TOKEN -> true;
			case CHARACTER -> true;
			case WORD -> Character.isWhitespace(last) || "、。，！？；：".indexOf(last) >= 0;
			case SENTENCE -> ".!?…。！？\"')".indexOf(last) >= 0 || BLANK_LINE.matcher(rest).lookingAt();
			case LINE -> last == '\n';
			case PARAGRAPH -> piece.endsWith("\n\n") || piece.endsWith("\r\n\r\n");
		};
	}

	static Set<Integer> clusterBoundaries(String text) {
		Set<Integer> boundaries = new TreeSet<>();
		boundaries.add(0);
		Matcher matcher = Pattern.compile("\\X").matcher(text);
		while (matcher.find()) {
			boundaries.add(matcher.end());
		}
		return boundaries;
	}

	/** The pieces released when the text arrives char by char, then flushed. */
	private static List<String> pieces(BufferType type, String text) {
		TextBuffer buffer = TextBuffer.of(type);
		List<String> pieces = new ArrayList<>();
		for (int i = 0; i < text.length(); i++) {
			String ready = buffer.add(text.substring(i, i + 1));
			if (!ready.isEmpty()) {
				pieces.add(ready);
			}
		}
		String rest = buffer.flush();
		if (!rest.isEmpty()) {
			pieces.add(rest);
		}
		return pieces;
	}

}
