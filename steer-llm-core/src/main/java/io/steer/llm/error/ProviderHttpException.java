package io.steer.llm.error;

import org.jspecify.annotations.Nullable;

/**
 * The provider answered with an HTTP error status instead of a stream.
 * <p>
 * Statuses 408, 409, 429 and 5xx (including Anthropic's 529) are retryable; 400, 401,
 * 403, 404, 422 and other 4xx are not. A success status whose body is not an event stream
 * (an HTML page from a proxy, a JSON error) is reported with this exception too, not
 * retryable.
 */
public class ProviderHttpException extends ProviderErrorException {

	/** HTTP status of the response, e.g. {@code 429}. */
	private final int statusCode;

	/**
	 * Provider's request id from the response headers; {@code null} when there was none.
	 */
	private final @Nullable String requestId;

	/**
	 * Creates the exception. The message reads
	 * {@code "<provider> returned HTTP <status> (<type>): <message>"}, leaving out the
	 * parts that are {@code null}; it is {@linkplain #isRetryable() retryable} when
	 * {@link #isRetryableStatus(int)} says so.
	 * @param provider provider name
	 * @param statusCode HTTP status of the response, e.g. {@code 401} or {@code 529}
	 * @param providerErrorType error type from the response body, or {@code null} when it
	 * had none
	 * @param providerErrorCode error code from the response body, or {@code null} when it
	 * had none
	 * @param providerMessage error message from the response body (or the body itself
	 * when it is not the provider's error JSON) with any API key already removed;
	 * {@code null} when the body was empty
	 * @param requestId the provider's request id from the response headers, or
	 * {@code null}
	 */
	public ProviderHttpException(String provider, int statusCode, @Nullable String providerErrorType,
			@Nullable String providerErrorCode, @Nullable String providerMessage, @Nullable String requestId) {
		super(message(provider, statusCode, providerErrorType, providerMessage), StreamErrorType.HTTP,
				isRetryableStatus(statusCode), provider, providerErrorType, providerErrorCode, providerMessage);
		this.statusCode = statusCode;
		this.requestId = requestId;
	}

	/**
	 * Creates the exception with a message of its own and an explicit retryability, for
	 * an answer that is unusable although its status is not an error, such as an HTTP 200
	 * whose body is an HTML page rather than an event stream.
	 * @param message the message, free of secrets
	 * @param provider the provider name
	 * @param statusCode the HTTP status
	 * @param providerErrorType the provider's error type, or {@code null}
	 * @param providerErrorCode the provider's error code, or {@code null}
	 * @param providerMessage what the provider said (redacted), or {@code null}
	 * @param requestId the provider's request id, or {@code null}
	 * @param retryable whether sending the request again may succeed
	 */
	public ProviderHttpException(String message, String provider, int statusCode, @Nullable String providerErrorType,
			@Nullable String providerErrorCode, @Nullable String providerMessage, @Nullable String requestId,
			boolean retryable) {
		super(message, StreamErrorType.HTTP, retryable, provider, providerErrorType, providerErrorCode,
				providerMessage);
		this.statusCode = statusCode;
		this.requestId = requestId;
	}

	private static String message(String provider, int status, @Nullable String type, @Nullable String message) {
		StringBuilder sb = new StringBuilder(provider).append(" returned HTTP ").append(status);
		if (type != null) {
			sb.append(" (").append(type).append(')');
		}
		if (message != null && !message.isEmpty()) {
			sb.append(": ").append(message);
		}
		return sb.toString();
	}

	/**
	 * Whether an HTTP status is worth retrying.
	 * @param statusCode the status
	 * @return {@code true} for 408, 409, 429 and 5xx
	 */
	public static boolean isRetryableStatus(int statusCode) {
		return statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500;
	}

	/**
	 * @return the HTTP status code
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * @return the provider's request id from the response headers, or {@code null}
	 */
	public @Nullable String getRequestId() {
		return this.requestId;
	}

}
