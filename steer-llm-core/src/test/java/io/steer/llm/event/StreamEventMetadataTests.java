package io.steer.llm.event;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.steer.llm.error.StreamInterruptedException;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link StreamEvent#metadata()} and {@code withMetadata}: a copy of the same type with
 * every field kept, for each event type.
 */
class StreamEventMetadataTests {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private static StreamingResponse response(String text) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini", text, null, "", "stop", FinishReason.STOP,
				List.of(), List.of(), List.of(), List.of(), null, false, null, null,
				new StreamingMetrics(2, text.length(), 10, 1.0, 0, 1), Map.of());
	}

	/**
	 * One event of each type, made with the constructors that existed before metadata.
	 */
	static Stream<StreamEvent> events() {
		StreamInterruptedException error = new StreamInterruptedException("openai", "connection closed", null);
		return Stream.of(new StreamStartEvent("s", "openai", "gpt-4o-mini", "req-1", T0, Map.of("http.status", 200)),
				new StreamDeltaEvent("s", DeltaKind.TOOL_CALL, "{\"a\"", 3, 1, true,
						new ToolCallDelta(0, "call_1", "lookup", false), T0),
				new StreamUsageEvent("s", Usage.of(12, 34), true, 0.8, T0),
				new StreamCompleteEvent("s", 4, 12.5, Usage.of(12, 34), response("Hello"), T0),
				new StreamErrorEvent("s", error, error.getErrorType(), true, response("Hel"), T0));
	}

	@ParameterizedTest
	@MethodSource("events")
	void withMetadataShouldKeepTheTypeAndEveryField(StreamEvent event) throws Exception {
		StreamEvent copy = event.withMetadata("user_id", "u-1");
		assertThat(copy).isNotSameAs(event).hasSameClassAs(event);
		assertSameFieldsButMetadata(event, copy);
		assertThat(copy.metadata()).containsEntry("user_id", "u-1").containsAllEntriesOf(event.metadata());
		assertThat(event.metadata()).doesNotContainKey("user_id");
		assertThat(copy.isTerminal()).isEqualTo(event.isTerminal());
	}

	@ParameterizedTest
	@MethodSource("events")
	void withMetadataOfAMapShouldKeepTheTypeAndEveryFieldAndReplaceValues(StreamEvent event) throws Exception {
		StreamEvent copy = event.withMetadata("a", 1).withMetadata(Map.of("a", 2, "b", "x"));
		assertThat(copy).hasSameClassAs(event);
		assertSameFieldsButMetadata(event, copy);
		assertThat(copy.metadata()).containsEntry("a", 2)
			.containsEntry("b", "x")
			.containsAllEntriesOf(event.metadata());
		assertThat(copy.metadata()).hasSize(event.metadata().size() + 2);
	}

	@ParameterizedTest
	@MethodSource("events")
	void withMetadataOfAnEmptyMapShouldReturnTheEventItself(StreamEvent event) {
		assertThat(event.withMetadata(Map.of())).isSameAs(event);
	}

	@ParameterizedTest
	@MethodSource("events")
	void metadataShouldBeUnmodifiable(StreamEvent event) {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> event.withMetadata("k", "v").metadata().put("x", "y"));
	}

	@ParameterizedTest
	@MethodSource("events")
	void withMetadataShouldRejectANullKeyOrValue(StreamEvent event) {
		assertThatNullPointerException().isThrownBy(() -> event.withMetadata(null, "v"));
		assertThatNullPointerException().isThrownBy(() -> event.withMetadata("k", null)).withMessageContaining("'k'");
		Map<String, Object> withNull = new HashMap<>();
		withNull.put("k", null);
		assertThatNullPointerException().isThrownBy(() -> event.withMetadata(withNull));
	}

	@Test
	void eventsMadeWithoutMetadataShouldShareTheEmptyMap() {
		events().filter((event) -> !(event instanceof StreamStartEvent))
			.forEach((event) -> assertThat(event.metadata()).isSameAs(Map.of()));
		assertThat(new StreamStartEvent("s", "openai", "m", null, T0, Map.of()).metadata()).isSameAs(Map.of());
	}

	@Test
	void metadataGivenToAConstructorShouldBeCopied() {
		Map<String, Object> given = new HashMap<>(Map.of("k", "v"));
		StreamDeltaEvent delta = new StreamDeltaEvent("s", DeltaKind.TEXT, "x", 0, 0, false, null, T0, given);
		given.put("k", "changed");
		assertThat(delta.metadata()).containsExactlyEntriesOf(Map.of("k", "v"));
	}

	@Test
	void startEventWithMetadataShouldKeepTheProvidersMetadata() {
		StreamStartEvent start = new StreamStartEvent("s", "openai", "m", null, T0, Map.of("http.status", 200));
		assertThat(start.withMetadata("correlation_id", "c").metadata())
			.containsExactlyInAnyOrderEntriesOf(Map.of("http.status", 200, "correlation_id", "c"));
	}

	@Test
	void eventsWithTheSameMetadataShouldBeEqual() {
		StreamUsageEvent usage = new StreamUsageEvent("s", Usage.of(1, 2), false, 1.0, T0);
		assertThat(usage.withMetadata("k", "v")).isEqualTo(usage.withMetadata("k", "v")).isNotEqualTo(usage);
	}

	@Test
	void withMetadataShouldAddAndReplaceEntriesOfSmallAndLargeMaps() {
		StreamEvent event = new StreamUsageEvent("s", Usage.of(1, 2), false, 1.0, T0);
		Map<String, Object> expected = new HashMap<>();
		for (int i = 0; i < 12; i++) {
			event = event.withMetadata("k" + i, i);
			expected.put("k" + i, i);
			assertThat(event.metadata()).containsExactlyInAnyOrderEntriesOf(expected);
			event = event.withMetadata("k0", "replaced-" + i);
			expected.put("k0", "replaced-" + i);
			assertThat(event.metadata()).containsExactlyInAnyOrderEntriesOf(expected);
		}
		StreamEvent many = event.withMetadata(Map.of("k1", "x", "new", "y"));
		expected.put("k1", "x");
		expected.put("new", "y");
		assertThat(many.metadata()).containsExactlyInAnyOrderEntriesOf(expected);
		StreamEvent few = new StreamUsageEvent("s", Usage.of(1, 2), false, 1.0, T0).withMetadata("a", 1)
			.withMetadata(Map.of("a", 2, "b", 3, "c", 4));
		assertThat(few.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2, "b", 3, "c", 4));
	}

	private static void assertSameFieldsButMetadata(StreamEvent event, StreamEvent copy) throws Exception {
		RecordComponent[] components = event.getClass().getRecordComponents();
		assertThat(components).extracting(RecordComponent::getName).contains("metadata");
		for (RecordComponent component : components) {
			if (!component.getName().equals("metadata")) {
				assertThat(component.getAccessor().invoke(copy)).as(component.getName())
					.isEqualTo(component.getAccessor().invoke(event));
			}
		}
	}

}
