package io.steer.llm.options;

import java.time.Duration;

import io.steer.llm.json.JsonProcessor;
import io.steer.llm.pipeline.EventProcessor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

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
		assertThat(o.bufferType()).isEqualTo(BufferType.NONE);
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

	@Test
	void defaultsShouldHoldTheSeedOptionsAddedLater() {
		StreamingOptions o = StreamingOptions.DEFAULTS;
		assertThat(o.bufferTimeout()).isEqualTo(Duration.ofMillis(100));
		assertThat(o.enableCompression()).isFalse();
		assertThat(o.trackMetrics()).isTrue();
		assertThat(o.jsonProcessor()).isNull();
	}

	@Test
	void groupsShouldHoldTheSameValuesAsTheFlatAccessors() {
		JsonProcessor jsonProcessor = JsonProcessor.identity();
		EventProcessor eventProcessor = EventProcessor.identity();
		StreamCallbacks callbacks = StreamCallbacks.builder().onDelta((delta) -> {
		}).build();
		StreamingOptions o = StreamingOptions.builder()
			.enableUsageAggregation(false)
			.aggregatorType(AggregatorType.CHARACTER)
			.preferTiktoken(false)
			.enableJsonStreamHandler(true)
			.validateJsonIncrementally(true)
			.jsonProcessor(jsonProcessor)
			.eventProcessor(eventProcessor)
			.callbacks(callbacks)
			.connectionTimeout(Duration.ofSeconds(1))
			.readTimeout(Duration.ofSeconds(2))
			.totalTimeout(Duration.ofSeconds(3))
			.retryOnConnectionError(false)
			.maxReconnectAttempts(4)
			.reconnectDelay(Duration.ofMillis(5))
			.maxRetryDelay(Duration.ofMillis(6))
			.preservePartialResponse(false)
			.bufferSize(7)
			.maxEventSize(8)
			.enableCompression(true)
			.bufferType(BufferType.LINE)
			.chunkSize(9)
			.bufferTimeout(Duration.ofMillis(10))
			.progressInterval(Duration.ofMillis(11))
			.rateLimit(12.5)
			.trackMetrics(false)
			.logStreamingMetrics(true)
			.build();
		StreamingOptions.ConnectionOptions connection = o.connection();
		assertThat(connection.connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(connection.readTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(connection.totalTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(connection.retryOnConnectionError()).isFalse();
		assertThat(connection.maxReconnectAttempts()).isEqualTo(4);
		assertThat(connection.reconnectDelay()).isEqualTo(Duration.ofMillis(5));
		assertThat(connection.maxRetryDelay()).isEqualTo(Duration.ofMillis(6));
		assertThat(connection.preservePartialResponse()).isFalse();
		assertThat(connection.bufferSize()).isEqualTo(7);
		assertThat(connection.maxEventSize()).isEqualTo(8);
		assertThat(connection.enableCompression()).isTrue();
		assertThat(o.usage().enableUsageAggregation()).isFalse();
		assertThat(o.usage().aggregatorType()).isEqualTo(AggregatorType.CHARACTER);
		assertThat(o.usage().preferTiktoken()).isFalse();
		assertThat(o.json().enableJsonStreamHandler()).isTrue();
		assertThat(o.json().validateJsonIncrementally()).isTrue();
		assertThat(o.json().jsonProcessor()).isSameAs(jsonProcessor);
		assertThat(o.events().eventProcessor()).isSameAs(eventProcessor);
		assertThat(o.events().callbacks()).isSameAs(callbacks);
		assertThat(o.shaping().bufferType()).isEqualTo(BufferType.LINE);
		assertThat(o.shaping().chunkSize()).isEqualTo(9);
		assertThat(o.shaping().bufferTimeout()).isEqualTo(Duration.ofMillis(10));
		assertThat(o.shaping().progressInterval()).isEqualTo(Duration.ofMillis(11));
		assertThat(o.shaping().rateLimit()).isEqualTo(12.5);
		assertThat(o.metrics().trackMetrics()).isFalse();
		assertThat(o.metrics().logStreamingMetrics()).isTrue();
		assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
		assertThat(o.withJsonProcessor(null).jsonProcessor()).isNull();
		assertThat(o.withJsonProcessor(null)).isNotEqualTo(o);
	}

	@Test
	void equalsShouldCompareEveryOption() {
		StreamingOptions defaults = StreamingOptions.builder().build();
		assertThat(defaults).isEqualTo(StreamingOptions.DEFAULTS).hasSameHashCodeAs(StreamingOptions.DEFAULTS);
		assertThat(StreamingOptions.builder().bufferTimeout(Duration.ofMillis(99)).build()).isNotEqualTo(defaults);
		assertThat(StreamingOptions.builder().enableCompression(true).build()).isNotEqualTo(defaults);
		assertThat(StreamingOptions.builder().trackMetrics(false).build()).isNotEqualTo(defaults);
		assertThat(StreamingOptions.builder().readTimeout(Duration.ofSeconds(31)).build()).isNotEqualTo(defaults);
		assertThat(StreamingOptions.builder().rateLimit(1).build()).isNotEqualTo(defaults);
		assertThat(StreamingOptions.LOW_LATENCY).isNotEqualTo(StreamingOptions.DEFAULTS);
	}

	@Test
	void toStringShouldNameEachGroupAndOption() {
		assertThat(StreamingOptions.DEFAULTS.toString()).startsWith("StreamingOptions[connection=")
			.contains("readTimeout=PT30S", "enableCompression=false", "aggregatorType=AUTO", "jsonProcessor=null",
					"bufferTimeout=PT0.1S", "trackMetrics=true")
			.contains("usage=", "json=", "events=", "shaping=", "metrics=");
	}

	@Test
	void buildWhenBufferTimeoutIsNegativeOrMissingShouldNameTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptions.builder().bufferTimeout(Duration.ofMillis(-1)).build())
			.withMessage("bufferTimeout must not be negative, was PT-0.001S");
		assertThatNullPointerException().isThrownBy(() -> StreamingOptions.builder().bufferTimeout(null).build())
			.withMessage("bufferTimeout must not be null");
		assertThat(StreamingOptions.builder().bufferTimeout(Duration.ZERO).build().bufferTimeout()).isZero();
	}

	@Test
	void jsonProcessorShouldComposeWithAndThen() {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonProcessor addA = (value) -> ((ObjectNode) value).put("a", 1);
		JsonProcessor addB = (value) -> ((ObjectNode) value).put("b", 2);
		JsonNode processed = addA.andThen(addB).apply(mapper.createObjectNode());
		assertThat(processed.toString()).isEqualTo("{\"a\":1,\"b\":2}");
		assertThat(JsonProcessor.identity().apply(processed)).isSameAs(processed);
	}

}
