/**
 * Retries and reconnection of streams: {@link io.steer.llm.retry.RetryDelays} decides
 * whether and how long to wait before a retry from the provider's response headers,
 * {@link io.steer.llm.retry.StreamingRetryManager} keeps the per-request
 * {@link io.steer.llm.retry.RetryState} (attempts, resume position, partial text) for a
 * limited time.
 */
@NullMarked
package io.steer.llm.retry;

import org.jspecify.annotations.NullMarked;
