package io.steer.llm.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steer.llm.event.StreamEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static io.steer.llm.pipeline.BatchTestEvents.START;
import static io.steer.llm.pipeline.BatchTestEvents.complete;
import static io.steer.llm.pipeline.BatchTestEvents.delta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EventDeliveryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final List<StreamEvent> B1 = List.of(START);

	private static final List<StreamEvent> B2 = List.of(delta(0));

	private static final List<StreamEvent> B3 = List.of(complete());

	private final List<List<StreamEvent>> handled = new CopyOnWriteArrayList<>();

	private final BatchHandler collecting = BatchHandler.of(this.handled::add);

	/** A handler whose batches complete when the test says so. */
	private final Sinks.Empty<Void> gate = Sinks.empty();

	private final BatchHandler gated = (batch) -> this.gate.asMono().doOnSuccess((done) -> this.handled.add(batch));

	@Test
	void closeShouldDeliverThePendingBatchesWithinTheTimeout() {
		EventDelivery delivery = EventDelivery.create();
		delivery.submit(this.collecting, B1);
		delivery.submit(this.collecting, B2);
		delivery.submit(this.collecting, B3);
		delivery.close(WAIT);
		assertThat(this.handled).containsExactly(B1, B2, B3);
		assertThat(delivery.delivered()).isEqualTo(3);
		assertThat(delivery.dropped()).isZero();
		assertThat(delivery.pending()).isZero();
		assertThat(delivery.isClosed()).isTrue();
	}

	@Test
	void closeShouldCountWhatIsStillPendingAsDroppedOnceItsTimeRanOut() {
		EventDelivery delivery = EventDelivery.create();
		delivery.submit(this.gated, B1);
		delivery.submit(this.gated, B2);
		delivery.submit(this.gated, B3);
		assertThat(delivery.pending()).isEqualTo(3);
		delivery.close(Duration.ofMillis(50));
		assertThat(delivery.dropped()).isEqualTo(3);
		assertThat(delivery.pending()).isZero();
		// the batch in flight completes after the close: it was counted already
		this.gate.tryEmitEmpty();
		assertThat(delivery.delivered()).isZero();
		assertThat(delivery.dropped()).isEqualTo(3);
	}

	@Test
	void closeShouldBeIdempotentAndDropWhatIsSubmittedAfterIt() {
		EventDelivery delivery = EventDelivery.create();
		delivery.close(WAIT);
		delivery.close(WAIT);
		delivery.close();
		delivery.submit(this.collecting, B1);
		StepVerifier.create(delivery.offer(this.collecting, B2)).verifyComplete();
		assertThat(delivery.dropped()).isEqualTo(2);
		assertThat(this.handled).isEmpty();
	}

	@Test
	void closeShouldReleaseAStreamWaitingForRoomAndCountItsBatchAsDropped() {
		EventDelivery delivery = EventDelivery.builder()
			.queueCapacity(1)
			.overflowPolicy(OverflowPolicy.BACKPRESSURE)
			.build();
		StepVerifier.create(delivery.offer(this.gated, B1)).verifyComplete();
		StepVerifier.create(delivery.offer(this.gated, B2)).verifyComplete();
		StepVerifier.create(delivery.offer(this.gated, B3))
			.then(() -> assertThat(delivery.pending()).isEqualTo(3))
			.then(() -> delivery.close(Duration.ofMillis(50)))
			.verifyComplete();
		assertThat(delivery.dropped()).isEqualTo(3);
	}

	@Test
	void offerShouldWaitForRoomUnderBackpressureAndGoOnInOrderOnceThereIsSome() {
		EventDelivery delivery = EventDelivery.builder()
			.queueCapacity(1)
			.overflowPolicy(OverflowPolicy.BACKPRESSURE)
			.build();
		try (delivery) {
			StepVerifier.create(delivery.offer(this.gated, B1)).verifyComplete();
			StepVerifier.create(delivery.offer(this.gated, B2)).verifyComplete();
			StepVerifier.create(delivery.offer(this.gated, B3))
				.expectSubscription()
				.then(() -> assertThat(delivery.pending()).isEqualTo(3))
				.then(this.gate::tryEmitEmpty)
				.expectComplete()
				.verify(WAIT);
			delivery.close(WAIT);
			assertThat(this.handled).containsExactly(B1, B2, B3);
			assertThat(delivery.delivered()).isEqualTo(3);
			assertThat(delivery.dropped()).isZero();
		}
	}

	@Test
	void offerShouldDropTheBatchOfAWaitThatIsCancelled() {
		try (EventDelivery delivery = EventDelivery.builder()
			.queueCapacity(1)
			.overflowPolicy(OverflowPolicy.BACKPRESSURE)
			.build()) {
			StepVerifier.create(delivery.offer(this.gated, B1)).verifyComplete();
			StepVerifier.create(delivery.offer(this.gated, B2)).verifyComplete();
			StepVerifier.create(delivery.offer(this.gated, B3)).expectSubscription().thenCancel().verify(WAIT);
			assertThat(delivery.dropped()).isOne();
			assertThat(delivery.pending()).isEqualTo(2);
			this.gate.tryEmitEmpty();
			delivery.close(WAIT);
			assertThat(this.handled).containsExactly(B1, B2);
		}
	}

	@Test
	void submitShouldDropTheOldestQueuedBatchWhenTheQueueIsFull() {
		try (EventDelivery delivery = EventDelivery.builder().queueCapacity(2).build()) {
			delivery.submit(this.gated, B1);
			delivery.submit(this.gated, B2);
			delivery.submit(this.gated, B3);
			delivery.submit(this.gated, B1);
			assertThat(delivery.dropped()).isOne();
			assertThat(delivery.pending()).isEqualTo(3);
			this.gate.tryEmitEmpty();
			delivery.close(WAIT);
			assertThat(this.handled).containsExactly(B1, B3, B1);
			assertThat(delivery.delivered()).isEqualTo(3);
		}
	}

	@Test
	void failuresShouldBeCountedAndLoggedOnceAtWarn() {
		Logger logger = (Logger) LoggerFactory.getLogger(EventDelivery.class);
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		logger.addAppender(log);
		EventDelivery delivery = EventDelivery.create();
		try {
			delivery.submit((batch) -> {
				throw new IllegalStateException("thrown");
			}, B1);
			delivery.submit((batch) -> null, B2);
			delivery.submit((batch) -> Mono.error(new IllegalStateException("signalled")), B3);
			delivery.submit(this.collecting, B1);
			delivery.close(WAIT);
		}
		finally {
			logger.detachAppender(log);
		}
		assertThat(delivery.failed()).isEqualTo(3);
		assertThat(delivery.delivered()).isOne();
		assertThat(this.handled).containsExactly(B1);
		assertThat(log.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage())
				.isEqualTo("Batch handler failed on a batch of 1 event(s) of stream s;"
						+ " the batch is counted as failed (later failures are logged at DEBUG)");
			assertThat(event.getThrowableProxy().getMessage()).isEqualTo("thrown");
		});
	}

	@Test
	void metersShouldCountBatchesByResult() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		EventDelivery delivery = EventDelivery.builder().meterRegistry(registry).build();
		delivery.submit(this.collecting, B1);
		delivery.submit(this.collecting, B2);
		delivery.submit((batch) -> Mono.error(new IllegalStateException("down")), B3);
		delivery.close(WAIT);
		delivery.submit(this.collecting, B1);
		assertThat(registry.get("steer.events.batches").tag("result", "delivered").counter().count()).isEqualTo(2);
		assertThat(registry.get("steer.events.batches").tag("result", "failed").counter().count()).isEqualTo(1);
		assertThat(registry.get("steer.events.batches").tag("result", "dropped").counter().count()).isEqualTo(1);
		assertThat(registry.get("steer.events.batches").counters()).hasSize(3);
	}

	@Test
	void builderShouldKeepTheDefaults() {
		try (EventDelivery delivery = EventDelivery.create()) {
			assertThat(delivery.queueCapacity()).isEqualTo(256);
			assertThat(delivery.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
			assertThat(delivery.delivered()).isZero();
			assertThat(delivery.dropped()).isZero();
			assertThat(delivery.failed()).isZero();
			assertThat(delivery.pending()).isZero();
			assertThat(delivery.isClosed()).isFalse();
		}
	}

	@Test
	void builderShouldRejectInvalidArguments() {
		EventDelivery.Builder builder = EventDelivery.builder();
		assertThatIllegalArgumentException().isThrownBy(() -> builder.queueCapacity(0))
			.withMessage("queueCapacity must be at least 1, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.name(" ")).withMessage("name must not be blank");
		assertThatNullPointerException().isThrownBy(() -> builder.overflowPolicy(null))
			.withMessage("overflowPolicy must not be null");
		try (EventDelivery delivery = builder.build()) {
			assertThatIllegalArgumentException().isThrownBy(() -> delivery.close(Duration.ofSeconds(-1)))
				.withMessage("timeout must not be negative, was PT-1S");
		}
	}

	@Test
	void batchHandlerOfShouldRunTheConsumerOnSubscriptionAndSignalWhatItThrows() {
		StepVerifier.create(BatchHandler.of(this.handled::add).handle(B1)).verifyComplete();
		assertThat(this.handled).containsExactly(B1);
		StepVerifier.create(BatchHandler.of((batch) -> {
			throw new IllegalStateException("consumer failed");
		}).handle(B1)).verifyErrorMessage("consumer failed");
		assertThatNullPointerException().isThrownBy(() -> BatchHandler.of(null))
			.withMessage("consumer must not be null");
	}

}
