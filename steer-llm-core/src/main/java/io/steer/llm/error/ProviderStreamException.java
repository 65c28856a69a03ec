package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The provider reported an error inside an open stream: OpenAI's mid-stream
 * {@code data: {"error": {…}}}, Anthropic's {@code event: error}, the Responses API's
 * {@code error} / {@code response.failed} events.
 */
public class ProviderStreamException extends ProviderErrorException {

	public ProviderStreamException(String provider, @Nullable String providerErrorType,
			@Nullable String providerErrorCode, @Nullable String providerMessage, boolean retryable) {
		super(provider + " reported a stream error" + ((providerErrorType != null) ? " (" + providerErrorType + ")" : "")
				+ ((providerMessage != null) ? ": " + providerMessage : ""), StreamErrorType.PROVIDER, retryable,
				provider, providerErrorType, providerErrorCode, providerMessage);
	}

}
