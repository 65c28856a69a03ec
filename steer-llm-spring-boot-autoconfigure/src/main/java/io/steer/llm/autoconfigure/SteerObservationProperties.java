package io.steer.llm.autoconfigure;

import io.steer.llm.observation.DefaultStreamObservationConvention;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the streams' observations and meters, bound from
 * {@code steer.observations.*}.
 * <p>
 * With an {@code ObservationRegistry} bean each stream is one Micrometer observation
 * named {@value DefaultStreamObservationConvention#NAME}; with a {@code MeterRegistry}
 * bean it is also recorded in the OpenTelemetry GenAI client meters
 * ({@code gen_ai.client.*}) and the client's own {@code steer.*} meters. A stream whose
 * {@code steer.streaming.track-metrics} (or its preset's) is off is not observed.
 */
@ConfigurationProperties("steer.observations")
public class SteerObservationProperties {

	/**
	 * Whether streams are observed: false gives the client neither the observation
	 * registry nor the meter registry, nor any of the settings below.
	 */
	private boolean enabled = true;

	/**
	 * Whether prompts and completions are recorded on the streams' observations (the
	 * high-cardinality 'gen_ai.input.messages' and 'gen_ai.output.messages', on spans,
	 * never on meters). Content is private and may be large: keep off in production.
	 */
	private boolean includeContent;

	/**
	 * Most distinct model names tagged on observations, meters and statistics; further
	 * models are tagged 'other'. A model name comes from user input, so its tag values
	 * must stay bounded. At least 1; ignored by a custom StreamObservationConvention
	 * bean.
	 */
	private int maxModelTags = DefaultStreamObservationConvention.DEFAULT_MAX_MODELS;

	private final Metrics metrics = new Metrics();

	/**
	 * Returns {@code steer.observations.enabled}.
	 * @return whether streams are observed
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets {@code steer.observations.enabled}.
	 * @param enabled whether streams are observed
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns {@code steer.observations.include-content}.
	 * @return whether prompts and completions are recorded on the streams' observations
	 */
	public boolean isIncludeContent() {
		return this.includeContent;
	}

	/**
	 * Sets {@code steer.observations.include-content}.
	 * @param includeContent whether prompts and completions are recorded on the streams'
	 * observations
	 */
	public void setIncludeContent(boolean includeContent) {
		this.includeContent = includeContent;
	}

	/**
	 * Returns {@code steer.observations.max-model-tags}.
	 * @return most distinct model names tagged before the rest are tagged {@code other}
	 */
	public int getMaxModelTags() {
		return this.maxModelTags;
	}

	/**
	 * Sets {@code steer.observations.max-model-tags}.
	 * @param maxModelTags most distinct model names tagged before the rest are tagged
	 * {@code other}, at least 1
	 */
	public void setMaxModelTags(int maxModelTags) {
		this.maxModelTags = maxModelTags;
	}

	/**
	 * Returns the settings of the meters, {@code steer.observations.metrics.*}.
	 * @return the settings of the meters, never {@code null}
	 */
	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * Settings of the streams' meters, {@code steer.observations.metrics.*}.
	 */
	public static class Metrics {

		/**
		 * Whether the streams are recorded in the application's MeterRegistry: the
		 * OpenTelemetry GenAI client meters ('gen_ai.client.*') and the 'steer.*' meters.
		 * The observation itself (and the timer Boot makes of it) is governed by
		 * 'steer.observations.enabled'.
		 */
		private boolean enabled = true;

		/**
		 * Returns {@code steer.observations.metrics.enabled}.
		 * @return whether the streams are recorded in the application's meter registry
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code steer.observations.metrics.enabled}.
		 * @param enabled whether the streams are recorded in the application's meter
		 * registry
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
