package io.steer.llm.usage;

import java.util.List;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import io.steer.llm.model.Message;
import io.steer.llm.model.Usage;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class TiktokenUsageAggregatorTests {

	private static String recordedText(String provider, String name) {
		return JsonMapper.builder()
			.build()
			.readTree(SseFixture.load(provider, name).expectedJson().orElseThrow())
			.get("text")
			.asString();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 5, 8, 13, 64, 700 })
	void addCompletionWhenFedInPiecesShouldCountAsTheWholeText(int piece) {
		for (String name : List.of("chat-json-object", "chat-text-usage-details-gpt-4.1-nano")) {
			String text = recordedText("openai", name);
			TiktokenUsageAggregator aggregator = new TiktokenUsageAggregator("openai", "gpt-4o", List.of());
			for (int i = 0; i < text.length(); i += piece) {
				aggregator.addCompletion(0, text.substring(i, Math.min(text.length(), i + piece)));
			}
			int whole = Encodings.newLazyEncodingRegistry()
				.getEncoding(EncodingType.O200K_BASE)
				.countTokensOrdinary(text);
			assertThat(aggregator.estimate().completionTokens()).as(name + " in pieces of " + piece).isEqualTo(whole);
		}
	}

	@Test
	void interleavedChoicesShouldBeCountedApart() {
		TiktokenUsageAggregator together = new TiktokenUsageAggregator("openai", "gpt-4o", List.of());
		TiktokenUsageAggregator apart = new TiktokenUsageAggregator("openai", "gpt-4o", List.of());
		String a = "{\"city\":\"San Francisco\",\"temperature\":65}";
		String b = "{\"city\":\"Paris\",\"temperature\":61}";
		for (int i = 0; i < Math.max(a.length(), b.length()); i++) {
			if (i < a.length()) {
				together.addCompletion(0, a.substring(i, i + 1));
			}
			if (i < b.length()) {
				together.addCompletion(1, b.substring(i, i + 1));
			}
		}
		apart.addCompletion(0, a);
		apart.addCompletion(1, b);
		assertThat(together.estimate()).isEqualTo(apart.estimate());
	}

	@Test
	void estimateShouldFollowTheChatFormatForPromptsAndTheProviderForReasoning() {
		TiktokenUsageAggregator openAi = new TiktokenUsageAggregator("openai", "gpt-4o",
				List.of(Message.system("Be brief."), Message.user("Hello")));
		// 3 priming + 2 × 3 per message + "Be brief." (3 tokens) + "Hello" (1 token)
		assertThat(openAi.estimate().promptTokens()).isEqualTo(3 + 6 + 3 + 1);
		openAi.addCompletion(0, "Hi there");
		openAi.addReasoning(0, "The user greets me");
		Usage usage = openAi.estimate();
		assertThat(usage.reasoningTokens()).isPositive();
		assertThat(usage.completionTokens()).isEqualTo(2 + usage.reasoningTokens());
		TiktokenUsageAggregator xai = new TiktokenUsageAggregator("xai", "grok-3-mini", List.of());
		xai.addCompletion(0, "Hi there");
		xai.addReasoning(0, "The user greets me");
		// xAI leaves reasoning out of completion tokens and adds it to the total
		assertThat(xai.estimate().completionTokens()).isEqualTo(2);
		assertThat(xai.estimate().totalTokens())
			.isEqualTo(xai.estimate().promptTokens() + 2 + xai.estimate().reasoningTokens());
		assertThat(xai.confidence()).isLessThan(openAi.confidence());
	}

	@ParameterizedTest
	@CsvSource({ "gpt-4o-2024-08-06, O200K_BASE", "gpt-4o-mini, O200K_BASE", "gpt-4.1-nano-2025-04-14, O200K_BASE",
			"gpt-5.2, O200K_BASE", "o3-mini, O200K_BASE", "o4-mini, O200K_BASE", "chatgpt-4o-latest, O200K_BASE",
			"gpt-4, CL100K_BASE", "gpt-4-turbo, CL100K_BASE", "gpt-3.5-turbo, CL100K_BASE",
			"claude-sonnet-4-5, CL100K_BASE" })
	void encodingTypeShouldFollowTheModelFamily(String model, EncodingType type) {
		assertThat(TiktokenUsageAggregator.encodingType(model)).isEqualTo(type);
	}

	@Test
	void createShouldChooseByOptions() {
		var request = io.steer.llm.model.ChatRequest.of("hi", "gpt-4o");
		assertThat(UsageAggregators.create(StreamingOptions.DEFAULTS, "openai", "gpt-4o", request))
			.isInstanceOf(TiktokenUsageAggregator.class);
		assertThat(UsageAggregators.create(StreamingOptions.DEFAULTS, "anthropic", "claude-sonnet-4-5", request))
			.isInstanceOf(CharacterUsageAggregator.class);
		assertThat(UsageAggregators.create(StreamingOptions.builder().preferTiktoken(false).build(), "openai", "gpt-4o",
				request))
			.isInstanceOf(CharacterUsageAggregator.class);
		assertThat(UsageAggregators.create(StreamingOptions.builder().aggregatorType(AggregatorType.TIKTOKEN).build(),
				"anthropic", "claude-sonnet-4-5", request))
			.isInstanceOf(TiktokenUsageAggregator.class);
		assertThat(UsageAggregators.create(StreamingOptions.HIGH_PERFORMANCE, "openai", "gpt-4o", request)).isNull();
	}

}
