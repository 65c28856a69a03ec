package io.steer.llm.usage;

import java.util.Objects;
import java.util.function.Consumer;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Usage;
import io.steer.llm.options.StreamingOptions;
import org.jspecify.annotations.Nullable;

/**
 * The usage of one answer, which may span several responses: the usage the provider
 * reports for the current response (its segment), added to the usage of the responses a
 * prefill continued (the prior usage), else an estimate (tiktoken or characters, see
 * {@link UsageAggregators}) made only when it is needed.
 * <p>
 * The aggregator is made with the meter (it counts the prompt then, before the stream's
 * deltas arrive). Deltas are counted as they arrive only when the provider is not
 * expected to report usage; otherwise what arrived is counted once, if the provider's
 * usage never came.
 * <p>
 * It also records whether a usage event carried the usage it holds, so that a stream
 * emits each usage once. Not thread-safe: used under the lock of its stream.
 */
public final class UsageMeter {

	private final StreamingOptions options;

	private final String provider;

	private final String model;

	private final ChatRequest request;

	/**
	 * Whether deltas are counted as they arrive, rather than only when an estimate is
	 * needed.
	 */
	private final boolean countAsDeltasArrive;

	/** {@code null} when usage aggregation is off. */
	private final @Nullable UsageAggregator aggregator;

	/** Usage of the responses a prefill continued, {@code null} if none. */
	private @Nullable Usage prior;

	private boolean priorEstimated;

	/** Usage the provider reported for the current response, {@code null} until then. */
	private @Nullable Usage segment;

	/** Length of the text of choice 0 when the current response began. */
	private int segmentStart;

	private @Nullable Usage usage;

	private boolean estimated;

	/** Whether a usage event carried {@link #usage}. */
	private boolean emitted;

	/**
	 * Creates a meter for one answer.
	 * @param options the stream's options: whether to estimate, and how
	 * {@link UsageAggregators#create chooses}
	 * @param provider the provider's name
	 * @param model the model
	 * @param request the request, whose prompt an estimate counts
	 * @param providerReportsUsage whether the provider is expected to report usage at the
	 * end of its stream
	 */
	public UsageMeter(StreamingOptions options, String provider, String model, ChatRequest request,
			boolean providerReportsUsage) {
		this.options = Objects.requireNonNull(options, "options must not be null");
		this.provider = Objects.requireNonNull(provider, "provider must not be null");
		this.model = Objects.requireNonNull(model, "model must not be null");
		this.request = Objects.requireNonNull(request, "request must not be null");
		this.aggregator = UsageAggregators.create(options, provider, model, request);
		this.countAsDeltasArrive = this.aggregator != null && !providerReportsUsage;
	}

	/**
	 * Counts a delta, when the provider is not expected to report usage.
	 * @param kind the delta's kind: reasoning is counted as reasoning, everything else as
	 * completion
	 * @param choice the choice index
	 * @param text the fragment
	 * @param toolCallName the name a tool call delta carries (its first fragment), else
	 * {@code null}
	 */
	public void delta(DeltaKind kind, int choice, String text, @Nullable String toolCallName) {
		UsageAggregator aggregator = this.aggregator;
		if (!this.countAsDeltasArrive || aggregator == null) {
			return;
		}
		if (kind == DeltaKind.REASONING) {
			aggregator.addReasoning(choice, text);
			return;
		}
		if (toolCallName != null) {
			aggregator.addToolCall(toolCallName);
		}
		aggregator.addCompletion(choice, text);
	}

	/**
	 * The provider reported the usage of the current response; a later report replaces
	 * it. The usage becomes the report added to the prior usage, and counts as carried by
	 * the usage event the caller emits for it.
	 * @param reported the provider's usage of the current response
	 * @return the usage of the answer: {@code reported}, plus the prior usage after a
	 * prefill
	 */
	public Usage report(Usage reported) {
		this.segment = reported;
		if (this.prior != null) {
			this.usage = this.prior.plus(reported);
			this.estimated = this.priorEstimated;
		}
		else {
			this.usage = reported;
			this.estimated = false;
		}
		this.emitted = true;
		return this.usage;
	}

	/**
	 * When no usage is known, estimates it from the prompt and what the stream delivered.
	 * Nothing happens when usage is known or aggregation is off.
	 * @param delivered counts what the stream delivered into the aggregator; called only
	 * when the deltas were not counted as they arrived
	 * @return {@code true} when an estimate was made now
	 */
	public boolean estimateIfMissing(Consumer<UsageAggregator> delivered) {
		UsageAggregator aggregator = this.aggregator;
		if (this.usage != null || aggregator == null) {
			return false;
		}
		if (!this.countAsDeltasArrive) {
			// the provider was expected to report usage: count what arrived, once
			delivered.accept(aggregator);
		}
		this.usage = aggregator.estimate();
		this.estimated = true;
		return true;
	}

	/**
	 * The usage no usage event carried yet, which from now on counts as carried.
	 * @return the usage, or {@code null} when none is known or an event carried it
	 */
	public @Nullable Usage takeUnemitted() {
		if (this.usage == null || this.emitted) {
			return null;
		}
		this.emitted = true;
		return this.usage;
	}

	/**
	 * A prefill continues the answer with a new response: the usage of the current one
	 * (as the provider reported it, else estimated from its text and the prompt) is added
	 * to the prior usage, and the new response starts with no usage.
	 * @param text the text of choice 0 so far; the current response's text is what
	 * follows the length it had when the response began
	 */
	public void closeSegment(String text) {
		Usage closed = this.segment;
		boolean closedEstimated = false;
		if (closed == null) {
			UsageAggregator estimator = UsageAggregators.create(this.options, this.provider, this.model, this.request);
			if (estimator != null) {
				estimator.addCompletion(0, text.substring(Math.min(this.segmentStart, text.length())));
				closed = estimator.estimate();
				closedEstimated = true;
			}
		}
		if (closed != null) {
			this.prior = (this.prior != null) ? this.prior.plus(closed) : closed;
			this.priorEstimated |= closedEstimated;
		}
		this.segment = null;
		this.usage = null;
		this.estimated = false;
		this.emitted = false;
		this.segmentStart = text.length();
	}

	/**
	 * The usage of the answer so far.
	 * @return the provider's (plus the prior usage), the estimate, or {@code null} when
	 * neither is known yet
	 */
	public @Nullable Usage usage() {
		return this.usage;
	}

	/**
	 * Whether {@link #usage()} is, or includes, an estimate.
	 * @return {@code true} when estimated
	 */
	public boolean estimated() {
		return this.estimated;
	}

	/**
	 * How far {@link #usage()} can be trusted.
	 * @return 1 for the provider's own count, else the aggregator's confidence (0.5 when
	 * aggregation is off)
	 */
	public double confidence() {
		if (!this.estimated) {
			return 1.0;
		}
		return (this.aggregator != null) ? this.aggregator.confidence() : 0.5;
	}

}
