/**
 * The default client and its stream pipeline: HTTP exchange, SSE decoding, event assembly
 * and callbacks.
 */
@NullMarked
package io.steer.llm.client;

import org.jspecify.annotations.NullMarked;
