package io.steer.llm.options;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamingOptionsTests {

	@Test
	void defaultsShouldMatchTheDocumentedValues() {
		StreamingOptions o = StreamingOptions.DEFAULTS;
		assertThat(o.enableUsageAggregation()).isTrue();
		assertThat(o.aggregatorType()).isEqualTo(AggregatorType.AUTO);
		assertThat(o.preferTiktoken()).isTrue();
		assertThat(o.enableJsonStreamHandler()).isFalse();
		assertThat(o.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(o.totalTimeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(o.retryOnConnectionError()).isTrue();
		assertThat(o.maxReconnectAttempts()).isEqualTo(3);
		assertThat(o.preservePartialResponse()).isTrue();
		assertThat(o.bufferType()).isEqualTo(BufferType.WORD);
		assertThat(o.progressInterval()).isEqualTo(Duration.ofMillis(100));
		assertThat(o.rateLimit()).isZero();
		assertThat(o.callbacks().isEmpty()).isTrue();
	}

	@Test
	void presetsShouldHoldTheSeedValues() {
		assertThat(StreamingOptions.JSON_MODE.enableJsonStreamHandler()).isTrue();
		assertThat(StreamingOptions.JSON_MODE.logStreamingMetrics()).isTrue();
		assertThat(StreamingOptions.DEBUG.enableJsonStreamHandler()).isTrue();
		assertThat(StreamingOptions.DEBUG.logStreamingMetrics()).isTrue();
		assertThat(StreamingOptions.HIGH_PERFORMANCE.enableUsageAggregation()).isFalse();
		assertThat(StreamingOptions.HIGH_PERFORMANCE.enableJsonStreamHandler()).isFalse();
		assertThat(StreamingOptions.HIGH_THROUGHPUT.bufferSize()).isEqualTo(1024);
		assertThat(StreamingOptions.LOW_LATENCY.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(StreamingOptions.LOW_LATENCY.readTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(StreamingOptions.LOW_LATENCY.retryOnConnectionError()).isFalse();
	}

	@Test
	void toBuilderShouldCopyEveryField() {
		assertThat(StreamingOptions.LOW_LATENCY.toBuilder().build()).isEqualTo(StreamingOptions.LOW_LATENCY);
		assertThat(StreamingOptions.DEBUG.toBuilder().build()).isEqualTo(StreamingOptions.DEBUG);
	}

	@Test
	void buildWhenNegativeTimeoutShouldNameTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptions.builder().readTimeout(Duration.ofSeconds(-1)).build())
			.withMessageContaining("readTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptions.builder().connectionTimeout(Duration.ZERO).build())
			.withMessageContaining("connectionTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptions.builder().maxReconnectAttempts(-2).build())
			.withMessageContaining("maxReconnectAttempts");
		assertThatIllegalArgumentException().isThrownBy(() -> StreamingOptions.builder().rateLimit(-1).build())
			.withMessageContaining("rateLimit");
		assertThatIllegalArgumentException().isThrownBy(() -> StreamingOptions.builder().bufferSize(0).build())
			.withMessageContaining("bufferSize");
	}

	@Test
	void buildWhenUnknownAggregatorTypeShouldNameTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamingOptions.builder().aggregatorType("magic"))
			.withMessageContaining("aggregatorType")
			.withMessageContaining("magic")
			.isInstanceOf(InvalidStreamingOptionException.class);
		assertThat(StreamingOptions.builder().aggregatorType("Character").build().aggregatorType())
			.isEqualTo(AggregatorType.CHARACTER);
	}

}
