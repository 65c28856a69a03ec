package io.steer.llm.options;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ModelGlob}: wildcards, classes, case, specificity and the errors of invalid
 * globs.
 */
class ModelGlobTests {

	@Test
	void starShouldMatchAnyRunIncludingNone() {
		ModelGlob glob = ModelGlob.compile("claude-*");
		assertThat(glob.matches("claude-3-haiku-20240307")).isTrue();
		assertThat(glob.matches("claude-")).isTrue();
		assertThat(glob.matches("claude")).isFalse();
		assertThat(glob.matches("my-claude-3")).isFalse();
		assertThat(ModelGlob.compile("*").matches("")).isTrue();
		assertThat(ModelGlob.compile("*mini*").matches("gpt-4o-mini-2024")).isTrue();
		assertThat(ModelGlob.compile("a*b*c").matches("abbbc")).isTrue();
		assertThat(ModelGlob.compile("a*b*c").matches("abcb")).isFalse();
	}

	@Test
	void questionMarkShouldMatchExactlyOneCharacter() {
		ModelGlob glob = ModelGlob.compile("gpt-?o");
		assertThat(glob.matches("gpt-4o")).isTrue();
		assertThat(glob.matches("gpt-o")).isFalse();
		assertThat(glob.matches("gpt-45o")).isFalse();
	}

	@Test
	void classesShouldMatchListedRangedAndNegatedCharacters() {
		assertThat(ModelGlob.compile("grok-[34]").matches("grok-3")).isTrue();
		assertThat(ModelGlob.compile("grok-[34]").matches("grok-5")).isFalse();
		assertThat(ModelGlob.compile("o[1-4]*").matches("o3-mini")).isTrue();
		assertThat(ModelGlob.compile("o[1-4]*").matches("o5")).isFalse();
		assertThat(ModelGlob.compile("gpt-[!3]*").matches("gpt-4o")).isTrue();
		assertThat(ModelGlob.compile("gpt-[!3]*").matches("gpt-3.5-turbo")).isFalse();
		assertThat(ModelGlob.compile("x[-a]").matches("x-")).isTrue();
		assertThat(ModelGlob.compile("x[a-]").matches("x-")).isTrue();
	}

	@Test
	void everythingElseShouldBeLiteralAndCaseSensitive() {
		assertThat(ModelGlob.compile("gpt-4.1").matches("gpt-4.1")).isTrue();
		assertThat(ModelGlob.compile("gpt-4.1").matches("gpt-4x1")).isFalse();
		assertThat(ModelGlob.compile("GPT-*").matches("gpt-4o")).isFalse();
		assertThat(ModelGlob.compile("a+b(c)").matches("a+b(c)")).isTrue();
	}

	@Test
	void specificityShouldCountLiteralCharacters() {
		assertThat(ModelGlob.compile("gpt-*").specificity()).isEqualTo(4);
		assertThat(ModelGlob.compile("gpt-4o-*").specificity()).isEqualTo(7);
		assertThat(ModelGlob.compile("o[1-4]?*").specificity()).isEqualTo(1);
		assertThat(ModelGlob.compile("*").specificity()).isZero();
	}

	@Test
	void invalidGlobsShouldNameTheProblemAndPosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> ModelGlob.compile("")).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelGlob.compile("gpt-[4o"))
			.withMessage("Invalid model glob 'gpt-[4o': unclosed '[' at position 4");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelGlob.compile("gpt-[]"))
			.withMessage("Invalid model glob 'gpt-[]': empty character class at position 4");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelGlob.compile("a[!]"))
			.withMessage("Invalid model glob 'a[!]': empty character class at position 1");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelGlob.compile("o[9-1]"))
			.withMessage("Invalid model glob 'o[9-1]': reversed range '9-1' at position 2");
	}

	@Test
	void globsShouldBeEqualByPattern() {
		assertThat(ModelGlob.compile("gpt-*")).isEqualTo(ModelGlob.compile("gpt-*"))
			.hasSameHashCodeAs(ModelGlob.compile("gpt-*"))
			.hasToString("gpt-*");
		assertThat(ModelGlob.compile("gpt-*").pattern()).isEqualTo("gpt-*");
	}

}
