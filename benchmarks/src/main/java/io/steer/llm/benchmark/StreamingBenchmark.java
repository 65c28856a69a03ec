package io.steer.llm.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

import io.steer.llm.benchmark.ClientMeter.Measurement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Streams synthetic OpenAI Chat Completions streams from a provider in another JVM
 * ({@link BenchmarkServer}) through {@code SteerLLMClient.streamEvents} with default
 * options, and through baselines on the same stack, and reports what the client costs per
 * content chunk: CPU, bytes allocated, peak threads and peak heap ({@link ClientMeter}
 * says how each is measured).
 * <p>
 * Scenarios:
 * <ul>
 * <li>{@code burst}: one stream at a time of {@code --chunks} (2,000) content chunks, one
 * SSE event per flushed write, as fast as the client reads; {@code --iterations} (40)
 * streams per round.</li>
 * <li>{@code paced}: {@code --streams} (500) concurrent streams of {@code --paced-chunks}
 * (100) content chunks, each event written {@code --interval-ms} (20) after the previous
 * one, so that each is a network read of its own; the streams start spread over one
 * interval. One round is one such batch.</li>
 * <li>{@code json}: one stream at a time of one large JSON object ({@link JsonAnswer}:
 * {@code --json-products} (200) products, about 34 KB, 6,500 deltas) in deltas of 3 to 8
 * characters, the request asking for {@code response_format: json_object};
 * {@code --json-warmup} (30) warm-up streams after the short ones,
 * {@code --json-iterations} (15) streams per round. Its variants: {@code steer} (default
 * options: the JSON stream handler off), {@code steer-json} (the same with
 * {@code enable-json-stream-handler}, snapshots on; each delta's {@code jsonSnapshot()}
 * counted, and a stream that had snapshots fails unless its last is complete and equal to
 * the answer) and {@code webclient}; its {@code RESULT} line gives handler on / off, the
 * CPU and bytes it adds per chunk and the snapshots per stream.</li>
 * <li>{@code shaping} (only when named, and without the provider JVM):
 * {@code TextShaping.text} of every buffer type over the longest recording's text deltas,
 * at full speed and paced one every {@code --shaping-interval-ms} (15), maximum hold
 * {@code --max-hold-ms} (100), CPU over {@code --shaping-runs} (2,000) runs after
 * {@code --shaping-warmup} (2,000); one {@code SHAPING} markdown table row per type, see
 * {@link ShapingBenchmark}.</li>
 * </ul>
 * Variants: {@code steer} (default options), {@code steer-metrics} (the same client with
 * what Spring Boot gives an application with actuator and the Prometheus registry:
 * {@code meterRegistry} a {@code PrometheusMeterRegistry}, {@code observationRegistry}
 * one with Micrometer's {@code DefaultMeterObservationHandler} on that registry, a
 * {@code LiveStreams} and a {@code StreamStatistics}; see {@link AppMetrics}; its
 * {@code RESULT} line gives metrics on / off, CPU and bytes per chunk, and after the
 * scenario the registry is scraped once and the run fails if
 * {@code gen_ai_client_operation_duration_seconds_count} is 0), {@code steer-events} (the
 * same client with default options carrying an event processor chain, a type filter, two
 * metadata transformers and batching onto a background delivery; see {@link EventChain};
 * its {@code RESULT} line gives chain on / off, the CPU and bytes the chain adds per
 * event and the chunks per second, and after the scenario the run fails if the batch
 * handler saw no event), {@code steer-no-estimation} and {@code steer-counting} (burst
 * only: usage aggregation off; tiktoken counting every delta), {@code steer-gzip} (burst
 * only: {@code enable-compression}, the provider gzipping each event as it writes it, the
 * connector decoding it), {@code steer@<label>} (the same as {@code steer} over another
 * build of the core, given with {@code --compare-core=<label>=<classes folder or jar>},
 * several separated by commas), {@code webclient} (a plain {@code WebClient} reading
 * {@code ServerSentEvent<String>}, each {@code data} parsed with Jackson
 * {@code readTree}) and {@code netty} (Reactor Netty split into lines, each {@code data:}
 * line parsed into a Jackson tree); {@code netty-no-keepalive} (the same with a new
 * connection per stream) runs only when named in {@code --variants}. All share one
 * connection pool (one sub-pool each, its new connections counted) and Reactor Netty's
 * default event loops.
 * <p>
 * Every variant warms up (in burst {@code --warmup-streams} (3,000) streams of
 * {@code --warmup-chunks} (20) chunks, then {@code --warmup} (100) of {@code --chunks},
 * each; in paced {@code --paced-warmup} rounds each), then {@code --rounds} measured
 * rounds run interleaved, the order rotated each round, each after a full GC. Per
 * variant: best and median CPU of the rounds, median bytes, peak threads and heap over
 * the rounds. {@code --prompt-chars=N} sends a user message of N characters instead of
 * "Write a long story".
 */
