package io.steer.llm.provider;

import java.util.List;

import io.steer.llm.provider.openai.OpenAiChatCompletionsAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProviderRouterTests {

	private final ProviderRouter router = new ProviderRouter(List.of(
			OpenAiChatCompletionsAdapter.openAi(new ProviderSettings("http://o", null, "gpt-4o-mini", java.util.Map.of()),
					JsonMapper.builder().build()),
			OpenAiChatCompletionsAdapter.xai(ProviderSettings.of("http://x", null), JsonMapper.builder().build())),
			null);

	@ParameterizedTest
	@CsvSource({ "gpt-4o-mini, openai, gpt-4o-mini", "chatgpt-4o-latest, openai, chatgpt-4o-latest",
			"o1, openai, o1", "o3-mini, openai, o3-mini", "o4-mini-2025-04-16, openai, o4-mini-2025-04-16",
			"ft:gpt-4o-mini:acme::abc, openai, ft:gpt-4o-mini:acme::abc", "grok-3-mini, xai, grok-3-mini",
			"xai:my-finetune, xai, my-finetune", "openai:custom-model, openai, custom-model" })
	void routeShouldChooseTheProviderByName(String model, String provider, String sent) {
		ProviderRouter.Route route = this.router.route(model);
		assertThat(route.adapter().name()).isEqualTo(provider);
		assertThat(route.model()).isEqualTo(sent);
	}

	@Test
	void routeWhenNoModelShouldUseTheDefaultProvidersDefaultModel() {
		ProviderRouter.Route route = this.router.route(null);
		assertThat(route.adapter().name()).isEqualTo("openai");
		assertThat(route.model()).isEqualTo("gpt-4o-mini");
	}

	@Test
	void routeWhenProviderNotConfiguredShouldSaySo() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.router.route("claude-3-haiku-20240307"))
			.withMessageContaining("anthropic")
			.withMessageContaining("not configured");
		assertThatIllegalArgumentException().isThrownBy(() -> this.router.route("llama-3"))
			.withMessageContaining("provider:model");
	}

	@Test
	void providerOfShouldNotMistakeOtherNames() {
		assertThat(ProviderRouter.providerOf("o1")).isEqualTo("openai");
		assertThat(ProviderRouter.providerOf("omni-model")).isNull();
		assertThat(ProviderRouter.providerOf("o10")).isNull();
	}

}
