package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.steer.llm.autoconfigure.SteerStreamingProperties.Preset;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.options.InvalidStreamingOptionException;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Builds {@link StreamingOptions} from {@link SteerStreamingProperties}: the defaults
 * from {@code steer.streaming.*}, a preset from {@code steer.streaming.presets.<name>.*}
 * over them.
 * <p>
 * Values are checked by {@link StreamingOptions.Builder#build()}; its
 * {@link InvalidStreamingOptionException}, which names the field, becomes an
 * {@link InvalidConfigurationPropertyValueException} naming the property that set the
 * value.
 */
final class StreamingOptionsFactory {

	/** Bean name of the factory; preset bean definitions call it by this name. */
	static final String BEAN_NAME = "steerStreamingOptionsFactory";

	private static final String PREFIX = "steer.streaming";

	private final SteerStreamingProperties properties;

	private final BeanFactory beanFactory;

	StreamingOptionsFactory(SteerStreamingProperties properties, BeanFactory beanFactory) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	/**
	 * Builds the options of {@code steer.streaming.*}.
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException when a value is invalid
	 */
	StreamingOptions defaults() {
		return build(PREFIX, null);
	}

	/**
	 * Builds the options of a preset, its unset fields taken from
	 * {@code steer.streaming.*}.
	 * @param name the preset name, a key of {@code steer.streaming.presets}
	 * @return the options
	 * @throws IllegalStateException when there is no such preset
	 * @throws InvalidConfigurationPropertyValueException when a value is invalid
	 */
	StreamingOptions preset(String name) {
		Preset preset = this.properties.getPresets().get(name);
		if (preset == null) {
			throw new IllegalStateException("No preset '" + name + "' under " + PREFIX + ".presets (found "
					+ this.properties.getPresets().keySet() + ")");
		}
		return build(PREFIX + ".presets." + name, preset);
	}

	private StreamingOptions build(String prefix, @Nullable Preset preset) {
		SteerStreamingProperties base = this.properties;
		Values values = new Values(prefix, preset);
		StreamingOptions.Builder builder = StreamingOptions.builder()
			.enableUsageAggregation(values.get("enableUsageAggregation", Preset::getEnableUsageAggregation,
					base.isEnableUsageAggregation()))
			.aggregatorType(
					values.<AggregatorType>get("aggregatorType", Preset::getAggregatorType, base.getAggregatorType()))
			.preferTiktoken(values.get("preferTiktoken", Preset::getPreferTiktoken, base.isPreferTiktoken()))
			.enableJsonStreamHandler(values.get("enableJsonStreamHandler", Preset::getEnableJsonStreamHandler,
					base.isEnableJsonStreamHandler()))
			.validateJsonIncrementally(values.get("validateJsonIncrementally", Preset::getValidateJsonIncrementally,
					base.isValidateJsonIncrementally()))
			.connectionTimeout(values.<Duration>get("connectionTimeout", Preset::getConnectionTimeout,
					base.getConnectionTimeout()))
			.readTimeout(values.<Duration>get("readTimeout", Preset::getReadTimeout, base.getReadTimeout()))
			.totalTimeout(values.<Duration>get("totalTimeout", Preset::getTotalTimeout, base.getTotalTimeout()))
			.retryOnConnectionError(values.get("retryOnConnectionError", Preset::getRetryOnConnectionError,
					base.isRetryOnConnectionError()))
			.maxReconnectAttempts(
					values.get("maxReconnectAttempts", Preset::getMaxReconnectAttempts, base.getMaxReconnectAttempts()))
			.reconnectDelay(values.<Duration>get("reconnectDelay", Preset::getReconnectDelay, base.getReconnectDelay()))
			.preservePartialResponse(values.get("preservePartialResponse", Preset::getPreservePartialResponse,
					base.isPreservePartialResponse()))
			.chunkSize(values.get("chunkSize", Preset::getChunkSize, base.getChunkSize()))
			.bufferSize(values.get("bufferSize", Preset::getBufferSize, base.getBufferSize()))
			.maxRetryDelay(values.<Duration>get("maxRetryDelay", Preset::getMaxRetryDelay, base.getMaxRetryDelay()))
			.maxEventSize(values.get("maxEventSize", Preset::getMaxEventSize, base.getMaxEventSize()))
			.bufferType(values.<BufferType>get("bufferType", Preset::getBufferType, base.getBufferType()))
			.progressInterval(
					values.<Duration>get("progressInterval", Preset::getProgressInterval, base.getProgressInterval()))
			.rateLimit(values.get("rateLimit", Preset::getRateLimit, base.getRateLimit()))
			.logStreamingMetrics(
					values.get("logStreamingMetrics", Preset::getLogStreamingMetrics, base.isLogStreamingMetrics()));
		String eventProcessor = values.get("eventProcessor", Preset::getEventProcessor, base.getEventProcessor());
		builder.eventProcessor(eventProcessor(values.propertyName("eventProcessor"), eventProcessor));
		try {
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw values.invalid(ex);
		}
	}

	/**
	 * The event processor bean a property names. A mistake fails with an exception that
	 * is the root cause of the start-up failure, so that it names the property, the value
	 * and the beans the property may name.
	 */
	private @Nullable EventProcessor eventProcessor(String property, @Nullable String beanName) {
		if (!StringUtils.hasText(beanName)) {
			return null;
		}
		try {
			return this.beanFactory.getBean(beanName, EventProcessor.class);
		}
		catch (BeanNotOfRequiredTypeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, beanName,
					"Bean '" + beanName + "' is a " + ex.getActualType().getName() + ", not an "
							+ EventProcessor.class.getName() + "; " + eventProcessorBeans());
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new InvalidConfigurationPropertyValueException(property, beanName,
					"No " + EventProcessor.class.getName() + " bean named '" + beanName + "' is defined; "
							+ eventProcessorBeans());
		}
	}

	/**
	 * The beans a property naming an event processor may name, for a message: found
	 * without creating any bean.
	 */
	private String eventProcessorBeans() {
		String[] names = (this.beanFactory instanceof ListableBeanFactory listable)
				? BeanFactoryUtils.beanNamesForTypeIncludingAncestors(listable, EventProcessor.class, true, false)
				: new String[0];
		if (names.length == 0) {
			return "no EventProcessor bean is defined: define one, or remove the property.";
		}
		return "EventProcessor beans: " + String.join(", ", names) + ".";
	}

	/**
	 * The values of one options build, with the property each came from.
	 */
	private static final class Values {

		private final String prefix;

		private final @Nullable Preset preset;

		private final Map<String, String> propertyNames = new HashMap<>();

		private final Map<String, @Nullable Object> values = new HashMap<>();

		Values(String prefix, @Nullable Preset preset) {
			this.prefix = prefix;
			this.preset = preset;
		}

		/**
		 * The preset's value of a field when it sets one, else the value under
		 * {@code steer.streaming}.
		 */
		<T> T get(String field, Function<Preset, @Nullable T> presetValue, T baseValue) {
			T value = (this.preset != null) ? presetValue.apply(this.preset) : null;
			String owner = (value != null) ? this.prefix : PREFIX;
			value = (value != null) ? value : baseValue;
			this.propertyNames.put(field, owner + "." + DataObjectPropertyName.toDashedForm(field));
			this.values.put(field, value);
			return value;
		}

		String propertyName(String field) {
			String defaultName = this.prefix + "." + DataObjectPropertyName.toDashedForm(field);
			return this.propertyNames.getOrDefault(field, defaultName);
		}

		InvalidConfigurationPropertyValueException invalid(IllegalArgumentException ex) {
			if (ex instanceof InvalidStreamingOptionException invalid
					&& this.propertyNames.containsKey(invalid.getField())) {
				return new InvalidConfigurationPropertyValueException(this.propertyNames.get(invalid.getField()),
						this.values.get(invalid.getField()), sentence(invalid.getReason()), ex);
			}
			return new InvalidConfigurationPropertyValueException(this.prefix, null,
					sentence(String.valueOf(ex.getMessage())), ex);
		}

		private static String sentence(String text) {
			String trimmed = text.strip();
			if (trimmed.isEmpty()) {
				return "Invalid value.";
			}
			String capitalized = trimmed.substring(0, 1).toUpperCase(Locale.ROOT) + trimmed.substring(1);
			return capitalized.endsWith(".") ? capitalized : capitalized + ".";
		}

	}

}
