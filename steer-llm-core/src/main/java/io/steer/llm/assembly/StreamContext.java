package io.steer.llm.assembly;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pricing.CostCalculator;
import io.steer.llm.provider.ProviderAdapter;
import tools.jackson.databind.ObjectMapper;

/**
 * What every stage of one stream reads: its id, its route (the provider's adapter and the
 * model), the request, the options and the stream's sources of time. Built once per
 * stream by the client, before the first attempt, and read by the exchange, the session
 * and the assembly, so that nothing is carried twice. Tests build one with a fixed clock
 * and a fake nanosecond source.
 *
 * @param streamId the stream's id, the {@code streamId} of its events
 * @param adapter the adapter of the provider the request was routed to
 * @param model the model as routed (the one asked for, with any provider prefix removed)
 * @param request the request
 * @param options the stream's options
 * @param mapper the JSON mapper that parses a JSON answer
 * @param costCalculator the calculator of the response's cost in USD
 * @param clock the clock of event timestamps and of HTTP dates ({@code Retry-After})
 * @param nanoClock the monotonic source of durations, in nanoseconds, as
 * {@link System#nanoTime()}
 */
public record StreamContext(String streamId, ProviderAdapter adapter, String model, ChatRequest request,
		StreamingOptions options, ObjectMapper mapper, CostCalculator costCalculator, Clock clock,
		LongSupplier nanoClock) {

	/**
	 * Creates a context.
	 * @param streamId the stream's id
	 * @param adapter the provider's adapter
	 * @param model the model as routed
	 * @param request the request
	 * @param options the stream's options
	 * @param mapper the JSON mapper
	 * @param costCalculator the cost calculator
	 * @param clock the clock of timestamps
	 * @param nanoClock the source of durations in nanoseconds
	 * @throws NullPointerException if an argument is {@code null}
	 */
	public StreamContext {
		Objects.requireNonNull(streamId, "streamId must not be null");
		Objects.requireNonNull(adapter, "adapter must not be null");
		Objects.requireNonNull(model, "model must not be null");
		Objects.requireNonNull(request, "request must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Objects.requireNonNull(mapper, "mapper must not be null");
		Objects.requireNonNull(costCalculator, "costCalculator must not be null");
		Objects.requireNonNull(clock, "clock must not be null");
		Objects.requireNonNull(nanoClock, "nanoClock must not be null");
	}

	/**
	 * The provider's name, as its adapter names it.
	 * @return {@code adapter().name()}, e.g. {@code openai}
	 */
	public String provider() {
		return this.adapter.name();
	}

	/**
	 * The current instant, for an event's timestamp.
	 * @return {@code clock().instant()}
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * The current value of the monotonic source, for durations.
	 * @return nanoseconds from an arbitrary origin
	 */
	public long nanoTime() {
		return this.nanoClock.getAsLong();
	}

}
