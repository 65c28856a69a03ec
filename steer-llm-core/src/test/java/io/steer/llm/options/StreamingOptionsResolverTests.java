package io.steer.llm.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's {@link StreamingOptionsResolver}: it sees the request's route and the
 * default options, its result is what a call without options streams with, and a call
 * with options never reaches it.
 */
class StreamingOptionsResolverTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private static final StreamingOptions DEFAULTS = StreamingOptions.builder()
		.readTimeout(Duration.ofSeconds(7))
		.build();

	private final List<StreamRoute> routes = new ArrayList<>();

	private SteerLLMClient client(StreamingOptionsResolver resolver) {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"), "2023-06-01", 1024)
			.defaultOptions(DEFAULTS)
			.optionsResolver(resolver)
			.build();
	}

	private StreamingOptionsResolver tagging() {
		return (request, route, options) -> {
			this.routes.add(route);
			return options.toBuilder()
				.eventProcessor((events) -> events.map((event) -> event.withMetadata("resolved", route.model())))
				.build();
		};
	}

	@Test
	void optionsForShouldResolveFromTheDefaultsAndTheRoute() {
		SteerLLMClient client = client(tagging());
		StreamingOptions options = client
			.optionsFor(ChatRequest.builder().prompt("Hi").model("gpt-4o-mini").api(ProviderApi.RESPONSES).build());
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.routes).containsExactly(new StreamRoute("openai", "gpt-4o-mini", ProviderApi.RESPONSES));
		client.optionsFor(ChatRequest.of("Hi", "anthropic:claude-sonnet-4-5"));
		assertThat(this.routes.get(1)).isEqualTo(new StreamRoute("anthropic", "claude-sonnet-4-5", null));
	}

	@Test
	void aCallWithoutOptionsShouldStreamWithTheResolvedOptions() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		List<StreamEvent> events = client(tagging()).streamEvents(ChatRequest.of("Hi", "gpt-4o-mini"))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(events).isNotEmpty()
			.allSatisfy((event) -> assertThat(event.metadata()).containsEntry("resolved", "gpt-4o-mini"));
	}

	@Test
	void aCallWithOptionsShouldNotReachTheResolver() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		List<StreamEvent> events = client(tagging())
			.streamEvents(ChatRequest.of("Hi", "gpt-4o-mini"), StreamingOptions.DEFAULTS)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(this.routes).isEmpty();
		assertThat(events).noneSatisfy((event) -> assertThat(event.metadata()).containsKey("resolved"));
	}

	@Test
	void aRequestThatCannotBeRoutedShouldGetTheDefaultOptions() {
		assertThat(client(tagging()).optionsFor(ChatRequest.of("Hi", "llama-3"))).isSameAs(DEFAULTS);
		assertThat(this.routes).isEmpty();
	}

	@Test
	void resolversShouldComposeInOrder() {
		StreamingOptionsResolver first = (request, route,
				options) -> options.toBuilder().readTimeout(Duration.ofSeconds(60)).build();
		StreamingOptionsResolver second = (request, route,
				options) -> options.toBuilder().connectionTimeout(options.readTimeout().dividedBy(6)).build();
		StreamingOptions options = client(first.andThen(second).andThen(StreamingOptionsResolver.identity()))
			.optionsFor(ChatRequest.of("Hi", "gpt-4o-mini"));
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

}
