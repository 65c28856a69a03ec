package io.steer.llm.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.DeltaKind;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.options.BufferType;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.shaping.TextBuffer;
import io.steer.llm.shaping.TextShaping;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code shaping} scenario: {@link TextShaping#text} of each {@link BufferType}
 * ({@code TOKEN} in groups of 5 {@code cl100k_base} tokens) with a maximum hold time,
 * over the text deltas of the longest recording the test kit bundles (by the length of
 * the {@code text} of its {@code expected.json}), as our client streams them from the
 * recording over the loopback server. The deltas are played at full speed (all at once)
 * and paced like a model (one every {@code --shaping-interval-ms} on
 * {@code Flux.interval}, real time). Per type: the pieces released, the latency added to
 * each character (UTF-16 unit: from the arrival of its delta at the operator to the
 * release of the piece holding it), the most characters the operator held once it had
 * dealt with a delta, and the CPU time of the calling thread per input delta at full
 * speed over {@code --shaping-runs} runs after {@code --shaping-warmup} warm-up runs (the
 * hold timer's own thread, if it fires, is not counted). The full-speed latencies are
 * those of the last of 201 timed plays, the timing code warmed up too. The maximum hold
 * time spares the last grapheme cluster of what it releases (it may not be complete): it
 * waits for the next delta and that delta's hold time, so a paced maximum may exceed the
 * hold time by about one interval.
 */
final class ShapingBenchmark {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Full-speed plays before the one reported. */
	private static final int PLAY_WARMUP = 200;

	private final List<String> deltas;

	private final int chars;

	private final int[] offsets;

	private ShapingBenchmark(List<String> deltas) {
		this.deltas = deltas;
		this.offsets = new int[deltas.size() + 1];
		for (int i = 0; i < deltas.size(); i++) {
			this.offsets[i + 1] = this.offsets[i] + deltas.get(i).length();
		}
		this.chars = this.offsets[deltas.size()];
	}

	/**
	 * Runs the scenario and prints one {@code SHAPING} markdown table row per type.
	 * @param warmup warm-up runs at full speed per type
	 * @param runs measured runs at full speed per type
	 * @param interval time between deltas when paced
	 * @param maxHold the operators' maximum hold time
	 */
	static void run(int warmup, int runs, Duration interval, Duration maxHold) {
		SseFixture longest = SseFixture.all()
			.stream()
			.filter((fixture) -> fixture.expectedJson().isPresent())
			.max(Comparator.comparingInt((fixture) -> expected(fixture).path("text").asString("").length()))
			.orElseThrow();
		ShapingBenchmark benchmark = new ShapingBenchmark(textDeltas(longest));
		System.out.printf(Locale.ROOT,
				"%n== shaping: TextShaping.text over %s's %d text deltas (%d characters), max hold %d ms; full speed (%d warm-up runs, CPU over %d runs) and paced (a delta every %d ms)%n",
				longest, benchmark.deltas.size(), benchmark.chars, maxHold.toMillis(), warmup, runs,
				interval.toMillis());
		System.out.println(
				"SHAPING | buffer | pieces (full / paced) | added latency full speed, ms (mean / p99 / max) | added latency paced, ms (mean / p99 / max) | peak chars held (full / paced) | CPU ns per delta |");
		System.out.println("SHAPING | --- | --- | --- | --- | --- | --- |");
		for (BufferType type : BufferType.values()) {
			Function<Flux<String>, Flux<String>> operator = TextShaping.text(type,
					TextBuffer.Settings.defaults().withChunkSize(5), maxHold);
			double cpu = benchmark.cpuNanosPerDelta(operator, warmup, runs);
			Played full = benchmark.play(operator, Flux.range(0, benchmark.deltas.size()));
			for (int i = 0; i < PLAY_WARMUP; i++) {
				// the timing code warmed up too: the last play is the one reported
				full = benchmark.play(operator, Flux.range(0, benchmark.deltas.size()));
			}
			Played paced = benchmark.play(operator,
					Flux.interval(interval).take(benchmark.deltas.size()).map(Math::toIntExact));
			System.out.printf(Locale.ROOT, "SHAPING | %s | %d / %d | %s | %s | %d / %d | %.0f |%n",
					(type == BufferType.TOKEN) ? "token (5)" : type.name().toLowerCase(Locale.ROOT), full.pieces,
					paced.pieces, full.latencies(), paced.latencies(), full.peakHeld, paced.peakHeld, cpu);
		}
	}

	private static JsonNode expected(SseFixture fixture) {
		return MAPPER.readTree(fixture.expectedJson().orElseThrow());
	}

	/** The recording's text deltas, as our client streams them from it. */
	private static List<String> textDeltas(SseFixture fixture) {
		JsonNode expected = expected(fixture);
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			ProviderSettings settings = ProviderSettings.of(server.baseUrl(), "sk-benchmark");
			ProviderApi api = "responses".equals(expected.path("api").asString()) ? ProviderApi.RESPONSES
					: ProviderApi.CHAT_COMPLETIONS;
			SteerLLMClient client = SteerLLMClient.builder()
				.openAi(settings, api)
				.xai(settings, api)
				.anthropic(settings)
				.build();
			server.enqueue(MockResponse.replay(fixture));
			List<String> deltas = client
				.streamEvents(ChatRequest.builder().prompt("Hello").model(expected.path("model").asString()).build())
				.ofType(StreamDeltaEvent.class)
				.filter((delta) -> delta.kind() == DeltaKind.TEXT)
				.map(StreamDeltaEvent::delta)
				.collectList()
				.block(Duration.ofSeconds(30));
			if (deltas == null || !String.join("", deltas).equals(expected.path("text").asString())) {
				throw new IllegalStateException(fixture + ": the client's text is not the expected text");
			}
			return deltas;
		}
	}

	/**
	 * CPU time of this thread per input delta over {@code runs} full-speed runs, after
	 * {@code warmup} of them.
	 */
	private double cpuNanosPerDelta(Function<Flux<String>, Flux<String>> operator, int warmup, int runs) {
		AtomicLong out = new AtomicLong();
		Flux<String> shaped = Flux.fromIterable(this.deltas).transform(operator);
		for (int i = 0; i < warmup; i++) {
			shaped.subscribe((piece) -> out.addAndGet(piece.length()));
		}
		long start = ClientMeter.currentThreadCpuNanos();
		for (int i = 0; i < runs; i++) {
			shaped.subscribe((piece) -> out.addAndGet(piece.length()));
		}
		long cpu = ClientMeter.currentThreadCpuNanos() - start;
		if (out.get() != (long) (warmup + runs) * this.chars) {
			throw new IllegalStateException("full-speed runs released " + out.get() + " characters, not "
					+ (long) (warmup + runs) * this.chars);
		}
		return cpu / ((double) runs * this.deltas.size());
	}

	/**
	 * Plays delta {@code i} when {@code indexes} emits {@code i} and times every
	 * character through the operator. The held count is read each time the operator asks
	 * for the next delta (it asks once it has delivered all it released), and only falls
	 * in between.
	 */
	private Played play(Function<Flux<String>, Flux<String>> operator, Flux<Integer> indexes) {
		long[] arrived = new long[this.chars];
		long[] latency = new long[this.chars];
		AtomicLong held = new AtomicLong();
		AtomicLong peak = new AtomicLong();
		long[] released = new long[2];
		indexes.doOnNext((i) -> {
			Arrays.fill(arrived, this.offsets[i], this.offsets[i + 1], System.nanoTime());
			held.addAndGet(this.offsets[i + 1] - this.offsets[i]);
		})
			.onBackpressureBuffer()
			.doOnRequest((n) -> peak.accumulateAndGet(held.get(), Math::max))
			.map(this.deltas::get)
			.transform(operator)
			.doOnNext((piece) -> {
				long now = System.nanoTime();
				int from = (int) released[0];
				for (int c = from; c < from + piece.length(); c++) {
					latency[c] = now - arrived[c];
				}
				released[0] += piece.length();
				released[1]++;
				held.addAndGet(-piece.length());
			})
			.blockLast(Duration.ofMinutes(5));
		if (released[0] != this.chars) {
			throw new IllegalStateException("released " + released[0] + " of " + this.chars + " characters");
		}
		return new Played((int) released[1], latency, peak.get());
	}

	/** One play of the deltas through an operator. */
	private record Played(int pieces, long[] latency, long peakHeld) {

		/** Mean, p99 and max of the added latency per character, in ms. */
		String latencies() {
			long[] sorted = this.latency.clone();
			Arrays.sort(sorted);
			double mean = Arrays.stream(sorted).average().orElse(0);
			long p99 = sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)];
			return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", mean / 1e6, p99 / 1e6,
					sorted[sorted.length - 1] / 1e6);
		}

	}

}
