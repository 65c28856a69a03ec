/**
 * Streams a browser can resume: {@link io.steer.llm.resume.ResumableStreams} runs a
 * stream detached from its HTTP connection and writes its server-sent events to a
 * {@link io.steer.llm.resume.StreamStore} (in memory, or Redis Streams), from which a
 * reader on any instance that reconnects with {@code Last-Event-ID} gets every event it
 * missed, then the live rest.
 */
@NullMarked
package io.steer.llm.resume;

import org.jspecify.annotations.NullMarked;