public final class StreamingBenchmark {

	/** The variant with what Spring Boot gives an app with actuator and Prometheus. */
	private static final String STEER_METRICS = "steer-metrics";

	/** The variant with an event processor chain in its default options. */
	private static final String STEER_EVENTS = "steer-events";

	/** The {@code json} scenario's variant with the JSON stream handler on. */
	private static final String STEER_JSON = "steer-json";

	private StreamingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenarios = stringArgument(args, "scenario", "burst,paced,json");
		int chunks = intArgument(args, "chunks", 2000);
		int warmup = intArgument(args, "warmup", 100);
		int warmupStreams = intArgument(args, "warmup-streams", 3000);
		int warmupChunks = intArgument(args, "warmup-chunks", 20);
		int iterations = intArgument(args, "iterations", 40);
		int rounds = intArgument(args, "rounds", 5);
		int streams = intArgument(args, "streams", 500);
		int pacedChunks = intArgument(args, "paced-chunks", 100);
		int intervalMs = intArgument(args, "interval-ms", 20);
		int pacedWarmup = intArgument(args, "paced-warmup", 4);
		String compareCores = stringArgument(args, "compare-core", null);
		String only = stringArgument(args, "variants", null);
		int serverThreads = intArgument(args, "server-threads", 1);
		String prompt = prompt(intArgument(args, "prompt-chars", 0));
		int jsonProducts = intArgument(args, "json-products", 200);
		int jsonWarmup = intArgument(args, "json-warmup", 30);
		int jsonIterations = intArgument(args, "json-iterations", 15);

