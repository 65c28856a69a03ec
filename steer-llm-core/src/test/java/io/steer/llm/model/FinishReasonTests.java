package io.steer.llm.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FinishReasonTests {

	/**
	 * The values of OpenTelemetry's {@code FinishReason} (GenAI output messages schema,
	 * {@code gen-ai-output-messages.json}: {@code stop}, {@code length},
	 * {@code content_filter}, {@code tool_call}, {@code error}), which
	 * {@code gen_ai.response.finish_reasons} carries; the others are this client's own.
	 */
	@ParameterizedTest
	@CsvSource({ "STOP, stop", "LENGTH, length", "TOOL_CALLS, tool_call", "CONTENT_FILTER, content_filter",
			"ERROR, error", "PAUSE, pause", "REFUSAL, refusal", "OTHER, other" })
	void valueShouldBeTheOpenTelemetryValue(FinishReason reason, String value) {
		assertThat(reason.value()).isEqualTo(value);
	}

}
