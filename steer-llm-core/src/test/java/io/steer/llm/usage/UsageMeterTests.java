package io.steer.llm.usage;

import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.event.DeltaKind;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Usage;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UsageMeter}: the provider's usage of the current segment plus the prior usage,
 * an estimate only when none was reported, segments closed for a prefill.
 */
class UsageMeterTests {

	/** Character estimates: 4 characters a token, 4 tokens a message. */
	private static final StreamingOptions CHARACTERS = StreamingOptions.builder()
		.aggregatorType(AggregatorType.CHARACTER)
		.build();

	/** A prompt of 8 characters: 2 + 4 = 6 prompt tokens. */
	private static final ChatRequest REQUEST = ChatRequest.of("12345678", "some-model");

	private static UsageMeter meter(boolean providerReportsUsage) {
		return new UsageMeter(CHARACTERS, "openai", "some-model", REQUEST, providerReportsUsage);
	}

	@Test
	void reportShouldBeTheUsageWithFullConfidence() {
		UsageMeter meter = meter(true);
		assertThat(meter.report(Usage.of(10, 5))).isEqualTo(Usage.of(10, 5));
		assertThat(meter.report(Usage.of(10, 7))).isEqualTo(Usage.of(10, 7));
		assertThat(meter.estimated()).isFalse();
		assertThat(meter.confidence()).isEqualTo(1.0);
		// the caller emitted it
		assertThat(meter.takeUnemitted()).isNull();
		assertThat(meter.estimateIfMissing((aggregator) -> {
			throw new AssertionError("nothing to estimate");
		})).isFalse();
	}

	@Test
	void estimateIfMissingShouldCountWhatWasDeliveredOnceWhenTheProviderWasToReport() {
		UsageMeter meter = meter(true);
		// not counted as it arrives: the provider is expected to report usage
		meter.delta(DeltaKind.TEXT, 0, "x".repeat(400), null);
		AtomicInteger counted = new AtomicInteger();
		assertThat(meter.estimateIfMissing((aggregator) -> {
			counted.incrementAndGet();
			aggregator.addCompletion(0, "12345678");
		})).isTrue();
		assertThat(meter.usage()).isEqualTo(new Usage(6, 2, 8, 0, 0, 0, null));
		assertThat(meter.estimated()).isTrue();
		assertThat(meter.confidence()).isEqualTo(CharacterUsageAggregator.CONFIDENCE);
		assertThat(meter.estimateIfMissing((aggregator) -> counted.incrementAndGet())).isFalse();
		assertThat(counted).hasValue(1);
		assertThat(meter.takeUnemitted()).isEqualTo(meter.usage());
		assertThat(meter.takeUnemitted()).isNull();
	}

	@Test
	void deltasShouldBeCountedAsTheyArriveWhenTheProviderReportsNone() {
		UsageMeter meter = meter(false);
		meter.delta(DeltaKind.TEXT, 0, "12345678", null);
		meter.delta(DeltaKind.REASONING, 0, "1234", null);
		meter.delta(DeltaKind.TOOL_CALL, 0, "{}", "abcd");
		assertThat(meter.estimateIfMissing((aggregator) -> {
			throw new AssertionError("counted as they arrived");
		})).isTrue();
		// completion: 14 characters of text, arguments and tool name (4 tokens), plus 1
		// reasoning token
		assertThat(meter.usage().completionTokens()).isEqualTo(5);
		assertThat(meter.usage().reasoningTokens()).isEqualTo(1);
	}

	@Test
	void estimateIfMissingWhenAggregationIsOffShouldEstimateNothing() {
		UsageMeter meter = new UsageMeter(CHARACTERS.toBuilder().enableUsageAggregation(false).build(), "openai",
				"some-model", REQUEST, false);
		meter.delta(DeltaKind.TEXT, 0, "text", null);
		assertThat(meter.estimateIfMissing((aggregator) -> {
		})).isFalse();
		assertThat(meter.usage()).isNull();
		assertThat(meter.takeUnemitted()).isNull();
	}

	@Test
	void closeSegmentShouldAddTheReportedUsageToTheNextSegment() {
		UsageMeter meter = meter(true);
		meter.report(Usage.of(10, 3));
		meter.closeSegment("Hello, ");
		assertThat(meter.usage()).isNull();
		assertThat(meter.takeUnemitted()).isNull();
		assertThat(meter.report(Usage.of(12, 2))).isEqualTo(Usage.of(10, 3).plus(Usage.of(12, 2)));
		assertThat(meter.estimated()).isFalse();
	}

	@Test
	void closeSegmentWithoutAReportShouldEstimateTheSegmentsTextOnly() {
		UsageMeter meter = meter(true);
		meter.closeSegment("12345678");
		// the first segment: 6 prompt tokens, 8 characters of text
		meter.closeSegment("12345678" + "1234");
		// the second: 6 prompt tokens, the 4 characters after the first segment's text
		Usage total = meter.report(Usage.of(1, 1));
		assertThat(total.promptTokens()).isEqualTo(6 + 6 + 1);
		assertThat(total.completionTokens()).isEqualTo(2 + 1 + 1);
		assertThat(meter.estimated()).isTrue();
		assertThat(meter.confidence()).isEqualTo(CharacterUsageAggregator.CONFIDENCE);
	}

}