		if (scenarios.contains("shaping")) {
			ShapingBenchmark.run(intArgument(args, "shaping-warmup", 2000), intArgument(args, "shaping-runs", 2000),
					Duration.ofMillis(intArgument(args, "shaping-interval-ms", 15)),
					Duration.ofMillis(intArgument(args, "max-hold-ms", 100)));
			if (scenarios.replace("shaping", "").replace(",", "").isBlank()) {
				System.exit(0);
			}
		}
		ClientMeter meter = new ClientMeter();
		Map<String, IsolatedCore> compared = new LinkedHashMap<>();
		if (compareCores != null) {
			for (String core : compareCores.split(",")) {
				int equals = core.indexOf('=');
				compared.put((equals > 0) ? core.substring(0, equals) : "compared",
						IsolatedCore.of(core.substring(equals + 1)));
			}
		}
		ConnectionProvider pool = ConnectionProvider.builder("benchmark")
			.maxConnections(Math.max(streams, 16) + 16)
			.pendingAcquireMaxCount(-1)
			.build();
		System.out.printf(Locale.ROOT,
				"Streaming benchmark: %d cores, %s, client JVM %s; provider in its own JVM (%d event loop thread); prompt of %d characters%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
				ManagementArguments.summary(), serverThreads, prompt.length());
		try (BenchmarkServer.Handle server = BenchmarkServer.start(serverThreads)) {
			String base = "http://127.0.0.1:" + server.port();
			if (scenarios.contains("burst")) {
				AppMetrics metrics = new AppMetrics();
				EventChain chain = new EventChain();
				List<Variant> variants = variants(base + "/burst/" + chunks, pool, compared, only, true, prompt,
						metrics, chain);
				// the same clients' code over short streams: what runs once per stream
				// reaches the JIT's last tier in thousands of streams, not in 30
				List<Variant> shortVariants = variants(base + "/burst/" + warmupChunks, pool, compared, only, true,
						prompt, metrics, chain);
				System.out.printf(Locale.ROOT,
						"%n== burst: %d-chunk stream, one SSE event per flushed write, one stream at a time; %d warm-up streams of %d chunks and %d of %d chunks per variant, %d rounds of %d streams%n",
						chunks, warmupStreams, warmupChunks, warmup, chunks, rounds, iterations);
				Scenario burst = (variant) -> burst(variant, iterations, chunks);
				warmUp(shortVariants, warmupStreams, warmupChunks, variants, warmup, chunks);
				chain.measuring();
				Map<Variant, List<Measurement>> results = measure("burst", variants, rounds, meter, burst);
				chain.measured();
				report("burst", results, streams(1, chunks), chunks, false);
				long fullStreams = warmup + (long) rounds * iterations;
				if (has(variants, STEER_METRICS)) {
					metrics.check(warmupStreams + fullStreams);
				}
				checkEvents("burst", results, chain, chunks, warmupStreams + fullStreams,
						(long) warmupStreams * warmupChunks + fullStreams * chunks);
			}
			if (scenarios.contains("paced")) {
				AppMetrics metrics = new AppMetrics();
				EventChain chain = new EventChain();
				List<Variant> variants = variants(base + "/paced/" + pacedChunks + "/" + intervalMs, pool, compared,
						only, false, prompt, metrics, chain);
				System.out.printf(Locale.ROOT,
						"%n== paced: %d concurrent streams x %d chunks, %d ms apart (%d flushed writes per stream), started over one interval; %d warm-up rounds per variant, %d rounds%n",
						streams, pacedChunks, intervalMs, pacedChunks + 4, pacedWarmup, rounds);
				Scenario paced = (variant) -> paced(variant, streams, pacedChunks, intervalMs);
				for (int i = 0; i < pacedWarmup; i++) {
					for (Variant variant : variants) {
						paced.run(variant);
					}
				}
				long readsBefore = Baselines.nettyReads.get();
				chain.measuring();
				Map<Variant, List<Measurement>> results = measure("paced", variants, rounds, meter, paced);
				chain.measured();
				report("paced", results, streams(streams, pacedChunks), pacedChunks, true);
				long pacedStreams = (long) (pacedWarmup + rounds) * streams;
				if (has(variants, STEER_METRICS)) {
					metrics.check(pacedStreams);
				}
				checkEvents("paced", results, chain, pacedChunks, pacedStreams, pacedStreams * pacedChunks);
				long nettyRounds = variants.stream().filter((v) -> v.key.startsWith("netty")).count() * rounds;
				if (nettyRounds > 0) {
					System.out.printf(Locale.ROOT, "network reads per SSE event (netty baseline): %.3f%n",
							(Baselines.nettyReads.get() - readsBefore)
									/ (double) (nettyRounds * streams * (pacedChunks + 4L)));
				}
			}
			if (scenarios.contains("json")) {
				json(base, pool, only, prompt, meter, jsonProducts, warmupStreams, jsonWarmup, rounds, jsonIterations);
			}
		}
		finally {
			pool.dispose();
		}
		System.exit(0);
	}

	/**
	 * The {@code json} scenario: one stream at a time of {@link JsonAnswer#of(int)},
	 * handler off ({@code steer}) and on ({@code steer-json}), and the {@code webclient}
	 * baseline; warmed up as burst is, the short streams a one-product answer.
	 */
	private static void json(String base, ConnectionProvider pool, @Nullable String only, String prompt,
			ClientMeter meter, int products, int warmupStreams, int warmup, int rounds, int iterations) {
		JsonAnswer answer = JsonAnswer.of(products);
		JsonAnswer small = JsonAnswer.of(1);
		JsonAnswer.Tally off = answer.tally();
		JsonAnswer.Tally on = answer.tally();
		List<Variant> variants = jsonVariants(base + "/json/" + products, pool, only, prompt, off, on);
		List<Variant> shortVariants = jsonVariants(base + "/json/1", pool, only, prompt, small.tally(), small.tally());
		int chunks = answer.deltas().size();
		int shortChunks = small.deltas().size();
		int bytes = String.join("", answer.deltas()).getBytes(StandardCharsets.UTF_8).length;
		System.out.printf(Locale.ROOT,
				"%n== json: one %d-byte JSON object (%d products) in %d deltas of 3 to 8 characters, response_format json_object, one stream at a time; %d warm-up streams of %d chunks and %d of %d chunks per variant, %d rounds of %d streams%n",
				bytes, products, chunks, warmupStreams, shortChunks, warmup, chunks, rounds, iterations);
		warmUp(shortVariants, warmupStreams, shortChunks, variants, warmup, chunks);
		off.mark();
		on.mark();
		Map<Variant, List<Measurement>> results = measure("json", variants, rounds, meter,
				(variant) -> burst(variant, iterations, chunks));
		report("json", results, streams(1, chunks), chunks, false);
		checkJson(results, off, on);
	}

	private static List<Variant> jsonVariants(String baseUrl, ConnectionProvider pool, @Nullable String only,
			String prompt, JsonAnswer.Tally off, JsonAnswer.Tally on) {
		List<Variant> all = List.of(
				Variant.of("steer", "steer streamEvents, JSON handler off", 0, pool,
						(http) -> new SteerStreams(http, baseUrl, false, prompt, off)),
				Variant.of(STEER_JSON, "steer, JSON handler on (snapshots)", 0, pool,
						(http) -> new SteerStreams(http, baseUrl, true, prompt, on)),
				Variant.of("webclient", "WebClient ServerSentEvent<String> + readTree", 3, pool,
						(http) -> Baselines.webClient(http, baseUrl, prompt)));
		if (only == null) {
			return all;
		}
		List<String> keys = Arrays.asList(only.split(","));
		return all.stream().filter((variant) -> keys.contains(variant.key)).toList();
	}

	/**
	 * Prints the JSON handler's {@code RESULT} line, {@code steer-json} against
	 * {@code steer}, with the snapshots each delivered per measured stream.
	 * @param off what the handler-off subscriber saw
	 * @param on what the handler-on subscriber saw
	 * @throws IllegalStateException if the handler-off variant saw snapshots (the
	 * comparison would not be of the handler off)
	 */
	private static void checkJson(Map<Variant, List<Measurement>> results, JsonAnswer.Tally off, JsonAnswer.Tally on) {
		List<Measurement> json = rounds(results, STEER_JSON);
		List<Measurement> steer = rounds(results, "steer");
		if (json.isEmpty() || steer.isEmpty()) {
			return;
		}
		if (off.snapshotsPerStream() > 0) {
			throw new IllegalStateException("steer (JSON handler off) saw " + off.snapshotsPerStream()
					+ " JSON snapshots per stream: the handler is not off");
		}
		Summary handler = Summary.of(json);
		Summary plain = Summary.of(steer);
		System.out.printf(Locale.ROOT,
				"RESULT json handler on / off (steer-json / steer): %s; added CPU %.3f us per chunk (paired %.3f us); bytes %.0f vs %.0f B per chunk (%+.0f); snapshots per stream %.1f on (last one the complete answer in %d of %d streams), %.1f off (target CPU <= 1.30)%n",
				cpuRatios(results, STEER_JSON), handler.medianCpu - plain.medianCpu,
				paired(json, steer, (variant, baseline) -> variant - baseline), handler.medianBytes, plain.medianBytes,
				handler.medianBytes - plain.medianBytes, on.snapshotsPerStream(), on.completeSinceMark(),
				on.streamsSinceMark(), off.snapshotsPerStream());
		if (on.snapshotsPerStream() == 0) {
			System.out.printf(Locale.ROOT,
					"NOTE json: steer-json saw no JSON snapshot, so this core has no JSON stream handler (or it never fired): on / off measured the same work%n");
		}
	}

	/**
	 * The user message: "Write a long story", or as many characters of prose as asked for
	 * (a long prompt, as with retrieved context).
	 */
	private static String prompt(int chars) {
		if (chars <= 0) {
			return "Write a long story";
		}
		String words = "The quick brown fox jumps over the lazy dog while the streaming client reads every chunk. ";
		StringBuilder prompt = new StringBuilder(chars + words.length());
		while (prompt.length() < chars) {
			prompt.append(words);
		}
		return prompt.substring(0, chars);
	}

	private static String streams(int streams, int chunks) {
		return streams + " x " + chunks;
	}

	private static boolean has(List<Variant> variants, String key) {
		return variants.stream().anyMatch((variant) -> variant.key.equals(key));
	}

	private static List<Variant> variants(String baseUrl, ConnectionProvider pool, Map<String, IsolatedCore> compared,
			@Nullable String only, boolean burst, String prompt, AppMetrics metrics, EventChain chain) {
		List<Variant> all = new ArrayList<>();
		all.add(Variant.of("steer", "steer streamEvents, default options", 0, pool,
				(http) -> new SteerStreams(http, baseUrl, "default", prompt)));
		all.add(Variant.of(STEER_METRICS, "steer, Boot metrics (Prometheus + observation)", 0, pool,
				(http) -> new SteerStreams(http, baseUrl, "default", prompt, metrics::configure)));
		all.add(Variant.of(STEER_EVENTS, "steer, events: filter, 2 transformers, batches", 0, pool,
				(http) -> new SteerStreams(http, baseUrl, "default", prompt, chain::configure)));
		compared.forEach((label, core) -> all.add(Variant.of("steer@" + label, "steer @" + label + ", default options",
				0, pool, (http) -> core.streams(http, baseUrl, "default", prompt))));
		if (burst) {
			all.add(Variant.of("steer-no-estimation", "steer, usage estimation off", 0, pool,
					(http) -> new SteerStreams(http, baseUrl, "no-estimation", prompt)));
			all.add(Variant.of("steer-counting", "steer, tiktoken on every delta", 0, pool,
					(http) -> new SteerStreams(http, baseUrl, "counting", prompt)));
			all.add(Variant.of("steer-gzip", "steer, enable-compression (gzip)", 0, pool,
					(http) -> new SteerStreams(http.compress(true), baseUrl, "gzip", prompt)));
		}
		all.add(Variant.of("webclient", "WebClient ServerSentEvent<String> + readTree", 3, pool,
				(http) -> Baselines.webClient(http, baseUrl, prompt)));
		all.add(Variant.of("netty", "Reactor Netty + Jackson tree", 3, pool,
				(http) -> Baselines.reactorNetty(http, baseUrl, prompt)));
		if (only == null) {
			return all;
		}
		List<String> keys = Arrays.asList(only.split(","));
		// diagnostic, only when asked for: what a new connection per stream costs
		all.add(Variant.of("netty-no-keepalive", "Reactor Netty + Jackson tree, no keep-alive", 3, pool,
				(http) -> Baselines.reactorNetty(http.keepAlive(false), baseUrl, prompt)));
		return all.stream().filter((variant) -> keys.contains(variant.key)).toList();
	}

	/**
	 * Warms up as burst does: {@code shortStreams} rounds of one short stream per variant
	 * (what runs once per stream reaches the JIT's last tier in thousands of streams, not
	 * in 30), then {@code streams} rounds of one full stream per variant; prints the time
	 * the JIT spent compiling.
	 */
	private static void warmUp(List<Variant> shortVariants, int shortStreams, int shortChunks, List<Variant> variants,
			int streams, int chunks) {
		long jitBefore = ClientMeter.jitMillis();
		for (int i = 0; i < shortStreams; i++) {
			for (Variant variant : shortVariants) {
				burst(variant, 1, shortChunks);
			}
		}
		for (int i = 0; i < streams; i++) {
			for (Variant variant : variants) {
				burst(variant, 1, chunks);
			}
		}
		System.out.printf(Locale.ROOT, "warm-up: JIT compiling %d ms%n", ClientMeter.jitMillis() - jitBefore);
	}

	/** Runs {@code iterations} streams one after the other. */
	private static long burst(Variant variant, int iterations, int chunks) {
		long streamed = 0;
		for (int i = 0; i < iterations; i++) {
			Long count = variant.streams.get().block();
			if (count == null || count != chunks + variant.extraChunks) {
				throw new IllegalStateException(variant.name + " streamed " + count + " chunks");
			}
			streamed += chunks;
		}
		return streamed;
	}

	/**
	 * Runs {@code streams} streams at once, started evenly over one interval, and waits
	 * for them all.
	 */
	private static long paced(Variant variant, int streams, int chunks, int intervalMs) {
		CountDownLatch done = new CountDownLatch(streams);
		AtomicLong streamed = new AtomicLong();
		AtomicInteger failed = new AtomicInteger();
		AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
		long start = System.nanoTime();
		long spacing = TimeUnit.MILLISECONDS.toNanos(intervalMs) / streams;
		for (int i = 0; i < streams; i++) {
			long due = start + i * spacing;
			for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			variant.streams.get().subscribe((count) -> {
				if (count == chunks + variant.extraChunks) {
					streamed.addAndGet(chunks);
				}
				else {
					failed.incrementAndGet();
					firstFailure.compareAndSet(null, new IllegalStateException("streamed " + count + " chunks"));
				}
			}, (ex) -> {
				failed.incrementAndGet();
				firstFailure.compareAndSet(null, ex);
				done.countDown();
			}, done::countDown);
		}
		try {
			if (!done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException(variant.name + ": streams still running after 10 minutes");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (failed.get() > 0) {
			System.out.printf(Locale.ROOT, "  %s: %d of %d streams failed, first: %s%n", variant.name, failed.get(),
					streams, firstFailure.get());
		}
		return streamed.get();
	}

	private static Map<Variant, List<Measurement>> measure(String scenario, List<Variant> variants, int rounds,
			ClientMeter meter, Scenario run) {
		Map<Variant, List<Measurement>> results = new LinkedHashMap<>();
		variants.forEach((variant) -> results.put(variant, new ArrayList<>()));
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < variants.size(); i++) {
				Variant variant = variants.get((i + round) % variants.size());
				System.gc();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
				long connectionsBefore = variant.connections.get();
				ClientMeter.Start start = meter.begin();
				long chunks = run.run(variant);
				Measurement m = meter.end(start, chunks, variant.connections.get() - connectionsBefore);
				results.get(variant).add(m);
				System.out.printf(Locale.ROOT,
						"%s #%d %-46s %8.3f us CPU/chunk %8.0f B/chunk (heap %6.0f) threads %3d heap %4d/%3d MiB GC %2d (%3d ms) JIT %4d ms conns %4d wall %6.2f s%s%n",
						scenario, round + 1, variant.name, m.cpuMicrosPerChunk(), m.bytesPerChunk(),
						m.heapBytesPerChunk(), m.peakThreads(), m.peakHeap() >> 20, m.peakLive() >> 20, m.gcs(),
						m.gcMillis(), m.jitMillis(), m.connections(), m.wallNanos() / 1e9,
						(m.threadsDied() > 0) ? " (" + m.threadsDied() + " threads died)" : "");
			}
		}
		return results;
	}

	private static void report(String scenario, Map<Variant, List<Measurement>> results, String size,
			int chunksPerStream, boolean paced) {
		System.out.printf(Locale.ROOT, "%n-- %s (%s chunks), %d rounds%n", scenario, size,
				results.values().iterator().next().size());
		System.out.printf(Locale.ROOT, "%-46s %9s %9s %9s %9s %7s %9s %9s %11s%n", "variant", "CPU best", "CPU med",
				"B/chunk", "heap B/ch", "threads", "heap MiB", "live MiB", "chunks/s");
		Map<Variant, Summary> summaries = new LinkedHashMap<>();
		results.forEach((variant, measurements) -> {
			Summary summary = Summary.of(measurements);
			summaries.put(variant, summary);
			System.out.printf(Locale.ROOT, "%-46s %9.3f %9.3f %9.0f %9.0f %7d %9d %9d %6d %11.0f%n", variant.name,
					summary.bestCpu, summary.medianCpu, summary.medianBytes, summary.medianHeapBytes,
					summary.peakThreads, summary.peakHeap >> 20, summary.peakLive >> 20, summary.median.connections(),
					summary.chunksPerSecond);
		});
		System.out.printf(Locale.ROOT,
				"CPU by thread group, median round, us/chunk (vm = process CPU not in a Java thread: GC, JIT compilers, VM threads; of which JIT = time spent compiling):%n");
		summaries.forEach((variant, summary) -> {
			StringBuilder line = new StringBuilder();
			summary.median.cpuByGroup()
				.forEach((group, nanos) -> line
					.append(String.format(Locale.ROOT, " %s %.2f", group, nanos / 1000.0 / summary.median.chunks())));
			line.append(String.format(Locale.ROOT, " (of which JIT %.2f)",
					summary.median.jitMillis() * 1000.0 / summary.median.chunks()));
			System.out.printf(Locale.ROOT, "  %-44s%s%n", variant.name, line);
		});
		System.out.printf(Locale.ROOT, "live threads at the end of the last round, by group:%n");
		summaries.forEach((variant, summary) -> System.out.printf(Locale.ROOT, "  %-44s %s%n", variant.name,
				summary.last.threadGroups()));
		Summary steer = find(summaries, "steer");
		if (steer == null) {
			return;
		}
		for (Map.Entry<Variant, Summary> entry : summaries.entrySet()) {
			Variant variant = entry.getKey();
			if (variant.key.equals("steer") || variant.key.equals(STEER_METRICS) || variant.key.equals(STEER_EVENTS)
					|| variant.key.equals(STEER_JSON)) {
				continue;
			}
			Summary other = entry.getValue();
			String target = switch (variant.key) {
				case "netty" -> paced ? "" : " (target CPU <= 1.25, bytes <= 1.5)";
				case "webclient" -> paced ? " (target CPU <= 1.00)" : "";
				default -> "";
			};
			System.out.printf(Locale.ROOT,
					"RESULT %s steer / %s: CPU best %.3f, median %.3f; bytes %.3f; threads %d vs %d%s%n", scenario,
					variant.name, steer.bestCpu / other.bestCpu, steer.medianCpu / other.medianCpu,
					steer.medianBytes / other.medianBytes, steer.peakThreads, other.peakThreads, target);
		}
		Summary metered = find(summaries, STEER_METRICS);
		if (metered != null) {
			double extraBytes = metered.medianBytes - steer.medianBytes;
			System.out.printf(Locale.ROOT,
					"RESULT %s metrics on / off (steer-metrics / steer): %s; bytes %.3f (%+.0f B/chunk, %+.0f B per %d-chunk stream); JIT compiling %.0f vs %.0f ms per round (target CPU <= 1.10, no per-chunk allocation from metrics)%n",
					scenario, cpuRatios(results, STEER_METRICS), metered.medianBytes / steer.medianBytes, extraBytes,
					extraBytes * chunksPerStream, chunksPerStream, medianJit(rounds(results, STEER_METRICS)),
					medianJit(rounds(results, "steer")));
		}
	}

	private static List<Measurement> rounds(Map<Variant, List<Measurement>> results, String key) {
		for (Map.Entry<Variant, List<Measurement>> entry : results.entrySet()) {
			if (entry.getKey().key.equals(key)) {
				return entry.getValue();
			}
		}
		return List.of();
	}

	/**
	 * Checks what the {@code steer-events} chain's handler saw, closing its delivery, and
	 * prints the chain's {@code RESULT} line against {@code steer}; only closes the
	 * delivery when the scenario ran no {@code steer-events}.
	 * @param chunksPerStream content chunks of a measured stream
	 * @param streams streams each variant ran, warm-up included
	 * @param deltas deltas those streams delivered
	 */
	private static void checkEvents(String scenario, Map<Variant, List<Measurement>> results, EventChain chain,
			int chunksPerStream, long streams, long deltas) {
		List<Measurement> events = rounds(results, STEER_EVENTS);
		if (events.isEmpty()) {
			chain.close();
			return;
		}
		chain.check(streams, deltas);
		List<Measurement> steer = rounds(results, "steer");
		if (steer.isEmpty()) {
			return;
		}
		Summary on = Summary.of(events);
		Summary off = Summary.of(steer);
		double eventsPerStream = chain.eventsPerStream(chunksPerStream, streams);
		double chunksPerEvent = chunksPerStream / eventsPerStream;
		System.out.printf(Locale.ROOT,
				"RESULT %s events chain on / off (steer-events / steer): %s; added CPU per event %.3f us (paired %.3f us), %+.0f B per event (%.2f events per %d-chunk stream); steer-events %.0f chunks/s wall, %.0f chunks per CPU-second (target added CPU < 2 us per event)%n",
				scenario, cpuRatios(results, STEER_EVENTS), (on.medianCpu - off.medianCpu) * chunksPerEvent,
				paired(events, steer, (variant, baseline) -> variant - baseline) * chunksPerEvent,
				(on.medianBytes - off.medianBytes) * chunksPerEvent, eventsPerStream, chunksPerStream,
				on.chunksPerSecond, 1e6 / on.medianCpu);
	}

	/**
	 * A variant's CPU per chunk over {@code steer}'s in one scenario: best over best,
	 * median over median, and {@linkplain #paired paired}.
	 */
	private static String cpuRatios(Map<Variant, List<Measurement>> results, String key) {
		List<Measurement> variant = rounds(results, key);
		List<Measurement> steer = rounds(results, "steer");
		Summary on = Summary.of(variant);
		Summary off = Summary.of(steer);
		return String.format(Locale.ROOT, "CPU best %.3f, median %.3f, paired %.3f", on.bestCpu / off.bestCpu,
				on.medianCpu / off.medianCpu, paired(variant, steer, (a, b) -> a / b));
	}

	/**
	 * The median over the rounds of {@code compare} of the CPU per chunk of one variant
	 * and another's in the same round (their ratio, their difference): each round runs
	 * them one after the other, so what drifts between rounds (the JIT still compiling,
	 * the provider's JVM, the machine) weighs on both alike, where comparing their
	 * medians compares rounds run seconds apart.
	 */
	private static double paired(List<Measurement> variant, List<Measurement> baseline, DoubleBinaryOperator compare) {
		int n = Math.min(variant.size(), baseline.size());
		double[] ratios = new double[n];
		for (int i = 0; i < n; i++) {
			ratios[i] = compare.applyAsDouble(variant.get(i).cpuMicrosPerChunk(), baseline.get(i).cpuMicrosPerChunk());
		}
		Arrays.sort(ratios);
		return (n == 0) ? Double.NaN : (n % 2 == 1) ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
	}

	/**
	 * The median time the JIT compilers spent compiling during a variant's rounds (ms).
	 */
	private static double medianJit(List<Measurement> rounds) {
		long[] jit = rounds.stream().mapToLong(Measurement::jitMillis).sorted().toArray();
		int n = jit.length;
		return (n == 0) ? Double.NaN : (n % 2 == 1) ? jit[n / 2] : (jit[n / 2 - 1] + jit[n / 2]) / 2.0;
	}

	private static @Nullable Summary find(Map<Variant, Summary> summaries, String key) {
		for (Map.Entry<Variant, Summary> entry : summaries.entrySet()) {
			if (entry.getKey().key.equals(key)) {
				return entry.getValue();
			}
		}
		return null;
	}

	/** Reads {@code --name=value} from the program arguments. */
	private static int intArgument(String[] args, String name, int defaultValue) {
		String value = stringArgument(args, name, null);
		return (value != null) ? Integer.parseInt(value) : defaultValue;
	}

	private static @Nullable String stringArgument(String[] args, String name, @Nullable String defaultValue) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return arg.substring(name.length() + 3);
			}
		}
		return defaultValue;
	}

	/** One round of a scenario for a variant; returns the content chunks streamed. */
	@FunctionalInterface
	private interface Scenario {

		long run(Variant variant);

	}

	/**
	 * A client under test.
	 *
	 * @param key its name in {@code --variants}
	 * @param name its name in the output
	 * @param extraChunks how many more chunks than content chunks it counts (the role,
	 * finish and usage chunks)
	 * @param streams one stream per call, emitting the chunks it counted
	 * @param connections TCP connections its HTTP client opened
	 */
	private record Variant(String key, String name, int extraChunks, Supplier<Mono<Long>> streams,
			AtomicLong connections) {

		/**
		 * A variant over an HTTP client of its own (so a sub-pool of its own in the
		 * shared pool) that counts the connections it opens.
		 */
		static Variant of(String key, String name, int extraChunks, ConnectionProvider pool,
				Function<HttpClient, Supplier<Mono<Long>>> streams) {
			AtomicLong connections = new AtomicLong();
			HttpClient http = HttpClient.create(pool)
				.doOnChannelInit((observer, channel, address) -> connections.incrementAndGet());
			return new Variant(key, name, extraChunks, streams.apply(http), connections);
		}

	}

	/** A variant's rounds, summarized. */
	private record Summary(double bestCpu, double medianCpu, double medianBytes, double medianHeapBytes,
			int peakThreads, long peakHeap, long peakLive, double chunksPerSecond, Measurement median,
			Measurement last) {

		static Summary of(List<Measurement> rounds) {
			List<Measurement> byCpu = new ArrayList<>(rounds);
			byCpu.sort(Comparator.comparingDouble(Measurement::cpuMicrosPerChunk));
			Measurement median = byCpu.get(byCpu.size() / 2);
			double[] bytes = rounds.stream().mapToDouble(Measurement::bytesPerChunk).sorted().toArray();
			double[] heap = rounds.stream().mapToDouble(Measurement::heapBytesPerChunk).sorted().toArray();
			double[] rate = rounds.stream().mapToDouble((m) -> m.chunks() / (m.wallNanos() / 1e9)).sorted().toArray();
			return new Summary(byCpu.get(0).cpuMicrosPerChunk(), median(byCpu), bytes[bytes.length / 2],
					heap[heap.length / 2], rounds.stream().mapToInt(Measurement::peakThreads).max().orElse(0),
					rounds.stream().mapToLong(Measurement::peakHeap).max().orElse(0),
					rounds.stream().mapToLong(Measurement::peakLive).max().orElse(0), rate[rate.length / 2], median,
					rounds.get(rounds.size() - 1));
		}

		private static double median(List<Measurement> sorted) {
			int n = sorted.size();
			return (n % 2 == 1) ? sorted.get(n / 2).cpuMicrosPerChunk()
					: (sorted.get(n / 2 - 1).cpuMicrosPerChunk() + sorted.get(n / 2).cpuMicrosPerChunk()) / 2;
		}

	}

	/** The JVM options of this run, for the header. */
	private static final class ManagementArguments {

		static String summary() {
			List<String> options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
			Map<String, String> shown = new TreeMap<>();
			for (String option : options) {
				if (option.startsWith("-Xm") || option.startsWith("-XX:+Use")) {
					shown.put(option, option);
				}
			}
			return String.join(" ", shown.values());
		}

	}

}
