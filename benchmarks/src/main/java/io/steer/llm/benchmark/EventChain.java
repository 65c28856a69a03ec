package io.steer.llm.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamDeltaEvent;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.BatchHandler;
import io.steer.llm.pipeline.BatchingProcessor;
import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventProcessors;
import io.steer.llm.pipeline.OverflowPolicy;

/**
 * The event processor chain of the {@code steer-events} variant, what an application
 * routes to analytics, built with {@link EventProcessors#builder()}: a type filter that
 * passes the deltas (and, as every filter, the terminal event), two transformers that add
 * a {@value #USER_ID} and a {@value #TENANT} as metadata, and a {@link BatchingProcessor}
 * (batches of 20 events or 200 ms) onto an {@link EventDelivery} (its bounded queue of
 * 256 batches, {@link OverflowPolicy#DROP_OLDEST}) whose handler, on the delivery's
 * thread, counts the events, the deltas, the terminal events and those carrying both
 * metadata keys, and sums the deltas' text length, into {@link LongAdder}s: real work the
 * JIT cannot remove.
 * <p>
 * One per scenario, shared by its streams; {@link #measuring()} and {@link #measured()}
 * mark the measured rounds, and {@link #check(long, long)} closes the delivery, reports
 * the batches dropped in the warm-up, during the measured rounds and after them apart,
 * and fails the run when the handler saw nothing.
 */
final class EventChain implements AutoCloseable {

	/** Metadata key of the first transformer. */
	static final String USER_ID = "user_id";

	/** Metadata key of the second transformer. */
	static final String TENANT = "tenant";

	/** The events the filter held back: the start and usage events. */
	private final LongAdder filteredOut = new LongAdder();

	private final LongAdder batches = new LongAdder();

	private final LongAdder events = new LongAdder();

	private final LongAdder deltas = new LongAdder();

	private final LongAdder terminals = new LongAdder();

	private final LongAdder tagged = new LongAdder();

	private final LongAdder textLength = new LongAdder();

	/**
	 * The delivery's delivered and dropped batches when the measured rounds began and
	 * when they ended ({@link #measuring()}, {@link #measured()}).
	 */
	private long deliveredBefore;

	private long droppedBefore;

	private long deliveredAfter;

	private long droppedAfter;

	private final EventDelivery delivery = EventDelivery.builder()
		.name("bench-events")
		.overflowPolicy(OverflowPolicy.DROP_OLDEST)
		.build();

	private final EventProcessor processor = EventProcessors.builder()
		.filter(this::isDelta)
		.transformer((event) -> event.withMetadata(USER_ID, "user-42"))
		.transformer((event) -> event.withMetadata(TENANT, "acme"))
		.then(BatchingProcessor.builder(BatchHandler.of(this::handle))
			.size(20)
			.timeout(BatchingProcessor.DEFAULT_TIMEOUT)
			.background(this.delivery)
			.build())
		.build();

	/**
	 * Gives the client default options that carry the chain.
	 * @param builder the client's builder
	 */
	void configure(SteerLLMClient.Builder builder) {
		builder.defaultOptions(StreamingOptions.DEFAULTS.withEventProcessor(this.processor));
	}

	/**
	 * The type filter: deltas only (the terminal event passes every filter unasked). It
	 * counts what it holds back, the two events per stream (start, usage) that are not
	 * deltas, so that the events entering the chain are known without a counting stage.
	 */
	private boolean isDelta(StreamEvent event) {
		if (event instanceof StreamDeltaEvent) {
			return true;
		}
		this.filteredOut.increment();
		return false;
	}

	private void handle(List<StreamEvent> batch) {
		long deltaCount = 0;
		long terminalCount = 0;
		long taggedCount = 0;
		long length = 0;
		for (StreamEvent event : batch) {
			if (event instanceof StreamDeltaEvent delta) {
				deltaCount++;
				length += delta.delta().length();
			}
			else if (event.isTerminal()) {
				terminalCount++;
			}
			if (event.metadata().containsKey(USER_ID) && event.metadata().containsKey(TENANT)) {
				taggedCount++;
			}
		}
		this.batches.increment();
		this.events.add(batch.size());
		this.deltas.add(deltaCount);
		this.terminals.add(terminalCount);
		this.tagged.add(taggedCount);
		this.textLength.add(length);
	}

	/**
	 * The events that entered the chain per stream: its deltas, one terminal event and
	 * what the filter held back.
	 * @param chunks the content chunks (deltas) of a stream
	 * @param streams the streams the chain ran on, warm-up included
	 * @return events per stream
	 */
	double eventsPerStream(int chunks, long streams) {
		return chunks + 1 + this.filteredOut.sum() / (double) streams;
	}

	/**
	 * Notes the delivery's counts as the measured rounds begin, so that what it drops
	 * during them is told apart from what it dropped in the warm-up.
	 */
	void measuring() {
		this.deliveredBefore = this.delivery.delivered();
		this.droppedBefore = this.delivery.dropped();
	}

	/**
	 * Notes the delivery's counts as the measured rounds end: what it drops later (the
	 * batches still queued when {@link #check(long, long)} closes it) is counted apart.
	 */
	void measured() {
		this.deliveredAfter = this.delivery.delivered();
		this.droppedAfter = this.delivery.dropped();
	}

	/**
	 * Closes the delivery, so that every batch queued is handled or counted as dropped,
	 * prints what the handler saw, and checks it.
	 * @param streams the streams the chain ran on, warm-up included
	 * @param streamedDeltas the deltas those streams delivered to their subscribers
	 * @throws IllegalStateException if the handler saw no event, or saw events without
	 * the metadata of the transformers
	 */
	void check(long streams, long streamedDeltas) {
		this.delivery.close();
		long seen = this.events.sum();
		System.out.printf(Locale.ROOT,
				"EVENTS steer-events handler: %d batches, %d events: %d deltas of %d streamed, %d terminal of %d streams, %d characters of text, %d with %s and %s; delivery: %d batches delivered (%d during the measured rounds), %d dropped (%d in the warm-up, %d during the measured rounds, %d after them), %d failed; filter held back %d events (%.2f per stream)%n",
				this.batches.sum(), seen, this.deltas.sum(), streamedDeltas, this.terminals.sum(), streams,
				this.textLength.sum(), this.tagged.sum(), USER_ID, TENANT, this.delivery.delivered(),
				this.deliveredAfter - this.deliveredBefore, this.delivery.dropped(), this.droppedBefore,
				this.droppedAfter - this.droppedBefore, this.delivery.dropped() - this.droppedAfter,
				this.delivery.failed(), this.filteredOut.sum(), this.filteredOut.sum() / (double) streams);
		if (seen == 0) {
			throw new IllegalStateException(
					"steer-events: the batch handler saw no event, so its figures measured no event chain");
		}
		if (this.tagged.sum() != seen) {
			throw new IllegalStateException("steer-events: " + (seen - this.tagged.sum()) + " of " + seen
					+ " events reached the handler without the transformers' metadata");
		}
		if (this.deltas.sum() != streamedDeltas || this.terminals.sum() != streams) {
			System.out.printf(Locale.ROOT,
					"WARNING steer-events handler missed %d deltas and %d terminal events (%d batches dropped, %d of them during the measured rounds)%n",
					streamedDeltas - this.deltas.sum(), streams - this.terminals.sum(), this.delivery.dropped(),
					this.droppedAfter - this.droppedBefore);
		}
	}

	/** Closes the delivery (once; {@link #check(long, long)} closes it too). */
	@Override
	public void close() {
		this.delivery.close();
	}

}
