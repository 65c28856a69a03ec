package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The provider reported an error inside an open stream: OpenAI's mid-stream {@code data:
 * {"error": {…}}}, Anthropic's {@code event: error}, the Responses API's {@code error} /
 * {@code response.failed} events.
 */
public class ProviderStreamException extends ProviderErrorException {

	/**
	 * Creates the exception. The message reads
	 * {@code "<provider> reported a stream error (<type>): <message>"}, leaving out the
	 * parts that are {@code null}.
	 * @param provider provider name
	 * @param providerErrorType error type from the event, or {@code null} when it had
	 * none
	 * @param providerErrorCode error code from the event, or {@code null} when it had
	 * none
	 * @param providerMessage error message from the event with any API key already
	 * removed, or {@code null} when it had none
	 * @param retryable whether sending the same request again may succeed, as the parser
	 * judged from the type and code (an overload or server error is, an invalid request
	 * is not)
	 */
	public ProviderStreamException(String provider, @Nullable String providerErrorType,
			@Nullable String providerErrorCode, @Nullable String providerMessage, boolean retryable) {
		super(provider + " reported a stream error"
				+ ((providerErrorType != null) ? " (" + providerErrorType + ")" : "")
				+ ((providerMessage != null) ? ": " + providerMessage : ""), StreamErrorType.PROVIDER, retryable,
				provider, providerErrorType, providerErrorCode, providerMessage);
	}

}
