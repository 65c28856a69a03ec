package io.steer.llm.assembly;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.pricing.PriceCatalog;
import io.steer.llm.provider.ProviderAdapter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Streams for the stage tests: a context on a fixed clock and a nanosecond source the
 * test moves, and buffers of SSE bytes.
 */
public final class TestStreams {

	/** The instant of every event timestamp. */
	public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	/** The request of the streams. */
	public static final ChatRequest REQUEST = ChatRequest.of("Hello", "scripted-model");

	/** One calculator, which warns once that the scripted model has no price. */
	private static final CostCalculator COST_CALCULATOR = new CostCalculator(PriceCatalog.load());

	private TestStreams() {
	}

	/**
	 * A context of a stream to the adapter, with the default options.
	 * @param adapter the adapter
	 * @param nanos the nanosecond source
	 * @return the context
	 */
	public static StreamContext context(ProviderAdapter adapter, AtomicLong nanos) {
		return context(adapter, StreamingOptions.DEFAULTS, nanos);
	}

	/**
	 * A context of a stream to the adapter.
	 * @param adapter the adapter
	 * @param options the options
	 * @param nanos the nanosecond source
	 * @return the context
	 */
	public static StreamContext context(ProviderAdapter adapter, StreamingOptions options, AtomicLong nanos) {
		return new StreamContext("stream-1", adapter, REQUEST.model(), REQUEST, options, JsonMapper.builder().build(),
				COST_CALCULATOR, Clock.fixed(NOW, ZoneOffset.UTC), nanos::get);
	}

	/**
	 * A buffer of bytes.
	 * @param bytes the bytes
	 * @return the buffer
	 */
	public static DataBuffer buffer(byte[] bytes) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
	}

	/**
	 * A buffer of text.
	 * @param text the text, as UTF-8
	 * @return the buffer
	 */
	public static DataBuffer buffer(String text) {
		return buffer(text.getBytes(StandardCharsets.UTF_8));
	}

}
