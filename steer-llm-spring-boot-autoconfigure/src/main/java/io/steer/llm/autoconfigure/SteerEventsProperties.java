package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.pipeline.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.StringUtils;

/**
 * Settings of the streams' event pipeline, bound from {@code steer.streaming.events.*}:
 * the arguments of the original SDK's {@code create_event_processor} (types, providers,
 * correlation, timestamp, metrics, batching and background delivery), from which the
 * {@code steerEventProcessor} bean is built when any is set, and the
 * {@linkplain #getReplay() replay}, the {@link EventRecorder} that keeps the events of
 * recent streams for debugging.
 */
@ConfigurationProperties("steer.streaming.events")
public class SteerEventsProperties {

	/**
	 * Event types passed by the 'steerEventProcessor' bean, named as in the original SDK:
	 * start, delta, usage, complete, error. The terminal event always passes. Empty for
	 * all.
	 */
	private List<String> types = new ArrayList<>();

	/**
	 * Providers whose streams' events the 'steerEventProcessor' bean passes (openai, xai,
	 * anthropic, or a provider added to the client), compared without case. The terminal
	 * event always passes. Empty for all.
	 */
	private List<String> providers = new ArrayList<>();

	/**
	 * Whether the 'steerEventProcessor' bean adds a correlation id as metadata
	 * 'correlation_id' to every event: the subscriber's Reactor context key
	 * 'steer.correlation-id', else the current trace id when there is a Micrometer
	 * Tracing Tracer bean, else a UUID generated once per stream.
	 */
	private boolean correlation;

	/**
	 * Whether the 'steerEventProcessor' bean adds the instant it saw each event as
	 * metadata 'processed_at'.
	 */
	private boolean timestamp;

	/**
	 * Whether the 'steerEventProcessor' bean adds per-event metrics as metadata
	 * ('event_count', 'processing_time_ms', and 'events_by_type' on the terminal event).
	 */
	private boolean metrics;

	/**
	 * Whether the batches go to the handler on the thread of the 'steerEventDelivery'
	 * bean ('steer-events-N') rather than in the stream. True by default when
	 * 'batch.handler' is set.
	 */
	private @Nullable Boolean background;

	/**
	 * Batches the background delivery's queue holds besides the one being handled.
	 */
	private int backgroundQueueCapacity = EventDelivery.DEFAULT_QUEUE_CAPACITY;

	/**
	 * What the background delivery does with a batch when its queue is full.
	 */
	private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

	private final Batch batch = new Batch();

	private final Replay replay = new Replay();

	/**
	 * Returns {@code steer.streaming.events.types}.
	 * @return the seed's names of the event types passed; empty for all; never
	 * {@code null}
	 */
	public List<String> getTypes() {
		return this.types;
	}

	/**
	 * Sets {@code steer.streaming.events.types}.
	 * @param types the seed's names of the event types passed
	 */
	public void setTypes(List<String> types) {
		this.types = types;
	}

	/**
	 * Returns {@code steer.streaming.events.providers}.
	 * @return the providers whose streams' events pass; empty for all; never {@code null}
	 */
	public List<String> getProviders() {
		return this.providers;
	}

	/**
	 * Sets {@code steer.streaming.events.providers}.
	 * @param providers the providers whose streams' events pass
	 */
	public void setProviders(List<String> providers) {
		this.providers = providers;
	}

	/**
	 * Returns {@code steer.streaming.events.correlation}.
	 * @return whether a correlation id is added to every event
	 */
	public boolean isCorrelation() {
		return this.correlation;
	}

	/**
	 * Sets {@code steer.streaming.events.correlation}.
	 * @param correlation whether a correlation id is added to every event
	 */
	public void setCorrelation(boolean correlation) {
		this.correlation = correlation;
	}

	/**
	 * Returns {@code steer.streaming.events.timestamp}.
	 * @return whether the processing instant is added to every event
	 */
	public boolean isTimestamp() {
		return this.timestamp;
	}

	/**
	 * Sets {@code steer.streaming.events.timestamp}.
	 * @param timestamp whether the processing instant is added to every event
	 */
	public void setTimestamp(boolean timestamp) {
		this.timestamp = timestamp;
	}

