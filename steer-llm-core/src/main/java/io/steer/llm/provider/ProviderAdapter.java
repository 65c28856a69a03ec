package io.steer.llm.provider;

import java.util.Set;

import io.steer.llm.error.SteerLLMException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * One provider wire format: how to open a stream and how to read it.
 */
public interface ProviderAdapter {

	/**
	 * Provider name, used in events, metrics and {@code provider:model} routing.
	 * @return the name, e.g. {@code openai}
	 */
	String name();

	/**
	 * Connection settings.
	 * @return the settings
	 */
	ProviderSettings settings();

	/**
	 * The APIs this adapter serves when a request names one ({@link ChatRequest#api()}).
	 * A request naming another is rejected before anything is sent, with an
	 * {@link io.steer.llm.error.InvalidRequestException}; a request naming none is always
	 * served, in the adapter's own or configured API.
	 * @return the APIs, never {@code null}; empty by default, for an adapter whose wire
	 * format is none of {@link ProviderApi} (as Anthropic's Messages API)
	 */
	default Set<ProviderApi> supportedApis() {
		return Set.of();
	}

	/**
	 * Checks, without sending anything, that this adapter can send a request: what
	 * {@link #createRequest} would refuse (such as tool call arguments the wire format
	 * cannot carry). Called before a stream opens, and by
	 * {@code SteerLLMClient#validate}, so that such a request ends its stream with a
	 * request error rather than failing it.
	 * @param request the request
	 * @param model the model to ask for, without any {@code provider:} prefix
	 * @throws io.steer.llm.error.InvalidRequestException when the request cannot be sent;
	 * its field names the part of the request at fault. The default accepts every
	 * request.
	 */
	default void validate(ChatRequest request, String model) {
	}

	/**
	 * Builds the HTTP request that opens the stream. With
	 * {@link StreamingOptions#enableCompression()} on, the request should carry
	 * {@code Accept-Encoding: gzip}, as the built-in adapters' requests do.
	 * @param request the request, one that {@link #validate} accepted
	 * @param model the model to ask for, without any {@code provider:} prefix
	 * @param options the streaming options
	 * @return the HTTP request
	 */
	ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options);

	/**
	 * Creates the parser of one stream.
	 * @param request the request whose stream it reads
	 * @param listener receives what the stream carries
	 * @return a new parser
	 */
	StreamParser createParser(ChatRequest request, StreamDeltaListener listener);

	/**
	 * Turns an HTTP error response into an exception.
	 * @param status the HTTP status
	 * @param requestId the provider's request id, or {@code null}
	 * @param body the response body, possibly empty
	 * @return the exception, whose message never holds the API key
	 */
	SteerLLMException httpError(int status, @Nullable String requestId, String body);

	/**
	 * How to continue an answer whose stream broke after deltas were delivered, or whose
	 * response can be resumed before any was. The client calls it only while retries
	 * remain ({@code retry-on-connection-error} on and {@code max-reconnect-attempts} not
	 * used up); without a continuation it ends the stream with the failure rather than
	 * send the request again, which would start the answer over.
	 * @param request the request of the stream
	 * @param model the model asked for, without any {@code provider:} prefix
	 * @param options the streaming options
	 * @param progress how far the stream got
	 * @param failure why the stream broke (an interruption, a read timeout, a provider
	 * error, or the HTTP error of an earlier continuation)
	 * @return the continuation, or {@code null} when the answer cannot be continued (the
	 * default: Chat Completions has no way to)
	 */
	default @Nullable Continuation continuation(ChatRequest request, String model, StreamingOptions options,
			StreamProgress progress, SteerLLMException failure) {
		return null;
	}

	/**
	 * Whether the provider reports usage at the end of a normal stream (OpenAI's
	 * {@code include_usage} chunk, the Responses API's {@code response.completed},
	 * Anthropic's {@code message_delta}). When it does, usage is estimated only if a
	 * stream ends without it, from the text already gathered; when it does not, the
	 * estimate is counted as the deltas arrive.
	 * @param request the request
	 * @return {@code true} when usage is expected; {@code false} by default
	 */
	default boolean reportsUsage(ChatRequest request) {
		return false;
	}

	/**
	 * Reads the provider's request id from response headers.
	 * @param headers the headers
	 * @return the request id, or {@code null}
	 */
	default @Nullable String requestId(HttpHeaders headers) {
		return headers.getFirst("x-request-id");
	}

}
