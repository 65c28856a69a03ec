package io.steer.llm.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.event.StreamErrorEvent;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.event.StreamEvent;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.FinishReason;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.model.StreamingResponse;
import io.steer.llm.model.ToolCall;
import io.steer.llm.options.StreamCallbacks;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.test.LoopbackProviderServerExtension;
import io.steer.llm.test.MockResponse;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Requests a client cannot send end the stream with a typed, non-retryable error event
 * rather than throwing, and nothing reaches the provider.
 */
class InvalidRequestTests {

	@RegisterExtension
	static final LoopbackProviderServerExtension server = new LoopbackProviderServerExtension();

	private SteerLLMClient client() {
		return SteerLLMClient.builder()
			.openAi(ProviderSettings.of(server.baseUrl(), "sk-test"))
			.anthropic(ProviderSettings.of(server.baseUrl(), "sk-ant-test"))
			.build();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"llama-3 | No provider for model 'llama-3': use a model whose name starts with gpt-, chatgpt-, o1, o3, o4 "
					+ "or ft:gpt- (openai), grok- (xai) or claude- (anthropic), or name the provider as "
					+ "provider:model (e.g. openai:llama-3); configured providers: openai, anthropic",
			"foo:bar | Unknown provider 'foo' in model 'foo:bar'; configured providers: openai, anthropic",
			"openai: | No model after 'openai:': write provider:model, e.g. openai:gpt-4o-mini",
			"grok-3-mini | No provider for model 'grok-3-mini': it belongs to xai, which is not configured; "
					+ "configured providers: openai, anthropic",
			"xai:grok-3-mini | Provider 'xai' in model 'xai:grok-3-mini' is not configured; "
					+ "configured providers: openai, anthropic" })
	void streamEventsWhenModelCannotBeRoutedShouldEndWithRequestErrorAndSendNothing(String model, String message) {
		Flux<StreamEvent> events = client().streamEvents(ChatRequest.of("Hello", model));
		StreamErrorEvent error = (StreamErrorEvent) events.single().block();
		assertThat(error.errorType()).isEqualTo(StreamErrorType.REQUEST);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(InvalidRequestException.class).hasMessage(message);
		assertThat(((InvalidRequestException) error.error()).getField()).isEqualTo("model");
		assertThat(error.error().getErrorType()).isEqualTo(StreamErrorType.REQUEST);
		assertThat(error.error().getPartialResponse()).isSameAs(error.partialResponse());
		assertThat(error.streamId()).isNotBlank();
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void streamEventsWhenRejectedShouldCarryAnEmptyPartialResponse() {
		StreamErrorEvent error = (StreamErrorEvent) client().streamEvents(ChatRequest.of("Hello", "llama-3"))
			.single()
			.block();
		StreamingResponse partial = error.partialResponse();
		assertThat(partial.text()).isEmpty();
		assertThat(partial.model()).isEqualTo("llama-3");
		assertThat(partial.provider()).isEmpty();
		assertThat(partial.choices()).isEmpty();
		assertThat(partial.usage()).isNull();
		assertThat(partial.costUsd()).isNull();
		assertThat(partial.normalizedFinishReason()).isEqualTo(FinishReason.ERROR);
		assertThat(partial.attempts()).isZero();
		assertThat(partial.metrics().chunks()).isZero();
		assertThat(error.partialText()).isEmpty();
	}

	@Test
	void streamEventsWhenProviderDoesNotServeTheApiShouldEndWithRequestError() {
		ChatRequest request = ChatRequest.builder()
			.prompt("Hello")
			.model("claude-sonnet-4-5")
			.api(ProviderApi.RESPONSES)
			.build();
		StreamErrorEvent error = (StreamErrorEvent) client().streamEvents(request).single().block();
		assertThat(error.errorType()).isEqualTo(StreamErrorType.REQUEST);
		assertThat(error.error()).hasMessage("Provider anthropic (model 'claude-sonnet-4-5') does not serve the api "
				+ "'responses': it takes no api: leave it unset; responses is served by openai");
		assertThat(((InvalidRequestException) error.error()).getField()).isEqualTo("api");
		assertThat(error.error().getProvider()).isEqualTo("anthropic");
		assertThat(error.partialResponse().provider()).isEqualTo("anthropic");
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void streamWhenModelCannotBeRoutedShouldSignalTheRequestError() {
		StepVerifier.create(client().stream("Hello", "foo:bar"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(InvalidRequestException.class)
				.hasMessageStartingWith("Unknown provider 'foo'"))
			.verify();
	}

	@Test
	void streamWithUsageWhenModelCannotBeRoutedShouldSignalTheRequestError() {
		StepVerifier.create(client().streamWithUsage("Hello", "llama-3")).expectErrorSatisfies((ex) -> {
			assertThat(ex).isInstanceOf(InvalidRequestException.class);
			assertThat(((InvalidRequestException) ex).isRetryable()).isFalse();
			assertThat(((InvalidRequestException) ex).getPartialText()).isEmpty();
		}).verify();
	}

	@Test
	void streamEventsWhenRejectedShouldRunTheErrorCallbacks() {
		List<String> seen = new CopyOnWriteArrayList<>();
		StreamingOptions options = StreamingOptions.DEFAULTS
			.withCallbacks(StreamCallbacks.builder().onError((e) -> seen.add("options:" + e.errorType())).build());
		StreamCallbacks perCall = StreamCallbacks.builder()
			.onStart((e) -> seen.add("call:start"))
			.onError((e) -> seen.add("call:" + e.errorType()))
			.build();
		List<StreamEvent> events = client().streamEvents(ChatRequest.of("Hello", "openai:"), options, perCall)
			.collectList()
			.block();
		assertThat(events).singleElement().isInstanceOf(StreamErrorEvent.class);
		assertThat(seen).containsExactly("options:REQUEST", "call:REQUEST");
	}

	@Test
	void streamEventsShouldNotRouteBeforeSubscription() {
		SteerLLMClient client = client();
		assertThatNoException().isThrownBy(() -> client.streamEvents(ChatRequest.of("Hello", "llama-3")));
		assertThatNoException().isThrownBy(() -> client.stream("Hello", "llama-3"));
		assertThatNoException().isThrownBy(() -> client.streamWithUsage("Hello", "llama-3"));
	}

	@Test
	void streamEventsWhenArgumentIsNullShouldThrowAtOnce() {
		SteerLLMClient client = client();
		assertThatNullPointerException().isThrownBy(() -> client.streamEvents(null));
		assertThatNullPointerException()
			.isThrownBy(() -> client.streamEvents(ChatRequest.of("Hello", "gpt-4o-mini"), null));
		assertThatNullPointerException().isThrownBy(() -> client.validate(null));
	}

	@Test
	void validateShouldThrowWhatTheStreamWouldEndWith() {
		SteerLLMClient client = client();
		ChatRequest request = ChatRequest.of("Hello", "llama-3");
		InvalidRequestException streamed = (InvalidRequestException) ((StreamErrorEvent) client.streamEvents(request)
			.single()
			.block()).error();
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> client.validate(request))
			.withMessage(streamed.getMessage())
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("model"));
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> client.validate(ChatRequest.builder()
			.prompt("Hi")
			.model("claude-sonnet-4-5")
			.api(ProviderApi.CHAT_COMPLETIONS)
			.build())).satisfies((ex) -> assertThat(ex.getField()).isEqualTo("api"));
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void validateWhenRequestCanBeSentShouldPassAndSendNothing() {
		SteerLLMClient client = client();
		assertThatNoException().isThrownBy(() -> client.validate(ChatRequest.of("Hello", "gpt-4o-mini")));
		assertThatNoException().isThrownBy(() -> client.validate(ChatRequest.of("Hello", "anthropic:my-model")));
		assertThatNoException().isThrownBy(() -> client
			.validate(ChatRequest.builder().prompt("Hi").model("gpt-5.2").api(ProviderApi.RESPONSES).build()));
		assertThat(server.server().requestCount()).isZero();
	}

	/**
	 * An assistant turn whose tool call arguments Anthropic cannot take as a tool_use
	 * input.
	 */
	private static ChatRequest claudeWithToolArguments(String arguments) {
		return ChatRequest.builder()
			.messages(List.of(Message.user("Weather in Paris?"),
					Message.assistant(null, List.of(new ToolCall(0, "toolu_1", "get_weather", arguments))),
					Message.tool("toolu_1", "sunny")))
			.model("claude-sonnet-4-5")
			.build();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"city\": | are not valid JSON", "[1, 2] | are not a JSON object" })
	void streamEventsWhenAnthropicCannotTakeTheToolArgumentsShouldEndWithRequestErrorAndSendNothing(String arguments,
			String why) {
		ChatRequest request = claudeWithToolArguments(arguments);
		StreamErrorEvent error = (StreamErrorEvent) client().streamEvents(request).single().block();
		assertThat(error.errorType()).isEqualTo(StreamErrorType.REQUEST);
		assertThat(error.isRetryable()).isFalse();
		assertThat(error.error()).isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("arguments of tool call toolu_1 (get_weather) " + why);
		assertThat(((InvalidRequestException) error.error()).getField())
			.isEqualTo("messages[1].toolCalls[0].arguments");
		assertThat(error.error().getProvider()).isEqualTo("anthropic");
		assertThat(error.partialResponse().attempts()).isZero();
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> client().validate(request))
			.withMessage(error.error().getMessage());
		StepVerifier.create(client().stream(request)).verifyError(InvalidRequestException.class);
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void streamEventsWhenAnthropicToolArgumentsAreAJsonObjectOrBlankShouldSendTheRequest() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("anthropic", "text")));
		assertThatNoException().isThrownBy(() -> client().validate(claudeWithToolArguments(" ")));
		StreamingResponse response = client().streamWithUsage(claudeWithToolArguments("{\"city\": \"Paris\"}")).block();
		assertThat(response.text()).isNotEmpty();
		assertThat(server.server().requestCount()).isEqualTo(1);
	}

	@Test
	void streamEventsWhenTheRequestBodyCannotBeWrittenShouldEndWithRequestErrorAndSendNothing() {
		ChatRequest request = ChatRequest.builder()
			.prompt("Hello")
			.model("gpt-4o-mini")
			.providerOption("metadata", new Unwritable())
			.build();
		List<StreamEvent> events = client().streamEvents(request).collectList().block();
		assertThat(events).singleElement().isInstanceOfSatisfying(StreamErrorEvent.class, (error) -> {
			assertThat(error.errorType()).isEqualTo(StreamErrorType.REQUEST);
			assertThat(error.isRetryable()).isFalse();
			assertThat(error.error()).isInstanceOf(InvalidRequestException.class)
				.hasMessage("openai could not build the request: not readable");
			assertThat(((InvalidRequestException) error.error()).getField()).isEqualTo("request");
		});
		StepVerifier.create(client().stream(request)).verifyError(InvalidRequestException.class);
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> client().validate(request))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("request"));
		assertThat(server.server().requestCount()).isZero();
	}

	@Test
	void streamEventsAfterARejectionShouldStillStreamValidRequests() {
		server.server().enqueue(MockResponse.replay(SseFixture.load("openai", "chat-text-usage")));
		SteerLLMClient client = client();
		client.streamEvents(ChatRequest.of("Hello", "llama-3")).blockLast();
		StreamingResponse response = client.streamWithUsage("Hello", "gpt-4o-mini").block();
		assertThat(response.text()).startsWith("I'm unable");
		assertThat(response.attempts()).isEqualTo(1);
	}

	/** A provider option JSON cannot write: its property cannot be read. */
	public static final class Unwritable {

		public String getValue() {
			throw new IllegalStateException("not readable");
		}

	}

}
