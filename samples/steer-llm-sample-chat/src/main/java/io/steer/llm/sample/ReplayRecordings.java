package io.steer.llm.sample;

import java.util.List;

import io.steer.llm.test.SseFixture;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recorded streams the embedded replay provider answers with, and which one answers a
 * request: Anthropic a claude-sonnet-4-5 stream with extended thinking; the Responses API
 * a gpt-5.2 stream (OpenAI) or a grok-code-fast-1 stream with reasoning summaries (xAI);
 * Chat Completions a gpt-4.1-nano text stream (OpenAI) or a grok-3-mini stream with
 * reasoning (xAI).
 * <p>
 * The choice depends on the provider and the API alone: the model asked for and the
 * prompt do not change the answer.
 */
final class ReplayRecordings {

	static final Recording OPENAI_CHAT = load("openai", "chat-text-usage-details-gpt-4.1-nano", "Chat Completions");

	static final Recording OPENAI_RESPONSES = load("openai", "responses-text", "Responses API");

	static final Recording XAI_CHAT = load("xai", "chat-reasoning-text", "Chat Completions");

	static final Recording XAI_RESPONSES = load("xai", "responses-reasoning-summary-text", "Responses API");

	static final Recording ANTHROPIC = load("anthropic", "thinking-signature", "Messages");

	private ReplayRecordings() {
	}

	/**
	 * The recording that answers a request.
	 * @param provider {@code openai}, {@code xai} or {@code anthropic}
	 * @param responsesApi whether the request went to the Responses API
	 * @return the recording
	 */
	static Recording select(String provider, boolean responsesApi) {
		return switch (provider) {
			case "anthropic" -> ANTHROPIC;
			case "xai" -> responsesApi ? XAI_RESPONSES : XAI_CHAT;
			default -> responsesApi ? OPENAI_RESPONSES : OPENAI_CHAT;
		};
	}

	/**
	 * The recordings that may answer a provider's requests.
	 * @param provider {@code openai}, {@code xai} or {@code anthropic}
	 * @return one per API the provider speaks
	 */
	static List<Recording> of(String provider) {
		return provider.equals("anthropic") ? List.of(ANTHROPIC)
				: List.of(select(provider, false), select(provider, true));
	}

	private static Recording load(String provider, String name, String api) {
		SseFixture fixture = SseFixture.load(provider, name);
		String model = JsonMapper.builder()
			.build()
			.readTree(fixture.expectedJson().orElseThrow())
			.path("model")
			.asString();
		return new Recording(fixture, api, model);
	}

	/**
	 * A recorded stream.
	 *
	 * @param fixture the stream
	 * @param api the API it was recorded from, for people: {@code Chat Completions},
	 * {@code Responses API} or {@code Messages}
	 * @param recordedModel the model that answered when it was recorded, as the provider
	 * named it; the {@code complete} event's model
	 */
	record Recording(SseFixture fixture, String api, String recordedModel) {

		/**
		 * The recording's name.
		 * @return {@code <provider>/<name>}, e.g.
		 * {@code openai/chat-text-usage-details-gpt-4.1-nano}
		 */
		String id() {
			return this.fixture.provider() + "/" + this.fixture.name();
		}

		@Override
		public String toString() {
			return this.api + ": " + id() + " (answered by " + this.recordedModel + ")";
		}

	}

}
