package io.steer.llm.sample;

import java.time.Duration;
import java.util.List;

import io.steer.llm.resume.ResumableStreams;
import io.steer.llm.resume.ResumeErrorType;
import io.steer.llm.resume.ResumeException;
import io.steer.llm.resume.ResumeSettings;
import io.steer.llm.resume.StoredEvent;
import io.steer.llm.resume.StreamInfo;
import io.steer.llm.resume.StreamState;
import io.steer.llm.resume.StreamStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The {@link ResumableStreams} of the sample's {@code /streams} endpoint, for as long as
 * the starter does not configure one.
 * <p>
 * An auto-configuration of the sample (listed in its
 * {@code META-INF/spring/…AutoConfiguration.imports}, so component scanning skips it),
 * ordered last: a {@code @ConditionalOnMissingBean} in a plain {@code @Configuration}
 * would be evaluated before the starter's auto-configuration and win over it, whereas
 * here the starter's beans, once it has them, make these back off.
 */
@AutoConfiguration
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
final class SampleResumeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StreamStore sampleStreamStore() {
		return new StandInStreamStore();
	}

	@Bean
	@ConditionalOnMissingBean
	ResumableStreams sampleResumableStreams(ObjectProvider<StreamStore> store) {
		return new ResumableStreams(store.getObject(), ResumeSettings.DEFAULTS);
	}

	/**
	 * STAND-IN (replaced at merge by the starter's store): keeps nothing; the stand-in
	 * {@link ResumableStreams} does not use it.
	 */
	private static final class StandInStreamStore implements StreamStore {

		@Override
		public Mono<Void> create(String streamId, Duration ttl) {
			return unavailable(streamId);
		}

		@Override
		public Mono<Void> append(String streamId, List<StoredEvent> events) {
			return unavailable(streamId);
		}

		@Override
		public Mono<Void> heartbeat(String streamId) {
			return unavailable(streamId);
		}

		@Override
		public Mono<Void> complete(String streamId) {
			return unavailable(streamId);
		}

		@Override
		public Flux<StoredEvent> read(String streamId, long afterSequence) {
			return Flux.error(exception(streamId));
		}

		@Override
		public Mono<StreamInfo> info(String streamId) {
			return Mono.just(StreamInfo.absent(streamId, StreamState.NOT_FOUND));
		}

		@Override
		public Mono<Boolean> requestStop(String streamId) {
			return Mono.error(exception(streamId));
		}

		@Override
		public Mono<Void> stopRequested(String streamId, Duration pollInterval) {
			return Mono.never();
		}

		private static Mono<Void> unavailable(String streamId) {
			return Mono.error(exception(streamId));
		}

		private static ResumeException exception(String streamId) {
			return new ResumeException(ResumeErrorType.UNAVAILABLE, streamId,
					"The sample's stand-in store keeps no stream (" + streamId + ")", null);
		}

	}

}
