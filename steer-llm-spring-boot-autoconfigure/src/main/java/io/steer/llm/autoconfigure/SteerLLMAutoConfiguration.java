package io.steer.llm.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.autoconfigure.SteerProvidersProperties.Provider;
import io.steer.llm.options.StreamingOptions;
import io.steer.llm.options.StreamingOptionsResolver;
import io.steer.llm.pipeline.EventDelivery;
import io.steer.llm.pipeline.EventProcessor;
import io.steer.llm.pipeline.EventRecorder;
import io.steer.llm.pricing.PriceCatalog;
import io.steer.llm.provider.ProviderSettings;
import io.steer.llm.observation.LiveStreams;
import io.steer.llm.observation.StreamStatistics;
import io.steer.llm.retry.StreamingRetryManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the {@link SteerLLMClient} and its {@link StreamingOptions}.
 * <p>
 * Defines, each unless the application defines its own:
 * <ul>
 * <li>{@code steerLLMClient}: OpenAI, xAI and Anthropic from {@code steer.providers.*},
 * built on Boot's {@link WebClient.Builder} when there is one (so every
 * {@code WebClientCustomizer} applies; else on the client's own connector) and Boot's
 * {@link JsonMapper} when there is one, then customized by every
 * {@link SteerLLMClientBuilderCustomizer} bean in order. A call without options streams
 * with {@code steerStreamingOptions} as changed by the client's
 * {@link StreamingOptionsResolver}, composed so that each later one wins: the
 * {@code steerAdaptiveOptionsResolver} bean when there is one (adaptive level), then the
 * provider rule of {@code steer.streaming.providers.<provider>}, then the model rules of
 * {@code steer.streaming.models[<glob>]} (most specific glob last), then the JSON rule (a
 * JSON response format turns the JSON stream handler on unless
 * {@code steer.streaming.enable-json-stream-handler} or a matching rule sets it), then
 * every other {@link StreamingOptionsResolver} bean in {@code @Order}. Options given on
 * the call are used as they are;</li>
 * <li>{@code steerStreamingOptions}: the {@code @Primary} options from
 * {@code steer.streaming.*}, used by the client when a call gives none;</li>
 * <li>{@code jsonModeOptions}, {@code debugOptions}, {@code highPerformanceOptions},
 * {@code highThroughputOptions}, {@code lowLatencyOptions}: the presets of
 * {@link StreamingOptions};</li>
 * <li>{@code <name>Options} for each {@code steer.streaming.presets.<name>};</li>
 * <li>{@code steerPriceCatalog}: the bundled {@link PriceCatalog} with the prices of
 * {@code steer.pricing.models.*}, used by the client for the cost of responses;</li>
 * <li>{@code steerStreamingRetryManager}: the {@link StreamingRetryManager} that keeps
 * the retry state of each stream, from {@code steer.streaming.state-ttl} and
 * {@code steer.streaming.max-states};</li>
 * <li>{@code steerLiveStreams}: the {@link LiveStreams} where the client registers its
 * streams in flight (listed and cancelled by the {@code steer} actuator endpoint);</li>
 * <li>{@code steerStreamStatistics}: the {@link StreamStatistics} of the recent streams
 * per provider and model (the endpoint's statistics, the health indicators' passive
 * signals);</li>
 * <li>{@code steerStreamingStateCleanup}: a lifecycle bean that removes expired states
 * from the {@link StreamingRetryManager} bean every
 * {@code steer.streaming.state-cleanup-interval} while the context runs;</li>
 * <li>{@code steerEventRecorder}, only with
 * {@code steer.streaming.events.replay.enabled=true}: the {@link EventRecorder} of recent
 * streams' events from {@code steer.streaming.events.replay.*}, placed first in the event
 * processor of {@code steerStreamingOptions} and of every preset bean (the built-in ones
 * and {@code <name>Options}); options built by the application are not recorded unless
 * their processor includes it;</li>
 * <li>{@code steerEventProcessor}, only when a key of {@code steer.streaming.events.*}
 * other than {@code replay} is set: the {@link EventProcessor} of the original SDK's
 * {@code create_event_processor} arguments (types, providers, correlation, timestamp,
 * metrics, then batches to the {@code BatchHandler} bean named by {@code batch.handler}),
 * run by {@code steerStreamingOptions}, the built-in presets and the
 * {@code <name>Options} that name no {@code event-processor} of their own (after the
 * recorder, before the processors named by {@code steer.streaming.event-processor}, which
 * compose in their {@code @Order});</li>
 * <li>{@code steerEventDelivery}, only when {@code steer.streaming.events.batch.handler}
 * is set and {@code background} is not {@code false}: the {@link EventDelivery} whose
 * thread ({@code steer-events-N}) runs the handler, closed (its pending batches given up
 * to 10 seconds) when the context closes.</li>
 * </ul>
 * Preset beans are not default candidates: inject them with
 * {@code @Qualifier("<name>Options")}; an unqualified {@code StreamingOptions} gets
 * {@code steerStreamingOptions}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnClass({ SteerLLMClient.class, WebClient.class })
