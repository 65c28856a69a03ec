package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.retry.StreamingRetryManager;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared options and assertions of the reliability tests.
 */
final class Reliability {

	static final String API_KEY = "sk-secret-reliability-0123456789";

	/** The logger of the client's retries. */
	static final String EXCHANGE_LOGGER = "io.steer.llm.client.StreamExchange";

	/** Fast retries: 10 ms backoff, at most 3 retries, short timeouts. */
	static final StreamingOptions FAST_RETRIES = StreamingOptions.builder()
		.reconnectDelay(Duration.ofMillis(10))
		.maxRetryDelay(Duration.ofSeconds(2))
		.maxReconnectAttempts(3)
		.readTimeout(Duration.ofSeconds(5))
		.build();

	/** The request of the recorded stream {@code openai/chat-text-usage}. */
	static final ChatRequest CHAT = ChatRequest.of("Weather in San Francisco?", "gpt-4o-mini");

	/** The text of the recorded stream {@code openai/chat-text-usage}. */
	static final String CHAT_TEXT = "I'm unable to provide real-time weather updates. To get the current weather "
			+ "in San Francisco, I recommend checking a reliable weather website or a weather app.";

	/** The request of the recorded stream {@code openai/responses-text}. */
	static final ChatRequest RESPONSES = ChatRequest.builder()
		.prompt("Which architecture is this Mac?")
		.model("gpt-5.2")
		.api(ProviderApi.RESPONSES)
		.build();

	/** The text of the recorded stream {@code openai/responses-text}. */
	static final String RESPONSES_TEXT = "`arm64` (Apple Silicon).";

	/** A request for the recorded stream {@code anthropic/text}. */
	static final ChatRequest CLAUDE = ChatRequest.of("Hello, how are you?", "claude-sonnet-4-5");

	/** The text of the recorded stream {@code anthropic/text}. */
	static final String CLAUDE_TEXT = "Hello! I'm doing well, thank you for asking. How are you doing today? "
			+ "Is there anything I can help you with?";

	private Reliability() {
	}

	/**
	 * A client of the server as OpenAI, with {@link #API_KEY} and {@link #FAST_RETRIES}.
	 */
	static SteerLLMClient openAiClient(LoopbackProviderServerExtension server) {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(FAST_RETRIES)
			.build();
	}

	/**
	 * A client of the server as OpenAI and as Anthropic, with {@link #API_KEY},
	 * {@link #FAST_RETRIES} and the retry manager given.
	 */
	static SteerLLMClient openAiAndAnthropicClient(LoopbackProviderServerExtension server,
			StreamingRetryManager retryManager) {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(FAST_RETRIES)
			.retryManager(retryManager)
			.build();
	}

	/** The recorded stream {@code openai/chat-text-usage}, replayed. */
	static MockResponse chat() {
		return MockResponse.replay(SseFixture.load("openai", "chat-text-usage"));
	}

	/** The words of the recorded chat stream's first deltas: events 1 to n - 1. */
	static String textOfFirstEvents(int n) {
		return String.join("", List.of("I'm", " unable", " to", " provide", " real", "-time", " weather", " updates")
			.subList(0, n - 1));
	}

	static List<byte[]> bytes(String... rawEvents) {
		List<byte[]> events = new ArrayList<>();
		for (String raw : rawEvents) {
			events.add(raw.getBytes(StandardCharsets.UTF_8));
		}
		return events;
	}

