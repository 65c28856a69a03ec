package io.steer.llm.autoconfigure;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Drops a curly-braced base unit, an OpenTelemetry annotation such as {@code {token}},
 * from the OpenTelemetry GenAI meters ({@code gen_ai.*}), as OpenTelemetry's Prometheus
 * compatibility rules do, so that {@code gen_ai.client.token.usage} is exported as
 * {@code gen_ai_client_token_usage_bucket} rather than
 * {@code gen_ai_client_token_usage__token__bucket}. Other units and other meters are left
 * as they are.
 */
final class AnnotationUnitMeterFilter implements MeterFilter {

	private static final String PREFIX = "gen_ai.";

	@Override
	public Meter.Id map(Meter.Id id) {
		String unit = id.getBaseUnit();
		if (unit != null && unit.startsWith("{") && unit.endsWith("}") && id.getName().startsWith(PREFIX)) {
			return id.withBaseUnit(null);
		}
		return id;
	}

}
