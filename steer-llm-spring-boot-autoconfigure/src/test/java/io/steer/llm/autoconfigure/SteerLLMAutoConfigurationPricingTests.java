package io.steer.llm.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.client.DefaultSteerLLMClient;
import io.steer.llm.pricing.ModelPrice;
import io.steer.llm.pricing.PriceCatalog;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link PriceCatalog} of {@link SteerLLMAutoConfiguration} and
 * {@link SteerPricingProperties}.
 */
class SteerLLMAutoConfigurationPricingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SteerLLMAutoConfiguration.class));

	@Test
	void runWhenNoPricingPropertiesShouldDefineBundledCatalogAndGiveItToClient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PriceCatalog.class).hasBean("steerPriceCatalog");
			PriceCatalog catalog = context.getBean(PriceCatalog.class);
			assertThat(catalog.models()).isEqualTo(PriceCatalog.load().models());
			assertThat(catalog.find("openai", "gpt-4o")).isEqualTo(PriceCatalog.load().find("openai", "gpt-4o"));
			assertThat(clientCatalog(context.getBean(SteerLLMClient.class))).isSameAs(catalog);
		});
	}

	@Test
	void runWhenYamlPricingShouldOverrideMergeAndAddModelsAndReachClient() {
		this.contextRunner.withInitializer((context) -> loadYaml(context.getEnvironment(), "steer-pricing.yml"))
			.run((context) -> {
				PriceCatalog catalog = context.getBean(PriceCatalog.class);
				// unset cached-input keeps the bundled 1.25; the override prices the
				// snapshots too
				ModelPrice gpt4o = ModelPrice.of("2.25", "9", "1.25", null);
				assertThat(catalog.find("openai", "gpt-4o")).contains(gpt4o);
				assertThat(catalog.find("openai", "gpt-4o-2024-08-06")).contains(gpt4o);
				// a name with a dot, in brackets; input and output kept from the bundled
				// data
				assertThat(catalog.find("openai", "gpt-4.1")).contains(ModelPrice.of("2", "8", "0.4", null));
				ModelPrice added = ModelPrice.of("0.75", "3", "0.1", "1.25");
				assertThat(catalog.find("openai", "my-fine-tune")).contains(added);
				assertThat(catalog.find("openai", "gpt-4o-mini"))
					.isEqualTo(PriceCatalog.load().find("openai", "gpt-4o-mini"));
				PriceCatalog client = clientCatalog(context.getBean(SteerLLMClient.class));
				assertThat(client).isSameAs(catalog);
				assertThat(client.find("openai", "my-fine-tune")).contains(added);
				assertThat(context.getBean(SteerPricingProperties.class).getModels()).containsOnlyKeys("gpt-4o",
						"gpt-4.1", "my-fine-tune");
			});
	}

	@Test
	void runWhenPricingPropertyValuesShouldOverrideAndAdd() {
		this.contextRunner
			.withPropertyValues("steer.pricing.models[claude-sonnet-4-5].output=14.5",
					"steer.pricing.models.grok-custom.input=0.2", "steer.pricing.models.grok-custom.output=0.6")
			.run((context) -> {
				PriceCatalog catalog = context.getBean(PriceCatalog.class);
				assertThat(catalog.find("anthropic", "claude-sonnet-4-5-20250929"))
					.contains(ModelPrice.of("3", "14.5", "0.3", "3.75"));
				assertThat(catalog.find("xai", "grok-custom")).contains(ModelPrice.of("0.2", "0.6", null, null));
				assertThat(clientCatalog(context.getBean(SteerLLMClient.class)).find("xai", "grok-custom"))
					.contains(ModelPrice.of("0.2", "0.6", null, null));
			});
	}

	@Test
	void runWhenAddedModelLacksOutputPriceShouldFail() {
		this.contextRunner.withPropertyValues("steer.pricing.models.my-model.input=1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("steer.pricing.models[my-model].output");
		});
	}

	@Test
	void runWhenPriceNegativeShouldFail() {
		this.contextRunner.withPropertyValues("steer.pricing.models.gpt-4o.input=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("steer.pricing.models[gpt-4o].input");
		});
	}

	@Test
	void runWhenUserDefinesPriceCatalogShouldBackOffAndGiveItToClient() {
		this.contextRunner.withUserConfiguration(CustomCatalogConfiguration.class)
			.withPropertyValues("steer.pricing.models.ignored.input=1", "steer.pricing.models.ignored.output=1")
			.run((context) -> {
				assertThat(context).hasSingleBean(PriceCatalog.class).doesNotHaveBean("steerPriceCatalog");
				PriceCatalog custom = context.getBean(PriceCatalog.class);
				assertThat(custom.find("openai", "in-house")).isPresent();
				assertThat(custom.find("openai", "ignored")).isEmpty();
				assertThat(clientCatalog(context.getBean(SteerLLMClient.class))).isSameAs(custom);
			});
	}

	private static PriceCatalog clientCatalog(SteerLLMClient client) {
		assertThat(client).isInstanceOf(DefaultSteerLLMClient.class);
		return ((DefaultSteerLLMClient) client).priceCatalog();
	}

	private static void loadYaml(ConfigurableEnvironment environment, String name) {
		try {
			new YamlPropertySourceLoader().load(name, new ClassPathResource(name))
				.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCatalogConfiguration {

		@Bean
		PriceCatalog inHousePrices() {
			return PriceCatalog.load().withOverrides(Map.of("in-house", ModelPrice.of("1", "2", null, null)));
		}

	}

}