	/**
	 * Returns {@code steer.streaming.events.metrics}.
	 * @return whether per-event metrics are added to every event
	 */
	public boolean isMetrics() {
		return this.metrics;
	}

	/**
	 * Sets {@code steer.streaming.events.metrics}.
	 * @param metrics whether per-event metrics are added to every event
	 */
	public void setMetrics(boolean metrics) {
		this.metrics = metrics;
	}

	/**
	 * Returns {@code steer.streaming.events.background}.
	 * @return whether batches are handled on the delivery's thread; {@code null} when
	 * unset (then true when a handler is set)
	 */
	public @Nullable Boolean getBackground() {
		return this.background;
	}

	/**
	 * Sets {@code steer.streaming.events.background}.
	 * @param background whether batches are handled on the delivery's thread
	 */
	public void setBackground(@Nullable Boolean background) {
		this.background = background;
	}

	/**
	 * Returns {@code steer.streaming.events.background-queue-capacity}.
	 * @return batches the background delivery's queue holds
	 */
	public int getBackgroundQueueCapacity() {
		return this.backgroundQueueCapacity;
	}

	/**
	 * Sets {@code steer.streaming.events.background-queue-capacity}.
	 * @param backgroundQueueCapacity batches the queue holds, at least 1
	 */
	public void setBackgroundQueueCapacity(int backgroundQueueCapacity) {
		this.backgroundQueueCapacity = backgroundQueueCapacity;
	}

	/**
	 * Returns {@code steer.streaming.events.overflow-policy}.
	 * @return what a full queue does to the next batch, never {@code null}
	 */
	public OverflowPolicy getOverflowPolicy() {
		return this.overflowPolicy;
	}

