package io.steer.llm.error;

import io.steer.llm.event.StreamErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The provider reported an error inside an open stream: OpenAI's mid-stream
 * {@code data: {"error": {…}}}, Anthropic's {@code event: error}, the Responses API's
 * {@code error} / {@code response.failed} events.
 */
public class ProviderStreamException extends SteerLLMException {

	private final @Nullable String providerErrorType;

	private final @Nullable String providerErrorCode;

	private final @Nullable String providerMessage;

	public ProviderStreamException(String provider, @Nullable String providerErrorType,
			@Nullable String providerErrorCode, @Nullable String providerMessage, boolean retryable) {
		super(provider + " reported a stream error" + ((providerErrorType != null) ? " (" + providerErrorType + ")" : "")
				+ ((providerMessage != null) ? ": " + providerMessage : ""), StreamErrorType.PROVIDER, retryable,
				provider, null);
		this.providerErrorType = providerErrorType;
		this.providerErrorCode = providerErrorCode;
		this.providerMessage = providerMessage;
	}

	/** @return the provider's error type ({@code server_error}, {@code overloaded_error}, …), or {@code null} */
	public @Nullable String getProviderErrorType() {
		return this.providerErrorType;
	}

	/** @return the provider's error code, or {@code null} */
	public @Nullable String getProviderErrorCode() {
		return this.providerErrorCode;
	}

	/** @return the provider's error message, or {@code null} */
	public @Nullable String getProviderMessage() {
		return this.providerMessage;
	}

}
