package io.steer.llm.model;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.error.StreamErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProviderApiTests {

	@ParameterizedTest
	@ValueSource(strings = { "responses", "RESPONSES", " Responses " })
	void fromShouldAcceptAnyCase(String value) {
		assertThat(ProviderApi.from(value)).isEqualTo(ProviderApi.RESPONSES);
	}

	@Test
	void fromShouldAcceptDashesAndUnderscores() {
		assertThat(ProviderApi.from("chat-completions")).isEqualTo(ProviderApi.CHAT_COMPLETIONS);
		assertThat(ProviderApi.from("chat_completions")).isEqualTo(ProviderApi.CHAT_COMPLETIONS);
	}

	@Test
	void fromWhenNameIsUnknownShouldThrowTypedErrorListingTheAcceptedNames() {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> ProviderApi.from("foo"))
			.withMessage("Unknown API 'foo'; accepted: chat-completions, responses")
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("api");
				assertThat(ex.getErrorType()).isEqualTo(StreamErrorType.REQUEST);
				assertThat(ex.isRetryable()).isFalse();
			});
	}

	@Test
	void valueShouldBeTheNameFromAccepts() {
		for (ProviderApi api : ProviderApi.values()) {
			assertThat(ProviderApi.from(api.value())).isEqualTo(api);
		}
		assertThat(ProviderApi.CHAT_COMPLETIONS.value()).isEqualTo("chat-completions");
	}

}
