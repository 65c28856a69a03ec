package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamStartEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.RecordedRequest;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline's guarantees under a randomized load: thousands of streams of mixed
 * recorded fixtures, some with faults (a dropped connection, a 500 or a closed connection
 * then a retry), each through a random chain of filters that keep deltas, transformers
 * (synchronous and asynchronous) and a batching processor with a background delivery of
 * either policy. Per stream, the subscriber sees every delta exactly once and in order
 * (the same deltas as the fixture gives without processors, chunk indexes {@code 0..n-1})
 * and exactly one terminal event, last; a {@link OverflowPolicy#BACKPRESSURE} handler
 * sees every delta exactly once, in order; a {@link OverflowPolicy#DROP_OLDEST} handler
 * sees an ordered subset, every batch handed over being counted as delivered, dropped or
 * failed. The seed is printed on failure; rerun one with
 * {@code -Dsteer.pipeline.seed=<seed>}.
 */
class EventPipelineGuaranteeTests {

	private static final int STREAMS = 2_000;

	private static final int CONCURRENCY = 16;

	private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern STREAM_ID = Pattern.compile("guarantee-(\\d+)-stream");

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	/** The fixtures a chat request streams, with the model that routes to them. */
	private static final List<Source> SOURCES = sources();

	private final Map<Integer, Deque<MockResponse>> responses = new ConcurrentHashMap<>();

	private final AtomicInteger ids = new AtomicInteger();

	@Test
	void everyStreamShouldDeliverEveryDeltaOnceInOrderAndOneTerminalEventLast() {
		long seed = Long.getLong("steer.pipeline.seed", ThreadLocalRandom.current().nextLong());
		try {
			run(seed);
		}
		catch (Throwable ex) {
			throw new AssertionError("Pipeline guarantee failed with seed " + seed
					+ " (rerun with -Dsteer.pipeline.seed=" + seed + "): " + ex.getMessage(), ex);
		}
	}

	private void run(long seed) {
		Random random = new Random(seed);
		server.server().setDispatcher(this::dispatch);
		SteerLLMClient client = SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
			.xai(ProviderSettings.of(server.baseUrl(), "xai-test"))
			.build();
		List<Plan> plans = new ArrayList<>(STREAMS);
		for (int i = 0; i < STREAMS; i++) {
			plans.add(Plan.random(random));
		}
		Map<Baseline, Outcome> baselines = baselines(client, plans);
		EventDelivery backpressure = EventDelivery.builder()
			.overflowPolicy(OverflowPolicy.BACKPRESSURE)
			.queueCapacity(1 + random.nextInt(8))
			.name("guarantee-bp")
			.build();
		EventDelivery dropOldest = EventDelivery.builder()
			.overflowPolicy(OverflowPolicy.DROP_OLDEST)
			.queueCapacity(1 + random.nextInt(4))
			.name("guarantee-drop")
			.build();
		Deliveries deliveries = new Deliveries(backpressure, dropOldest);
		List<Run> runs = new ArrayList<>(STREAMS);
		for (Plan plan : plans) {
			runs.add(new Run(plan, Chain.random(random, deliveries)));
		}
		Failures failures = new Failures();
		try (backpressure; dropOldest) {
			Flux.fromIterable(runs)
				.flatMap(
						(run) -> stream(client, run)
							.doOnNext((events) -> run.check(events, baselines.get(run.plan.baseline()), failures)),
						CONCURRENCY)
				.then()
				.block(Duration.ofMinutes(5));
			backpressure.close(STREAM_TIMEOUT);
			dropOldest.close(STREAM_TIMEOUT);
		}
		System.out.println("EventPipelineGuaranteeTests seed " + seed + ": " + runs.size() + " streams, "
				+ server.server().requestCount() + " requests; BACKPRESSURE delivered " + backpressure.delivered()
				+ ", failed " + backpressure.failed() + "; DROP_OLDEST delivered " + dropOldest.delivered()
				+ ", dropped " + dropOldest.dropped() + ", failed " + dropOldest.failed());
		assertThat(failures.messages).as("stream failures").isEmpty();
		for (Run run : runs) {
			if (run.chain.batch != null) {
				run.chain.batch.check(run, baselines.get(run.plan.baseline()), failures);
			}
		}
		assertThat(failures.messages).as("batch handler failures").isEmpty();
		assertThat(deliveries.backpressureChains).as("chains batching with BACKPRESSURE").isPositive();
		assertThat(backpressure.dropped()).as("BACKPRESSURE dropped").isZero();
		assertThat(backpressure.delivered() + backpressure.failed()).as("BACKPRESSURE delivered + failed")
			.isEqualTo(deliveries.backpressureHandled.get());
		assertThat(backpressure.failed()).as("BACKPRESSURE failed").isEqualTo(deliveries.backpressureFailures.get());
		long expectedDropBatches = runs.stream()
			.filter((run) -> run.chain.batch != null && !run.chain.batch.backpressure)
			.mapToLong((run) -> run.chain.batch.expectedBatches())
			.sum();
		assertThat(expectedDropBatches).as("DROP_OLDEST batches handed over").isPositive();
		assertThat(dropOldest.delivered() + dropOldest.dropped() + dropOldest.failed())
			.as("DROP_OLDEST delivered + dropped + failed")
			.isEqualTo(expectedDropBatches);
		assertThat(dropOldest.delivered() + dropOldest.failed()).as("DROP_OLDEST delivered + failed")
			.isEqualTo(deliveries.dropOldestHandled.get());
		assertThat(dropOldest.failed()).as("DROP_OLDEST failed").isEqualTo(deliveries.dropOldestFailures.get());
	}

	/** The deltas and terminal type each fixture and fault gives without processors. */
	private Map<Baseline, Outcome> baselines(SteerLLMClient client, List<Plan> plans) {
		Set<Baseline> needed = new LinkedHashSet<>();
		plans.forEach((plan) -> needed.add(plan.baseline()));
		Map<Baseline, Outcome> baselines = new ConcurrentHashMap<>();
		Flux.fromIterable(needed).flatMap((baseline) -> {
			int id = this.ids.incrementAndGet();
			this.responses.put(id, new ArrayDeque<>(List.of(baseline.response())));
			StreamingOptions options = StreamingOptions.builder().retryOnConnectionError(false).build();
			return client.streamEvents(request(baseline.source, id), options)
				.collectList()
				.timeout(STREAM_TIMEOUT)
				.doOnNext((events) -> baselines.put(baseline, Outcome.of(events)));
		}, CONCURRENCY).then().block(Duration.ofMinutes(2));
		assertThat(baselines).as("baselines").hasSize(needed.size());
		return baselines;
	}

	private Mono<List<StreamEvent>> stream(SteerLLMClient client, Run run) {
		int id = this.ids.incrementAndGet();
		run.id = id;
		this.responses.put(id, new ArrayDeque<>(run.plan.responses()));
		StreamingOptions options = StreamingOptions.builder()
			.retryOnConnectionError(run.plan.fault.retried)
			.reconnectDelay(Duration.ofMillis(1))
			.maxRetryDelay(Duration.ofMillis(2))
			.build()
			.withEventProcessor(run.chain.processor);
		return client.streamEvents(request(run.plan.source, id), options).collectList().timeout(STREAM_TIMEOUT);
	}

	private static ChatRequest request(Source source, int id) {
		return ChatRequest.of("guarantee-" + id + "-stream", source.model);
	}

	private @Nullable MockResponse dispatch(RecordedRequest request) {
		Matcher matcher = STREAM_ID.matcher(request.bodyAsString());
		if (!matcher.find()) {
			return MockResponse.status(400, "{\"error\":{\"message\":\"no stream id\"}}");
		}
		Deque<MockResponse> queue = this.responses.get(Integer.parseInt(matcher.group(1)));
		MockResponse next = (queue != null) ? queue.pollFirst() : null;
		return (next != null) ? next : MockResponse.status(404, "{\"error\":{\"message\":\"no more responses\"}}");
	}

	private static List<Source> sources() {
		List<Source> sources = new ArrayList<>();
		for (SseFixture fixture : SseFixture.all()) {
			String model = switch (fixture.provider()) {
				case "openai" -> fixture.name().startsWith("chat-") ? "gpt-4o-mini" : null;
				case "anthropic" -> "claude-3-haiku-20240307";
				case "xai" -> fixture.name().startsWith("chat-") ? "grok-3-mini" : null;
				default -> null;
			};
			if (model != null) {
				sources.add(new Source(fixture, model, fixture.events().size()));
			}
		}
		return List.copyOf(sources);
	}

	/** A delta as the comparison sees it. */
	private record Delta(DeltaKind kind, String delta, int chunkIndex, int choiceIndex) {

		static Delta of(StreamDeltaEvent event) {
			return new Delta(event.kind(), event.delta(), event.chunkIndex(), event.choiceIndex());
		}

		static List<Delta> of(List<StreamEvent> events) {
			List<Delta> deltas = new ArrayList<>();
			for (StreamEvent event : events) {
				if (event instanceof StreamDeltaEvent delta) {
					deltas.add(of(delta));
				}
			}
			return deltas;
		}

	}

	/** What a stream gave: its deltas and the type of its terminal event. */
	private record Outcome(List<Delta> deltas, Class<?> terminal) {

		static Outcome of(List<StreamEvent> events) {
			StreamEvent last = events.get(events.size() - 1);
			assertThat(last.isTerminal()).as("baseline ends with a terminal event: %s", events).isTrue();
			return new Outcome(Delta.of(events), last.getClass());
		}

	}

	private record Source(SseFixture fixture, String model, int writes) {

		@Override
		public String toString() {
			return this.fixture.provider() + "/" + this.fixture.name();
		}

	}

	/** What a fault-free comparison run replays: the fixture, cut after some writes. */
	private record Baseline(Source source, int dropAfter) {

		MockResponse response() {
			MockResponse replay = MockResponse.replay(this.source.fixture);
			return (this.dropAfter < 0) ? replay : replay.dropAfterEvents(this.dropAfter);
		}

	}

	private enum Fault {

		NONE(false), DROP(false), STATUS_500_THEN_REPLAY(true), CLOSE_THEN_REPLAY(true), GZIP(false);

		final boolean retried;

		Fault(boolean retried) {
			this.retried = retried;
		}

	}

	/** A stream's fixture and fault. */
	private record Plan(Source source, Fault fault, int dropAfter) {

		static Plan random(Random random) {
			Source source = SOURCES.get(random.nextInt(SOURCES.size()));
			int roll = random.nextInt(10);
			Fault fault = (roll < 5) ? Fault.NONE : (roll < 7) ? Fault.DROP
					: (roll < 8) ? Fault.STATUS_500_THEN_REPLAY : (roll < 9) ? Fault.CLOSE_THEN_REPLAY : Fault.GZIP;
			int dropAfter = (fault == Fault.DROP) ? random.nextInt(source.writes + 1) : -1;
			return new Plan(source, fault, dropAfter);
		}

		Baseline baseline() {
			return new Baseline(this.source, this.dropAfter);
		}

		List<MockResponse> responses() {
			MockResponse replay = MockResponse.replay(this.source.fixture);
			return switch (this.fault) {
				case NONE -> List.of(replay);
				case DROP -> List.of(replay.dropAfterEvents(this.dropAfter));
				case STATUS_500_THEN_REPLAY -> List.of(
						MockResponse.status(500, "{\"error\":{\"message\":\"internal\",\"type\":\"server_error\"}}"),
						replay);
				case CLOSE_THEN_REPLAY -> List.of(replay.closeBeforeHeaders(), replay);
				case GZIP -> List.of(replay.gzipWhenAccepted());
			};
		}

		@Override
		public String toString() {
			return this.source + " " + this.fault + ((this.dropAfter >= 0) ? " after " + this.dropAfter : "");
		}

	}

	/** The two shared deliveries and what their handlers saw. */
	private static final class Deliveries {

		final EventDelivery backpressure;

		final EventDelivery dropOldest;

		final AtomicLong backpressureHandled = new AtomicLong();

		final AtomicLong backpressureFailures = new AtomicLong();

		final AtomicLong dropOldestHandled = new AtomicLong();

		final AtomicLong dropOldestFailures = new AtomicLong();

		int backpressureChains;

		Deliveries(EventDelivery backpressure, EventDelivery dropOldest) {
			this.backpressure = backpressure;
			this.dropOldest = dropOldest;
		}

	}

	/** A random processor chain and what its checks need. */
	private static final class Chain {

		final EventProcessor processor;

		final String description;

		final List<String> metadataKeys;

		final @Nullable Batch batch;

		private Chain(EventProcessor processor, String description, List<String> metadataKeys, @Nullable Batch batch) {
			this.processor = processor;
			this.description = description;
			this.metadataKeys = metadataKeys;
			this.batch = batch;
		}

		static Chain random(Random random, Deliveries deliveries) {
			int stages = 1 + random.nextInt(5);
			int batchAt = random.nextBoolean() ? random.nextInt(stages) : -1;
			EventProcessor processor = EventProcessor.identity();
			List<String> names = new ArrayList<>();
			List<String> keys = new ArrayList<>();
			Batch batch = null;
			for (int i = 0; i < stages; i++) {
				if (i == batchAt) {
					batch = Batch.random(random, deliveries);
					processor = processor.andThen(batch.counter).andThen(batch.processor);
					names.add(batch.toString());
					continue;
				}
				String key = "g" + i;
				switch (random.nextInt(7)) {
					case 0 -> {
						processor = processor.andThen(random.nextBoolean() ? EventProcessors.types("delta")
								: EventProcessors.types(StreamDeltaEvent.class, StreamUsageEvent.class));
						names.add("types");
					}
					case 1 -> {
						int salt = random.nextInt(3);
						processor = processor
							.andThen(EventProcessors.filter((event) -> event instanceof StreamDeltaEvent
									|| (event.getClass().getSimpleName().length() + salt) % 3 != 0));
						names.add("filter(" + salt + ")");
					}
					case 2 -> {
						processor = processor.andThen(EventProcessors.transform((event) -> event.withMetadata(key, 1)));
						names.add("transform");
						keys.add(key);
					}
					case 3 -> {
						processor = processor.andThen(EventProcessors.transformAsync(
								(event) -> Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(1_000_001)))
									.map((tick) -> event.withMetadata(key, 1))));
						names.add("transformAsync(delay)");
						keys.add(key);
					}
					case 4 -> {
						processor = processor.andThen(EventProcessors
							.transformAsync((event) -> Mono.fromCallable(() -> event.withMetadata(key, 1))
								.subscribeOn(Schedulers.parallel())));
						names.add("transformAsync(parallel)");
						keys.add(key);
					}
					case 5 -> {
						processor = processor
							.andThen(EventProcessors.transformAsync((event) -> (event instanceof StreamStartEvent)
									? Mono.<StreamEvent>empty().subscribeOn(Schedulers.parallel())
									: Mono.just(event).publishOn(Schedulers.parallel())));
						names.add("transformAsync(drop start)");
					}
					default -> {
						processor = processor.andThen(EventProcessors.metrics());
						names.add("metrics");
						keys.add(EventProcessors.EVENT_COUNT);
					}
				}
			}
			if (batch != null && batch.backpressure) {
				deliveries.backpressureChains++;
			}
			return new Chain(processor, String.join(" -> ", names), keys, batch);
		}

	}

	/** A batching stage, its handler's record and the count of the events it saw. */
	private static final class Batch {

		final boolean backpressure;

		final int size;

		final Duration timeout;

		final List<StreamEvent> handled = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger seen = new AtomicInteger();

		final EventProcessor counter = EventProcessors.transform((event) -> {
			this.seen.incrementAndGet();
			return event;
		});

		final EventProcessor processor;

		private Batch(boolean backpressure, int size, Duration timeout, int failEvery, boolean async,
				Deliveries deliveries) {
			this.backpressure = backpressure;
			this.size = size;
			this.timeout = timeout;
			AtomicLong handledCount = backpressure ? deliveries.backpressureHandled : deliveries.dropOldestHandled;
			AtomicLong failures = backpressure ? deliveries.backpressureFailures : deliveries.dropOldestFailures;
			AtomicInteger calls = new AtomicInteger();
			BatchHandler handler = (events) -> {
				handledCount.incrementAndGet();
				this.handled.addAll(events);
				if (failEvery > 0 && calls.incrementAndGet() % failEvery == 0) {
					failures.incrementAndGet();
					return Mono.error(new IllegalStateException("handler failed on purpose"));
				}
				return async ? Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(1_000_001))).then()
						: Mono.empty();
			};
			this.processor = BatchingProcessor.builder(handler)
				.size(size)
				.timeout(timeout)
				.background(backpressure ? deliveries.backpressure : deliveries.dropOldest)
				.build();
		}

		static Batch random(Random random, Deliveries deliveries) {
			boolean backpressure = random.nextBoolean();
			int size = 1 + random.nextInt(12);
			// DROP_OLDEST batches are handed over only when full or at the end, so that
			// the count of batches handed over is known
			Duration timeout = backpressure ? Duration.ofNanos(100_000 + random.nextInt(2_000_000))
					: Duration.ofHours(1);
			int failEvery = (random.nextInt(4) == 0) ? 1 + random.nextInt(3) : 0;
			boolean async = random.nextInt(5) == 0;
			return new Batch(backpressure, size, timeout, failEvery, async, deliveries);
		}

		long expectedBatches() {
			return (this.seen.get() + this.size - 1) / this.size;
		}

		void check(Run run, Outcome expected, Failures failures) {
			List<Delta> deltas = Delta.of(List.copyOf(this.handled));
			if (this.backpressure) {
				if (!deltas.equals(expected.deltas)) {
					failures.add(run, "BACKPRESSURE handler saw deltas " + indexes(deltas) + ", expected "
							+ indexes(expected.deltas));
				}
				return;
			}
			// DROP_OLDEST: an ordered subset of the deltas, none repeated
			int at = 0;
			for (Delta delta : deltas) {
				while (at < expected.deltas.size() && !expected.deltas.get(at).equals(delta)) {
					at++;
				}
				if (at == expected.deltas.size()) {
					failures.add(run, "DROP_OLDEST handler saw deltas " + indexes(deltas)
							+ ", not an ordered subset of " + indexes(expected.deltas));
					return;
				}
				at++;
			}
		}

		@Override
		public String toString() {
			return "batch(" + (this.backpressure ? "BACKPRESSURE" : "DROP_OLDEST") + ", " + this.size + ", "
					+ this.timeout + ")";
		}

	}

	/** One stream of the run. */
	private static final class Run {

		final Plan plan;

		final Chain chain;

		volatile int id;

		Run(Plan plan, Chain chain) {
			this.plan = plan;
			this.chain = chain;
		}

		void check(List<StreamEvent> events, Outcome expected, Failures failures) {
			long terminals = events.stream().filter(StreamEvent::isTerminal).count();
			if (terminals != 1 || !events.get(events.size() - 1).isTerminal()) {
				failures.add(this, terminals + " terminal event(s), last " + events.get(events.size() - 1));
				return;
			}
			StreamEvent terminal = events.get(events.size() - 1);
			if (terminal.getClass() != expected.terminal) {
				failures.add(this, "terminal " + terminal + ", expected a " + expected.terminal.getSimpleName());
			}
			List<Delta> deltas = Delta.of(events);
			if (!deltas.equals(expected.deltas)) {
				failures.add(this, "deltas " + indexes(deltas) + ", expected " + indexes(expected.deltas));
			}
			for (int i = 0; i < deltas.size(); i++) {
				if (deltas.get(i).chunkIndex != i) {
					failures.add(this, "chunk indexes " + indexes(deltas) + " are not 0..n-1");
					break;
				}
			}
			for (StreamEvent event : events) {
				if (event instanceof StreamDeltaEvent
						&& !event.metadata().keySet().containsAll(this.chain.metadataKeys)) {
					failures.add(this, "delta without the metadata " + this.chain.metadataKeys + ": " + event);
					break;
				}
			}
		}

		@Override
		public String toString() {
			return "stream " + this.id + " [" + this.plan + "; " + this.chain.description + "]";
		}

	}

	private static List<Integer> indexes(List<Delta> deltas) {
		return deltas.stream().map(Delta::chunkIndex).toList();
	}

	/** The failures found, the first few in full. */
	private static final class Failures {

		final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();

		void add(Run run, String message) {
			if (this.messages.size() < 20) {
				this.messages.add(run + ": " + message);
			}
		}

	}

}
