package io.steer.llm.options;

import java.time.Duration;

import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.ResponseFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link StreamingOptionsRules}: provider rule, then model rules least specific first,
 * then the JSON rule.
 */
class StreamingOptionsRulesTests {

	private static final StreamingOptions BASE = StreamingOptions.builder()
		.readTimeout(Duration.ofSeconds(30))
		.connectionTimeout(Duration.ofSeconds(5))
		.build();

	private static final ChatRequest TEXT = ChatRequest.builder().prompt("Hi").model("claude-3-haiku").build();

	private static StreamingOptions resolve(StreamingOptionsRules rules, ChatRequest request, String provider,
			String model) {
		return rules.resolve(request, new StreamRoute(provider, model, null), BASE);
	}

	private static ChatRequest json(ResponseFormat format) {
		return ChatRequest.builder().prompt("Hi").model("gpt-4o").responseFormat(format).build();
	}

	@Test
	void resolveWithoutMatchingRulesShouldKeepTheOptions() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.provider("anthropic", (builder) -> builder.readTimeout(Duration.ofSeconds(60)))
			.model("grok-*", (builder) -> builder.connectionTimeout(Duration.ofSeconds(10)))
			.build();
		assertThat(resolve(rules, TEXT, "openai", "gpt-4o")).isSameAs(BASE);
	}

	@Test
	void providerRuleShouldApplyOverTheBase() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.provider("anthropic", (builder) -> builder.readTimeout(Duration.ofSeconds(60)))
			.build();
		StreamingOptions options = resolve(rules, TEXT, "anthropic", "claude-3-haiku");
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void modelRuleShouldWinOverTheProviderRule() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.model("claude-*", (builder) -> builder.readTimeout(Duration.ofSeconds(90)))
			.provider("anthropic",
					(builder) -> builder.readTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(8)))
			.build();
		StreamingOptions options = resolve(rules, TEXT, "anthropic", "claude-3-haiku");
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(options.connectionTimeout()).isEqualTo(Duration.ofSeconds(8));
	}

	@Test
	void moreSpecificGlobShouldWinWhateverTheDeclarationOrder() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.model("gpt-4o-*", (builder) -> builder.readTimeout(Duration.ofSeconds(11)))
			.model("gpt-*", (builder) -> builder.readTimeout(Duration.ofSeconds(22)).maxReconnectAttempts(7))
			.model("*", (builder) -> builder.readTimeout(Duration.ofSeconds(33)).bufferSize(64))
			.build();
		StreamingOptions options = resolve(rules, TEXT, "openai", "gpt-4o-mini");
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(11));
		assertThat(options.maxReconnectAttempts()).isEqualTo(7);
		assertThat(options.bufferSize()).isEqualTo(64);
		assertThat(resolve(rules, TEXT, "openai", "gpt-3.5").readTimeout()).isEqualTo(Duration.ofSeconds(22));
	}

	@Test
	void equallySpecificGlobsShouldApplyInDeclarationOrder() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.model("gpt-4?", (builder) -> builder.readTimeout(Duration.ofSeconds(1)))
			.model("gpt-?o", (builder) -> builder.readTimeout(Duration.ofSeconds(2)))
			.build();
		assertThat(resolve(rules, TEXT, "openai", "gpt-4o").readTimeout()).isEqualTo(Duration.ofSeconds(2));
		StreamingOptionsRules reversed = StreamingOptionsRules.builder()
			.model("gpt-?o", (builder) -> builder.readTimeout(Duration.ofSeconds(2)))
			.model("gpt-4?", (builder) -> builder.readTimeout(Duration.ofSeconds(1)))
			.build();
		assertThat(resolve(reversed, TEXT, "openai", "gpt-4o").readTimeout()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void unknownProviderRuleShouldNeverApply() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.provider("mistral", (builder) -> builder.readTimeout(Duration.ofSeconds(99)))
			.provider("OpenAI", (builder) -> builder.readTimeout(Duration.ofSeconds(98)))
			.build();
		assertThat(resolve(rules, TEXT, "openai", "mistral")).isSameAs(BASE);
		assertThat(resolve(rules, TEXT, "anthropic", "claude-3-haiku")).isSameAs(BASE);
	}

	@Test
	void jsonResponseFormatShouldTurnTheJsonHandlerOn() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder().build();
		assertThat(resolve(rules, json(ResponseFormat.jsonObject()), "openai", "gpt-4o").enableJsonStreamHandler())
			.isTrue();
		assertThat(resolve(rules, json(ResponseFormat.jsonSchema("answer", java.util.Map.of("type", "object"), true)),
				"openai", "gpt-4o")
			.enableJsonStreamHandler()).isTrue();
		assertThat(resolve(rules, json(ResponseFormat.text()), "openai", "gpt-4o")).isSameAs(BASE);
		assertThat(resolve(rules, TEXT, "openai", "gpt-4o")).isSameAs(BASE);
	}

	@Test
	void jsonRuleShouldBeOffWhenTurnedOff() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder().jsonHandlerForJsonResponses(false).build();
		assertThat(resolve(rules, json(ResponseFormat.jsonObject()), "openai", "gpt-4o")).isSameAs(BASE);
	}

	@Test
	void jsonRuleShouldKeepAnExplicitBase() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder().baseSetsJsonStreamHandler(true).build();
		assertThat(resolve(rules, json(ResponseFormat.jsonObject()), "openai", "gpt-4o").enableJsonStreamHandler())
			.isFalse();
	}

	@Test
	void jsonRuleShouldKeepWhatAMatchingRuleSays() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.model("gpt-*", (builder) -> builder.enableJsonStreamHandler(false))
			.build();
		assertThat(resolve(rules, json(ResponseFormat.jsonObject()), "openai", "gpt-4o").enableJsonStreamHandler())
			.isFalse();
		assertThat(resolve(rules, json(ResponseFormat.jsonObject()), "anthropic", "claude-3").enableJsonStreamHandler())
			.isTrue();
	}

	@Test
	void jsonRuleShouldApplyOverRulesThatDoNotSetTheHandler() {
		StreamingOptionsRules rules = StreamingOptionsRules.builder()
			.provider("openai", (builder) -> builder.readTimeout(Duration.ofSeconds(45)))
			.build();
		StreamingOptions options = resolve(rules, json(ResponseFormat.jsonObject()), "openai", "gpt-4o");
		assertThat(options.enableJsonStreamHandler()).isTrue();
		assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void overlayShouldSayWhetherItSetsTheJsonHandler() {
		StreamingOptionsOverlay timeout = (builder) -> builder.readTimeout(Duration.ofSeconds(1));
		StreamingOptionsOverlay json = (builder) -> builder.enableJsonStreamHandler(true);
		assertThat(timeout.setsJsonStreamHandler()).isFalse();
		assertThat(json.setsJsonStreamHandler()).isTrue();
		assertThat(timeout.andThen(json).setsJsonStreamHandler()).isTrue();
		assertThat(timeout.andThen(timeout).setsJsonStreamHandler()).isFalse();
		StreamingOptions.Builder builder = StreamingOptions.builder();
		json.andThen(timeout).applyTo(builder);
		assertThat(builder.build().enableJsonStreamHandler()).isTrue();
		assertThat(builder.build().readTimeout()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void invalidGlobShouldFailTheBuilder() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamingOptionsRules.builder().model("gpt-[", (builder) -> {
			}))
			.withMessageContaining("unclosed '['");
	}

}
