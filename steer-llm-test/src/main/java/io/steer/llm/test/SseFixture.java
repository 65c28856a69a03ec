package io.steer.llm.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A server-sent-event (SSE) stream as an LLM provider sent it: the raw HTTP response
 * body, kept verbatim, plus the values derived from it when known.
 * <p>
 * The kit bundles real recordings of OpenAI (Chat Completions and Responses API),
 * Anthropic (Messages API) and xAI streams under the classpath folder
 * {@code io/steer/llm/test/fixtures/sse/<provider>/}; their provenance is described in
 * the {@code README.md} of that folder. Each {@code <name>.sse} may have a
 * {@code <name>.expected.json} next to it holding the text, usage, finish reason and tool
 * calls that a correct client extracts from the stream.
 * <p>
 * Instances are immutable and thread-safe; methods returning arrays return fresh copies.
 *
 * @see MockResponse#replay(SseFixture)
 */
public final class SseFixture {

	private static final String LOCATION = "io/steer/llm/test/fixtures/sse/";

	private static final String INDEX = LOCATION + "index.txt";

	private static final String SSE_SUFFIX = ".sse";

	private static final String EXPECTED_SUFFIX = ".expected.json";

	private static final String SYNTHETIC_ID = "chatcmpl-steerSyntheticStream000000000";

	private static final String SYNTHETIC_MODEL = "gpt-4o-2024-08-06";

	private static final String SYNTHETIC_CHUNK_PREFIX = "data: {\"id\":\"" + SYNTHETIC_ID
			+ "\",\"object\":\"chat.completion.chunk\",\"created\":1727346168,\"model\":\"" + SYNTHETIC_MODEL
			+ "\",\"system_fingerprint\":\"fp_5050236cbd\",\"choices\":[";

	private static final int SYNTHETIC_PROMPT_TOKENS = 14;

	private static final String[] SYNTHETIC_WORDS = { "stream", "token", "delta", "chunk", "reply", "model", "fast",
			"event", "usage", "small" };

	private final String provider;

	private final String name;

	private final byte[] bytes;

	private final @Nullable String expectedJson;

	private SseFixture(String provider, String name, byte[] bytes, @Nullable String expectedJson) {
		this.provider = provider;
		this.name = name;
		this.bytes = bytes;
		this.expectedJson = expectedJson;
	}

	/**
	 * Load a bundled recording from the classpath resource
	 * {@code io/steer/llm/test/fixtures/sse/<provider>/<name>.sse}, with its
	 * {@code <name>.expected.json} when there is one.
	 * @param provider the provider folder: {@code openai}, {@code anthropic} or
	 * {@code xai}
	 * @param name the file name without the {@code .sse} extension, for example
	 * {@code chat-text-usage}
	 * @return the fixture
	 * @throws IllegalArgumentException if no such fixture is bundled
	 * @throws UncheckedIOException if the resource cannot be read
	 */
	public static SseFixture load(String provider, String name) {
		Objects.requireNonNull(provider, "'provider' must not be null");
		Objects.requireNonNull(name, "'name' must not be null");
		String location = LOCATION + provider + "/" + name;
		byte[] bytes = readResource(location + SSE_SUFFIX);
		if (bytes == null) {
			throw new IllegalArgumentException("No bundled SSE fixture '" + provider + "/" + name
					+ "'; the bundled fixtures are listed in classpath:" + INDEX);
		}
		byte[] expectedJson = readResource(location + EXPECTED_SUFFIX);
		return new SseFixture(provider, name, bytes,
				(expectedJson != null) ? new String(expectedJson, StandardCharsets.UTF_8) : null);
	}

	/**
	 * Load every bundled recording of one provider, in the order of the bundled index
	 * (sorted by name).
	 * @param provider the provider folder: {@code openai}, {@code anthropic} or
	 * {@code xai}
	 * @return the fixtures, never empty
	 * @throws IllegalArgumentException if no fixture of that provider is bundled
	 */
	public static List<SseFixture> all(String provider) {
		Objects.requireNonNull(provider, "'provider' must not be null");
		List<SseFixture> fixtures = index().stream()
			.filter((entry) -> entry.startsWith(provider + "/"))
			.map(SseFixture::loadIndexed)
			.toList();
		if (fixtures.isEmpty()) {
			throw new IllegalArgumentException("No bundled SSE fixtures for provider '" + provider + "'");
		}
		return fixtures;
	}

