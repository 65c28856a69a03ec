package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * Base of the failures the provider itself reported, with the provider's error type, code
 * and message as it sent them (the message with any API key removed).
 */
public abstract class ProviderErrorException extends SteerLLMException {

	/**
	 * Provider's error type as sent, e.g. {@code server_error}; {@code null} when it sent
	 * none.
	 */
	private final @Nullable String providerErrorType;

	/**
	 * Provider's error code as sent, e.g. {@code rate_limit_exceeded}; {@code null} when
	 * it sent none.
	 */
	private final @Nullable String providerErrorCode;

	/**
	 * Provider's error message with any API key removed; {@code null} when it sent none.
	 */
	private final @Nullable String providerMessage;

	/**
	 * Creates the exception.
	 * @param message the exception message, naming the provider and what it reported
	 * @param errorType kind of failure, e.g. {@link StreamErrorType#HTTP} or
	 * {@link StreamErrorType#PROVIDER}
	 * @param retryable whether sending the same request again may succeed
	 * @param provider provider name
	 * @param providerErrorType the provider's error type, or {@code null} when it sent
	 * none
	 * @param providerErrorCode the provider's error code, or {@code null} when it sent
	 * none
	 * @param providerMessage the provider's error message with any API key already
	 * removed, or {@code null} when it sent none
	 */
	protected ProviderErrorException(String message, StreamErrorType errorType, boolean retryable, String provider,
			@Nullable String providerErrorType, @Nullable String providerErrorCode, @Nullable String providerMessage) {
		super(message, errorType, retryable, provider, null);
		this.providerErrorType = providerErrorType;
		this.providerErrorCode = providerErrorCode;
		this.providerMessage = providerMessage;
	}

	/**
	 * The provider's error type.
	 * @return e.g. {@code invalid_request_error}, {@code server_error},
	 * {@code overloaded_error}; {@code null} when it sent none
	 */
	public @Nullable String getProviderErrorType() {
		return this.providerErrorType;
	}

	/**
	 * The provider's error code.
	 * @return e.g. {@code invalid_api_key}, {@code rate_limit_exceeded}; {@code null}
	 * when it sent none
	 */
	public @Nullable String getProviderErrorCode() {
		return this.providerErrorCode;
	}

	/**
	 * The provider's error message.
	 * @return the message, {@code null} when it sent none
	 */
	public @Nullable String getProviderMessage() {
		return this.providerMessage;
	}

}
