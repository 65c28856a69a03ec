package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.event.StreamEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many streams, emitting on other threads while their batches time out, through one
 * shared delivery with an async handler: every event reaches the subscriber and the
 * handler exactly once, in order.
 */
class BatchingProcessorConcurrencyTests {

	private static final int STREAMS = 200;

	@ParameterizedTest
	@EnumSource(OverflowPolicy.class)
	void everyEventShouldReachTheSubscriberAndTheHandlerOnceInOrder(OverflowPolicy policy) {
		Random random = new Random(11);
		Map<String, List<StreamEvent>> handled = new ConcurrentHashMap<>();
		List<List<StreamEvent>> mixed = new CopyOnWriteArrayList<>();
		BatchHandler handler = (batch) -> Mono.fromRunnable(() -> {
			String streamId = batch.get(0).streamId();
			if (batch.stream().anyMatch((event) -> !event.streamId().equals(streamId))) {
				mixed.add(batch);
			}
			handled.computeIfAbsent(streamId, (id) -> new CopyOnWriteArrayList<>()).addAll(batch);
		}).subscribeOn(Schedulers.boundedElastic()).then();
		int capacity = (policy == OverflowPolicy.DROP_OLDEST) ? 100_000 : 2;
		Map<String, List<StreamEvent>> sent = new ConcurrentHashMap<>();
		Map<String, List<StreamEvent>> received = new ConcurrentHashMap<>();
		try (EventDelivery delivery = EventDelivery.builder().queueCapacity(capacity).overflowPolicy(policy).build()) {
			List<Mono<Void>> runs = new ArrayList<>();
			for (int i = 0; i < STREAMS; i++) {
				String streamId = "s" + i;
				List<StreamEvent> events = BatchTestEvents.stream(streamId, random.nextInt(40));
				sent.put(streamId, events);
				BatchingProcessor processor = BatchingProcessor.builder(handler)
					.size(1 + random.nextInt(6))
					.timeout(Duration.ofMillis(1 + random.nextInt(3)))
					.background(delivery)
					.build();
				Flux<StreamEvent> source = Flux.fromIterable(events)
					.publishOn(Schedulers.parallel(), 1 + random.nextInt(4));
				runs.add(processor.apply(source)
					.limitRate(1 + random.nextInt(8))
					.collectList()
					.doOnNext((list) -> received.put(streamId, list))
					.then());
			}
			Flux.merge(Flux.fromIterable(runs), 16).blockLast(Duration.ofSeconds(60));
			delivery.close(Duration.ofSeconds(30));
			assertThat(delivery.dropped()).isZero();
			assertThat(delivery.failed()).isZero();
			assertThat(delivery.pending()).isZero();
		}
		assertThat(mixed).isEmpty();
		assertThat(received).hasSize(STREAMS);
		sent.forEach((streamId, events) -> {
			assertThat(received.get(streamId)).as(streamId).containsExactlyElementsOf(events);
			assertThat(handled.get(streamId)).as(streamId).containsExactlyElementsOf(events);
		});
	}

}
