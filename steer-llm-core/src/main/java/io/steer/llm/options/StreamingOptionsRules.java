package io.steer.llm.options;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steer.llm.model.ChatRequest;

/**
 * Options by provider, by model and by response format: a
 * {@link StreamingOptionsResolver} that lays {@linkplain StreamingOptionsOverlay
 * overlays} over the options chosen so far.
 * <p>
 * For each stream, in this order, each later step winning over the earlier ones:
 * <ol>
 * <li>the rule of the route's provider ({@link StreamRoute#provider()}, exact name), if
 * there is one;</li>
 * <li>every model rule whose {@link ModelGlob} matches {@link StreamRoute#model()}, least
 * specific first ({@linkplain ModelGlob#specificity() fewest literal characters}; equal
 * ones in the order they were added), so that {@code gpt-4o-*} wins over
 * {@code gpt-*};</li>
 * <li>the JSON rule: when the request asks for a JSON response format
 * ({@link ChatRequest#wantsJson()}: {@code json_object} or {@code json_schema}), the JSON
 * stream handler is turned on, unless the base options set it explicitly
 * ({@link Builder#baseSetsJsonStreamHandler}), a rule that applied
 * {@linkplain StreamingOptionsOverlay#setsJsonStreamHandler() set it}, or the rule is off
 * ({@link Builder#jsonHandlerForJsonResponses}).</li>
 * </ol>
 * When nothing applies, the options are returned as they came. A rule for a provider the
 * client does not have never applies. Immutable and thread-safe when its overlays are.
 */
public final class StreamingOptionsRules implements StreamingOptionsResolver {

	private final Map<String, Rule> providers;

	private final List<ModelRule> models;

	private final boolean jsonHandlerForJsonResponses;

	private final boolean baseSetsJsonStreamHandler;

	private StreamingOptionsRules(Builder builder) {
		this.providers = Map.copyOf(builder.providers);
		List<ModelRule> models = new ArrayList<>(builder.models);
		models.sort(Comparator.comparingInt((ModelRule rule) -> rule.glob().specificity()));
		this.models = List.copyOf(models);
		this.jsonHandlerForJsonResponses = builder.jsonHandlerForJsonResponses;
		this.baseSetsJsonStreamHandler = builder.baseSetsJsonStreamHandler;
	}

	/**
	 * A builder with no rules and the JSON rule on.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public StreamingOptions resolve(ChatRequest request, StreamRoute route, StreamingOptions options) {
		StreamingOptions.Builder builder = null;
		boolean jsonSet = this.baseSetsJsonStreamHandler;
		Rule provider = this.providers.get(route.provider());
		if (provider != null) {
			builder = options.toBuilder();
			provider.overlay().applyTo(builder);
			jsonSet |= provider.setsJsonStreamHandler();
		}
		for (ModelRule model : this.models) {
			if (model.glob().matches(route.model())) {
				builder = (builder != null) ? builder : options.toBuilder();
				model.rule().overlay().applyTo(builder);
				jsonSet |= model.rule().setsJsonStreamHandler();
			}
		}
		if (this.jsonHandlerForJsonResponses && !jsonSet && request.wantsJson()) {
			builder = (builder != null) ? builder : options.toBuilder();
			builder.enableJsonStreamHandler(true);
		}
		return (builder != null) ? builder.build() : options;
	}

	@Override
	public String toString() {
		return "StreamingOptionsRules[providers=" + this.providers.keySet() + ", models="
				+ this.models.stream().map((rule) -> rule.glob().pattern()).toList() + ", jsonHandlerForJsonResponses="
				+ this.jsonHandlerForJsonResponses + ", baseSetsJsonStreamHandler=" + this.baseSetsJsonStreamHandler
				+ "]";
	}

	private record Rule(StreamingOptionsOverlay overlay, boolean setsJsonStreamHandler) {

		static Rule of(StreamingOptionsOverlay overlay) {
			Objects.requireNonNull(overlay, "overlay must not be null");
			return new Rule(overlay, overlay.setsJsonStreamHandler());
		}

	}

	private record ModelRule(ModelGlob glob, Rule rule) {

	}

	/**
	 * Builder of {@link StreamingOptionsRules}.
	 */
	public static final class Builder {

		private final Map<String, Rule> providers = new LinkedHashMap<>();

		private final List<ModelRule> models = new ArrayList<>();

		private boolean jsonHandlerForJsonResponses = true;

		private boolean baseSetsJsonStreamHandler;

		private Builder() {
		}

		/**
		 * Sets the rule of a provider, replacing an earlier one for the same name.
		 * @param provider the provider's name as the route gives it ({@code openai},
		 * {@code xai}, {@code anthropic} or a custom adapter's name), exact
		 * @param overlay the options it changes
		 * @return this builder
		 * @throws NullPointerException when an argument is {@code null}
		 */
		public Builder provider(String provider, StreamingOptionsOverlay overlay) {
			Objects.requireNonNull(provider, "provider must not be null");
			this.providers.put(provider, Rule.of(overlay));
			return this;
		}

		/**
		 * Adds a rule for the models a glob matches.
		 * @param glob the glob, see {@link ModelGlob}, e.g. {@code claude-*}
		 * @param overlay the options it changes
		 * @return this builder
		 * @throws IllegalArgumentException when the glob is invalid
		 * ({@link ModelGlob#compile})
		 * @throws NullPointerException when an argument is {@code null}
		 */
		public Builder model(String glob, StreamingOptionsOverlay overlay) {
			this.models.add(new ModelRule(ModelGlob.compile(glob), Rule.of(overlay)));
			return this;
		}

		/**
		 * Sets whether a request with a JSON response format turns the JSON stream
		 * handler on, when neither the base options nor a rule set it (default
		 * {@code true}).
		 * @param jsonHandlerForJsonResponses whether the JSON rule applies
		 * @return this builder
		 */
		public Builder jsonHandlerForJsonResponses(boolean jsonHandlerForJsonResponses) {
			this.jsonHandlerForJsonResponses = jsonHandlerForJsonResponses;
			return this;
		}

		/**
		 * Sets whether the base options set the JSON stream handler explicitly (default
		 * {@code false}), so that the JSON rule keeps their value; Spring Boot passes
		 * whether {@code steer.streaming.enable-json-stream-handler} is set.
		 * @param baseSetsJsonStreamHandler whether the base options decide the handler
		 * @return this builder
		 */
		public Builder baseSetsJsonStreamHandler(boolean baseSetsJsonStreamHandler) {
			this.baseSetsJsonStreamHandler = baseSetsJsonStreamHandler;
			return this;
		}

		/**
		 * Builds the rules.
		 * @return the rules
		 */
		public StreamingOptionsRules build() {
			return new StreamingOptionsRules(this);
		}

	}

}
