package io.steer.llm.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counter {@code steer.events.batches} of an {@link EventDelivery}, one per
 * {@code result}: {@code delivered}, {@code dropped}, {@code failed}. Only loaded when a
 * {@link MeterRegistry} is given, so that {@code micrometer-core} stays optional. The
 * counters are registered once, when the delivery is built; deliveries on one registry
 * share them.
 */
final class BatchMeters implements BatchCounts {

	/** {@code steer.events.batches}: batches of stream events, by result. */
	static final String BATCHES = "steer.events.batches";

	/** {@code result}: {@code delivered}, {@code dropped} or {@code failed}. */
	static final String RESULT = "result";

	private final Counter delivered;

	private final Counter dropped;

	private final Counter failed;

	BatchMeters(MeterRegistry registry) {
		this.delivered = counter(registry, "delivered");
		this.dropped = counter(registry, "dropped");
		this.failed = counter(registry, "failed");
	}

	private static Counter counter(MeterRegistry registry, String result) {
		return Counter.builder(BATCHES)
			.description("Batches of stream events handed to a batch handler, by result")
			.baseUnit("batches")
			.tag(RESULT, result)
			.register(registry);
	}

	@Override
	public void delivered() {
		this.delivered.increment();
	}

	@Override
	public void dropped() {
		this.dropped.increment();
	}

	@Override
	public void failed() {
		this.failed.increment();
	}

}
