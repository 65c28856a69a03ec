package io.steer.llm.shaping;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import io.steer.llm.event.StreamEvent;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * The output shaping a {@link StreamingOptions} asks for, as one operator: first the text
 * buffer ({@link StreamingOptions#bufferType()} other than {@link BufferType#NONE}, held
 * at most {@link StreamingOptions#bufferTimeout()}; see {@link TextShaping}), then the
 * pacer ({@link StreamingOptions#maxAddedLatency()} positive; see {@link AdaptivePacer}),
 * then the rate limit ({@link StreamingOptions#rateLimit()} positive: a fresh
 * {@link RateLimiter} per subscription, so per stream). Each stage is there only when its
 * option is set; with none set, the operator is {@link Function#identity()}, so a stream
 * that asked for no shaping gets none and pays nothing.
 * <p>
 * {@code SteerLLMClient.stream(…)} applies {@link #text} to its text, and
 * {@code io.steer.llm.web.ServerSentEvents} given options applies {@link #events} to the
 * events it writes. {@code streamEvents} is never shaped by its options: apply
 * {@link #events} (or the single operators) yourself. A limit shared by several streams
 * (a per-tenant cap) is one {@link RateLimiter} instance applied with
 * {@link RateLimiter#limitText()} or {@link RateLimiter#limitEvents()}, rather than
 * {@code rateLimit}.
 * <p>
 * The operators keep the stages' behaviour: the text out is exactly the text in, the end
 * of the source releases what is held, then completes or fails; cancellation cancels the
 * source and every timer.
 */
public final class OutputShaping {

	private OutputShaping() {
	}

	/**
	 * Whether the options ask for any shaping of text: a buffer type other than
	 * {@link BufferType#NONE}, a positive {@code maxAddedLatency} or a positive
	 * {@code rateLimit}.
	 * @param options the options
	 * @return whether {@link #text} and {@link #events} do anything
	 */
	public static boolean shapes(StreamingOptions options) {
		Objects.requireNonNull(options, "options");
		return options.bufferType() != BufferType.NONE || !options.maxAddedLatency().isZero()
				|| options.rateLimit() > 0;
	}

	/**
	 * The operator that shapes a flux of text as the options ask.
	 * @param options the options
	 * @param model the model whose jtokkit encoding a {@link BufferType#TOKEN} buffer
	 * counts with, {@code null} for {@code cl100k_base}
	 * @return the operator; {@link Function#identity()} when the options ask for no
	 * shaping
	 */
	public static Function<Flux<String>, Flux<String>> text(StreamingOptions options, @Nullable String model) {
		if (!shapes(options)) {
			return Function.identity();
		}
		Function<Flux<String>, Flux<String>> buffer = TextShaping.text(options.bufferType(), settings(options, model),
				options.bufferTimeout());
		AdaptivePacer pacer = pacer(options);
		double rate = options.rateLimit();
		return (source) -> {
			Flux<String> shaped = buffer.apply(source);
			if (pacer != null) {
				shaped = shaped.transform(pacer.paceText());
			}
			if (rate > 0) {
				Flux<String> paced = shaped;
				shaped = Flux.defer(() -> paced.transform(RateLimiter.of(rate).limitText()));
			}
			return shaped;
		};
	}

	/**
	 * The operator that shapes a stream's events as the options ask: text and reasoning
	 * deltas are re-chunked, paced and limited; every other event flushes what is held
	 * and passes through in order (see {@link TextShaping#events},
	 * {@link AdaptivePacer#paceEvents()}, {@link RateLimiter#limitEvents()}).
	 * @param options the options
	 * @param model the model whose jtokkit encoding a {@link BufferType#TOKEN} buffer
	 * counts with, {@code null} for {@code cl100k_base}
	 * @return the operator; {@link Function#identity()} when the options ask for no
	 * shaping
	 */
	public static Function<Flux<StreamEvent>, Flux<StreamEvent>> events(StreamingOptions options,
			@Nullable String model) {
		if (!shapes(options)) {
			return Function.identity();
		}
		Function<Flux<StreamEvent>, Flux<StreamEvent>> buffer = TextShaping.events(options.bufferType(),
				settings(options, model), options.bufferTimeout(), true);
		AdaptivePacer pacer = pacer(options);
		double rate = options.rateLimit();
		return (source) -> {
			Flux<StreamEvent> shaped = buffer.apply(source);
			if (pacer != null) {
				shaped = shaped.transform(pacer.paceEvents());
			}
			if (rate > 0) {
				Flux<StreamEvent> paced = shaped;
				shaped = Flux.defer(() -> paced.transform(RateLimiter.of(rate).limitEvents()));
			}
			return shaped;
		};
	}

	/**
	 * The pacer the options ask for: ticks every {@link AdaptivePacer#DEFAULT_INTERVAL}
	 * (or every {@code maxAddedLatency} when shorter), a word per tick, or
	 * {@code chunkSize} characters when it is positive.
	 * @param options the options
	 * @return the pacer, {@code null} when {@code maxAddedLatency} is zero
	 */
	static @Nullable AdaptivePacer pacer(StreamingOptions options) {
		Duration bound = options.maxAddedLatency();
		if (bound.isZero()) {
			return null;
		}
		Duration interval = (bound.compareTo(AdaptivePacer.DEFAULT_INTERVAL) < 0) ? bound
				: AdaptivePacer.DEFAULT_INTERVAL;
		AdaptivePacer pacer = AdaptivePacer.of(interval, bound);
		return (options.chunkSize() > 0) ? pacer.withCharacters(options.chunkSize()) : pacer;
	}

	private static TextBuffer.Settings settings(StreamingOptions options, @Nullable String model) {
		TextBuffer.Settings settings = (model != null) ? TextBuffer.Settings.forModel(model)
				: TextBuffer.Settings.defaults();
		if (options.bufferType() == BufferType.TOKEN && options.chunkSize() > 0) {
			settings = settings.withChunkSize(options.chunkSize());
		}
		return settings;
	}

}
