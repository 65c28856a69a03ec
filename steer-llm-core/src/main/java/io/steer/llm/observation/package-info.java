/**
 * Micrometer observations and OpenTelemetry GenAI meters of the client's streams: one
 * {@link io.micrometer.observation.Observation} per stream, described by a
 * {@link io.steer.llm.observation.StreamObservationContext} and named by a
 * {@link io.steer.llm.observation.StreamObservationConvention}, and the
 * {@code gen_ai.client.*} meters when a {@code MeterRegistry} is given.
 */
@NullMarked
package io.steer.llm.observation;

import org.jspecify.annotations.NullMarked;