@EnableConfigurationProperties({ SteerProvidersProperties.class, SteerStreamingProperties.class,
		SteerPricingProperties.class, SteerEventsProperties.class })
@Import(StreamingPresetsRegistrar.class)
public final class SteerLLMAutoConfiguration {

	/**
	 * Name of the default {@link StreamingOptions} bean, bound from
	 * {@code steer.streaming.*}.
	 */
	public static final String STREAMING_OPTIONS_BEAN_NAME = "steerStreamingOptions";

	/**
	 * Name of the {@link EventProcessor} bean built from
	 * {@code steer.streaming.events.*}.
	 */
	public static final String EVENT_PROCESSOR_BEAN_NAME = "steerEventProcessor";

	/**
	 * Name of the {@link EventDelivery} bean of the background batches of
	 * {@code steerEventProcessor}.
	 */
	public static final String EVENT_DELIVERY_BEAN_NAME = "steerEventDelivery";

	/** Name of the {@link StreamingOptions#JSON_MODE} bean. */
	public static final String JSON_MODE_OPTIONS_BEAN_NAME = "jsonModeOptions";

	/** Name of the {@link StreamingOptions#DEBUG} bean. */
	public static final String DEBUG_OPTIONS_BEAN_NAME = "debugOptions";

	/** Name of the {@link StreamingOptions#HIGH_PERFORMANCE} bean. */
	public static final String HIGH_PERFORMANCE_OPTIONS_BEAN_NAME = "highPerformanceOptions";

	/** Name of the {@link StreamingOptions#HIGH_THROUGHPUT} bean. */
	public static final String HIGH_THROUGHPUT_OPTIONS_BEAN_NAME = "highThroughputOptions";

	/** Name of the {@link StreamingOptions#LOW_LATENCY} bean. */
	public static final String LOW_LATENCY_OPTIONS_BEAN_NAME = "lowLatencyOptions";

	static final Set<String> BUILT_IN_PRESET_BEAN_NAMES = Set.of(JSON_MODE_OPTIONS_BEAN_NAME, DEBUG_OPTIONS_BEAN_NAME,
			HIGH_PERFORMANCE_OPTIONS_BEAN_NAME, HIGH_THROUGHPUT_OPTIONS_BEAN_NAME, LOW_LATENCY_OPTIONS_BEAN_NAME);

	private static final List<String> PROVIDERS = List.of("openai", "xai", "anthropic");

	/**
	 * Name of the resolver of adaptive options, applied first when there is a bean of
	 * this name.
	 */
	private static final String ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME = "steerAdaptiveOptionsResolver";

