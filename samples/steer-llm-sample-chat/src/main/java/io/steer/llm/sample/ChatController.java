package io.steer.llm.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.shaping.ProgressTracker;
import io.steer.llm.web.ServerSentEvents;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams answers: typed events as SSE on {@code GET /chat} and {@code POST /chat} (a
 * JSON body, for prompts too long for a URL and for conversations), bare text on
 * {@code /chat/text}.
 * <p>
 * The events can be shaped for a person reading them: {@code buffer} (a buffer type:
 * {@code word}, {@code sentence}, …) re-chunks the text, {@code rate} (tokens per second)
 * paces it, and {@code progress=true} adds {@code progress} events, on top of the
 * client's default options ({@code steer.streaming.*}), for example
 * {@code curl -N "localhost:8080/chat?prompt=Hi&buffer=sentence&rate=20&progress=true"}.
 * <p>
 * A request is checked before its stream starts, so that a bad one (an empty prompt, an
 * unknown role, model or API) is answered with 400 and a problem body (see
 * {@link ChatExceptionHandler}) rather than with an {@code error} event in a 200 stream.
 */
@RestController
class ChatController {

	private static final String DEFAULT_PROMPT = "Tell me about a holiday";

	private static final List<String> ROLES = List.of("system", "user", "assistant");

	private final SteerLLMClient client;

	private final ReplayMetadata replayMetadata;

	private static final String BUFFER_TYPES = Arrays.stream(BufferType.values())
		.map((type) -> type.name().toLowerCase(Locale.ROOT))
		.collect(Collectors.joining(", "));

	ChatController(SteerLLMClient client, ReplayMetadata replayMetadata) {
		this.client = client;
		this.replayMetadata = replayMetadata;
	}

	/**
	 * One SSE event per stream event, named {@code start}, {@code delta}, {@code usage},
	 * {@code complete} or {@code error}, then {@code done}, written by
	 * {@link ServerSentEvents} (which documents the JSON of each). Without a
	 * {@code prompt}, a default one is sent; an empty one is refused.
	 * {@code api=responses} asks OpenAI or xAI for the Responses API instead of Chat
	 * Completions. {@code buffer}, {@code rate} and {@code progress} shape the events
	 * (see the class comment); a bad value is refused with 400 naming the parameter.
	 */
	@GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> chat(@RequestParam(required = false) @Nullable String prompt,
			@RequestParam(required = false) @Nullable String model,
			@RequestParam(required = false) @Nullable String api,
			@RequestParam(required = false) @Nullable String buffer,
			@RequestParam(required = false) @Nullable String rate,
			@RequestParam(required = false) @Nullable String progress) {
		Shaping shaping = new Shaping(buffer(buffer), rate(rate), progress(progress));
		return stream(ChatRequest.builder().messages(List.of(prompt(prompt))).model(model).api(api(api)).build(),
				shaping);
	}

	/**
	 * The events of {@link #chat(String, String, String, String, String, String)} for a
	 * JSON body: a {@code prompt} or the {@code messages} of a conversation, and
	 * optionally a {@code model}, an {@code api}, a {@code buffer}, a {@code rate} and
	 * {@code progress}.
	 */
	@PostMapping(path = "/chat", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> chat(@RequestBody ChatBody body) {
		Shaping shaping = new Shaping(buffer(body.buffer()), rate(body.rate()), Boolean.TRUE.equals(body.progress()));
		return stream(ChatRequest.builder().messages(messages(body)).model(body.model()).api(api(body.api())).build(),
				shaping);
	}

	/** The answer text alone, streamed as it arrives. */
	@GetMapping(path = "/chat/text", produces = MediaType.TEXT_PLAIN_VALUE)
	Flux<String> text(@RequestParam(required = false) @Nullable String prompt,
			@RequestParam(required = false) @Nullable String model) {
		ChatRequest request = ChatRequest.builder().messages(List.of(prompt(prompt))).model(model).build();
		this.client.validate(request);
		return this.client.stream(request);
	}

	private Flux<ServerSentEvent<String>> stream(ChatRequest request, Shaping shaping) {
		this.client.validate(request);
		return shaping.writer(this.client.defaultOptions(), request)
			.apply(this.client.streamEvents(request).map((event) -> this.replayMetadata.annotate(event, request)));
	}

	private static @Nullable BufferType buffer(@Nullable String buffer) {
		if (buffer == null) {
			return null;
		}
		try {
			return BufferType.valueOf(buffer.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("buffer", null,
					"Unknown buffer '" + buffer + "'; accepted: " + BUFFER_TYPES);
		}
	}

	private static @Nullable Double rate(@Nullable String rate) {
		if (rate == null) {
			return null;
		}
		double value;
		try {
			value = Double.parseDouble(rate.strip());
		}
		catch (NumberFormatException ex) {
			throw badRate(rate);
		}
		if (!(value > 0 && Double.isFinite(value))) {
			throw badRate(rate);
		}
		return value;
	}

	private static @Nullable Double rate(@Nullable Double rate) {
		if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
			throw badRate(rate);
		}
		return rate;
	}

	private static InvalidRequestException badRate(Object rate) {
		return new InvalidRequestException("rate", null,
				"The rate '" + rate + "' is not a number of tokens per second greater than 0, e.g. rate=20");
	}

	private static boolean progress(@Nullable String progress) {
		if (progress == null || progress.equalsIgnoreCase("false")) {
			return false;
		}
		if (progress.isEmpty() || progress.equalsIgnoreCase("true")) {
			return true;
		}
		throw new InvalidRequestException("progress", null,
				"Unknown progress '" + progress + "'; accepted: true, false");
	}

	/**
	 * The user message of a prompt: {@value #DEFAULT_PROMPT} when there is none, an error
	 * when it is empty (a {@code prompt=} parameter Spring's {@code defaultValue} would
	 * replace).
	 */
	static Message prompt(@Nullable String prompt) {
		if (prompt == null) {
			return Message.user(DEFAULT_PROMPT);
		}
		if (prompt.isBlank()) {
			throw new InvalidRequestException("prompt", null, "The prompt is empty: give the text to answer");
		}
		return Message.user(prompt);
	}

	static @Nullable ProviderApi api(@Nullable String api) {
		return (api != null) ? ProviderApi.from(api) : null;
	}

	private static List<Message> messages(ChatBody body) {
		List<MessageBody> messages = body.messages();
		if (body.prompt() != null && messages != null) {
			throw new InvalidRequestException("prompt", null, "Give a prompt or messages, not both");
		}
		if (body.prompt() != null) {
			return List.of(prompt(body.prompt()));
		}
		if (messages == null || messages.isEmpty()) {
			throw new InvalidRequestException("messages", null,
					"No prompt and no messages: give \"prompt\": \"…\" or \"messages\": [{\"role\": \"user\", "
							+ "\"content\": \"…\"}]");
		}
		List<Message> result = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			result.add(message(i, messages.get(i)));
		}
		return result;
	}

