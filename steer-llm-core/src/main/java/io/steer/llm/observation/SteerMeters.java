package io.steer.llm.observation;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Our own meters of the streams, named {@code steer.*}: streams, errors, cost, retries,
 * cancellations and streams in flight. Only loaded when a {@link MeterRegistry} is given,
 * so that {@code micrometer-core} stays optional. Everything but the gauge is recorded
 * once per stream, when it ends, with tags resolved once; the gauge is one
 * {@link AtomicInteger} per provider and registry (shared by the clients on the
 * registry), registered the first time the provider streams, and moved once at the start
 * and once at the end of each stream. Nothing is looked up per chunk.
 */
final class SteerMeters {

	/**
	 * {@code steer.streams}: every ended stream, by provider, request model, outcome and
	 * whether the usage was estimated.
	 */
	static final String STREAMS = "steer.streams";

	/**
	 * {@code steer.stream.errors}: failed streams, by provider, request model, error
	 * type.
	 */
	static final String ERRORS = "steer.stream.errors";

	/** {@code steer.stream.cost}, USD, by provider and request model. */
	static final String COST = "steer.stream.cost";

	/**
	 * {@code steer.stream.retries}: attempts after the first (retries, resumes,
	 * continuations), by provider and request model.
	 */
	static final String RETRIES = "steer.stream.retries";

	/**
	 * {@code steer.stream.cancellations}, by provider, request model and who cancelled.
	 */
	static final String CANCELLATIONS = "steer.stream.cancellations";

	/** {@code steer.streams.active}: streams in flight, by provider. */
	static final String ACTIVE = "steer.streams.active";

	/** {@code steer.usage.estimated}: {@code true} or {@code false}. */
	static final String USAGE_ESTIMATED = "steer.usage.estimated";

	/** {@code steer.cancelled.by}: {@code subscriber} or {@code operator}. */
	static final String CANCELLED_BY = "steer.cancelled.by";

	static final String PROVIDER = StreamObservationDocumentation.LowCardinalityKeys.PROVIDER_NAME.asString();

	static final String REQUEST_MODEL = StreamObservationDocumentation.LowCardinalityKeys.REQUEST_MODEL.asString();

	static final String ERROR_TYPE = StreamObservationDocumentation.LowCardinalityKeys.ERROR_TYPE.asString();

	static final String OUTCOME = StreamObservationDocumentation.LowCardinalityKeys.OUTCOME.asString();

	/**
	 * The streams in flight per provider of each registry, shared by every client on the
	 * registry: a gauge registers once per name and tags, so a second client's own count
	 * would be ignored. Weak keys: the counts do not hold their registry.
	 */
	private static final Map<MeterRegistry, Map<String, AtomicInteger>> ACTIVE_BY_REGISTRY = Collections
		.synchronizedMap(new WeakHashMap<>());

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> active;

	SteerMeters(MeterRegistry registry) {
		this.registry = registry;
		this.active = ACTIVE_BY_REGISTRY.computeIfAbsent(registry, (r) -> new ConcurrentHashMap<>());
	}

	/**
	 * The count of streams in flight of one provider, its gauge registered on first use.
	 * @param provider the provider's tag value
	 * @return the count, the same for every stream of the provider
	 */
	AtomicInteger active(String provider) {
		AtomicInteger count = this.active.get(provider);
		return (count != null) ? count : this.active.computeIfAbsent(provider, this::registerActive);
	}

	private AtomicInteger registerActive(String provider) {
		AtomicInteger count = new AtomicInteger();
		Gauge.builder(ACTIVE, count, AtomicInteger::get)
			.description("Streams in flight")
			.tag(PROVIDER, provider)
			.strongReference(true)
			.register(this.registry);
		return count;
	}

	/**
	 * Records one ended stream.
	 * @param provider the provider's tag value
	 * @param model the request model's tag value
	 * @param context the ended stream
	 * @param errorType the error type's tag value (as the GenAI meters have it)
	 */
	void record(String provider, String model, StreamObservationContext context, String errorType) {
		Tags tags = Tags.of(PROVIDER, provider, REQUEST_MODEL, model);
		StreamOutcome outcome = context.getOutcome();
		Counter.builder(STREAMS)
			.description("Streams ended, by outcome")
			.tags(tags)
			.tag(OUTCOME, outcome.value())
			.tag(USAGE_ESTIMATED, Boolean.toString(context.isUsageEstimated()))
			.register(this.registry)
			.increment();
		if (outcome == StreamOutcome.ERROR) {
			Counter.builder(ERRORS)
				.description("Streams failed, by error type")
				.tags(tags)
				.tag(ERROR_TYPE, errorType)
				.register(this.registry)
				.increment();
		}
		String cancelledBy = context.getCancelledBy();
		if (outcome == StreamOutcome.CANCELLED && cancelledBy != null) {
			Counter.builder(CANCELLATIONS)
				.description("Streams cancelled, by the subscriber or an operator")
				.tags(tags)
				.tag(CANCELLED_BY, cancelledBy)
				.register(this.registry)
				.increment();
		}
		BigDecimal cost = context.getCostUsd();
		if (cost != null) {
			Counter.builder(COST)
				.description("Cost of the streams")
				.baseUnit("usd")
				.tags(tags)
				.register(this.registry)
				.increment(cost.doubleValue());
		}
		Counter.builder(RETRIES)
			.description("Attempts after the first: retries, resumes and continuations")
			.tags(tags)
			.register(this.registry)
			.increment(Math.max(0, context.getAttempts() - 1));
	}

	/**
	 * The tag value of one key among key values.
	 * @param keyValues the key values
	 * @param key the key
	 * @return its value, or {@code UNKNOWN} when absent
	 */
	static String value(Iterable<KeyValue> keyValues, String key) {
		for (KeyValue keyValue : keyValues) {
			if (keyValue.getKey().equals(key)) {
				return keyValue.getValue();
			}
		}
		return "UNKNOWN";
	}

}
