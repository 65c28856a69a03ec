package io.steer.llm.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.SteerLLMException;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.event.StreamUsageEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderAdapter;
import io.steer.llm.provider.ProviderRequest;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.provider.StreamDeltaListener;
import io.steer.llm.provider.StreamParser;
import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How estimated usage reaches the response: when the provider sends none, as an estimated
 * usage event with its confidence and a cost marked as estimated; never when aggregation
 * is off; counted as deltas arrive for a provider that is not expected to report usage.
 */
class UsageEstimationTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final ChatRequest REQUEST = ChatRequest.of("Weather as JSON", "gpt-4o");

	/** The recorded JSON-mode stream without its usage-only chunk. */
	private static List<byte[]> jsonObjectWithoutUsage() {
		return SseFixture.load("openai", "chat-json-object")
			.events()
			.stream()
			.filter((event) -> !new String(event, StandardCharsets.UTF_8).contains("\"choices\":[]"))
			.toList();
	}

	private static SteerLLMClient client() {
		return SteerLLMClient.builder().openAi(ProviderSettings.of(server.baseUrl(), "sk-test")).build();
	}

	@Test
	void streamWhenProviderSendsNoUsageShouldEstimateItAndMarkTheCost() {
		server.server().enqueue(MockResponse.chunks(jsonObjectWithoutUsage()));
		List<StreamEvent> events = client().streamEvents(REQUEST).collectList().block();
		List<StreamUsageEvent> usage = events.stream()
			.filter(StreamUsageEvent.class::isInstance)
			.map(StreamUsageEvent.class::cast)
			.toList();
		assertThat(usage).hasSize(1);
		assertThat(usage.get(0).isEstimated()).isTrue();
		assertThat(usage.get(0).confidence()).isEqualTo(0.95);
		assertThat(usage.get(0).usage().completionTokens()).isEqualTo(177);
	}

	@Test
	void streamWithUsageWhenEstimatedShouldMarkUsageAndCostAsEstimated() {
		server.server().enqueue(MockResponse.chunks(jsonObjectWithoutUsage()));
		StreamingResponse response = client().streamWithUsage(REQUEST).block();
		assertThat(response.usageEstimated()).isTrue();
		assertThat(response.usage().raw()).isEmpty();
		assertThat(response.costUsd()).isPositive();
		assertThat(response.costEstimated()).isTrue();
	}

	@Test
	void streamWhenAggregationIsOffShouldReportNoUsage() {
		server.server().enqueue(MockResponse.chunks(jsonObjectWithoutUsage()));
		List<StreamEvent> events = client().streamEvents(REQUEST, StreamingOptions.HIGH_PERFORMANCE)
			.collectList()
			.block();
		assertThat(events).noneMatch(StreamUsageEvent.class::isInstance);
		StreamingResponse response = ((io.steer.llm.event.StreamCompleteEvent) events.get(events.size() - 1))
			.response();
		assertThat(response.usage()).isNull();
		assertThat(response.costUsd()).isNull();
	}

	@Test
	void streamWhenProviderIsNotExpectedToReportUsageShouldCountAsDeltasArriveToTheSameEstimate() {
		server.server().enqueue(MockResponse.chunks(jsonObjectWithoutUsage()));
		ProviderAdapter openAi = OpenAiChatCompletionsAdapter.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"),
				JsonMapper.builder().build());
		SteerLLMClient client = SteerLLMClient.builder().provider(new NoUsageAdapter(openAi)).build();
		StreamingResponse response = client.streamWithUsage(REQUEST).block();
		assertThat(response.usageEstimated()).isTrue();
		assertThat(response.usage().completionTokens()).isEqualTo(177);
	}

	/**
	 * An OpenAI-compatible provider that sends no usage, so deltas are counted as they
	 * arrive.
	 */
	private record NoUsageAdapter(ProviderAdapter delegate) implements ProviderAdapter {

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public ProviderSettings settings() {
			return this.delegate.settings();
		}

		@Override
		public ProviderRequest createRequest(ChatRequest request, String model, StreamingOptions options) {
			return this.delegate.createRequest(request, model, options);
		}

		@Override
		public StreamParser createParser(ChatRequest request, StreamDeltaListener listener) {
			return this.delegate.createParser(request, listener);
		}

		@Override
		public SteerLLMException httpError(int status, @Nullable String requestId, String body) {
			return this.delegate.httpError(status, requestId, body);
		}

	}

}
