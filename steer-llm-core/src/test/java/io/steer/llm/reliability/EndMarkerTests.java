package io.steer.llm.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.steer.llm.reliability.Reliability.API_KEY;
import static io.steer.llm.reliability.Reliability.CHAT;
import static io.steer.llm.reliability.Reliability.CHAT_TEXT;
import static io.steer.llm.reliability.Reliability.CLAUDE;
import static io.steer.llm.reliability.Reliability.CLAUDE_TEXT;
import static io.steer.llm.reliability.Reliability.FAST_RETRIES;
import static io.steer.llm.reliability.Reliability.RESPONSES;
import static io.steer.llm.reliability.Reliability.RESPONSES_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's end marker ({@code data: [DONE]}, {@code message_stop},
 * {@code response.completed}) ends the stream, not the end of the HTTP body: a body kept
 * open or broken after it still gives the full response at once, in one attempt, and the
 * connection is released. Whatever follows the marker is ignored, and counted.
 */
class EndMarkerTests {

	/**
	 * Longer than any wait below: a stream that waited for its read timeout would fail
	 * the test.
	 */
	private static final StreamingOptions OPTIONS = FAST_RETRIES.toBuilder()
		.readTimeout(Duration.ofSeconds(30))
		.build();

	private static final Duration AT_ONCE = Duration.ofSeconds(10);

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), API_KEY))
			.anthropic(ProviderSettings.of(server.baseUrl(), API_KEY))
			.defaultOptions(OPTIONS)
			.build();
	}

	private static SseFixture fixture(String provider, String name) {
		return SseFixture.load(provider, name);
	}

	private static StreamCompleteEvent completesAtOnceInOneAttempt(ChatRequest request, String text) {
		List<StreamEvent> events = client().streamEvents(request).collectList().block(AT_ONCE);
		StreamCompleteEvent complete = Reliability.complete(events);
		assertThat(complete.response().text()).isEqualTo(text);
		assertThat(complete.attempts()).isEqualTo(1);
		// no retry, no resume, no continuation
		assertThat(server.server().requestCount()).isEqualTo(1);
		return complete;
	}

	// body kept open after the marker

	@Test
	void chatCompletionsWhenTheBodyStaysOpenAfterDoneShouldCompleteAtOnceAndReleaseTheConnection() {
		SseFixture chat = fixture("openai", "chat-text-usage");
		server.server().enqueue(MockResponse.replay(chat).stallAfterEvents(chat.events().size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(CHAT, CHAT_TEXT);
		assertThat(complete.usage().totalTokens()).isEqualTo(44);
		assertThat(complete.response().metadata()).doesNotContainKey("stream.events_after_end");
		// the body subscription was cancelled: the server sees the client leave
		assertThat(server.server().awaitClientDisconnect(AT_ONCE)).isTrue();
	}

	@Test
	void responsesWhenTheBodyStaysOpenAfterResponseCompletedShouldCompleteAtOnceAndReleaseTheConnection() {
		SseFixture responses = fixture("openai", "responses-text");
		server.server().enqueue(MockResponse.replay(responses).stallAfterEvents(responses.events().size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(RESPONSES, RESPONSES_TEXT);
		assertThat(complete.usage().totalTokens()).isEqualTo(456);
		assertThat(server.server().awaitClientDisconnect(AT_ONCE)).isTrue();
	}

	@Test
	void anthropicWhenTheBodyStaysOpenAfterMessageStopShouldCompleteAtOnceWithoutAContinuation() {
		SseFixture text = fixture("anthropic", "text");
		server.server().enqueue(MockResponse.replay(text).stallAfterEvents(text.events().size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(CLAUDE, CLAUDE_TEXT);
		assertThat(complete.usage().completionTokens()).isEqualTo(30);
		assertThat(complete.response().usageEstimated()).isFalse();
		assertThat(server.server().awaitClientDisconnect(AT_ONCE)).isTrue();
	}

	// body broken after the marker

	@Test
	void chatCompletionsWhenTheConnectionDropsAfterDoneShouldComplete() {
		SseFixture chat = fixture("openai", "chat-text-usage");
		server.server().enqueue(MockResponse.replay(chat).dropAfterEvents(chat.events().size()));
		completesAtOnceInOneAttempt(CHAT, CHAT_TEXT);
	}

	@Test
	void responsesWhenTheConnectionDropsAfterResponseCompletedShouldComplete() {
		SseFixture responses = fixture("openai", "responses-text");
		server.server().enqueue(MockResponse.replay(responses).dropAfterEvents(responses.events().size()));
		completesAtOnceInOneAttempt(RESPONSES, RESPONSES_TEXT);
	}

	@Test
	void anthropicWhenTheConnectionDropsAfterMessageStopShouldCompleteWithoutAContinuation() {
		// before: the drop read as a broken message, continued with a prefill (billed,
		// text repeated)
		SseFixture text = fixture("anthropic", "text");
		server.server().enqueue(MockResponse.replay(text).dropAfterEvents(text.events().size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(CLAUDE, CLAUDE_TEXT);
		assertThat(complete.response().metadata()).doesNotContainKey("reconnects");
	}

	// what follows the marker

	@Test
	void chatCompletionsShouldIgnoreAndCountTheEventsAfterDoneInTheSameBuffer() {
		List<byte[]> events = new ArrayList<>(fixture("openai", "chat-text-usage").events());
		String done = new String(events.remove(events.size() - 1), StandardCharsets.UTF_8);
		// after [DONE], in the same write: a chunk with more text, a comment (not an
		// event) and
		// a chunk that is not JSON; none of them is read
		events.add((done
				+ "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\" (repeated)\"},\"finish_reason\":null}]}\n\n: keep-alive\n\ndata: {not json\n\n")
			.getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events).stallAfterEvents(events.size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(CHAT, CHAT_TEXT);
		assertThat(complete.response().metadata()).containsEntry("stream.events_after_end", 2);
	}

	@Test
	void anthropicShouldIgnoreAndCountTheEventsAfterMessageStopInTheSameBuffer() {
		List<byte[]> events = new ArrayList<>(fixture("anthropic", "text").events());
		String stop = new String(events.remove(events.size() - 1), StandardCharsets.UTF_8);
		events.add((stop + "event: ping\ndata: {\"type\": \"ping\"}\n\n").getBytes(StandardCharsets.UTF_8));
		server.server().enqueue(MockResponse.chunks(events).dropAfterEvents(events.size()));
		StreamCompleteEvent complete = completesAtOnceInOneAttempt(CLAUDE, CLAUDE_TEXT);
		assertThat(complete.response().metadata()).containsEntry("stream.events_after_end", 1);
	}

}
