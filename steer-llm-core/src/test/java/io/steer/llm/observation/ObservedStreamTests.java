package io.steer.llm.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.StreamingMetrics;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ObservedStream}: the tap passes the events through, stops its observation once,
 * and records each gap between deltas from the events' timestamps.
 */
class ObservedStreamTests {

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final StreamObserver observer = StreamObserver.of(this.observations, this.meters, null);

	private static StreamDeltaEvent delta(int index, long millis) {
		return new StreamDeltaEvent("s", DeltaKind.TEXT, "x", index, 0, false, null, T0.plusMillis(millis));
	}

	private static StreamingResponse response(Usage usage) {
		return new StreamingResponse("chatcmpl-1", "openai", "gpt-4o-mini-2024-07-18", "xxxx", null, "", "stop",
				FinishReason.STOP, List.of(), List.of(), List.of(), List.of(), usage, false, null, null,
				new StreamingMetrics(4, 4, 1500, 250.0, 0, 1, 100.0, 200.0), Map.of());
	}

	private List<StreamEvent> events() {
		StreamingResponse response = response(new Usage(30, 7, 37, 20, 0, 3, Map.of()));
		return List.of(new StreamStartEvent("s", "openai", "gpt-4o-mini", null, T0, Map.of()), delta(0, 250),
				delta(1, 300), delta(2, 500), delta(3, 540),
				new StreamCompleteEvent("s", 4, 1500, response.usage(), response, T0.plusMillis(1500)));
	}

