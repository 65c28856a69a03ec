package io.steer.llm.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamCompleteEvent;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import org.jspecify.annotations.Nullable;
import io.steer.llm.test.LoopbackProviderServer;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a synthetic 2,000-chunk OpenAI Chat Completions stream from the loopback
 * server, one SSE event per network write, through {@code SteerLLMClient.streamEvents}
 * with default options, and through a baseline: Reactor Netty reading the same stream
 * line by line and parsing each {@code data:} line into a Jackson tree.
 * <p>
 * CPU time is the sum of the CPU time of every thread except the loopback server's own
 * ({@code steer-loopback-*}), so that serving the stream is not counted, and the JIT
 * compiler threads. Variants run in interleaved rounds and each keeps its best round. See
 * the README for how to run it; arguments {@code --chunks=N}, {@code --warmup=N} and
 * {@code --iterations=N} change the sizes.
 */
public final class StreamingBenchmark {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private StreamingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int chunks = intArgument(args, "chunks", 2000);
		int warmup = intArgument(args, "warmup", 30);
		int iterations = intArgument(args, "iterations", 40);
		int rounds = intArgument(args, "rounds", 3);
		SseFixture fixture = SseFixture.syntheticOpenAiChat(chunks);
		try (LoopbackProviderServer server = LoopbackProviderServer.start()) {
			server.setDefaultResponse(MockResponse.replay(fixture));
			SteerLLMClient client = SteerLLMClient.builder()
				.openAi(ProviderSettings.of(server.baseUrl(), "sk-benchmark"))
				.build();
			ChatRequest request = ChatRequest.of("Write a long story", "gpt-4o-mini");
			JsonMapper mapper = JsonMapper.builder().build();
			HttpClient baselineClient = HttpClient.create();
			byte[] body = "{\"model\":\"gpt-4o-mini\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);

			LongSupplier ours = () -> streamEvents(client, request, StreamingOptions.DEFAULTS);
			StreamingOptions noEstimation = StreamingOptions.builder().enableUsageAggregation(false).build();
			LongSupplier oursWithoutEstimation = () -> streamEvents(client, request, noEstimation);
			// a provider not expected to report usage: tiktoken counts every delta as it
			// arrives
			SteerLLMClient countingClient = SteerLLMClient.builder()
				.provider(new CountAsDeltasArrive(OpenAiChatCompletionsAdapter
					.openAi(ProviderSettings.of(server.baseUrl(), "sk-benchmark"), JsonMapper.builder().build())))
				.build();
			LongSupplier oursCounting = () -> streamEvents(countingClient, request, StreamingOptions.DEFAULTS);
			LongSupplier baseline = () -> {
				AtomicLong parsed = new AtomicLong();
				ByteBuf carry = Unpooled.buffer(4096);
				baselineClient.post()
					.uri(server.baseUrl() + "/chat/completions")
					.send(ByteBufFlux.fromString(Mono.just(new String(body, StandardCharsets.UTF_8))))
					.responseContent()
					.doOnNext((content) -> {
						// split into lines, carrying a partial line over to the next
						// buffer
						carry.writeBytes(content);
						int lf;
						while ((lf = carry.indexOf(carry.readerIndex(), carry.writerIndex(), (byte) '\n')) >= 0) {
							ByteBuf line = carry.slice(carry.readerIndex(), lf - carry.readerIndex());
							if (isDataLine(line)) {
								parsed.incrementAndGet();
								if (readTree(mapper, line).isMissingNode()) {
									throw new IllegalStateException("unexpected chunk");
								}
							}
							carry.readerIndex(lf + 1);
						}
						carry.discardReadBytes();
					})
					.then()
					.block();
				carry.release();
				return parsed.get();
			};

			System.out.printf(Locale.ROOT,
					"Streaming benchmark: %d-chunk OpenAI stream over loopback, %d warm-up + %d rounds of %d measured runs each, %d cores%n",
					chunks, warmup, rounds, iterations, Runtime.getRuntime().availableProcessors());
			run("warm-up steer", ours, warmup);
			run("warm-up steer, estimation off", oursWithoutEstimation, warmup);
			run("warm-up steer, tiktoken per delta", oursCounting, warmup);
			run("warm-up baseline", baseline, warmup);
			// interleaved rounds; each variant's best round is kept (the VM's noise only
			// adds time)
			double baseCpu = Double.MAX_VALUE;
			double steerCpu = Double.MAX_VALUE;
			double offCpu = Double.MAX_VALUE;
			double countingCpu = Double.MAX_VALUE;
			for (int round = 1; round <= rounds; round++) {
				baseCpu = Math.min(baseCpu, run("baseline (Reactor Netty + Jackson tree) #" + round, baseline,
						iterations).cpuMicrosPerChunk);
				steerCpu = Math.min(steerCpu,
						run("steer streamEvents, default options #" + round, ours, iterations).cpuMicrosPerChunk);
				offCpu = Math.min(offCpu, run("steer, usage estimation off #" + round, oursWithoutEstimation,
						iterations).cpuMicrosPerChunk);
				countingCpu = Math.min(countingCpu,
						run("steer, tiktoken on every delta #" + round, oursCounting, iterations).cpuMicrosPerChunk);
			}
			System.out.printf(Locale.ROOT,
					"RESULT steer %.3f us/chunk, baseline %.3f us/chunk, ratio %.3f (target <= 1.25)%n", steerCpu,
					baseCpu, steerCpu / baseCpu);
			System.out.printf(Locale.ROOT,
					"RESULT usage estimation on (default: tiktoken runs only if the provider sends no usage) %.3f us/chunk, off %.3f us/chunk, added %.3f us/chunk (target <= 1.5)%n",
					steerCpu, offCpu, steerCpu - offCpu);
			System.out.printf(Locale.ROOT,
					"RESULT tiktoken counting every delta as it arrives %.3f us/chunk, added %.3f us/chunk over off%n",
					countingCpu, countingCpu - offCpu);
		}
	}

	private static long streamEvents(SteerLLMClient client, ChatRequest request, StreamingOptions options) {
		StreamCompleteEvent complete = (StreamCompleteEvent) client.streamEvents(request, options)
			.filter((event) -> event.isTerminal() || event instanceof StreamDeltaEvent)
			.last()
			.block();
		return complete.totalChunks();
	}

	/** Reads {@code --name=value} from the program arguments. */
	private static int intArgument(String[] args, String name, int defaultValue) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 3));
			}
		}
		return defaultValue;
	}

	private static boolean isDataLine(ByteBuf line) {
		int start = line.readerIndex();
		return line.readableBytes() > 6 && line.getByte(start) == 'd' && line.getByte(start + 4) == ':'
				&& line.getByte(start + 6) != '[';
	}

	private static JsonNode readTree(JsonMapper mapper, ByteBuf line) {
		ByteBuf payload = line.slice(line.readerIndex() + 6, line.readableBytes() - 6);
		try (ByteBufInputStream in = new ByteBufInputStream(payload)) {
			return mapper.readTree(in);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs a stream reader repeatedly. CPU per chunk divides by the content chunks the
	 * reader reported (the baseline also counts the role, finish and usage chunks: 2,003
	 * for 2,000).
	 */
	private static Result run(String name, LongSupplier stream, int iterations) {
		Map<Long, Long> cpuBefore = clientCpuTimes();
		long start = System.nanoTime();
		long chunks = 0;
		for (int i = 0; i < iterations; i++) {
			chunks += stream.getAsLong();
		}
		long wall = System.nanoTime() - start;
		Map<Long, Long> cpuAfter = clientCpuTimes();
		long cpu = 0;
		for (Map.Entry<Long, Long> entry : cpuAfter.entrySet()) {
			cpu += entry.getValue() - cpuBefore.getOrDefault(entry.getKey(), 0L);
		}
		Result result = new Result(cpu / 1000.0 / chunks, chunks / (wall / 1e9));
		System.out.printf(Locale.ROOT, "%-50s %8d chunks  %8.3f us CPU/chunk  %10.0f chunks/s%n", name, chunks,
				result.cpuMicrosPerChunk, result.chunksPerSecond);
		return result;
	}

	/**
	 * CPU time (ns) of every live thread except the loopback server's and the JIT
	 * compilers'.
	 */
	private static Map<Long, Long> clientCpuTimes() {
		Map<Long, Long> times = new HashMap<>();
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info != null && !info.getThreadName().startsWith("steer-loopback")
					&& !info.getThreadName().contains("CompilerThread")) {
				long time = THREADS.getThreadCpuTime(info.getThreadId());
				if (time >= 0) {
					times.put(info.getThreadId(), time);
				}
			}
		}
		return times;
	}

	private record Result(double cpuMicrosPerChunk, double chunksPerSecond) {

	}

	/** OpenAI Chat Completions, as if the provider sent no usage. */
	private record CountAsDeltasArrive(ProviderAdapter delegate) implements ProviderAdapter {

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public ProviderSettings settings() {
			return this.delegate.settings();
		}

		@Override
		public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
			return this.delegate.createRequest(request, model, options);
		}

		@Override
		public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
			return this.delegate.createParser(request, listener);
		}

		@Override
		public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
			return this.delegate.httpError(status, requestId, body);
		}

	}

}
