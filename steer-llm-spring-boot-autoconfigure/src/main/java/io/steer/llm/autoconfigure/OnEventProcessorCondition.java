package io.steer.llm.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a key of the {@code steerEventProcessor} bean is set under
 * {@code steer.streaming.events} (see
 * {@link SteerEventsProperties#isProcessorConfigured()}).
 */
class OnEventProcessorCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean configured = bind(context).isProcessorConfigured();
		return configured ? ConditionOutcome.match("steer.streaming.events processor keys are set")
				: ConditionOutcome.noMatch("no steer.streaming.events processor key is set");
	}

	static SteerEventsProperties bind(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind("steer.streaming.events", Bindable.of(SteerEventsProperties.class))
			.orElseGet(SteerEventsProperties::new);
	}

	/**
	 * Matches when the batches go to a background delivery: {@code batch.handler} is set
	 * and {@code background} is not {@code false}.
	 */
	static class OnBackgroundDelivery extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean background = bind(context).isBackgroundDelivery();
			return background ? ConditionOutcome.match("steer.streaming.events.batch.handler is set, in the background")
					: ConditionOutcome.noMatch("no background batch handler under steer.streaming.events");
		}

	}

}
