package io.steer.llm.client;

import java.net.ConnectException;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.steer.llm.error.StreamConnectionException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.error.StreamParseException;
import io.steer.llm.error.StreamTimeoutException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.Secrets;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;

/**
 * Turns what a failed exchange threw into the typed {@link SteerLLMException} a stream
 * ends with, in the category that says what happened:
 * <ul>
 * <li>a read timeout (Netty's {@code ReadTimeoutException}, a Reactor
 * {@code TimeoutException}): {@link StreamTimeoutException} {@code READ}, retryable;</li>
 * <li>a response head too large for the connector: {@link StreamParseException}, not
 * retryable: the provider answered, so the connection is not at fault, and the same
 * request gets the same head;</li>
 * <li>a connection closed before the response headers were complete, whether no byte or
 * part of the head had arrived: {@link StreamInterruptedException}, retryable;</li>
 * <li>a connection closed or broken once the response began:
 * {@link StreamInterruptedException};</li>
 * <li>a connection that could not be opened: {@link StreamConnectionException};</li>
 * <li>unreadable JSON: {@link StreamParseException}, its message redacted and without the
 * parser's exception, whose message may quote the data.</li>
 * </ul>
 */
final class Failures {

	private Failures() {
	}

	/**
	 * The typed failure of an exchange.
	 * @param error what was thrown
	 * @param adapter the provider's adapter
	 * @param options the stream's options, for the read timeout
	 * @param attemptStarted whether the provider had answered, so that an I/O error means
	 * a broken stream rather than a failed connection
	 * @return the exception, {@code error} itself when it is one already
	 */
	static SteerLLMException translate(Throwable error, ProviderAdapter adapter, StreamingOptions options,
			boolean attemptStarted) {
		if (error instanceof SteerLLMException ex) {
			return ex;
		}
		String provider = adapter.name();
		if (hasCause(error, ReadTimeoutException.class)
				|| hasCause(error, java.util.concurrent.TimeoutException.class)) {
			return new StreamTimeoutException(provider, StreamTimeoutException.Limit.READ, options.readTimeout(),
					error);
		}
		if (hasCause(error, TooLongHttpHeaderException.class) || hasCause(error, TooLongHttpLineException.class)) {
			// the provider answered: not a connection failure, and the same request gets
			// the same head
			String detail = rootMessage(error);
			detail = detail.endsWith(".") ? detail.substring(0, detail.length() - 1) : detail;
			return new StreamParseException(provider,
					provider + " answered with response headers larger than the " + "client accepts (" + detail
							+ "); raise the connector's limit, e.g. Reactor Netty's "
							+ "HttpClient.httpResponseDecoder(spec -> spec.maxHeaderSize(...))",
					error);
		}
		if (!attemptStarted && (hasCause(error, PrematureCloseException.class)
				|| hasCause(error, PrematureChannelClosureException.class))) {
			// the same failure whether no byte or part of the head arrived
			return new StreamInterruptedException(provider,
					provider + " closed the connection before the response headers were complete", error);
		}
		if (hasCause(error, PrematureCloseException.class) || (attemptStarted && isIoError(error))) {
			return new StreamInterruptedException(provider, provider + " connection closed before the stream completed",
					error);
		}
		if (hasCause(error, ConnectException.class) || isIoError(error)) {
			return new StreamConnectionException(provider, "could not connect to " + provider + " at "
					+ adapter.settings().baseUrl() + ": " + rootMessage(error), error);
		}
		if (error instanceof JacksonException json) {
			// its message may quote the data, so it is redacted, and the exception not
			// kept
			return new StreamParseException(provider, "could not read the " + provider + " stream: "
					+ Secrets.redact(json.getOriginalMessage(), adapter.settings().apiKey()), null);
		}
		return new StreamInterruptedException(provider, provider + " stream failed: " + rootMessage(error), error);
	}

	private static boolean isIoError(Throwable error) {
		return hasCause(error, java.io.IOException.class)
				|| error instanceof org.springframework.web.reactive.function.client.WebClientRequestException;
	}

	private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