	@Test
	void tapShouldPassEventsThroughAndStopOnceAtTheCompleteEvent() {
		List<StreamEvent> events = events();
		ObservedStream observed = this.observer.start("openai", "gpt-4o-mini", "https://llm.example.com/v1/chat");
		StepVerifier.create(observed.tap(Flux.fromIterable(events))).expectNextSequence(events).verifyComplete();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasNameEqualTo("steer.llm.stream")
			.hasContextualNameEqualTo("chat gpt-4o-mini")
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "openai")
			.hasLowCardinalityKeyValue("gen_ai.request.model", "gpt-4o-mini")
			.hasLowCardinalityKeyValue("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
			.hasLowCardinalityKeyValue("server.address", "llm.example.com")
			.hasLowCardinalityKeyValue("server.port", "443")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "30")
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "7")
			.hasHighCardinalityKeyValue("gen_ai.usage.cache_read.input_tokens", "20")
			.hasHighCardinalityKeyValue("gen_ai.usage.reasoning.output_tokens", "3")
			.hasHighCardinalityKeyValue("gen_ai.response.id", "chatcmpl-1")
			.hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "stop")
			.hasHighCardinalityKeyValue("gen_ai.response.time_to_first_chunk", "0.25");
		Timer perChunk = this.meters.get("gen_ai.client.operation.time_per_output_chunk").timer();
		assertThat(perChunk.count()).isEqualTo(3);
		assertThat(perChunk.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(290.0);
		assertThat(perChunk.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(200.0);
		assertThat(this.meters.get("gen_ai.client.operation.duration")
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(1500.0);
	}

	@Test
	void gapsShouldBeRecordedPastTheInitialCapacity() {
		int deltas = 100;
		StreamEvent[] events = new StreamEvent[deltas + 1];
		for (int i = 0; i < deltas; i++) {
			events[i] = delta(i, 10L * i);
		}
		StreamingResponse response = response(Usage.of(1, 1));
		events[deltas] = new StreamCompleteEvent("s", deltas, 1500, response.usage(), response, T0);
		ObservedStream observed = this.observer.start("openai", "gpt-4o-mini", null);
		StepVerifier.create(observed.tap(Flux.just(events))).expectNextCount(deltas + 1).verifyComplete();
		Timer perChunk = this.meters.get("gen_ai.client.operation.time_per_output_chunk").timer();
		assertThat(perChunk.count()).isEqualTo(deltas - 1);
		assertThat(perChunk.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(10.0 * (deltas - 1));
	}

	@Test
	void cancelShouldStopWithTheUsageSoFarReportedUpstream() {
		TestPublisher<StreamEvent> upstream = TestPublisher.create();
		ObservedStream observed = this.observer.start("anthropic", "claude-sonnet-4-5", "http://127.0.0.1:8089/v1");
		StreamingResponse partial = response(Usage.of(12, 5));
		Flux<StreamEvent> source = upstream.flux().doOnCancel(() -> observed.cancelled(partial));
		StepVerifier.create(observed.tap(source))
			.then(() -> upstream.next(delta(0, 0)))
			.expectNextCount(1)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "anthropic")
			.hasLowCardinalityKeyValue("server.port", "8089")
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "12")
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "5");
		assertThat(
				this.meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().totalAmount())
			.isEqualTo(5.0);
	}

	@Test
	void withoutRegistriesTheObserverShouldBeNone() {
		assertThat(StreamObserver.of(io.micrometer.observation.ObservationRegistry.NOOP, null, null))
			.isSameAs(StreamObserver.NONE);
		assertThat(StreamObserver.NONE.isEnabled()).isFalse();
	}

	@Test
	void modelsPastTheLimitShouldBeTaggedOther() {
		DefaultStreamObservationConvention convention = new DefaultStreamObservationConvention(2);
		StreamObservationContext context = new StreamObservationContext();
		String[] tagged = new String[4];
		String[] models = { "a", "b", "c", "a" };
		for (int i = 0; i < models.length; i++) {
			context.setRequestModel(models[i]);
			tagged[i] = convention.getLowCardinalityKeyValues(context)
				.stream()
				.filter((kv) -> kv.getKey().equals("gen_ai.request.model"))
				.findFirst()
				.orElseThrow()
				.getValue();
		}
		assertThat(tagged).containsExactly("a", "b", "other", "a");
	}

	@Test
	void missingValuesShouldBeUnknownAndXaiShouldBeXUnderscoreAi() {
		DefaultStreamObservationConvention convention = new DefaultStreamObservationConvention();
		StreamObservationContext context = new StreamObservationContext();
		assertThat(
				convention.getLowCardinalityKeyValues(context).stream().map((kv) -> kv.getKey() + "=" + kv.getValue()))
			.containsExactlyInAnyOrder("gen_ai.operation.name=chat", "gen_ai.provider.name=UNKNOWN",
					"gen_ai.request.model=UNKNOWN", "gen_ai.response.model=UNKNOWN", "error.type=none",
					"server.address=UNKNOWN", "server.port=UNKNOWN", "outcome=UNKNOWN");
		context.setProvider("xai");
		assertThat(
				convention.getLowCardinalityKeyValues(context).stream().map((kv) -> kv.getKey() + "=" + kv.getValue()))
			.contains("gen_ai.provider.name=x_ai");
		assertThat(convention.getContextualName(context)).isEqualTo("chat UNKNOWN");
	}

	@ParameterizedTest
	@EnumSource(value = StreamErrorType.class, names = "CANCELLED", mode = EnumSource.Mode.EXCLUDE)
	void errorOfEachTypeShouldBeTaggedWithItsTypeOnTheObservationAndEveryMeter(StreamErrorType type) {
		StreamObserver observer = StreamObserver.of(this.observations, this.meters, null,
				DefaultStreamObservationConvention.DEFAULT_MAX_MODELS, false, null, Clock.systemUTC());
		StreamingResponse partial = response(new Usage(30, 2, 32, 0, 0, 0, Map.of()));
		SteerLLMException error = new SteerLLMException("failed: " + type, type, false, "openai", null) {
		};
		List<StreamEvent> events = List.of(new StreamStartEvent("s", "openai", "gpt-4o-mini", null, T0, Map.of()),
				delta(0, 250), delta(1, 300),
				new StreamErrorEvent("s", error, type, false, partial, T0.plusMillis(400)));
		ObservedStream observed = observer.start("openai", "gpt-4o-mini", "https://llm.example.com/v1/chat");
		StepVerifier.create(observed.tap(Flux.fromIterable(events))).expectNextSequence(events).verifyComplete();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.hasError()
			.hasLowCardinalityKeyValue("error.type", type.name())
			.hasLowCardinalityKeyValue("outcome", "error");
		for (String name : List.of("gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk",
				"gen_ai.client.operation.time_per_output_chunk")) {
			assertThat(this.meters.get(name).tag("error.type", type.name()).timer().count()).as(name).isPositive();
		}
		assertThat(this.meters.get("gen_ai.client.token.usage").tag("error.type", type.name()).summaries()).hasSize(2);
		assertThat(this.meters.get("steer.stream.errors").tag("error.type", type.name()).counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get("steer.streams").tag("outcome", "error").counter().count()).isEqualTo(1);
		assertThat(this.meters.find("steer.stream.cancellations").counters()).isEmpty();
	}

}
