package io.steer.llm.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.steer.llm.pipeline.BatchHandler;
import io.steer.llm.pipeline.BatchingProcessor;
import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventProcessors;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds the {@code steerEventProcessor} bean and its {@code steerEventDelivery} from
 * {@link SteerEventsProperties}: {@link EventProcessors#builder()} with the types,
 * providers, correlation (the current trace id first when there is a Micrometer Tracing
 * {@code Tracer} bean, see {@link TraceIdLookup}), timestamp and metrics keys, then, when
 * {@code batch.handler} names a {@link BatchHandler} bean, a {@link BatchingProcessor}.
 * Every invalid value fails with an {@link InvalidConfigurationPropertyValueException}
 * that names the key and what it accepts.
 */
final class EventProcessorFactory {

	static final String PREFIX = "steer.streaming.events.";

	private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	private final SteerEventsProperties properties;

	private final BeanFactory beanFactory;

	EventProcessorFactory(SteerEventsProperties properties, BeanFactory beanFactory) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	/**
	 * The delivery of the background batches, counting them in the unique
	 * {@code MeterRegistry} bean when there is one.
	 * @return a new delivery, its thread started on the first batch
	 * @throws InvalidConfigurationPropertyValueException when the queue capacity is below
	 * 1
	 */
	EventDelivery delivery() {
		int capacity = this.properties.getBackgroundQueueCapacity();
		if (capacity < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "background-queue-capacity", capacity,
					"Must be at least 1.");
		}
		EventDelivery.Builder builder = EventDelivery.builder()
			.queueCapacity(capacity)
			.overflowPolicy(this.properties.getOverflowPolicy());
		if (ClassUtils.isPresent(METER_REGISTRY, getClass().getClassLoader())) {
			Meters.register(builder, this.beanFactory);
		}
		return builder.build();
	}

	/**
	 * The processor.
	 * @param clock the clock of the timestamp and metrics metadata, or {@code null} for
	 * the system UTC clock
	 * @param delivery the delivery of the batches, or {@code null} to run the handler in
	 * the stream
	 * @return the processor
	 * @throws InvalidConfigurationPropertyValueException when a value is invalid
	 */
	EventProcessor processor(@Nullable Clock clock, @Nullable EventDelivery delivery) {
		EventProcessors.Builder builder = EventProcessors.builder();
		if (clock != null) {
			builder.clock(clock);
		}
		List<String> types = this.properties.getTypes();
		for (String type : types) {
			try {
				builder.eventTypes(type);
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "types", type,
						"Expected start, delta, usage, complete or error.");
			}
		}
		for (String provider : this.properties.getProviders()) {
			if (!StringUtils.hasText(provider)) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "providers", provider,
						"Expected a provider name such as openai, xai or anthropic.");
			}
			builder.providers(provider.strip());
		}
		builder.addCorrelation(this.properties.isCorrelation());
		if (this.properties.isCorrelation() && ClassUtils.isPresent(TRACER, beanClassLoader())) {
			Tracing.addCorrelation(builder, this.beanFactory);
		}
		builder.addTimestamp(this.properties.isTimestamp()).addMetrics(this.properties.isMetrics());
		BatchingProcessor batching = batching(delivery);
		if (batching != null) {
			builder.then(batching);
		}
		return builder.build();
	}

	/** The class loader of the context's beans, which its conditions see. */
	private @Nullable ClassLoader beanClassLoader() {
		return (this.beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: getClass().getClassLoader();
	}

	private @Nullable BatchingProcessor batching(@Nullable EventDelivery delivery) {
		SteerEventsProperties.Batch batch = this.properties.getBatch();
		if (!this.properties.isBatching()) {
			if (batch.getSize() != null || batch.getTimeout() != null || this.properties.getBackground() != null) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "batch.handler", batch.getHandler(),
						"Required by batch.size, batch.timeout and background: name a BatchHandler bean; "
								+ handlers());
			}
			return null;
		}
		BatchingProcessor.Builder builder = BatchingProcessor.builder(handler(batch.getHandler()));
		Integer size = batch.getSize();
		if (size != null) {
			if (size < 1 || size > BatchingProcessor.MAX_SIZE) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "batch.size", size,
						"Must be between 1 and " + BatchingProcessor.MAX_SIZE + ".");
			}
			builder.size(size);
		}
		Duration timeout = batch.getTimeout();
		if (timeout != null) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "batch.timeout", timeout,
						"Must be positive, such as 200ms.");
			}
			builder.timeout(timeout);
		}
		return builder.background(delivery).build();
	}

	private BatchHandler handler(String name) {
		String property = PREFIX + "batch.handler";
		try {
			return this.beanFactory.getBean(name, BatchHandler.class);
		}
		catch (BeanNotOfRequiredTypeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name, "Bean '" + name + "' is a "
					+ ex.getActualType().getName() + ", not a " + BatchHandler.class.getName() + "; " + handlers());
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"No " + BatchHandler.class.getName() + " bean named '" + name + "' is defined; " + handlers());
		}
	}

	/** The handler beans, for a message: found without creating any bean. */
	private String handlers() {
		String[] names = (this.beanFactory instanceof ListableBeanFactory listable)
				? BeanFactoryUtils.beanNamesForTypeIncludingAncestors(listable, BatchHandler.class, true, false)
				: new String[0];
		if (names.length == 0) {
			return "no BatchHandler bean is defined.";
		}
		return "BatchHandler beans: " + String.join(", ", names) + ".";
	}

	/**
	 * The trace id correlation when there is a unique {@code Tracer} bean, in its own
	 * class so that Micrometer Tracing is loaded only when it is on the class path.
	 */
	private static final class Tracing {

		static void addCorrelation(EventProcessors.Builder builder, BeanFactory beanFactory) {
			io.micrometer.tracing.Tracer tracer = beanFactory.getBeanProvider(io.micrometer.tracing.Tracer.class)
				.getIfUnique();
			if (tracer != null) {
				builder.addCorrelation(TraceIdLookup.of(tracer));
			}
		}

	}

	/**
	 * The registry look-up, in its own class so that Micrometer is loaded only when it is
	 * on the class path.
	 */
	private static final class Meters {

		static void register(EventDelivery.Builder builder, BeanFactory beanFactory) {
			builder.meterRegistry(
					beanFactory.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class).getIfUnique());
		}

	}

}
