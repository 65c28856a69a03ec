package io.steer.llm.pipeline;

/**
 * What an {@link EventDelivery} does with a batch when its bounded queue is full.
 */
public enum OverflowPolicy {

	/**
	 * The default: the oldest queued batch is dropped (and counted in
	 * {@link EventDelivery#dropped()} and {@code steer.events.batches{result=dropped}})
	 * to make room, so handing a batch over never waits and the subscriber's stream is
	 * never slowed by the handler. A slow handler loses batches instead.
	 */
	DROP_OLDEST,

	/**
	 * No batch is dropped for lack of room: a stream whose batch finds the queue full
	 * waits until the handler made room. The stream's events are then read no further
	 * than the batching processor's bounded read-ahead (four batches of events), so the
	 * subscriber's stream is slowed to the handler's pace while the queue is full, and
	 * with it the reading of the connection (TCP backpressure to the provider). Choose it
	 * when every batch matters more than the stream's latency. A batch is still dropped,
	 * and counted, when the delivery is closed or runs out of time closing, when its
	 * stream is cancelled while it waits, and to make room for the last batch of a
	 * cancelled or failed stream, which cannot wait.
	 */
	BACKPRESSURE

}
