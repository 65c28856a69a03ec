package io.steer.llm.assembly;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;

import io.steer.llm.error.ProviderHttpException;
import io.steer.llm.error.ProviderStreamException;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.Continuation;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.StreamProgress;
import io.steer.llm.sse.SseEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * A provider whose wire format is one command per SSE event, for the tests of the
 * pipeline's stages: {@code text <choice> <text>}, {@code reasoning <choice> <text>},
 * {@code tool <choice> <index> <id> <name> <arguments>}, {@code usage <prompt>
 * <completion>}, {@code id <responseId> <model>}, {@code seq <n>},
 * {@code finish <choice> <reason>}, {@code meta <key> <value>}, {@code unknown <what>},
 * {@code fail} (a retryable provider error) and {@code end} (the end marker). A body that
 * ends before {@code end} was cut short.
 */
public final class ScriptedAdapter implements ProviderAdapter {

	private final boolean reportsUsage;

	private final BiFunction<StreamProgress, SteerLLMException, @Nullable Continuation> continuation;

	private ScriptedAdapter(boolean reportsUsage,
			BiFunction<StreamProgress, SteerLLMException, @Nullable Continuation> continuation) {
		this.reportsUsage = reportsUsage;
		this.continuation = continuation;
	}

	/**
	 * A provider that reports usage and cannot continue a stream.
	 * @return the adapter
	 */
	public static ScriptedAdapter reportingUsage() {
		return new ScriptedAdapter(true, (progress, failure) -> null);
	}

	/**
	 * A provider that is not expected to report usage.
	 * @return the adapter
	 */
	public static ScriptedAdapter withoutUsage() {
		return new ScriptedAdapter(false, (progress, failure) -> null);
	}

	/**
	 * A provider that continues a broken stream as the function says.
	 * @param continuation the continuation for the progress and failure, or {@code null}
	 * @return the adapter
	 */
	public static ScriptedAdapter continuing(
			BiFunction<StreamProgress, SteerLLMException, @Nullable Continuation> continuation) {
		return new ScriptedAdapter(true, continuation);
	}

	/**
	 * The SSE bytes of commands, one event each.
	 * @param commands the commands
	 * @return the bytes
	 */
	public static byte[] sse(String... commands) {
		StringBuilder body = new StringBuilder();
		for (String command : commands) {
			body.append("data: ").append(command).append("\n\n");
		}
		return body.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A request the continuation of a test can send.
	 * @param uri the URI
	 * @return the request
	 */
	public static ProviderRequest request(String uri) {
		return new ProviderRequest(HttpMethod.POST, uri, Map.of(), new byte[] { '{', '}' });
	}

	@Override
	public String name() {
		return "scripted";
	}

	@Override
	public ProviderSettings settings() {
		return ProviderSettings.of("http://localhost:1", "sk-scripted-0123456789");
	}

	@Override
	public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
		return request("http://localhost:1/stream");
	}

	@Override
	public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
		return new Parser(listener);
	}

	@Override
	public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
		return new ProviderHttpException(name(), status, null, null, body.isEmpty() ? null : body, requestId);
	}

	@Override
	public @Nullable Continuation continuation(ChatRequest request, String model, StreamingOptions options,
			StreamProgress progress, SteerLLMException failure) {
		return this.continuation.apply(progress, failure);
	}

	@Override
	public boolean reportsUsage(ChatRequest request) {
		return this.reportsUsage;
	}

	private static final class Parser implements StreamParser {

		private final StreamDeltaListener listener;

		private @Nullable String responseId;

		private boolean complete;

		Parser(StreamDeltaListener listener) {
			this.listener = listener;
		}

		@Override
		public void onEvent(SseEvent event) {
			String[] parts = event.data().split(" ", 2);
			String rest = (parts.length > 1) ? parts[1] : "";
			switch (parts[0]) {
				case "text" -> this.listener.text(choice(rest), after(rest));
				case "reasoning" -> this.listener.reasoning(choice(rest), after(rest));
				case "tool" -> {
					String[] tool = rest.split(" ", 5);
					this.listener.toolCall(Integer.parseInt(tool[0]), Integer.parseInt(tool[1]), nullable(tool[2]),
							nullable(tool[3]), (tool.length > 4) ? tool[4] : "");
				}
				case "usage" -> {
					String[] tokens = rest.split(" ");
					this.listener.usage(Usage.of(Integer.parseInt(tokens[0]), Integer.parseInt(tokens[1])));
				}
				case "id" -> {
					String[] info = rest.split(" ");
					this.responseId = info[0];
					this.listener.responseInfo(info[0], (info.length > 1) ? info[1] : null);
				}
				case "seq" -> this.listener.resumePosition(this.responseId, Long.parseLong(rest));
				case "finish" -> this.listener.finishReason(choice(rest), after(rest),
						FinishReason.fromChatCompletions(after(rest)));
				case "meta" -> this.listener.metadata(rest.split(" ", 2)[0], rest.split(" ", 2)[1]);
				case "unknown" -> this.listener.unrecognized(rest);
				case "fail" -> throw new ProviderStreamException("scripted", "overloaded_error", null, "busy", true);
				case "end" -> this.complete = true;
				default -> throw new IllegalArgumentException("unknown command " + event.data());
			}
		}

		private static int choice(String rest) {
			return Integer.parseInt(rest.split(" ", 2)[0]);
		}

		private static String after(String rest) {
			String[] parts = rest.split(" ", 2);
			return (parts.length > 1) ? parts[1] : "";
		}

		private static @Nullable String nullable(String value) {
			return "-".equals(value) ? null : value;
		}

		@Override
		public boolean isComplete() {
			return this.complete;
		}

		@Override
		public void onEndOfBody() {
			if (!this.complete) {
				throw new StreamInterruptedException("scripted", "scripted stream cut short", null);
			}
		}

	}

}