	/**
	 * Load every bundled recording of every provider, in the order of the bundled index
	 * (sorted by provider, then name).
	 * @return the fixtures, never empty
	 */
	public static List<SseFixture> all() {
		return index().stream().map(SseFixture::loadIndexed).toList();
	}

	/**
	 * Create a fixture from bytes held in memory, for example a hand-written stream or
	 * one with CRLF line endings. Its {@link #provider()} is empty and it has no expected
	 * JSON.
	 * @param name a name for messages and {@link #toString()}
	 * @param body the raw SSE body; copied
	 * @return the fixture
	 */
	public static SseFixture of(String name, byte[] body) {
		Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(body, "'body' must not be null");
		return new SseFixture("", name, body.clone(), null);
	}

	/**
	 * Read a fixture from a file laid out like the bundled ones: the provider is the name
	 * of the parent folder, the name is the file name without its {@code .sse} extension,
	 * and a {@code <name>.expected.json} next to the file is read when present.
	 * @param path the {@code .sse} file
	 * @return the fixture
	 * @throws UncheckedIOException if the file cannot be read
	 */
	public static SseFixture fromPath(Path path) {
		Objects.requireNonNull(path, "'path' must not be null");
		String fileName = Objects.requireNonNull(path.getFileName(), "'path' must name a file").toString();
		String name = fileName.endsWith(SSE_SUFFIX) ? fileName.substring(0, fileName.length() - SSE_SUFFIX.length())
				: fileName;
		Path parent = path.toAbsolutePath().getParent();
		Path folder = (parent != null) ? parent.getFileName() : null;
		try {
			byte[] bytes = Files.readAllBytes(path);
			Path expected = path.resolveSibling(name + EXPECTED_SUFFIX);
			String expectedJson = Files.isRegularFile(expected) ? Files.readString(expected, StandardCharsets.UTF_8)
					: null;
			return new SseFixture((folder != null) ? folder.toString() : "", name, bytes, expectedJson);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read SSE fixture " + path, ex);
		}
	}

