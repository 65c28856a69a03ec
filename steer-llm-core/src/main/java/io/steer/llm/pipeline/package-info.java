/**
 * The user's stage at the end of a stream's pipeline:
 * {@link io.steer.llm.pipeline.EventProcessor} filters, transformers, batching,
 * background delivery and replay.
 * <p>
 * The stages of every stream run in a fixed order: <pre>
 * exchange → assembly → observation tap → callbacks → event processor → subscriber
 * </pre>
 * <ul>
 * <li><b>exchange</b>: the HTTP attempts, their timeouts, retries, resumption and
 * continuation;</li>
 * <li><b>assembly</b>: SSE decoding, the provider's parser, the assembled response, usage
 * and cost, the typed {@link io.steer.llm.event.StreamEvent}s;</li>
 * <li><b>observation tap</b>: where metrics and observations see the events as they
 * arrive, before anything user-supplied can delay, drop or rewrite them;</li>
 * <li><b>callbacks</b>: {@link io.steer.llm.options.StreamCallbacks}, those of the
 * options, then those of the call; a failing callback is logged and skipped;</li>
 * <li><b>event processor</b>: the options'
 * {@link io.steer.llm.options.StreamingOptions#eventProcessor() eventProcessor}, one
 * {@link io.steer.llm.pipeline.EventProcessor}, possibly several composed with
 * {@link io.steer.llm.pipeline.EventProcessor#andThen(io.steer.llm.pipeline.EventProcessor)
 * andThen};</li>
 * <li>the <b>subscriber</b>.</li>
 * </ul>
 * <p>
 * The contract the client keeps around the processor:
 * <ul>
 * <li>Exactly one terminal event (complete or error) reaches a subscriber of
 * {@code streamEvents}: the first the processor emits, what it emits after that being
 * dropped; else, when the processor's flux completes without one, the stream's own
 * terminal event, appended. The subscriber completes when the processor's flux does, so a
 * processor that flushes a batch when its input completes still does.</li>
 * <li>A processor cannot end the stream: when it completes or cancels its input early, or
 * emits a terminal event of its own, the rest of the stream is still read. The
 * processor's input is the one stream, shared: subscribing to it twice sends no second
 * request. Only the subscriber's cancel stops the stream.</li>
 * <li>A processor fails when its {@code apply} throws or returns {@code null}, or its
 * flux signals an error: the stream then ends with a
 * {@link io.steer.llm.event.StreamErrorEvent} of type
 * {@link io.steer.llm.error.StreamErrorType#PROCESSOR} carrying an
 * {@link io.steer.llm.error.EventProcessorException}, whose cause is the failure and
 * whose partial response is the stream's response (the stream is read to its end first);
 * a failure after the processor delivered a terminal event of its own cannot be
 * delivered, and is logged at WARN. The callbacks, which run before the processor, do not
 * see that event.</li>
 * <li>{@code stream} and {@code streamWithUsage} are the stream's own result: they read
 * the events before the processor, so a filter cannot make them complete empty and a
 * transformer cannot rewrite their text. The processor still sees every event, first, for
 * its side effects; they complete only once its flux has completed, and its failure fails
 * them with the {@link io.steer.llm.error.EventProcessorException}.</li>
 * <li>Backpressure is kept: the processor's input is read at most one event ahead of what
 * it requests.</li>
 * </ul>
 * <p>
 * <b>Batching and background delivery.</b> A
 * {@link io.steer.llm.pipeline.BatchingProcessor} passes every event through unchanged
 * and hands the stream's events, in order, in batches of a size or after a timeout (and
 * at the terminal event, which ends the last batch), to a
 * {@link io.steer.llm.pipeline.BatchHandler}, sync or async. With an
 * {@link io.steer.llm.pipeline.EventDelivery} the handler runs on that delivery's own
 * thread, never the connection's event loop, one batch at a time, from a bounded queue
 * whose {@link io.steer.llm.pipeline.OverflowPolicy} either drops the oldest batch (the
 * default: the stream is never slowed by the handler) or slows the stream until there is
 * room ({@code BACKPRESSURE}: no batch dropped). Each batch is counted once as delivered,
 * dropped or failed ({@code steer.events.batches}, tag {@code result}); a handler's
 * failure never reaches the stream.
 * {@link io.steer.llm.pipeline.EventDelivery#close(java.time.Duration)} delivers what is
 * pending within its time and counts the rest as dropped.
 */
@NullMarked
package io.steer.llm.pipeline;

import org.jspecify.annotations.NullMarked;