	@Bean
	@ConditionalOnMissingBean
	SteerLLMClient steerLLMClient(SteerProvidersProperties providers, ObjectProvider<StreamingOptions> options,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<PriceCatalog> priceCatalog, ObjectProvider<StreamingRetryManager> retryManager,
			ObjectProvider<LiveStreams> liveStreams, ObjectProvider<StreamStatistics> statistics,
			ObjectProvider<StreamingOptionsFactory> optionsFactory, ObjectProvider<StreamingOptionsResolver> resolvers,
			BeanFactory beanFactory, ObjectProvider<SteerLLMClientBuilderCustomizer> customizers) {
		SteerLLMClient.Builder builder = SteerLLMClient.builder()
			.openAi(settings("steer.providers.openai", providers.getOpenai(), SteerProvidersProperties.OPENAI_BASE_URL),
					providers.getOpenai().getApi())
			.xai(settings("steer.providers.xai", providers.getXai(), SteerProvidersProperties.XAI_BASE_URL),
					providers.getXai().getApi())
			.anthropic(
					settings("steer.providers.anthropic", providers.getAnthropic(),
							SteerProvidersProperties.ANTHROPIC_BASE_URL),
					providers.getAnthropic().getVersion(), defaultMaxTokens(providers.getAnthropic()))
			.defaultOptions(options.getIfUnique(() -> StreamingOptions.DEFAULTS))
			.optionsResolver(optionsResolver(beanFactory, optionsFactory, resolvers));
		webClientBuilder.ifAvailable(builder::webClientBuilder);
		jsonMapper.ifUnique(builder::jsonMapper);
		priceCatalog.ifUnique(builder::priceCatalog);
		retryManager.ifUnique(builder::retryManager);
		liveStreams.ifUnique(builder::liveStreams);
		statistics.ifUnique(builder::streamStatistics);
		String defaultProvider = defaultProvider(providers);
		if (defaultProvider != null) {
			builder.defaultProvider(defaultProvider);
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	LiveStreams steerLiveStreams() {
		return new LiveStreams();
	}

	@Bean
	@ConditionalOnMissingBean
	StreamStatistics steerStreamStatistics() {
		return new StreamStatistics();
	}

	@Bean
	@ConditionalOnMissingBean
	PriceCatalog steerPriceCatalog(SteerPricingProperties pricing) {
		PriceCatalog bundled = PriceCatalog.load();
		return bundled.withOverrides(pricing.overrides(bundled));
	}

	@Bean
	@ConditionalOnMissingBean
	StreamingRetryManager steerStreamingRetryManager(SteerStreamingProperties properties) {
		Duration stateTtl = properties.getStateTtl();
		if (stateTtl == null || stateTtl.isNegative() || stateTtl.isZero()) {
			throw new InvalidConfigurationPropertyValueException("steer.streaming.state-ttl", stateTtl,
					"Must be positive.");
		}
		if (properties.getMaxStates() < 1) {
			throw new InvalidConfigurationPropertyValueException("steer.streaming.max-states",
					properties.getMaxStates(), "Must be at least 1.");
		}
		return new StreamingRetryManager(stateTtl, properties.getMaxStates(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	StreamingStateCleanup steerStreamingStateCleanup(StreamingRetryManager retryManager,
			SteerStreamingProperties properties) {
		Duration interval = properties.getStateCleanupInterval();
		if (interval == null || interval.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("steer.streaming.state-cleanup-interval", interval,
					"Must not be negative.");
		}
		return new StreamingStateCleanup(retryManager, interval);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("steer.streaming.events.replay.enabled")
	EventRecorder steerEventRecorder(SteerEventsProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		SteerEventsProperties.Replay replay = properties.getReplay();
		String prefix = "steer.streaming.events.replay.";
		if (replay.getMaxStreams() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + "max-streams", replay.getMaxStreams(),
					"Must be at least 1.");
		}
		if (replay.getMaxEventsPerStream() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + "max-events-per-stream",
					replay.getMaxEventsPerStream(), "Must be at least 1.");
		}
		Duration ttl = replay.getTtl();
		if (ttl == null || ttl.isNegative() || ttl.isZero()) {
			throw new InvalidConfigurationPropertyValueException(prefix + "ttl", ttl, "Must be positive.");
		}
		EventRecorder.Builder builder = EventRecorder.builder()
			.maxStreams(replay.getMaxStreams())
			.maxEventsPerStream(replay.getMaxEventsPerStream())
			.ttl(ttl)
			.includeText(replay.isIncludeText());
		jsonMapper.ifUnique(builder::jsonMapper);
		return builder.build();
	}

	@Bean(EVENT_DELIVERY_BEAN_NAME)
	@ConditionalOnMissingBean(name = EVENT_DELIVERY_BEAN_NAME)
	@Conditional({ OnEventProcessorCondition.class, OnEventProcessorCondition.OnBackgroundDelivery.class })
	EventDelivery steerEventDelivery(SteerEventsProperties properties, BeanFactory beanFactory) {
		return new EventProcessorFactory(properties, beanFactory).delivery();
	}

	@Bean(EVENT_PROCESSOR_BEAN_NAME)
	@ConditionalOnMissingBean(name = EVENT_PROCESSOR_BEAN_NAME)
	@Conditional(OnEventProcessorCondition.class)
	EventProcessor steerEventProcessor(SteerEventsProperties properties, BeanFactory beanFactory,
			ObjectProvider<Clock> clock) {
		EventDelivery delivery = properties.isBackgroundDelivery()
				? beanFactory.getBean(EVENT_DELIVERY_BEAN_NAME, EventDelivery.class) : null;
		return new EventProcessorFactory(properties, beanFactory).processor(clock.getIfUnique(), delivery);
	}

	@Bean(STREAMING_OPTIONS_BEAN_NAME)
	@Primary
	@ConditionalOnMissingBean
	StreamingOptions steerStreamingOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.defaults();
	}

	@Bean(StreamingOptionsFactory.BEAN_NAME)
	@ConditionalOnMissingBean
	StreamingOptionsFactory steerStreamingOptionsFactory(SteerStreamingProperties properties, BeanFactory beanFactory) {
		return new StreamingOptionsFactory(properties, beanFactory);
	}

	@Bean(name = JSON_MODE_OPTIONS_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = JSON_MODE_OPTIONS_BEAN_NAME)
	StreamingOptions jsonModeOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.withEventPipeline(StreamingOptions.JSON_MODE);
	}

	@Bean(name = DEBUG_OPTIONS_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = DEBUG_OPTIONS_BEAN_NAME)
	StreamingOptions debugOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.withEventPipeline(StreamingOptions.DEBUG);
	}

	@Bean(name = HIGH_PERFORMANCE_OPTIONS_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = HIGH_PERFORMANCE_OPTIONS_BEAN_NAME)
	StreamingOptions highPerformanceOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.withEventPipeline(StreamingOptions.HIGH_PERFORMANCE);
	}

