package io.steer.llm.provider;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steer.llm.model.Citation;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records the calls a {@link StreamParser} makes on its listener, as strings where a call
 * has several arguments, for the parser tests to assert on. Every call is recorded; the
 * fields are read by the assertions.
 */
public final class RecordingListener implements StreamDeltaListener {

	/** The text of every choice, in order. */
	public final StringBuilder text = new StringBuilder();

	/** The text fragments as {@code choice:text}. */
	public final List<String> textByChoice = new ArrayList<>();

	public final StringBuilder reasoning = new StringBuilder();

	public final StringBuilder refusal = new StringBuilder();

	/** As {@code id|model}. */
	public final List<String> responseInfo = new ArrayList<>();

	/** As {@code index|id|name|arguments}. */
	public final List<String> toolCalls = new ArrayList<>();

	/** As {@code choice|index|id|name|arguments}. */
	public final List<String> toolCallsByChoice = new ArrayList<>();

	/** As {@code index|id|name|input}. */
	public final List<String> serverToolCalls = new ArrayList<>();

	/** As {@code index|toolUseId|type|content}. */
	public final List<String> serverToolResults = new ArrayList<>();

	public final List<Citation> citations = new ArrayList<>();

	/** The provider's reasons, as sent. */
	public final List<String> finishReasons = new ArrayList<>();

	public final List<FinishReason> normalizedFinishReasons = new ArrayList<>();

	public final List<String> unrecognized = new ArrayList<>();

	public final List<Usage> usages = new ArrayList<>();

	/** As {@code responseId#sequenceNumber}. */
	public final List<String> positions = new ArrayList<>();

	private final List<Map.Entry<String, Object>> metadata = new ArrayList<>();

	private final boolean choiceZeroOnly;

	private final @Nullable String withoutServerTools;

	/** Records every call and checks none. */
	public RecordingListener() {
		this(false, null);
	}

	private RecordingListener(boolean choiceZeroOnly, @Nullable String withoutServerTools) {
		this.choiceZeroOnly = choiceZeroOnly;
		this.withoutServerTools = withoutServerTools;
	}

	/**
	 * A listener for an API with one choice: text and tool calls of any other choice than
	 * 0 fail the test.
	 * @return the listener
	 */
	public static RecordingListener ofChoiceZero() {
		return new RecordingListener(true, null);
	}

	/**
	 * A listener for an API that has no tools run by the provider: a server tool call or
	 * result fails the test.
	 * @param api the API's name, for the failure, e.g. {@code Chat Completions}
	 * @return the listener
	 */
	public static RecordingListener withoutServerTools(String api) {
		return new RecordingListener(false, api);
	}

	/**
	 * The {@link #metadata(String, Object)} calls, in order, each as {@code key=value}.
	 * @return the calls
	 */
	public List<String> metadata() {
		return this.metadata.stream().map((entry) -> entry.getKey() + "=" + entry.getValue()).toList();
	}

	/**
	 * The value of the last {@link #metadata(String, Object)} call for a key: the one the
	 * response keeps.
	 * @param key the key
	 * @return the value, or {@code null} if no call was made for the key
	 */
	public @Nullable Object lastMetadata(String key) {
		Object value = null;
		for (Map.Entry<String, Object> entry : this.metadata) {
			if (entry.getKey().equals(key)) {
				value = entry.getValue();
			}
		}
		return value;
	}

	@Override
	public void responseInfo(@Nullable String id, @Nullable String model) {
		this.responseInfo.add(id + "|" + model);
	}

	@Override
	public void text(int choice, String text) {
		if (this.choiceZeroOnly) {
			assertThat(choice).isZero();
		}
		this.text.append(text);
		this.textByChoice.add(choice + ":" + text);
	}

	@Override
	public void reasoning(int choice, String text) {
		this.reasoning.append(text);
	}

	@Override
	public void refusal(int choice, String text) {
		this.refusal.append(text);
	}

	@Override
	public void toolCall(int choice, int index, @Nullable String id, @Nullable String name, String arguments) {
		if (this.choiceZeroOnly) {
			assertThat(choice).isZero();
		}
		this.toolCalls.add(index + "|" + id + "|" + name + "|" + arguments);
		this.toolCallsByChoice.add(choice + "|" + index + "|" + id + "|" + name + "|" + arguments);
	}

	@Override
	public void serverToolCall(int choice, int index, @Nullable String id, @Nullable String name, String input) {
		if (this.withoutServerTools != null) {
			throw new AssertionError(this.withoutServerTools + " has no server tool calls");
		}
		this.serverToolCalls.add(index + "|" + id + "|" + name + "|" + input);
	}

	@Override
	public void serverToolResult(int choice, int index, @Nullable String toolUseId, String type,
			@Nullable JsonNode content) {
		if (this.withoutServerTools != null) {
			throw new AssertionError(this.withoutServerTools + " has no server tool results");
		}
		this.serverToolResults.add(index + "|" + toolUseId + "|" + type + "|" + content);
	}

	@Override
	public void citation(int choice, Citation citation) {
		this.citations.add(citation);
	}

	@Override
	public void finishReason(int choice, String reason, FinishReason normalized) {
		this.finishReasons.add(reason);
		this.normalizedFinishReasons.add(normalized);
	}

	@Override
	public void unrecognized(String what) {
		this.unrecognized.add(what);
	}

	@Override
	public void usage(Usage usage) {
		this.usages.add(usage);
	}

	@Override
	public void resumePosition(@Nullable String responseId, long sequenceNumber) {
		this.positions.add(responseId + "#" + sequenceNumber);
	}

	@Override
	public void metadata(String key, Object value) {
		this.metadata.add(new SimpleImmutableEntry<>(key, value));
	}

}
