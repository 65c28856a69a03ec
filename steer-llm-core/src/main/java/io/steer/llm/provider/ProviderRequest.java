package io.steer.llm.provider;

import java.util.Map;

import org.springframework.http.HttpMethod;

/**
 * The HTTP request that opens a provider's stream. {@link #toString()} shows neither
 * headers nor body, which hold the API key and the prompt.
 *
 * @param method HTTP method
 * @param uri absolute URI
 * @param headers headers to send, including authentication
 * @param body request body, UTF-8 JSON
 */
public record ProviderRequest(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {

	/**
	 * Creates a request; the headers are copied.
	 * @param method HTTP method
	 * @param uri absolute URI
	 * @param headers headers to send, including authentication
	 * @param body request body, UTF-8 JSON
	 * @throws NullPointerException if {@code headers} is {@code null} or holds a
	 * {@code null} key or value
	 */
	public ProviderRequest {
		headers = Map.copyOf(headers);
	}

	@Override
	public String toString() {
		return "ProviderRequest[" + this.method + " " + this.uri + ", " + this.body.length + " bytes]";
	}

}
