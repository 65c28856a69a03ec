package io.steer.llm.provider;

import java.util.List;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.error.StreamErrorType;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProviderRouterTests {

	private final ProviderRouter router = new ProviderRouter(List.of(OpenAiChatCompletionsAdapter.openAi(
			new ProviderSettings("http://o", null, "gpt-4o-mini", java.util.Map.of()), JsonMapper.builder().build()),
			OpenAiChatCompletionsAdapter.xai(ProviderSettings.of("http://x", null), JsonMapper.builder().build())),
			null);

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini, openai, gpt-4o-mini", "chatgpt-4o-latest, openai, chatgpt-4o-latest", "o1, openai, o1",
			"o3-mini, openai, o3-mini", "o4-mini-2025-04-16, openai, o4-mini-2025-04-16",
			"ft:gpt-4o-mini:acme::abc, openai, ft:gpt-4o-mini:acme::abc", "grok-3-mini, xai, grok-3-mini",
			"xai:my-finetune, xai, my-finetune", "openai:custom-model, openai, custom-model" })
	void routeShouldChooseTheProviderByName(String model, String provider, String sent) {
		ProviderRouter.Route route = this.router.route(model);
		assertThat(route.adapter().name()).isEqualTo(provider);
		assertThat(route.model()).isEqualTo(sent);
	}

	@Test
	void routeWhenNoModelShouldUseTheDefaultProvidersDefaultModel() {
		ProviderRouter.Route route = this.router.route((String) null);
		assertThat(route.adapter().name()).isEqualTo("openai");
		assertThat(route.model()).isEqualTo("gpt-4o-mini");
	}

	@Test
	void routeWhenProviderNotConfiguredShouldSaySo() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.router.route("claude-3-haiku-20240307"))
			.withMessage("No provider for model 'claude-3-haiku-20240307': it belongs to anthropic, which is not "
					+ "configured; configured providers: openai, xai");
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.router.route("llama-3"))
			.withMessage("No provider for model 'llama-3': use a model whose name starts with gpt-, chatgpt-, o1, o3, "
					+ "o4 or ft:gpt- (openai), grok- (xai) or claude- (anthropic), or name the provider as "
					+ "provider:model (e.g. openai:llama-3); configured providers: openai, xai")
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("model");
				assertThat(ex.getErrorType()).isEqualTo(StreamErrorType.REQUEST);
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getProvider()).isNull();
			});
	}

	@Test
	void routeWhenPrefixIsNoProviderShouldNotTellTheUserToNameOne() {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.router.route("foo:bar"))
			.withMessage("Unknown provider 'foo' in model 'foo:bar'; configured providers: openai, xai");
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.router.route("anthropic:claude-sonnet-4-5"))
			.withMessage("Provider 'anthropic' in model 'anthropic:claude-sonnet-4-5' is not configured; "
					+ "configured providers: openai, xai");
	}

	@Test
	void routeWhenNoModelFollowsThePrefixShouldSaySo() {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.router.route("openai:"))
			.withMessage("No model after 'openai:': write provider:model, e.g. openai:gpt-4o-mini")
			.satisfies((ex) -> assertThat(ex.getProvider()).isEqualTo("openai"));
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.router.route("XAI: "))
			.withMessage("No model after 'XAI:': write provider:model, e.g. XAI:grok-3-mini");
	}

	@Test
	void routeWhenNoModelAndNoDefaultModelShouldSaySo() {
		ProviderRouter router = new ProviderRouter(List
			.of(OpenAiChatCompletionsAdapter.xai(ProviderSettings.of("http://x", null), JsonMapper.builder().build())),
				null);
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> router.route((String) null))
			.withMessage("No model given and the default provider xai has no default model: name a model, or "
					+ "configure one (steer.providers.xai.default-model)");
	}

	@Test
	void routeWhenProviderDoesNotServeTheApiShouldSayWhichItAccepts() {
		ChatRequest request = ChatRequest.builder().prompt("Hi").model("gpt-5.2").api(ProviderApi.RESPONSES).build();
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.router.route(request))
			.withMessage("Provider openai (model 'gpt-5.2') does not serve the api 'responses': it accepts "
					+ "chat-completions, or no api for its configured one")
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("api"));
		assertThat(this.router.route(request.toBuilder().api(ProviderApi.CHAT_COMPLETIONS).build()).model())
			.isEqualTo("gpt-5.2");
		assertThat(this.router.route(request.toBuilder().api(null).build()).adapter().name()).isEqualTo("openai");
	}

	@Test
	void providerOfShouldNotMistakeOtherNames() {
		assertThat(ProviderRouter.providerOf("o1")).isEqualTo("openai");
		assertThat(ProviderRouter.providerOf("omni-model")).isNull();
		assertThat(ProviderRouter.providerOf("o10")).isNull();
	}

}
