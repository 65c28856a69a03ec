package io.steer.llm.benchmark;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steer.llm.SteerLLMClient;
import io.steer.llm.observation.DefaultStreamObservationConvention;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.StreamStatistics;

/**
 * What Spring Boot gives an application with actuator and the Prometheus registry, for
 * the {@code steer-metrics} variant: a {@link PrometheusMeterRegistry}, an
 * {@link ObservationRegistry} whose observations become timers in it through Micrometer's
 * {@link DefaultMeterObservationHandler}, and the {@link LiveStreams} and
 * {@link StreamStatistics} the auto-configuration gives the client. One per scenario;
 * after the scenario, {@link #check(long)} scrapes the registry once, as Prometheus
 * would, and fails the run when the streams were not recorded.
 */
final class AppMetrics {

	/** The family that every observed stream adds one to, whatever its outcome. */
	static final String DURATION_COUNT = "gen_ai_client_operation_duration_seconds_count";

	/**
	 * The Prometheus name of the timer {@link DefaultMeterObservationHandler} makes of
	 * the observation.
	 */
	private static final String OBSERVATION = DefaultStreamObservationConvention.NAME.replace('.', '_');

	private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final ObservationRegistry observationRegistry = ObservationRegistry.create();

	private final LiveStreams liveStreams = new LiveStreams();

	private final StreamStatistics statistics = new StreamStatistics();

	AppMetrics() {
		this.observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry));
	}

	/**
	 * Gives the client the registries, the live streams and the statistics.
	 * @param builder the client's builder
	 */
	void configure(SteerLLMClient.Builder builder) {
		builder.meterRegistry(this.meterRegistry)
			.observationRegistry(this.observationRegistry)
			.liveStreams(this.liveStreams)
			.streamStatistics(this.statistics);
	}

	/**
	 * Scrapes the registry once (Prometheus text format) and prints what it recorded.
	 * @param streams how many streams the variant ran (warm-up included)
	 * @throws IllegalStateException if no stream was recorded in {@value #DURATION_COUNT}
	 */
	void check(long streams) {
		String scrape = this.meterRegistry.scrape();
		Map<String, Double> counts = new TreeMap<>();
		int steerFamilies = 0;
		for (String line : scrape.split("\n")) {
			if (line.startsWith("# TYPE steer_") && !line.startsWith("# TYPE " + OBSERVATION + "_")) {
				steerFamilies++;
			}
			if (line.startsWith("#") || line.isBlank()) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.lastIndexOf(' ');
			String name = line.substring(0, (brace > 0) ? brace : space);
			if (name.endsWith("_count") || name.endsWith("_total")) {
				counts.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
			}
		}
		double recorded = counts.getOrDefault(DURATION_COUNT, 0.0);
		System.out.printf(Locale.ROOT,
				"METRICS steer-metrics scrape (%d characters): %s = %.0f for %d streams run; observation timer %s_seconds_count = %.0f; %d steer_* meter families besides the observation's; statistics for %d models; %d live streams at the end%n",
				scrape.length(), DURATION_COUNT, recorded, streams, OBSERVATION,
				counts.getOrDefault(OBSERVATION + "_seconds_count", 0.0), steerFamilies,
				this.statistics.models().size(), this.liveStreams.size());
		counts.forEach((name, count) -> {
			if (name.startsWith("gen_ai_") || name.startsWith("steer_")) {
				System.out.printf(Locale.ROOT, "  %s %.0f%n", name, count);
			}
		});
		if (recorded == 0) {
			throw new IllegalStateException("steer-metrics recorded no stream: " + DURATION_COUNT
					+ " is 0 or missing in the Prometheus scrape, so its figures measured nothing");
		}
		if (recorded != streams) {
			System.out.printf(Locale.ROOT, "WARNING steer-metrics recorded %.0f streams of the %d it ran%n", recorded,
					streams);
		}
	}

}
