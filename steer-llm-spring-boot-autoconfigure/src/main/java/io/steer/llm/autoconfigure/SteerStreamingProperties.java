package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.steer.llm.options.StreamingOptions;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * How streams are read, measured and shaped, bound from {@code steer.streaming.*}.
 * <p>
 * Every option of {@link StreamingOptions} has a property here, inherited from
 * {@link StreamingOptionsProperties}; an unset one takes its value from
 * {@link StreamingOptions#DEFAULTS}. They make the {@code steerStreamingOptions} bean.
 * {@link #getPresets() Presets}, of the same type, make further named beans whose unset
 * fields inherit from these. {@link #getProviders() Provider} and {@link #getModels()
 * model} rules, of the same type, choose options per stream when a call gives none (see
 * {@link io.steer.llm.options.StreamingOptionsRules}). Values are checked when the
 * options are built: an invalid one fails start-up with an
 * {@link org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException}
 * naming the property.
 * <p>
 * {@code state-ttl}, {@code max-states} and {@code state-cleanup-interval} configure the
 * client's {@link io.steer.llm.retry.StreamingRetryManager}, shared by all streams; they
 * have no per-preset value.
 */
@ConfigurationProperties("steer.streaming")
public class SteerStreamingProperties extends StreamingOptionsProperties {

	/**
	 * How long the state of a stream is kept for reconnection after its last activity. A
	 * plain number is in seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration stateTtl = Duration.ofSeconds(900);

	/**
	 * Most stream states kept for reconnection at once; when full, expired states and
	 * then the least recently active one make room.
	 */
	private int maxStates = 10000;

	/**
	 * Time between two removals of expired stream states. A plain number is in seconds; 0
	 * to remove them only while streams start or update their retry state.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration stateCleanupInterval = Duration.ofSeconds(60);

	/**
	 * Named option sets, each exposed as a StreamingOptions bean named '<name>Options'
	 * (kebab-case names become camelCase: 'fast-ui' gives 'fastUiOptions'). Unset fields
	 * inherit from 'steer.streaming'. Each entry, 'steer.streaming.presets.<name>.*',
	 * takes the keys of 'steer.streaming' except state-ttl, max-states and
	 * state-cleanup-interval, e.g. 'steer.streaming.presets.fast-ui.read-timeout=10s'.
	 * The names of the built-in presets (json-mode, debug, high-performance,
	 * high-throughput, low-latency) are reserved.
	 */
	private final Map<String, StreamingOptionsProperties> presets = new LinkedHashMap<>();

	/**
	 * Options by provider, over 'steer.streaming' for every stream of that provider whose
	 * call gives no options. Each entry, 'steer.streaming.providers.<provider>.*', takes
	 * the keys of a preset, e.g. 'steer.streaming.providers.anthropic.read-timeout=60s'.
	 * The provider is one of the client's: openai, xai or anthropic.
	 */
	private final Map<String, StreamingOptionsProperties> providers = new LinkedHashMap<>();

	/**
	 * Options by model, over the provider's and 'steer.streaming' for every stream whose
	 * model matches the glob ('*' any run, '?' one character, '[abc]', '[a-z]', '[!x]'),
	 * the most specific glob (most literal characters) winning. Each entry takes the keys
	 * of a preset; the glob goes in brackets,
	 * 'steer.streaming.models[claude-*].read-timeout=60s' or in YAML 'models: {
	 * "[claude-*]": { read-timeout: 60s } }'.
	 */
	private final Map<String, StreamingOptionsProperties> models = new LinkedHashMap<>();

	/**
	 * Returns {@code steer.streaming.state-ttl}.
	 * @return how long the state of a stream is kept for reconnection after its last
	 * activity. A plain number is in seconds
	 */
	public Duration getStateTtl() {
		return this.stateTtl;
	}

	/**
	 * Sets {@code steer.streaming.state-ttl}.
	 * @param stateTtl how long the state of a stream is kept for reconnection after its
	 * last activity. A plain number is in seconds
	 */
	public void setStateTtl(Duration stateTtl) {
		this.stateTtl = stateTtl;
	}

	/**
	 * Returns {@code steer.streaming.max-states}.
	 * @return most stream states kept for reconnection at once; when full, expired states
	 * and then the least recently active one make room
	 */
	public int getMaxStates() {
		return this.maxStates;
	}

	/**
	 * Sets {@code steer.streaming.max-states}.
	 * @param maxStates most stream states kept for reconnection at once; when full,
	 * expired states and then the least recently active one make room
	 */
	public void setMaxStates(int maxStates) {
		this.maxStates = maxStates;
	}

	/**
	 * Returns {@code steer.streaming.state-cleanup-interval}.
	 * @return time between two removals of expired stream states. A plain number is in
	 * seconds; 0 to remove them only while streams start or update their retry state
	 */
	public Duration getStateCleanupInterval() {
		return this.stateCleanupInterval;
	}

	/**
	 * Sets {@code steer.streaming.state-cleanup-interval}.
	 * @param stateCleanupInterval time between two removals of expired stream states. A
	 * plain number is in seconds; 0 to remove them only while streams start or update
	 * their retry state
	 */
	public void setStateCleanupInterval(Duration stateCleanupInterval) {
		this.stateCleanupInterval = stateCleanupInterval;
	}

	/**
	 * Returns the presets, {@code steer.streaming.presets.<name>.*}.
	 * @return the presets by name, modifiable; each becomes a {@code <name>Options} bean
	 */
	public Map<String, StreamingOptionsProperties> getPresets() {
		return this.presets;
	}

	/**
	 * Returns the provider rules, {@code steer.streaming.providers.<provider>.*}.
	 * @return the options by provider name, modifiable
	 */
	public Map<String, StreamingOptionsProperties> getProviders() {
		return this.providers;
	}

	/**
	 * Returns the model rules, {@code steer.streaming.models.[<glob>].*}.
	 * @return the options by model glob, in the order configured, modifiable
	 */
	public Map<String, StreamingOptionsProperties> getModels() {
		return this.models;
	}

}
