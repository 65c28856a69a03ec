package io.steer.llm.autoconfigure;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link AnnotationUnitMeterFilter}.
 */
class AnnotationUnitMeterFilterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	AnnotationUnitMeterFilterTests() {
		this.registry.config().meterFilter(new AnnotationUnitMeterFilter());
	}

	@Test
	void curlyBracedUnitOfAGenAiMeterShouldBeDropped() {
		DistributionSummary tokens = DistributionSummary.builder("gen_ai.client.token.usage")
			.baseUnit("{token}")
			.register(this.registry);
		assertThat(tokens.getId().getBaseUnit()).isNull();
	}

	@Test
	void otherUnitsAndOtherMetersShouldBeKept() {
		assertThat(Timer.builder("gen_ai.client.operation.duration").register(this.registry).getId().getBaseUnit())
			.isEqualTo("seconds");
		assertThat(DistributionSummary.builder("app.tokens")
			.baseUnit("{token}")
			.register(this.registry)
			.getId()
			.getBaseUnit()).isEqualTo("{token}");
		assertThat(DistributionSummary.builder("gen_ai.cost")
			.baseUnit("usd")
			.register(this.registry)
			.getId()
			.getBaseUnit()).isEqualTo("usd");
	}

}
