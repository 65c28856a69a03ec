/**
 * Auto-configuration of resumable streams: the {@code steer.resume.*} properties, the
 * stream store (in memory, or Redis Streams) and the
 * {@link io.steer.llm.resume.ResumableStreams} bean.
 */
@NullMarked
package io.steer.llm.autoconfigure.resume;

import org.jspecify.annotations.NullMarked;
