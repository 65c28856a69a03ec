package io.steer.llm.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link PromQuery}, which the dashboard test relies on to find what each query
 * of the dashboard names.
 */
class PromQueryTests {

	@Test
	void histogramQuantileShouldNameTheBucketMetricAndTheGroupingAndMatcherLabels() {
		PromQuery query = PromQuery.parse("p95",
				"histogram_quantile(0.95, sum by (le, gen_ai_request_model) (rate(x_seconds_bucket"
						+ "{gen_ai_provider_name=~\"$provider\", outcome!=\"error\"}[$__rate_interval])))");
		assertThat(query.metrics()).containsExactly("x_seconds_bucket");
		assertThat(query.labels()).containsExactlyInAnyOrder("le", "gen_ai_request_model", "gen_ai_provider_name",
				"outcome");
		assertThat(query.usesSteerMeters()).isFalse();
	}

	@Test
	void binaryExpressionShouldNameBothSidesAndItsOnAndIgnoringLabels() {
		PromQuery query = PromQuery.parse("ratio", "sum by (a) (rate(errors_total{b=\"x,y}\"}[5m])) / on (a) "
				+ "ignoring(c) group_left(d) sum without (e) (steer_streams_total) * 3600");
		assertThat(query.metrics()).containsExactlyInAnyOrder("errors_total", "steer_streams_total");
		assertThat(query.labels()).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
		assertThat(query.usesSteerMeters()).isTrue();
	}

	@Test
	void nameMatcherAndLabelValuesShouldBeUnderstood() {
		assertThat(PromQuery.parse("v", "label_values(up_total{job=\"x\"}, instance)").labels())
			.containsExactlyInAnyOrder("job", "instance");
		assertThat(PromQuery.parse("v", "label_values(up_total{job=\"x\"}, instance)").metrics())
			.containsExactly("up_total");
		PromQuery byName = PromQuery.parse("n", "count({__name__=\"steer_streams_active\", a=\"b\"}) > bool 0");
		assertThat(byName.metrics()).containsExactly("steer_streams_active");
		assertThat(byName.labels()).containsExactly("a");
	}

}