	/**
	 * Create a synthetic OpenAI Chat Completions stream in the exact shape of the
	 * recorded {@code openai/chat-text-usage} stream (requested with
	 * {@code stream_options.include_usage}): a chunk with {@code role: "assistant"} and
	 * empty content, {@code deltas} chunks each carrying a short word as
	 * {@code delta.content} (for example {@code " token1"}), a chunk with
	 * {@code finish_reason: "stop"}, a chunk with {@code "choices": []} and a
	 * {@code usage} object ({@code prompt_tokens} 14, {@code completion_tokens} =
	 * {@code deltas}, {@code total_tokens} their sum), then {@code data: [DONE]};
	 * {@code deltas + 4} events in all, LF line endings.
	 * <p>
	 * The stream is deterministic. Its {@link #expectedJson()} has the same fields as the
	 * recorded stream's (text, finish reason, usage, event count).
	 * @param deltas the number of content chunks, 0 or more
	 * @return the fixture, provider {@code openai}, name {@code synthetic-chat-<deltas>}
	 * @throws IllegalArgumentException if {@code deltas} is negative
	 */
	public static SseFixture syntheticOpenAiChat(int deltas) {
		if (deltas < 0) {
			throw new IllegalArgumentException("'deltas' must not be negative");
		}
		StringBuilder sse = new StringBuilder(300 * (deltas + 4));
		StringBuilder text = new StringBuilder(10 * deltas);
		appendChunk(sse, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
				+ "\"logprobs\":null,\"finish_reason\":null}]}");
		for (int i = 0; i < deltas; i++) {
			String word = " " + SYNTHETIC_WORDS[i % SYNTHETIC_WORDS.length] + i;
			text.append(word);
			appendChunk(sse, "{\"index\":0,\"delta\":{\"content\":\"" + word
					+ "\"},\"logprobs\":null,\"finish_reason\":null}]}");
		}
		appendChunk(sse, "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
		int totalTokens = SYNTHETIC_PROMPT_TOKENS + deltas;
		appendChunk(sse,
				"],\"usage\":{\"prompt_tokens\":" + SYNTHETIC_PROMPT_TOKENS + ",\"completion_tokens\":" + deltas
						+ ",\"total_tokens\":" + totalTokens
						+ ",\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
		sse.append("data: [DONE]\n\n");
		String expectedJson = """
				{
				  "api": "chat.completions",
				  "id": "%s",
				  "model": "%s",
				  "text": "%s",
				  "finish_reason": "stop",
				  "usage": {
				    "prompt_tokens": %d,
				    "completion_tokens": %d,
				    "total_tokens": %d,
				    "completion_tokens_details": {
				      "reasoning_tokens": 0
				    }
				  },
				  "tool_calls": [],
				  "done_marker": true,
				  "event_count": %d
				}""".formatted(SYNTHETIC_ID, SYNTHETIC_MODEL, text, SYNTHETIC_PROMPT_TOKENS, deltas, totalTokens,
				deltas + 4);
		return new SseFixture("openai", "synthetic-chat-" + deltas, sse.toString().getBytes(StandardCharsets.UTF_8),
				expectedJson);
	}

	private static void appendChunk(StringBuilder sse, String choicesAndRest) {
		sse.append(SYNTHETIC_CHUNK_PREFIX).append(choicesAndRest).append("\n\n");
	}

	/**
	 * Return the provider folder this fixture came from.
	 * @return {@code openai}, {@code anthropic}, {@code xai}, the parent folder name for
	 * {@link #fromPath(Path)}, or an empty string for {@link #of(String, byte[])}
	 */
	public String provider() {
		return this.provider;
	}

	/**
	 * Return the fixture's name: the file name without the {@code .sse} extension.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the raw SSE body, verbatim.
	 * @return a copy of the bytes
	 */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	/**
	 * Return the raw SSE body decoded as UTF-8.
	 * @return the body text
	 */
	public String bodyAsString() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Split the body into raw event blocks, each being the bytes of one event including
	 * the blank line that terminates it. A block ends after each blank line, that is
	 * after two consecutive line terminators; for the LF-only recordings this means a
	 * split after every {@code "\n\n"}. CRLF and CR line terminators are recognised too,
	 * as the SSE specification allows. Trailing bytes that no blank line terminates form
	 * a last block. Concatenating the blocks gives {@link #bytes()} exactly.
	 * @return fresh copies of the event blocks, in stream order; empty for an empty body
	 */
	public List<byte[]> events() {
		List<byte[]> events = new ArrayList<>();
		int start = 0;
		boolean afterLineEnd = false;
		for (int i = 0; i < this.bytes.length; i++) {
			byte current = this.bytes[i];
			if (current != '\n' && current != '\r') {
				afterLineEnd = false;
				continue;
			}
			if (current == '\r' && i + 1 < this.bytes.length && this.bytes[i + 1] == '\n') {
				i++;
			}
			if (afterLineEnd) {
				events.add(Arrays.copyOfRange(this.bytes, start, i + 1));
				start = i + 1;
			}
			afterLineEnd = !afterLineEnd;
		}
		if (start < this.bytes.length) {
			events.add(Arrays.copyOfRange(this.bytes, start, this.bytes.length));
		}
		return events;
	}

	/**
	 * Return the content of the {@code <name>.expected.json} that accompanies the
	 * recording: the values derived mechanically from the stream (see the fixtures'
	 * {@code README.md}).
	 * @return the JSON text, or empty when the fixture has none
	 */
	public Optional<String> expectedJson() {
		return Optional.ofNullable(this.expectedJson);
	}

	@Override
	public String toString() {
		return "SseFixture[" + (this.provider.isEmpty() ? "" : this.provider + "/") + this.name + ", "
				+ this.bytes.length + " bytes]";
	}

	private static SseFixture loadIndexed(String entry) {
		int slash = entry.indexOf('/');
		return load(entry.substring(0, slash), entry.substring(slash + 1));
	}

	private static List<String> index() {
		try (InputStream in = SseFixture.class.getClassLoader().getResourceAsStream(INDEX)) {
			if (in == null) {
				throw new IllegalStateException("Bundled SSE fixture index classpath:" + INDEX + " is missing");
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			return reader.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read classpath:" + INDEX, ex);
		}
	}

	private static byte @Nullable [] readResource(String location) {
		try (InputStream in = SseFixture.class.getClassLoader().getResourceAsStream(location)) {
			return (in != null) ? in.readAllBytes() : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read classpath:" + location, ex);
		}
	}

}