	private static Message message(int index, @Nullable MessageBody message) {
		String field = "messages[" + index + "]";
		if (message == null) {
			throw new InvalidRequestException(field, null, field + " is null: give {\"role\": …, \"content\": …}");
		}
		String role = (message.role() != null) ? message.role().strip().toLowerCase(Locale.ROOT) : "";
		if (!ROLES.contains(role)) {
			throw new InvalidRequestException(field + ".role", null,
					field + ".role " + ((message.role() != null) ? "'" + message.role() + "'" : "is missing; it")
							+ " is not one of: " + String.join(", ", ROLES));
		}
		if (message.content() == null || message.content().isBlank()) {
			throw new InvalidRequestException(field + ".content", null, field + ".content is empty");
		}
		return switch (role) {
			case "system" -> Message.system(message.content());
			case "assistant" -> Message.assistant(message.content());
			default -> Message.user(message.content());
		};
	}

	/**
	 * The body of {@code POST /chat}.
	 *
	 * @param prompt a single user prompt, or {@code null} when {@code messages} are given
	 * @param messages the conversation, or {@code null} when a {@code prompt} is given
	 * @param model the model or {@code provider:model}, {@code null} for the default
	 * model
	 * @param api {@code chat-completions} or {@code responses}, {@code null} for the
	 * provider's configured API
	 * @param buffer a buffer type ({@code word}, {@code sentence}, …), {@code null} for
	 * the configured {@code steer.streaming.buffer-type}
	 * @param rate tokens per second, greater than 0, {@code null} for the configured
	 * {@code steer.streaming.rate-limit}
	 * @param progress whether to add {@code progress} events, {@code null} for no
	 */
	record ChatBody(@Nullable String prompt, @Nullable List<@Nullable MessageBody> messages, @Nullable String model,
			@Nullable String api, @Nullable String buffer, @Nullable Double rate, @Nullable Boolean progress) {
	}

	/**
	 * How one request asked its events to be shaped, over the client's default options.
	 *
	 * @param buffer the buffer type, {@code null} for the default options' one
	 * @param rate tokens per second, {@code null} for the default options' rate limit
	 * @param progress whether to write progress events
	 */
	record Shaping(@Nullable BufferType buffer, @Nullable Double rate, boolean progress) {

		ServerSentEvents writer(StreamingOptions defaults, ChatRequest request) {
			StreamingOptions.Builder options = defaults.toBuilder();
			if (this.buffer != null) {
				options.bufferType(this.buffer);
			}
			if (this.rate != null) {
				options.rateLimit(this.rate);
			}
			ServerSentEvents.Builder writer = ServerSentEvents.builder()
				.options(options.build())
				.model(request.model());
			if (this.progress) {
				writer.progressTrackers(() -> ProgressTracker.forRequest(request));
			}
			return writer.build();
		}

	}

	/**
	 * One message of {@link ChatBody#messages()}.
	 *
	 * @param role {@code system}, {@code user} or {@code assistant}
	 * @param content the text, not empty
	 */
	record MessageBody(@Nullable String role, @Nullable String content) {
	}

}
