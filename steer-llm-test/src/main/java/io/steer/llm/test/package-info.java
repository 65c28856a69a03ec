/**
 * Test kit that speaks the LLM providers' streaming wire formats as raw bytes: recorded
 * server-sent-event streams ({@link io.steer.llm.test.SseFixture}), a loopback HTTP
 * server that replays them and injects faults
 * ({@link io.steer.llm.test.LoopbackProviderServer},
 * {@link io.steer.llm.test.MockResponse}) and a JUnit Jupiter extension that manages the
 * server ({@link io.steer.llm.test.LoopbackProviderServerExtension}).
 */
@NullMarked
package io.steer.llm.test;

import org.jspecify.annotations.NullMarked;
