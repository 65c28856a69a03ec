package io.steer.llm.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steer.llm.autoconfigure.SteerStreamingProperties.Preset;
import io.steer.llm.options.StreamingOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code META-INF/spring-configuration-metadata.json} that the configuration
 * processor generates from {@link SteerStreamingProperties},
 * {@link SteerProvidersProperties} and {@link SteerPricingProperties}: what IDEs show.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/** Fields of {@link StreamingOptions} that are set in code, not by configuration. */
	private static final List<String> CODE_ONLY_FIELDS = List.of("callbacks");

	/**
	 * Properties under {@code steer.streaming} that configure the client's
	 * {@link io.steer.llm.retry.StreamingRetryManager} rather than a {@link StreamingOptions}
	 * field; presets have none of them.
	 */
	private static final List<String> CLIENT_LEVEL_PROPERTIES = List.of("steer.streaming.state-ttl",
			"steer.streaming.max-states", "steer.streaming.state-cleanup-interval");

	@Test
	void metadataWhenGeneratedShouldDescribeEveryStreamingOptionAndRetryStateKeysAndPresets() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> expected = new ArrayList<>(streamingOptionFields().stream()
			.map((field) -> "steer.streaming." + DataObjectPropertyName.toDashedForm(field))
			.toList());
		expected.addAll(CLIENT_LEVEL_PROPERTIES);
		expected.add("steer.streaming.presets");
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.streaming.")))
			.containsExactlyInAnyOrderElementsOf(expected);
		for (String name : expected) {
			assertThat(properties.get(name).path("description").asString()).as(name).isNotBlank();
		}
	}

	@Test
	void metadataWhenGeneratedShouldDescribeEveryProviderProperty() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> expected = new ArrayList<>(List.of("steer.providers.default-provider"));
		for (String provider : List.of("openai", "xai", "anthropic")) {
			for (String property : List.of("api-key", "base-url", "default-model", "headers")) {
				expected.add("steer.providers." + provider + "." + property);
			}
		}
		expected.addAll(List.of("steer.providers.openai.api", "steer.providers.xai.api",
				"steer.providers.anthropic.version", "steer.providers.anthropic.default-max-tokens"));
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.providers.")))
			.containsExactlyInAnyOrderElementsOf(expected);
		expected.forEach((name) -> assertThat(properties.get(name).path("description").asString()).as(name)
			.isNotBlank());
		assertThat(properties.get("steer.providers.openai.base-url").path("defaultValue").asString())
			.isEqualTo(SteerProvidersProperties.OPENAI_BASE_URL);
		assertThat(properties.get("steer.providers.xai.base-url").path("defaultValue").asString())
			.isEqualTo(SteerProvidersProperties.XAI_BASE_URL);
		assertThat(properties.get("steer.providers.anthropic.version").path("defaultValue").asString())
			.isEqualTo("2023-06-01");
	}

	@Test
	void metadataWhenGeneratedShouldDescribePricingModels() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.pricing.")))
			.containsExactly("steer.pricing.models");
		JsonNode models = properties.get("steer.pricing.models");
		assertThat(models.path("type").asString()).isEqualTo(
				"java.util.Map<java.lang.String,io.steer.llm.autoconfigure.SteerPricingProperties$Price>");
		assertThat(models.path("description").asString()).contains("USD per million tokens", "'input'", "'output'",
				"'cached-input'", "'cache-write'", "[gpt-4.1]");
	}

	@Test
	void metadataWhenGeneratedShouldFollowDescriptionStyle() throws IOException {
		properties().forEach((name, property) -> {
			String description = property.path("description").asString();
			assertThat(description).as(name).doesNotStartWith("The ").doesNotStartWith("A ").endsWith(".");
			if ("java.lang.Boolean".equals(property.path("type").asString())) {
				assertThat(description).as(name).startsWith("Whether");
			}
		});
	}

	@Test
	void metadataWhenGeneratedShouldShowDefaultsOfStreamingOptionsDefaults() throws Exception {
		Map<String, JsonNode> properties = properties();
		ConversionService conversion = ApplicationConversionService.getSharedInstance();
		for (RecordComponent component : StreamingOptions.class.getRecordComponents()) {
			String name = "steer.streaming." + DataObjectPropertyName.toDashedForm(component.getName());
			Object value = component.getAccessor().invoke(StreamingOptions.DEFAULTS);
			JsonNode property = properties.get(name);
			if (property == null || value == null) {
				continue;
			}
			assertThat(property.has("defaultValue")).as(name).isTrue();
			Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(component.getType());
			assertThat(conversion.convert(property.get("defaultValue").asString(), type)).as(name).isEqualTo(value);
		}
	}

	@Test
	void metadataWhenGeneratedShouldShowDefaultsOfRetryStateKeys() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.get("steer.streaming.state-ttl").path("defaultValue").asString()).isEqualTo("900s");
		assertThat(properties.get("steer.streaming.max-states").path("defaultValue").asInt()).isEqualTo(10000);
		assertThat(properties.get("steer.streaming.state-cleanup-interval").path("defaultValue").asString())
			.isEqualTo("60s");
	}

	@Test
	void presetWhenDeclaredShouldHaveOneOptionalFieldPerStreamingOption() {
		List<Field> fields = Arrays.stream(Preset.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.toList();
		assertThat(fields).extracting(Field::getName).containsExactlyElementsOf(streamingOptionFields());
		assertThat(fields)
			.allSatisfy((field) -> assertThat(field.getType().isPrimitive()).as(field.getName()).isFalse());
	}

	private static List<String> streamingOptionFields() {
		return Arrays.stream(StreamingOptions.class.getRecordComponents())
			.map(RecordComponent::getName)
			.filter((name) -> !CODE_ONLY_FIELDS.contains(name))
			.toList();
	}

	private static Map<String, JsonNode> properties() throws IOException {
		JsonNode metadata = metadata();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata.path("properties").forEach((property) -> properties.put(property.path("name").asString(), property));
		return properties;
	}

	/** The metadata of this module: the one file on the class path with the steer groups. */
	private static JsonNode metadata() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		List<JsonNode> found = new ArrayList<>();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
			try (InputStream input = url.openStream()) {
				JsonNode metadata = mapper.readTree(input);
				boolean steer = metadata.path("groups")
					.valueStream()
					.anyMatch((group) -> "steer.streaming".equals(group.path("name").asString()));
				if (steer) {
					found.add(metadata);
				}
			}
		}
		assertThat(found).as("class path files " + METADATA + " with the steer.streaming group").hasSize(1);
		return found.get(0);
	}

}