	static List<byte[]> concat(List<byte[]> first, List<byte[]> second) {
		List<byte[]> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	/**
	 * Asserts the shape every stream has, whatever the faults: at most one start event,
	 * and first if any; deltas with chunk indexes 0, 1, 2… without gap or repeat; exactly
	 * one terminal event, last.
	 * @return the deltas
	 */
	static List<StreamDeltaEvent> assertWellFormed(List<StreamEvent> events) {
		assertThat(events).isNotEmpty();
		long starts = events.stream().filter(StreamStartEvent.class::isInstance).count();
		assertThat(starts).isLessThanOrEqualTo(1);
		if (starts == 1) {
			assertThat(events.get(0)).isInstanceOf(StreamStartEvent.class);
		}
		assertThat(events.stream().filter(StreamEvent::isTerminal)).hasSize(1);
		assertThat(events.get(events.size() - 1).isTerminal()).isTrue();
		List<StreamDeltaEvent> deltas = events.stream()
			.filter(StreamDeltaEvent.class::isInstance)
			.map(StreamDeltaEvent.class::cast)
			.toList();
		for (int i = 0; i < deltas.size(); i++) {
			assertThat(deltas.get(i).chunkIndex()).as("chunk index of delta %d", i).isEqualTo(i);
		}
		assertThat(events.stream().map(StreamEvent::streamId).distinct()).hasSize(1);
		return deltas;
	}

	/** The text of the text deltas of choice 0, in order. */
	static String text(List<StreamEvent> events) {
		StringBuilder text = new StringBuilder();
		for (StreamEvent event : events) {
			if (event instanceof StreamDeltaEvent delta && delta.kind() == DeltaKind.TEXT && delta.choiceIndex() == 0) {
				text.append(delta.delta());
			}
		}
		return text.toString();
	}

	static StreamCompleteEvent complete(List<StreamEvent> events) {
		assertWellFormed(events);
		assertThat(events.get(events.size() - 1)).isInstanceOf(StreamCompleteEvent.class);
		StreamCompleteEvent complete = (StreamCompleteEvent) events.get(events.size() - 1);
		assertThat(complete.response().text()).as("assembled text equals the delivered deltas").isEqualTo(text(events));
		assertThat(complete.totalChunks())
			.isEqualTo((int) events.stream().filter(StreamDeltaEvent.class::isInstance).count());
		return complete;
	}

	static StreamErrorEvent error(List<StreamEvent> events) {
		assertWellFormed(events);
		assertThat(events.get(events.size() - 1)).isInstanceOf(StreamErrorEvent.class);
		StreamErrorEvent error = (StreamErrorEvent) events.get(events.size() - 1);
		assertThat(error.error().getPartialResponse()).isSameAs(error.partialResponse());
		assertNoSecret(error.error());
		return error;
	}

	static void assertNoSecret(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
			for (Throwable suppressed : t.getSuppressed()) {
				assertThat(String.valueOf(suppressed.getMessage())).doesNotContain(API_KEY);
			}
		}
		if (error instanceof SteerLLMException ex && ex.getPartialResponse() != null) {
			assertThat(ex.getPartialResponse().toString()).doesNotContain(API_KEY);
		}
	}

	/**
	 * Captures what is logged, through any logging API (commons-logging, SLF4J, Reactor's
	 * and Netty's loggers all reach logback in the tests), by one logger and its
	 * children, or by every logger: for the duration, the logger's level is lowered to
	 * the one given and a capturing appender is attached to it.
	 */
	static final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

		private final Logger logger;

		private final @Nullable Level previousLevel;

		private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		/**
		 * Captures one logger, and its children, at every level (TRACE and above).
		 * @param name the logger name, usually a class name
		 */
		CapturedLog(String name) {
			this(name, Level.TRACE);
		}

		private CapturedLog(String name, Level level) {
			LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
			this.logger = context.getLogger(name);
			this.previousLevel = this.logger.getLevel();
			setContext(context);
			setName("captured-" + name);
			start();
			this.logger.addAppender(this);
			this.logger.setLevel(level);
		}

		/**
		 * Captures every logger at TRACE: the root logger's level is lowered, so every
		 * logger without a level of its own (all of them in the tests) logs everything.
		 * @return the capture; close it to restore the root level
		 */
		static CapturedLog everythingAtTrace() {
			return new CapturedLog(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
		}

		/**
		 * The formatted messages logged at a level.
		 * @param level the level
		 * @return the messages, in order
		 */
		List<String> messages(Level level) {
			return this.events.stream()
				.filter((event) -> event.getLevel().equals(level))
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}

		/**
		 * Everything captured, one line per event with its level, logger and formatted
		 * message, followed by the stack trace of its exception, if any (messages of
		 * causes and suppressed exceptions included).
		 * @return the text
		 */
		String text() {
			StringBuilder text = new StringBuilder();
			for (ILoggingEvent event : this.events) {
				text.append(event.getLevel())
					.append(' ')
					.append(event.getLoggerName())
					.append(" [")
					.append(event.getThreadName())
					.append("] ")
					.append(event.getFormattedMessage())
					.append('\n');
				if (event.getThrowableProxy() != null) {
					text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
				}
			}
			return text.toString();
		}

		/**
		 * How many events were captured.
		 * @return the count
		 */
		int size() {
			return this.events.size();
		}

		@Override
		protected void append(ILoggingEvent event) {
			event.prepareForDeferredProcessing();
			this.events.add(event);
		}

		@Override
		public void close() {
			this.logger.detachAppender(this);
			this.logger.setLevel(this.previousLevel);
			stop();
		}

	}

}
