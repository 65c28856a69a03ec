package io.steer.llm.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.steer.llm.model.Usage;

/**
 * The OpenTelemetry GenAI client meters (semantic conventions v1.41) of the streams, with
 * their exact names, units and bucket boundaries. Only loaded when a
 * {@link MeterRegistry} is given, so that {@code micrometer-core} stays optional. The
 * meters of a stream are resolved once, when it ends, with its low-cardinality key values
 * as tags; nothing is looked up per chunk.
 */
final class GenAiMeters {

	/** {@code gen_ai.client.operation.duration}, seconds. */
	static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

	/**
	 * {@code gen_ai.client.token.usage}, {@code {token}}, by {@code gen_ai.token.type}.
	 */
	static final String TOKEN_USAGE = "gen_ai.client.token.usage";

	/** {@code gen_ai.client.operation.time_to_first_chunk}, seconds. */
	static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

	/** {@code gen_ai.client.operation.time_per_output_chunk}, seconds, one per gap. */
	static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

	/** The token type key of {@link #TOKEN_USAGE}. */
	static final String TOKEN_TYPE = "gen_ai.token.type";

	/** 0.01 s, doubling up to 81.92 s: 14 boundaries. */
	static final Duration[] DURATION_BUCKETS = durationBuckets();

	/** 1, 4, 16 … 67108864 tokens: 14 boundaries. */
	static final double[] TOKEN_BUCKETS = tokenBuckets();

	private final MeterRegistry registry;

	GenAiMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Records one ended stream.
	 * @param keyValues the stream's low-cardinality key values, the meters' tags
	 * @param context the ended stream
	 * @param gaps the gaps between consecutive deltas
	 */
	void record(KeyValues keyValues, StreamObservationContext context, ChunkGaps gaps) {
		Tags tags = tags(keyValues);
		Duration duration = context.getDuration();
		if (duration != null) {
			timer(OPERATION_DURATION, "Duration of GenAI client operations", tags).record(duration);
		}
		Usage usage = context.getUsage();
		if (usage != null) {
			tokens(tags, "input").record(usage.promptTokens());
			tokens(tags, "output").record(usage.completionTokens());
		}
		Duration ttfc = context.getTimeToFirstChunk();
		if (ttfc != null) {
			timer(TIME_TO_FIRST_CHUNK, "Time to receive the first chunk of a streamed response", tags).record(ttfc);
		}
		if (gaps.count() > 0) {
			Timer perChunk = timer(TIME_PER_OUTPUT_CHUNK,
					"Time between consecutive chunks of a streamed response, after the first", tags);
			gaps.replay((nanos) -> perChunk.record(nanos, TimeUnit.NANOSECONDS));
		}
	}

	private Timer timer(String name, String description, Tags tags) {
		return Timer.builder(name)
			.description(description)
			.tags(tags)
			.serviceLevelObjectives(DURATION_BUCKETS)
			.register(this.registry);
	}

	private DistributionSummary tokens(Tags tags, String type) {
		return DistributionSummary.builder(TOKEN_USAGE)
			.description("Number of input and output tokens used")
			.baseUnit("{token}")
			.tags(tags)
			.tag(TOKEN_TYPE, type)
			.serviceLevelObjectives(TOKEN_BUCKETS)
			.register(this.registry);
	}

	private static Tags tags(KeyValues keyValues) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return Tags.of(tags);
	}

	private static Duration[] durationBuckets() {
		Duration[] buckets = new Duration[14];
		for (int i = 0; i < buckets.length; i++) {
			buckets[i] = Duration.ofMillis(10L << i);
		}
		return buckets;
	}

	private static double[] tokenBuckets() {
		double[] buckets = new double[14];
		for (int i = 0; i < buckets.length; i++) {
			buckets[i] = 1L << (2 * i);
		}
		return buckets;
	}

}
