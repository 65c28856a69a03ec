package io.steer.llm.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.steer.llm.autoconfigure.SteerPricingProperties.Price;
import io.steer.llm.autoconfigure.agent.AgentProperties;
import io.steer.llm.json.JsonDuplicatePolicy;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.observation.DefaultStreamObservationConvention;
import io.steer.llm.options.AggregatorType;
import io.steer.llm.options.BufferType;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.pipeline.BatchHandler;
import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventProcessors;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.pipeline.OverflowPolicy;
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
 * {@link SteerProvidersProperties}, {@link SteerPricingProperties},
 * {@link SteerHealthProperties} (with its {@code recent-failures} group),
 * {@link SteerObservationProperties} and {@link SteerEventsProperties}: what IDEs show.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/** Fields of {@link StreamingOptions} that are set in code, not by configuration. */
	private static final List<String> CODE_ONLY_FIELDS = List.of("callbacks");

	/**
	 * Properties under {@code steer.streaming} that configure the client's
	 * {@link io.steer.llm.retry.StreamingRetryManager} rather than a
	 * {@link StreamingOptions} field; presets have none of them.
	 */
	private static final List<String> CLIENT_LEVEL_PROPERTIES = List.of("steer.streaming.state-ttl",
			"steer.streaming.max-states", "steer.streaming.state-cleanup-interval");

	/**
	 * Keys that are bound and stored but do not act yet (README, "Which of these fields
	 * already act"). When one starts to act, drop the "Not acted on yet" sentence from
	 * its field comment and its name from here.
	 */
	private static final List<String> NOT_ACTING_YET = List.of();

	private static final String NOT_ACTED_ON_YET = "Not acted on yet";

	/**
	 * Properties of the recorder of recent streams' events,
	 * {@link SteerEventsProperties}.
	 */
	private static final List<String> REPLAY_PROPERTIES = List.of("steer.streaming.events.replay.enabled",
			"steer.streaming.events.replay.max-streams", "steer.streaming.events.replay.max-events-per-stream",
			"steer.streaming.events.replay.ttl", "steer.streaming.events.replay.include-text");

	/**
	 * Properties of the {@code steerEventProcessor} bean, the original SDK's
	 * {@code create_event_processor} arguments, {@link SteerEventsProperties}.
	 */
	private static final List<String> EVENT_PROCESSOR_PROPERTIES = List.of("steer.streaming.events.types",
			"steer.streaming.events.providers", "steer.streaming.events.correlation",
			"steer.streaming.events.timestamp", "steer.streaming.events.metrics", "steer.streaming.events.background",
			"steer.streaming.events.background-queue-capacity", "steer.streaming.events.overflow-policy",
			"steer.streaming.events.batch.handler", "steer.streaming.events.batch.size",
			"steer.streaming.events.batch.timeout");

	/**
	 * Properties of the adaptive options, {@link SteerAdaptiveProperties}.
	 */
	private static final List<String> ADAPTIVE_PROPERTIES = List.of("steer.streaming.adaptive.enabled",
			"steer.streaming.adaptive.window", "steer.streaming.adaptive.hysteresis",
			"steer.streaming.adaptive.fair-failure-rate", "steer.streaming.adaptive.poor-failure-rate",
			"steer.streaming.adaptive.fair-first-chunk", "steer.streaming.adaptive.poor-first-chunk",
			"steer.streaming.adaptive.levels.good.connection-timeout",
			"steer.streaming.adaptive.levels.good.read-timeout",
			"steer.streaming.adaptive.levels.good.max-reconnect-attempts",
			"steer.streaming.adaptive.levels.fair.connection-timeout",
			"steer.streaming.adaptive.levels.fair.read-timeout",
			"steer.streaming.adaptive.levels.fair.max-reconnect-attempts",
			"steer.streaming.adaptive.levels.poor.connection-timeout",
			"steer.streaming.adaptive.levels.poor.read-timeout",
			"steer.streaming.adaptive.levels.poor.max-reconnect-attempts");

	@Test
	void metadataWhenGeneratedShouldDescribeEveryStreamingOptionAndRetryStateKeysAndPresets() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> expected = new ArrayList<>(streamingOptionFields().stream()
			.map((field) -> "steer.streaming." + DataObjectPropertyName.toDashedForm(field))
			.toList());
		expected.addAll(CLIENT_LEVEL_PROPERTIES);
		expected.add("steer.streaming.presets");
		expected.add("steer.streaming.providers");
		expected.add("steer.streaming.models");
		expected.addAll(REPLAY_PROPERTIES);
		expected.addAll(EVENT_PROCESSOR_PROPERTIES);
		expected.addAll(ADAPTIVE_PROPERTIES);
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
		expected
			.forEach((name) -> assertThat(properties.get(name).path("description").asString()).as(name).isNotBlank());
		assertThat(properties.get("steer.providers.openai.base-url").path("defaultValue").asString())
			.isEqualTo(SteerProvidersProperties.OPENAI_BASE_URL);
		assertThat(properties.get("steer.providers.xai.base-url").path("defaultValue").asString())
			.isEqualTo(SteerProvidersProperties.XAI_BASE_URL);
		assertThat(properties.get("steer.providers.anthropic.version").path("defaultValue").asString())
			.isEqualTo("2023-06-01");
	}

	@Test
	void metadataWhenGeneratedShouldDescribeHealthKeysWithTheirDefaults() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.health.")))
			.containsExactlyInAnyOrder("steer.health.timeout", "steer.health.cache-ttl",
					"steer.health.recent-failures.enabled", "steer.health.recent-failures.min-streams",
					"steer.health.recent-failures.failure-rate");
		assertThat(properties.get("steer.health.timeout").path("defaultValue").asString()).isEqualTo("5s");
		assertThat(properties.get("steer.health.timeout").path("description").asString()).contains("timeout");
		assertThat(properties.get("steer.health.cache-ttl").path("defaultValue").asString()).isEqualTo("60s");
		assertThat(properties.get("steer.health.cache-ttl").path("description").asString()).contains("reused");
	}

	@Test
	void metadataWhenGeneratedShouldDescribeRecentFailuresKeysWithTheirDefaults() throws IOException {
		Map<String, JsonNode> properties = properties();
		JsonNode enabled = properties.get("steer.health.recent-failures.enabled");
		assertThat(enabled.path("defaultValue").asBoolean()).isTrue();
		assertThat(enabled.path("description").asString()).startsWith("Whether").contains("recent-failures");
		JsonNode minStreams = properties.get("steer.health.recent-failures.min-streams");
		assertThat(minStreams.path("type").asString()).isEqualTo("java.lang.Integer");
		assertThat(minStreams.path("defaultValue").asInt()).isEqualTo(5);
		assertThat(minStreams.path("description").asString()).contains("recent streams");
		JsonNode failureRate = properties.get("steer.health.recent-failures.failure-rate");
		assertThat(failureRate.path("type").asString()).isEqualTo("java.lang.Double");
		assertThat(failureRate.path("defaultValue").asDouble()).isEqualTo(0.5);
		assertThat(failureRate.path("description").asString()).contains("from 0 to 1");
	}

	@Test
	void metadataWhenGeneratedShouldDescribeObservationKeysWithTheirDefaults() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.observations.")))
			.containsExactlyInAnyOrder("steer.observations.enabled", "steer.observations.metrics.enabled",
					"steer.observations.include-content", "steer.observations.max-model-tags");
		assertThat(properties.get("steer.observations.enabled").path("defaultValue").asBoolean(false)).isTrue();
		assertThat(properties.get("steer.observations.metrics.enabled").path("defaultValue").asBoolean(false)).isTrue();
		assertThat(properties.get("steer.observations.include-content").path("defaultValue").isBoolean()).isTrue();
		assertThat(properties.get("steer.observations.include-content").path("defaultValue").asBoolean(true)).isFalse();
		assertThat(properties.get("steer.observations.max-model-tags").path("defaultValue").asInt())
			.isEqualTo(DefaultStreamObservationConvention.DEFAULT_MAX_MODELS)
			.isEqualTo(new SteerObservationProperties().getMaxModelTags());
		assertThat(properties.get("steer.observations.include-content").path("description").asString())
			.contains("prompts and completions", "never on meters");
		assertThat(properties.get("steer.observations.max-model-tags").path("description").asString())
			.contains("'other'");
		assertThat(properties.get("steer.observations.metrics.enabled").path("description").asString())
			.contains("gen_ai.client.*", "steer.*");
	}

	@Test
	void metadataWhenGeneratedShouldDescribeReplayKeysWithTheirDefaults() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.streaming.events.replay.")))
			.containsExactlyInAnyOrderElementsOf(REPLAY_PROPERTIES);
		SteerEventsProperties.Replay defaults = new SteerEventsProperties().getReplay();
		String prefix = "steer.streaming.events.replay.";
		assertThat(properties.get(prefix + "enabled").path("defaultValue").isBoolean()).isTrue();
		assertThat(properties.get(prefix + "enabled").path("defaultValue").asBoolean(true)).isFalse();
		assertThat(properties.get(prefix + "include-text").path("defaultValue").isBoolean()).isTrue();
		assertThat(properties.get(prefix + "include-text").path("defaultValue").asBoolean(true)).isFalse();
		assertThat(properties.get(prefix + "max-streams").path("defaultValue").asLong())
			.isEqualTo(defaults.getMaxStreams())
			.isEqualTo(EventRecorder.DEFAULT_MAX_STREAMS);
		assertThat(properties.get(prefix + "max-events-per-stream").path("defaultValue").asInt())
			.isEqualTo(defaults.getMaxEventsPerStream())
			.isEqualTo(EventRecorder.DEFAULT_MAX_EVENTS_PER_STREAM);
		ConversionService conversion = ApplicationConversionService.getSharedInstance();
		assertThat(conversion.convert(properties.get(prefix + "ttl").path("defaultValue").asString(), Duration.class))
			.isEqualTo(defaults.getTtl())
			.isEqualTo(EventRecorder.DEFAULT_TTL);
		assertThat(properties.get(prefix + "enabled").path("description").asString()).contains("off by default");
		assertThat(properties.get(prefix + "include-text").path("description").asString())
			.contains("[redacted N chars]");
	}

	@Test
	void metadataWhenGeneratedShouldDescribeEventProcessorKeysWithTheirDefaultsAndHints() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> processorKeys = properties.keySet()
			.stream()
			.filter((name) -> name.startsWith("steer.streaming.events.") && !REPLAY_PROPERTIES.contains(name))
			.toList();
		assertThat(processorKeys).containsExactlyInAnyOrderElementsOf(EVENT_PROCESSOR_PROPERTIES);
		String prefix = "steer.streaming.events.";
		for (String flag : List.of("correlation", "timestamp", "metrics")) {
			assertThat(properties.get(prefix + flag).path("defaultValue").isBoolean()).as(flag).isTrue();
			assertThat(properties.get(prefix + flag).path("defaultValue").asBoolean(true)).as(flag).isFalse();
		}
		assertThat(properties.get(prefix + "background-queue-capacity").path("defaultValue").asInt())
			.isEqualTo(EventDelivery.DEFAULT_QUEUE_CAPACITY);
		assertThat(properties.get(prefix + "background").path("description").asString()).contains("batch.handler");
		assertThat(properties.get(prefix + "batch.size").path("description").asString()).contains("20 when unset");
		Map<String, JsonNode> hints = hints();
		assertThat(
				hints.get(prefix + "types").path("values").valueStream().map((value) -> value.path("value").asString()))
			.containsExactly("start", "delta", "usage", "complete", "error");
		for (String name : List.of("start", "delta", "usage", "complete", "error")) {
			assertThat(EventProcessors.types(name)).as(name).isNotNull();
		}
		assertThat(hints.get(prefix + "batch.handler")
			.path("providers")
			.get(0)
			.path("parameters")
			.path("target")
			.asString()).isEqualTo(BatchHandler.class.getName());
	}

	@Test
	void metadataWhenGeneratedShouldDescribePricingModels() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith("steer.pricing.")))
			.containsExactly("steer.pricing.models");
		JsonNode models = properties.get("steer.pricing.models");
		assertThat(models.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String,io.steer.llm.autoconfigure.SteerPricingProperties$Price>");
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
		for (Method option : streamingOptions()) {
			String name = "steer.streaming." + DataObjectPropertyName.toDashedForm(option.getName());
			Object value = StreamingOptions.class.getMethod(option.getName()).invoke(StreamingOptions.DEFAULTS);
			JsonNode property = properties.get(name);
			if (property == null || value == null) {
				continue;
			}
			assertThat(property.has("defaultValue")).as(name).isTrue();
			Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(option.getReturnType());
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
	void metadataWhenGeneratedShouldHintEveryValueOfEnumPropertiesWithADescription() throws IOException {
		Map<String, Class<? extends Enum<?>>> enums = new LinkedHashMap<>();
		enums.put("steer.streaming.aggregator-type", AggregatorType.class);
		enums.put("steer.streaming.buffer-type", BufferType.class);
		enums.put("steer.providers.openai.api", ProviderApi.class);
		enums.put("steer.providers.xai.api", ProviderApi.class);
		enums.put("steer.streaming.events.overflow-policy", OverflowPolicy.class);
		enums.put("steer.streaming.json-duplicate-policy", JsonDuplicatePolicy.class);
		Map<String, JsonNode> properties = properties();
		Map<String, JsonNode> hints = hints();
		ConversionService conversion = ApplicationConversionService.getSharedInstance();
		enums.forEach((name, type) -> {
			assertThat(properties.get(name).path("type").asString()).as(name).isEqualTo(type.getName());
			assertThat(hints).as(name).containsKey(name);
			List<String> expected = Arrays.stream(type.getEnumConstants())
				.map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.toList();
			JsonNode values = hints.get(name).path("values");
			assertThat(values.valueStream().map((value) -> value.path("value").asString())).as(name)
				.containsExactlyElementsOf(expected);
			values.forEach((value) -> {
				String hinted = value.path("value").asString();
				Enum<?> bound = (Enum<?>) conversion.convert(hinted, type);
				assertThat(bound).as(name + "=" + hinted).isNotNull();
				assertThat(bound.name()).as(name + "=" + hinted)
					.isEqualTo(hinted.toUpperCase(Locale.ROOT).replace('-', '_'));
				assertThat(value.path("description").asString()).as(name + "=" + hinted).isNotBlank().endsWith(".");
			});
		});
	}

	@Test
	void metadataWhenGeneratedShouldSayWhichKeysDoNotActYet() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> notActing = NOT_ACTING_YET.stream().map((key) -> "steer.streaming." + key).toList();
		for (String name : notActing) {
			assertThat(properties.get(name).path("description").asString()).as(name)
				.contains(NOT_ACTED_ON_YET + ": stored for");
		}
		properties.forEach((name, property) -> {
			if (!notActing.contains(name)) {
				assertThat(property.path("description").asString()).as(name).doesNotContain(NOT_ACTED_ON_YET);
			}
		});
	}

	@Test
	void metadataWhenGeneratedShouldDescribeTheEntriesOfPresetsAndPricingModels() throws IOException {
		// The configuration processor stops at maps (spring-boot#9945): a Map<String,
		// Pojo>
		// property is one entry whose type names the value class, from which IDEs
		// complete
		// '<key>.<field>'; its description says what an entry takes.
		Map<String, JsonNode> properties = properties();
		JsonNode presets = properties.get("steer.streaming.presets");
		assertThat(presets.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String," + StreamingOptionsProperties.class.getName() + ">");
		assertThat(presets.path("description").asString()).contains("'steer.streaming.presets.<name>.*'")
			.contains(CLIENT_LEVEL_PROPERTIES.stream()
				.map((name) -> name.substring("steer.streaming.".length()))
				.toList());
		JsonNode models = properties.get("steer.pricing.models");
		assertThat(models.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String," + Price.class.getName() + ">");
		List<String> priceFields = Arrays.stream(Price.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.map((field) -> "'" + DataObjectPropertyName.toDashedForm(field.getName()) + "'")
			.toList();
		assertThat(priceFields).hasSize(4);
		assertThat(models.path("description").asString()).contains(priceFields);
		assertThat(properties.keySet()).noneMatch(
				(name) -> name.startsWith("steer.streaming.presets.") || name.startsWith("steer.pricing.models."));
	}

	@Test
	void metadataWhenGeneratedShouldDescribeProviderAndModelRulesAndHintTheProviders() throws IOException {
		Map<String, JsonNode> properties = properties();
		for (String name : List.of("steer.streaming.providers", "steer.streaming.models")) {
			assertThat(properties.get(name).path("type").asString()).as(name)
				.isEqualTo("java.util.Map<java.lang.String," + StreamingOptionsProperties.class.getName() + ">");
		}
		assertThat(properties.get("steer.streaming.providers").path("description").asString())
			.contains("'steer.streaming.providers.<provider>.*'");
		assertThat(properties.get("steer.streaming.models").path("description").asString())
			.contains("'steer.streaming.models[claude-*].read-timeout=60s'")
			.contains("\"[claude-*]\"");
		JsonNode keys = hints().get("steer.streaming.providers.keys");
		assertThat(keys).isNotNull();
		assertThat(keys.path("values").valueStream().map((value) -> value.path("value").asString()))
			.containsExactly("openai", "xai", "anthropic");
		assertThat(properties.keySet()).noneMatch(
				(name) -> name.startsWith("steer.streaming.providers.") || name.startsWith("steer.streaming.models."));
	}

	@Test
	void metadataWhenGeneratedShouldDescribeTheEntriesOfAgents() throws IOException {
		Map<String, JsonNode> properties = properties();
		JsonNode agents = properties.get("steer.agents");
		assertThat(agents.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String," + AgentProperties.class.getName() + ">");
		List<String> agentFields = Arrays.stream(AgentProperties.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.map((field) -> "'" + DataObjectPropertyName.toDashedForm(field.getName()) + "'")
			.toList();
		assertThat(agentFields).hasSize(9);
		assertThat(agents.path("description").asString()).contains("'<name>Agent'").contains(agentFields);
		assertThat(properties.keySet()).noneMatch((name) -> name.startsWith("steer.agents."));
	}

	@Test
	void presetWhenDeclaredShouldHaveOneOptionalFieldPerStreamingOption() {
		List<Field> fields = Arrays.stream(StreamingOptionsProperties.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.toList();
		assertThat(fields).extracting(Field::getName).containsExactlyInAnyOrderElementsOf(streamingOptionFields());
		assertThat(fields)
			.allSatisfy((field) -> assertThat(field.getType().isPrimitive()).as(field.getName()).isFalse());
	}

	private static List<String> streamingOptionFields() {
		return streamingOptions().stream()
			.map(Method::getName)
			.filter((name) -> !CODE_ONLY_FIELDS.contains(name))
			.toList();
	}

	/**
	 * Every option of {@link StreamingOptions}: the accessors of its groups
	 * ({@code ConnectionOptions}, {@code UsageOptions}, …), each also a flat accessor of
	 * {@link StreamingOptions}.
	 */
	private static List<Method> streamingOptions() {
		List<Method> options = Arrays.stream(StreamingOptions.class.getDeclaredClasses())
			.filter((type) -> type.isInterface() && Modifier.isPublic(type.getModifiers()))
			.flatMap((group) -> Arrays.stream(group.getDeclaredMethods()))
			.filter((method) -> Modifier.isAbstract(method.getModifiers()))
			.toList();
		assertThat(options).hasSizeGreaterThanOrEqualTo(26);
		return options;
	}

	private static Map<String, JsonNode> properties() throws IOException {
		JsonNode metadata = metadata();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata.path("properties").forEach((property) -> properties.put(property.path("name").asString(), property));
		return properties;
	}

	private static Map<String, JsonNode> hints() throws IOException {
		Map<String, JsonNode> hints = new LinkedHashMap<>();
		metadata().path("hints").forEach((hint) -> hints.put(hint.path("name").asString(), hint));
		return hints;
	}

	/**
	 * The metadata of this module: the one file on the class path with the steer groups.
	 */
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
