package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.steer.llm.pipeline.EventRecorder;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Settings of the streams' event pipeline, bound from {@code steer.streaming.events.*}:
 * for now its {@linkplain #getReplay() replay}, the {@link EventRecorder} that keeps the
 * events of recent streams for debugging.
 */
@ConfigurationProperties("steer.streaming.events")
public class SteerEventsProperties {

	private final Replay replay = new Replay();

	/**
	 * Returns the settings of the recorder, {@code steer.streaming.events.replay.*}.
	 * @return the settings of the recorder, never {@code null}
	 */
	public Replay getReplay() {
		return this.replay;
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
