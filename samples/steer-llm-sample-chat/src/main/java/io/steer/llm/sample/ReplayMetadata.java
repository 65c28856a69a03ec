package io.steer.llm.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.steer.llm.autoconfigure.SteerProvidersProperties;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.sample.ReplayRecordings.Recording;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Says, in the {@code start} event of a stream the embedded replay provider answers,
 * which recording answers it and that the prompt is ignored.
 * <p>
 * The {@code start} event's model is the model asked for; the {@code complete} event's is
 * the model that answered, which for a replayed stream is the recording's. So that the
 * two do not contradict each other without explanation, the start event's metadata gets:
 * <ul>
 * <li>{@value #RECORDING}: the recording, e.g.
 * {@code openai/chat-text-usage-details-gpt-4.1-nano};</li>
 * <li>{@value #RECORDED_MODEL}: the model that answered it, e.g.
 * {@code gpt-4.1-nano-2025-04-14}, which the {@code complete} event names;</li>
 * <li>{@value #PROMPT_IGNORED}: {@code true};</li>
 * <li>{@value #NOTE}: the same in a sentence, for people.</li>
 * </ul>
 * Streams of providers with an API key are left as they are.
 */
@Component
class ReplayMetadata {

	/** Start metadata key: the recording replayed, {@code <provider>/<name>}. */
	static final String RECORDING = "replay.recording";

	/** Start metadata key: the model that answered when the stream was recorded. */
	static final String RECORDED_MODEL = "replay.recorded_model";

	/** Start metadata key: {@code true}, the prompt does not change the answer. */
	static final String PROMPT_IGNORED = "replay.prompt_ignored";

	/** Start metadata key: the above in a sentence. */
	static final String NOTE = "replay.note";

	private final Set<String> replayed;

	private final SteerProvidersProperties providers;

	ReplayMetadata(Environment environment, SteerProvidersProperties providers) {
		this.replayed = StringUtils
			.commaDelimitedListToSet(environment.getProperty(EmbeddedReplayProvider.REPLAYED_PROVIDERS_PROPERTY, ""));
		this.providers = providers;
	}

	/**
	 * Adds the replay metadata to the start event of a replayed stream.
	 * @param event an event of the stream
	 * @param request the stream's request
	 * @return the start event with the replay metadata when its provider is replayed,
	 * else the event itself
	 */
	StreamEvent annotate(StreamEvent event, ChatRequest request) {
		if (!(event instanceof StreamStartEvent start) || !this.replayed.contains(start.provider())) {
			return event;
		}
		Recording recording = ReplayRecordings.select(start.provider(),
				apiOf(start.provider(), request) == ProviderApi.RESPONSES);
		Map<String, Object> metadata = new LinkedHashMap<>(start.metadata());
		metadata.put(RECORDING, recording.id());
		metadata.put(RECORDED_MODEL, recording.recordedModel());
		metadata.put(PROMPT_IGNORED, true);
		metadata.put(NOTE,
				"No API key for " + start.provider() + ": the embedded replay provider answers with the " + "recording "
						+ recording.id() + ", made with " + recording.recordedModel() + ", whatever the prompt "
						+ "and the model '" + start.model() + "' asked for");
		return new StreamStartEvent(start.streamId(), start.provider(), start.model(), start.requestId(),
				start.timestamp(), metadata);
	}

	private ProviderApi apiOf(String provider, ChatRequest request) {
		if (request.api() != null) {
			return request.api();
		}
		return switch (provider) {
			case "openai" -> this.providers.getOpenai().getApi();
			case "xai" -> this.providers.getXai().getApi();
			default -> ProviderApi.CHAT_COMPLETIONS;
		};
	}

}