	/**
	 * Sets {@code steer.streaming.events.overflow-policy}.
	 * @param overflowPolicy what a full queue does to the next batch
	 */
	public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
		this.overflowPolicy = overflowPolicy;
	}

	/**
	 * Returns the batching settings, {@code steer.streaming.events.batch.*}.
	 * @return the batching settings, never {@code null}
	 */
	public Batch getBatch() {
		return this.batch;
	}

	/**
	 * Whether a batch handler is named, {@code steer.streaming.events.batch.handler}.
	 * @return whether the processor batches
	 */
	boolean isBatching() {
		return StringUtils.hasText(this.batch.getHandler());
	}

	/**
	 * Whether batches are handed to a background delivery: a handler is named and
	 * {@code background} is not {@code false}.
	 * @return whether a delivery is needed
	 */
	boolean isBackgroundDelivery() {
		return isBatching() && !Boolean.FALSE.equals(this.background);
	}

	/**
	 * Whether any key of the {@code steerEventProcessor} bean is set (the replay keys
	 * aside).
	 * @return whether the bean is defined
	 */
	boolean isProcessorConfigured() {
		return !this.types.isEmpty() || !this.providers.isEmpty() || this.correlation || this.timestamp || this.metrics
				|| this.background != null || isBatching() || this.batch.getSize() != null
				|| this.batch.getTimeout() != null;
	}

	/**
	 * Returns the settings of the recorder, {@code steer.streaming.events.replay.*}.
	 * @return the settings of the recorder, never {@code null}
	 */
	public Replay getReplay() {
		return this.replay;
	}

	/**
	 * Batching of the {@code steerEventProcessor} bean,
	 * {@code steer.streaming.events.batch.*}.
	 */
	public static class Batch {

		/**
		 * Name of the BatchHandler bean that receives each stream's events in batches.
		 * Unset for no batching.
		 */
		private @Nullable String handler;

		/**
		 * Events in a full batch, from 1 to 65536. 20 when unset.
		 */
		private @Nullable Integer size;

		/**
		 * Time after a batch's first event that the batch is handed over, full or not;
		 * positive. A plain number is in milliseconds. 200ms when unset.
		 */
		private @Nullable Duration timeout;

		/**
		 * Returns {@code steer.streaming.events.batch.handler}.
		 * @return the name of the handler bean; {@code null} when unset
		 */
		public @Nullable String getHandler() {
			return this.handler;
		}

		/**
		 * Sets {@code steer.streaming.events.batch.handler}.
		 * @param handler the name of a BatchHandler bean
		 */
		public void setHandler(@Nullable String handler) {
			this.handler = handler;
		}

		/**
		 * Returns {@code steer.streaming.events.batch.size}.
		 * @return events in a full batch; {@code null} when unset
		 */
		public @Nullable Integer getSize() {
			return this.size;
		}

		/**
		 * Sets {@code steer.streaming.events.batch.size}.
		 * @param size events in a full batch, 1 to 65536
		 */
		public void setSize(@Nullable Integer size) {
			this.size = size;
		}

		/**
		 * Returns {@code steer.streaming.events.batch.timeout}.
		 * @return the batch timeout; {@code null} when unset
		 */
		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		/**
		 * Sets {@code steer.streaming.events.batch.timeout}.
		 * @param timeout the batch timeout, positive
		 */
		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Settings of the recorder of recent streams' events,
	 * {@code steer.streaming.events.replay.*}.
	 */
	public static class Replay {

		/**
		 * Whether the events of recent streams are recorded (in memory, bounded by the
		 * keys below) for replay and for 'GET /actuator/steer/{streamId}/events'. Meant
		 * for debugging: off by default.
		 */
		private boolean enabled;

		/**
		 * Most streams recorded at once; when full, an older stream's recording is
		 * evicted.
		 */
		private long maxStreams = EventRecorder.DEFAULT_MAX_STREAMS;

		/**
		 * Most events kept per stream; beyond it the oldest events after the start event
		 * are dropped and counted.
		 */
		private int maxEventsPerStream = EventRecorder.DEFAULT_MAX_EVENTS_PER_STREAM;

		/**
		 * How long a stream's events are kept after its last event. A plain number is in
		 * seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration ttl = EventRecorder.DEFAULT_TTL;

		/**
		 * Whether the exported and endpoint views show the streams' text (deltas,
		 * response text, reasoning, refusals, tool call arguments) rather than '[redacted
		 * N chars]'. Text is private and may be large: keep off in production.
		 */
		private boolean includeText;

		/**
		 * Returns {@code steer.streaming.events.replay.enabled}.
		 * @return whether the events of recent streams are recorded
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code steer.streaming.events.replay.enabled}.
		 * @param enabled whether the events of recent streams are recorded
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Returns {@code steer.streaming.events.replay.max-streams}.
		 * @return most streams recorded at once
		 */
		public long getMaxStreams() {
			return this.maxStreams;
		}

		/**
		 * Sets {@code steer.streaming.events.replay.max-streams}.
		 * @param maxStreams most streams recorded at once, at least 1
		 */
		public void setMaxStreams(long maxStreams) {
			this.maxStreams = maxStreams;
		}

		/**
		 * Returns {@code steer.streaming.events.replay.max-events-per-stream}.
		 * @return most events kept per stream
		 */
		public int getMaxEventsPerStream() {
			return this.maxEventsPerStream;
		}

		/**
		 * Sets {@code steer.streaming.events.replay.max-events-per-stream}.
		 * @param maxEventsPerStream most events kept per stream, at least 1
		 */
		public void setMaxEventsPerStream(int maxEventsPerStream) {
			this.maxEventsPerStream = maxEventsPerStream;
		}

		/**
		 * Returns {@code steer.streaming.events.replay.ttl}.
		 * @return how long a stream's events are kept after its last event
		 */
		public Duration getTtl() {
			return this.ttl;
		}

		/**
		 * Sets {@code steer.streaming.events.replay.ttl}.
		 * @param ttl how long a stream's events are kept after its last event, positive
		 */
		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		/**
		 * Returns {@code steer.streaming.events.replay.include-text}.
		 * @return whether the exported and endpoint views show the streams' text
		 */
		public boolean isIncludeText() {
			return this.includeText;
		}

		/**
		 * Sets {@code steer.streaming.events.replay.include-text}.
		 * @param includeText whether the exported and endpoint views show the streams'
		 * text
		 */
		public void setIncludeText(boolean includeText) {
			this.includeText = includeText;
		}

	}

}
