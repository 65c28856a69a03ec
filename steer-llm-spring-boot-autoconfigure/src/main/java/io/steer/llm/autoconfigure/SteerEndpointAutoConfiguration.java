package io.steer.llm.autoconfigure;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.adaptive.AdaptiveStreamingOptions;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.retry.StreamingRetryManager;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code steer} actuator endpoint ({@link SteerEndpoint}): the
 * providers, the presets, the recent statistics and the streams in flight, one stream's
 * retry state, its recorded events, and cancelling a stream in flight.
 * <p>
 * Active when Boot's actuator auto-configuration is on the classpath and the endpoint is
 * available: exposed ({@code management.endpoints.web.exposure.include=steer}, or the JMX
 * equivalent) and not turned off ({@code management.endpoint.steer.access=none}). Uses
 * the {@link LiveStreams} and {@link StreamStatistics} beans of
 * {@link SteerLLMAutoConfiguration} (or the application's own), and its
 * {@link StreamingRetryManager} and {@link EventRecorder} (the recorded events of
 * {@code GET /actuator/steer/{streamId}/events}, with
 * {@code steer.streaming.events.replay.enabled=true}) and its
 * {@link AdaptiveStreamingOptions} (the {@code networkQuality} member, with
 * {@code steer.streaming.adaptive.enabled=true}) when there is exactly one. Backs off
 * when the application defines a {@link SteerEndpoint} bean. When the endpoint is exposed
 * over HTTP, a {@link SteerEndpointWebExtension} makes {@code DELETE} of a stream that is
 * not in flight answer 404.
 */
@AutoConfiguration(after = SteerLLMAutoConfiguration.class)
@ConditionalOnClass({ SteerLLMClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(SteerEndpoint.class)
@EnableConfigurationProperties(SteerProvidersProperties.class)
public final class SteerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SteerEndpoint steerEndpoint(SteerProvidersProperties providers, ListableBeanFactory beanFactory,
			ObjectProvider<LiveStreams> liveStreams, ObjectProvider<StreamStatistics> statistics,
			ObjectProvider<StreamingRetryManager> retryManager, ObjectProvider<EventRecorder> recorder,
			ObjectProvider<AdaptiveStreamingOptions> adaptiveOptions) {
		return new SteerEndpoint(providers, () -> beanFactory.getBeansOfType(StreamingOptions.class),
				liveStreams.getIfUnique(LiveStreams::new), statistics.getIfUnique(StreamStatistics::new),
				retryManager.getIfUnique(), recorder.getIfUnique(), adaptiveOptions.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SteerEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	SteerEndpointWebExtension steerEndpointWebExtension(SteerEndpoint steerEndpoint) {
		return new SteerEndpointWebExtension(steerEndpoint);
	}

}
