package io.steer.llm.test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as {@link LoopbackProviderServer} received it.
 *
 * @param method the request method, for example {@code POST}
 * @param path the request target as sent: the path with its query string, for example
 * {@code /v1/responses?starting_after=12}
 * @param headers every header's values in the order received, keyed by name; the map is
 * unmodifiable and its lookups ignore case
 * @param body the request body, empty when there was none
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {

	/**
	 * Create a recorded request, copying the headers into a case-insensitive map and the
	 * body into a new array.
	 * @param method the request method
	 * @param path the request target with its query string
	 * @param headers the header values by name
	 * @param body the request body
	 */
	public RecordedRequest {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(headers, "'headers' must not be null");
		Objects.requireNonNull(body, "'body' must not be null");
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), RecordedRequest::concat));
		headers = Collections.unmodifiableMap(copy);
		body = body.clone();
	}

	/**
	 * Return the first value of a header.
	 * @param name the header name, in any case
	 * @return the first value, or {@code null} if the request had no such header
	 */
	public @Nullable String header(String name) {
		List<String> values = this.headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/**
	 * Return the request body.
	 * @return a copy of the body bytes, empty when there was none
	 */
	@Override
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * Return the request body decoded as UTF-8.
	 * @return the body text, empty when there was none
	 */
	public String bodyAsString() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof RecordedRequest that && this.method.equals(that.method)
				&& this.path.equals(that.path) && this.headers.equals(that.headers)
				&& Arrays.equals(this.body, that.body));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.method, this.path, this.headers, Arrays.hashCode(this.body));
	}

	@Override
	public String toString() {
		return "RecordedRequest[" + this.method + " " + this.path + ", headers=" + this.headers + ", body="
				+ this.body.length + " bytes]";
	}

	private static List<String> concat(List<String> first, List<String> second) {
		return Stream.concat(first.stream(), second.stream()).toList();
	}

}
