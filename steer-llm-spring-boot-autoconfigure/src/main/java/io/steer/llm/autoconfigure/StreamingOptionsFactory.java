package io.steer.llm.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.steer.llm.json.JsonProcessor;
import io.steer.llm.options.InvalidStreamingOptionException;
import io.steer.llm.options.ModelGlob;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsOverlay;
import io.steer.llm.options.StreamingOptionsRules;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventRecorder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.StringUtils;

/**
 * Builds {@link StreamingOptions} from {@link SteerStreamingProperties}: the defaults
 * from {@code steer.streaming.*}, a preset from {@code steer.streaming.presets.<name>.*}
 * merged over them ({@link StreamingOptionsProperties#over}), and the
 * {@link StreamingOptionsRules} of {@code steer.streaming.providers.*} and
 * {@code steer.streaming.models.*}. A property that is set replaces the value of
 * {@link StreamingOptions#DEFAULTS}; the bean names of {@code event-processor} and
 * {@code json-processor} are resolved to their beans. When there is an
 * {@link EventRecorder} bean ({@code steer.streaming.events.replay.enabled}), it comes
 * first in every options' event processor, before the one named by
 * {@code event-processor}. When there is a {@code steerEventProcessor} bean (from
 * {@code steer.streaming.events.*}), the default options run it after the recorder and
 * before the processor named by {@code steer.streaming.event-processor}, and so do the
 * {@code steer.streaming.presets.<name>} that name no {@code event-processor} of their
 * own, and the built-in presets. {@code event-processor} may name several beans: they
 * compose in their {@code @Order}.
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
		return build(this.properties, new Origin(PREFIX, null));
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
		StreamingOptionsProperties preset = this.properties.getPresets().get(name);
		if (preset == null) {
			throw new IllegalStateException("No preset '" + name + "' under " + PREFIX + ".presets (found "
					+ this.properties.getPresets().keySet() + ")");
		}
		return build(preset.over(this.properties), new Origin(PREFIX + ".presets." + name, preset));
	}

	/**
	 * Builds the rules of {@code steer.streaming.providers.<provider>.*} and
	 * {@code steer.streaming.models[<glob>].*}, with the JSON rule (a JSON response
	 * format turns the JSON stream handler on unless
	 * {@code steer.streaming.enable-json-stream-handler} or a matching rule sets it). A
	 * rule's {@code event-processor} and {@code json-processor} replace those of the
	 * options it applies over; every other property it leaves unset keeps their value.
	 * @param providerNames the names of the client's providers
	 * @return the rules
	 * @throws InvalidConfigurationPropertyValueException when a provider is not one of
	 * {@code providerNames}, a glob is invalid or a value is invalid; it names the key
	 */
	StreamingOptionsRules rules(Collection<String> providerNames) {
		StreamingOptionsRules.Builder rules = StreamingOptionsRules.builder()
			.baseSetsJsonStreamHandler(this.properties.isSet("enableJsonStreamHandler"));
		this.properties.getProviders().forEach((provider, rule) -> {
			String key = PREFIX + ".providers." + provider;
			if (!providerNames.contains(provider)) {
				throw new InvalidConfigurationPropertyValueException(key, provider,
						"'" + provider + "' is not a provider of the client; expected one of "
								+ String.join(", ", providerNames) + ".");
			}
			rules.provider(provider, overlay(key, rule));
		});
		this.properties.getModels().forEach((glob, rule) -> {
			String key = PREFIX + ".models[" + glob + "]";
			try {
				ModelGlob.compile(glob);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(key, glob, Origin.sentence(ex.getMessage()));
			}
			rules.model(glob, overlay(key, rule));
		});
		return rules.build();
	}

	/**
	 * The overlay of one rule: the properties it sets, checked now so that a bad value
	 * fails start-up naming its key.
	 */
	private StreamingOptionsOverlay overlay(String prefix, StreamingOptionsProperties rule) {
		Origin origin = new Origin(prefix, rule);
		boolean setsEventProcessor = rule.isSet("eventProcessor");
		EventProcessor eventProcessor = setsEventProcessor
				? pipeline(false, named(origin.propertyName("eventProcessor"), rule.getEventProcessor())) : null;
		boolean setsJsonProcessor = rule.isSet("jsonProcessor");
		JsonProcessor jsonProcessor = setsJsonProcessor
				? bean(origin.propertyName("jsonProcessor"), rule.getJsonProcessor(), JsonProcessor.class) : null;
		boolean setsJsonStreamHandler = rule.isSet("enableJsonStreamHandler");
		StreamingOptionsOverlay overlay = new StreamingOptionsOverlay() {

			@Override
			public void applyTo(StreamingOptions.Builder builder) {
				map(rule, builder);
				if (setsEventProcessor) {
					builder.eventProcessor(eventProcessor);
				}
				if (setsJsonProcessor) {
					builder.jsonProcessor(jsonProcessor);
				}
			}

			@Override
			public boolean setsJsonStreamHandler() {
				return setsJsonStreamHandler;
			}

			@Override
			public String toString() {
				return prefix;
			}

		};
		StreamingOptions.Builder check = StreamingOptions.builder();
		overlay.applyTo(check);
		try {
			check.build();
		}
		catch (IllegalArgumentException ex) {
			throw origin.invalid(ex);
		}
		return overlay;
	}

	private StreamingOptions build(StreamingOptionsProperties properties, Origin origin) {
		StreamingOptions.Builder builder = StreamingOptions.builder();
		map(properties, builder);
		List<EventProcessor> named = named(origin.propertyName("eventProcessor"), properties.getEventProcessor());
		builder.eventProcessor(pipeline(origin.inheritsEventProcessor(), named));
		builder.jsonProcessor(
				bean(origin.propertyName("jsonProcessor"), properties.getJsonProcessor(), JsonProcessor.class));
		try {
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw origin.invalid(ex);
		}
	}

	/** Sets on a builder every option the properties set, except the bean names. */
	private static void map(StreamingOptionsProperties properties, StreamingOptions.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getEnableUsageAggregation).to(builder::enableUsageAggregation);
		map.from(properties::getAggregatorType).to(builder::aggregatorType);
		map.from(properties::getPreferTiktoken).to(builder::preferTiktoken);
		map.from(properties::getEnableJsonStreamHandler).to(builder::enableJsonStreamHandler);
		map.from(properties::getValidateJsonIncrementally).to(builder::validateJsonIncrementally);
		map.from(properties::getJsonDuplicatePolicy).to(builder::jsonDuplicatePolicy);
		map.from(properties::getFailOnSchemaViolation).to(builder::failOnSchemaViolation);
		map.from(properties::getConnectionTimeout).to(builder::connectionTimeout);
		map.from(properties::getReadTimeout).to(builder::readTimeout);
		map.from(properties::getTotalTimeout).to(builder::totalTimeout);
		map.from(properties::getRetryOnConnectionError).to(builder::retryOnConnectionError);
		map.from(properties::getMaxReconnectAttempts).to(builder::maxReconnectAttempts);
		map.from(properties::getReconnectDelay).to(builder::reconnectDelay);
		map.from(properties::getMaxRetryDelay).to(builder::maxRetryDelay);
		map.from(properties::getPreservePartialResponse).to(builder::preservePartialResponse);
		map.from(properties::getBufferSize).to(builder::bufferSize);
		map.from(properties::getMaxEventSize).to(builder::maxEventSize);
		map.from(properties::getEnableCompression).to(builder::enableCompression);
		map.from(properties::getBufferType).to(builder::bufferType);
		map.from(properties::getChunkSize).to(builder::chunkSize);
		map.from(properties::getBufferTimeout).to(builder::bufferTimeout);
		map.from(properties::getProgressInterval).to(builder::progressInterval);
		map.from(properties::getRateLimit).to(builder::rateLimit);
		map.from(properties::getMaxAddedLatency).to(builder::maxAddedLatency);
		map.from(properties::getTrackMetrics).to(builder::trackMetrics);
		map.from(properties::getLogStreamingMetrics).to(builder::logStreamingMetrics);
	}

	/**
	 * A built-in preset with the event pipeline of the configuration: the
	 * {@link EventRecorder} bean, when there is one, then the {@code steerEventProcessor}
	 * bean, when there is one, then the preset's own event processor.
	 * @param options the options of a built-in preset
	 * @return options with that event processor; {@code options} itself when there is
	 * neither bean
	 */
	StreamingOptions withEventPipeline(StreamingOptions options) {
		EventProcessor own = options.eventProcessor();
		EventProcessor piped = pipeline(true, (own != null) ? List.of(own) : List.of());
		return (piped == own) ? options : options.withEventProcessor(piped);
	}

	/**
	 * The event processor of one options: the recorder, when there is a unique
	 * {@link EventRecorder} bean, so that it sees the events as the stream emits them;
	 * then the {@code steerEventProcessor} bean, when there is one and the options
	 * inherit it; then the options' own processors. Each processor runs once, at its
	 * first place.
	 * @param withConfigured whether the {@code steerEventProcessor} bean runs
	 * @param own the options' own processors, in order
	 * @return the composed processor; {@code null} when there is none
	 */
	private @Nullable EventProcessor pipeline(boolean withConfigured, List<EventProcessor> own) {
		List<EventProcessor> stages = new ArrayList<>();
		EventRecorder recorder = this.beanFactory.getBeanProvider(EventRecorder.class).getIfUnique();
		if (recorder != null) {
			stages.add(recorder);
		}
		String name = SteerLLMAutoConfiguration.EVENT_PROCESSOR_BEAN_NAME;
		if (withConfigured && this.beanFactory.containsBean(name)) {
			stages.add(this.beanFactory.getBean(name, EventProcessor.class));
		}
		EventProcessor chain = null;
		for (EventProcessor stage : stages) {
			chain = (chain != null) ? chain.andThen(stage) : stage;
		}
		for (EventProcessor stage : own) {
			if (stages.stream().noneMatch((placed) -> placed == stage)) {
				stages.add(stage);
				chain = (chain != null) ? chain.andThen(stage) : stage;
			}
		}
		return chain;
	}

	/**
	 * The processors a property names, in their order: {@code @Order} or {@link Ordered}
	 * on the bean's class or on its {@code @Bean} method, as Spring orders a list of
	 * beans; beans of equal order in the order listed.
	 * @return the processors, each once; empty when the property is unset or empty
	 */
	private List<EventProcessor> named(String property, @Nullable List<String> beanNames) {
		if (beanNames == null) {
			return List.of();
		}
		Map<EventProcessor, String> processors = new IdentityHashMap<>();
		List<EventProcessor> ordered = new ArrayList<>();
		for (String beanName : beanNames) {
			EventProcessor processor = bean(property, beanName.strip(), EventProcessor.class);
			if (processor != null && processors.putIfAbsent(processor, beanName.strip()) == null) {
				ordered.add(processor);
			}
		}
		ordered.sort(AnnotationAwareOrderComparator.INSTANCE
			.withSourceProvider((processor) -> orderSource(processors.get(processor))));
		return ordered;
	}

	/**
	 * Where the order of a bean is declared besides the instance: its {@code @Bean}
	 * method and the type its definition declares, as Spring's own ordering of beans
	 * looks.
	 */
	private @Nullable Object orderSource(@Nullable String beanName) {
		if (beanName == null || !(this.beanFactory instanceof ConfigurableListableBeanFactory listable)
				|| !listable.containsBeanDefinition(beanName)) {
			return null;
		}
		if (!(listable.getMergedBeanDefinition(beanName) instanceof RootBeanDefinition definition)) {
			return null;
		}
		List<Object> sources = new ArrayList<>(2);
		Method factoryMethod = definition.getResolvedFactoryMethod();
		if (factoryMethod != null) {
			sources.add(factoryMethod);
		}
		Class<?> targetType = definition.getTargetType();
		if (targetType != null) {
			sources.add(targetType);
		}
		return sources.isEmpty() ? null : sources.toArray();
	}

	/**
	 * The bean a property names. A mistake fails with an exception that is the root cause
	 * of the start-up failure, so that it names the property, the value and the beans the
	 * property may name.
	 */
	private <T> @Nullable T bean(String property, @Nullable String beanName, Class<T> type) {
		if (!StringUtils.hasText(beanName)) {
			return null;
		}
		try {
			return this.beanFactory.getBean(beanName, type);
		}
		catch (BeanNotOfRequiredTypeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, beanName, "Bean '" + beanName + "' is a "
					+ ex.getActualType().getName() + ", not an " + type.getName() + "; " + beansOfType(type));
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new InvalidConfigurationPropertyValueException(property, beanName,
					"No " + type.getName() + " bean named '" + beanName + "' is defined; " + beansOfType(type));
		}
	}

	/**
	 * The beans a property naming a bean of a type may name, for a message: found without
	 * creating any bean.
	 */
	private String beansOfType(Class<?> type) {
		String[] names = (this.beanFactory instanceof ListableBeanFactory listable)
				? BeanFactoryUtils.beanNamesForTypeIncludingAncestors(listable, type, true, false) : new String[0];
		if (names.length == 0) {
			return "no " + type.getSimpleName() + " bean is defined: define one, or remove the property.";
		}
		return type.getSimpleName() + " beans: " + String.join(", ", names) + ".";
	}

	/**
	 * Where the values of one options build come from: the preset that set a field, else
	 * {@code steer.streaming}.
	 *
	 * @param prefix the prefix of the options built, {@code steer.streaming} or
	 * {@code steer.streaming.presets.<name>}
	 * @param preset the preset's own properties, {@code null} when building
	 * {@code steer.streaming}
	 */
	private record Origin(String prefix, @Nullable StreamingOptionsProperties preset) {

		/**
		 * Whether the options take their event processor from {@code steer.streaming}:
		 * the defaults, or a preset that names none.
		 */
		boolean inheritsEventProcessor() {
			return this.preset == null || !this.preset.isSet("eventProcessor");
		}

		/**
		 * The property that gave a field its value: the preset's when it sets the field,
		 * else the one under {@code steer.streaming}.
		 */
		String propertyName(String field) {
			String owner = (this.preset != null && this.preset.isSet(field)) ? this.prefix : PREFIX;
			return owner + "." + DataObjectPropertyName.toDashedForm(field);
		}

		InvalidConfigurationPropertyValueException invalid(IllegalArgumentException ex) {
			if (ex instanceof InvalidStreamingOptionException invalid
					&& StreamingOptionsProperties.isProperty(invalid.getField())) {
				return new InvalidConfigurationPropertyValueException(propertyName(invalid.getField()),
						invalid.getValue(), sentence(invalid.getReason()), ex);
			}
			return new InvalidConfigurationPropertyValueException(this.prefix, null,
					sentence(String.valueOf(ex.getMessage())), ex);
		}

		static String sentence(@Nullable String text) {
			if (text == null) {
				return "Invalid value.";
			}
			String trimmed = text.strip();
			if (trimmed.isEmpty()) {
				return "Invalid value.";
			}
			String capitalized = trimmed.substring(0, 1).toUpperCase(Locale.ROOT) + trimmed.substring(1);
			return capitalized.endsWith(".") ? capitalized : capitalized + ".";
		}

	}

}
