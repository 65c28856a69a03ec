package io.steer.llm.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of a stream's observation; implement it (or extend
 * {@link DefaultStreamObservationConvention}) to change them. The meters of the stream
 * take their tags from {@link #getLowCardinalityKeyValues(Observation.Context)} too.
 */
public interface StreamObservationConvention extends ObservationConvention<StreamObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof StreamObservationContext;
	}

}