	@Bean(name = HIGH_THROUGHPUT_OPTIONS_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = HIGH_THROUGHPUT_OPTIONS_BEAN_NAME)
	StreamingOptions highThroughputOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.withEventPipeline(StreamingOptions.HIGH_THROUGHPUT);
	}

	@Bean(name = LOW_LATENCY_OPTIONS_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = LOW_LATENCY_OPTIONS_BEAN_NAME)
	StreamingOptions lowLatencyOptions(StreamingOptionsFactory steerStreamingOptionsFactory) {
		return steerStreamingOptionsFactory.withEventPipeline(StreamingOptions.LOW_LATENCY);
	}

	/**
	 * The options resolver of the client, each later one winning: the adaptive resolver
	 * when there is a {@code steerAdaptiveOptionsResolver} bean, then the rules of
	 * {@code steer.streaming.providers.*} and {@code steer.streaming.models.*} with the
	 * JSON rule, then every other {@link StreamingOptionsResolver} bean in
	 * {@code @Order}.
	 */
	private static StreamingOptionsResolver optionsResolver(BeanFactory beanFactory,
			ObjectProvider<StreamingOptionsFactory> optionsFactory,
			ObjectProvider<StreamingOptionsResolver> resolvers) {
		List<StreamingOptionsResolver> chain = new ArrayList<>();
		StreamingOptionsResolver adaptive = beanFactory.containsBean(ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME)
				? beanFactory.getBean(ADAPTIVE_OPTIONS_RESOLVER_BEAN_NAME, StreamingOptionsResolver.class) : null;
		if (adaptive != null) {
			chain.add(adaptive);
		}
		StreamingOptionsFactory factory = optionsFactory.getIfAvailable();
		if (factory != null) {
			chain.add(factory.rules(PROVIDERS));
		}
		resolvers.orderedStream().filter((resolver) -> resolver != adaptive).forEach(chain::add);
		return chain.stream().reduce(StreamingOptionsResolver::andThen).orElseGet(StreamingOptionsResolver::identity);
	}

	private static ProviderSettings settings(String prefix, Provider provider, String defaultBaseUrl) {
		if (!StringUtils.hasText(provider.getBaseUrl())) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".base-url", provider.getBaseUrl(),
					"A base URL is required.");
		}
		if (!isAbsoluteHttpUrl(provider.getBaseUrl().strip())) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".base-url", provider.getBaseUrl(),
					"Must be an absolute http or https URL with a host, such as " + defaultBaseUrl + ".");
		}
		String apiKey = StringUtils.hasText(provider.getApiKey()) ? provider.getApiKey() : null;
		String defaultModel = StringUtils.hasText(provider.getDefaultModel()) ? provider.getDefaultModel() : null;
		return new ProviderSettings(provider.getBaseUrl().strip(), apiKey, defaultModel, provider.getHeaders());
	}

	private static boolean isAbsoluteHttpUrl(String url) {
		try {
			URI uri = new URI(url);
			String scheme = uri.getScheme();
			return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
					&& StringUtils.hasText(uri.getHost());
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static int defaultMaxTokens(SteerProvidersProperties.Anthropic anthropic) {
		if (anthropic.getDefaultMaxTokens() < 1) {
			throw new InvalidConfigurationPropertyValueException("steer.providers.anthropic.default-max-tokens",
					anthropic.getDefaultMaxTokens(), "Must be at least 1.");
		}
		return anthropic.getDefaultMaxTokens();
	}

	private static @Nullable String defaultProvider(SteerProvidersProperties providers) {
		String configured = providers.getDefaultProvider();
		if (StringUtils.hasText(configured)) {
			String provider = configured.strip().toLowerCase(Locale.ROOT);
			if (!PROVIDERS.contains(provider)) {
				throw new InvalidConfigurationPropertyValueException("steer.providers.default-provider", configured,
						"Expected 'openai', 'xai' or 'anthropic'.");
			}
			return provider;
		}
		Map<String, Provider> byName = new LinkedHashMap<>();
		byName.put("openai", providers.getOpenai());
		byName.put("xai", providers.getXai());
		byName.put("anthropic", providers.getAnthropic());
		List<String> withModel = byName.entrySet()
			.stream()
			.filter((entry) -> StringUtils.hasText(entry.getValue().getDefaultModel()))
			.map(Map.Entry::getKey)
			.toList();
		return (withModel.size() == 1) ? withModel.get(0) : null;
	}

}
