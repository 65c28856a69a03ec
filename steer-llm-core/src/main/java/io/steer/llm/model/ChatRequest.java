package io.steer.llm.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A request for one streamed chat completion, independent of the provider's wire format.
 *
 * @param messages the conversation, not empty
 * @param model model name ({@code gpt-4o-mini}, {@code grok-3-mini}, …) or
 * {@code provider:model} ({@code xai:grok-3-mini}); {@code null} to use the provider's
 * default model
 * @param temperature sampling temperature, {@code null} for the provider's default
 * @param maxTokens most output tokens, {@code null} for the provider's default
 * @param n number of alternative choices, {@code null} for one
 * @param stop stop sequences, empty for none
 * @param responseFormat output format, {@code null} for text
 * @param tools functions the model may call, empty for none
 * @param metadata caller's data, copied to the start event; never sent to the provider
 * @param providerOptions extra top-level fields merged into the provider's request body
 * as is (e.g. {@code logprobs}, {@code seed}); they win over the mapped fields
 * @param api which of the provider's APIs to use, {@code null} for the provider's
 * configured one; a request naming an API its provider does not serve (any API, to
 * Anthropic) is rejected with an {@link io.steer.llm.error.InvalidRequestException}
 * before anything is sent
 */
public record ChatRequest(List<Message> messages, @Nullable String model, @Nullable Double temperature,
		@Nullable Integer maxTokens, @Nullable Integer n, List<String> stop, @Nullable ResponseFormat responseFormat,
		List<ToolDefinition> tools, Map<String, Object> metadata, Map<String, Object> providerOptions,
		@Nullable ProviderApi api) {

	/**
	 * Creates a request, checking the counts; the lists are copied, the maps copied in
	 * their order.
	 * @param messages the conversation, not empty
	 * @param model model name or {@code provider:model}, or {@code null} for the
	 * provider's default model
	 * @param temperature sampling temperature, or {@code null} for the provider's default
	 * @param maxTokens most output tokens, at least 1, or {@code null} for the provider's
	 * default
	 * @param n number of alternative choices, at least 1, or {@code null} for one
	 * @param stop stop sequences, empty for none
	 * @param responseFormat output format, or {@code null} for text
	 * @param tools functions the model may call, empty for none
	 * @param metadata caller's data, copied to the start event; never sent to the
	 * provider
	 * @param providerOptions extra top-level fields merged into the provider's request
	 * body
	 * @param api which of the provider's APIs to use, or {@code null} for the provider's
	 * configured one
	 * @throws IllegalArgumentException if {@code messages} is empty, or {@code maxTokens}
	 * or {@code n} is less than 1
	 * @throws NullPointerException if a list or map is {@code null}, or a list holds a
	 * {@code null} element
	 */
	public ChatRequest {
		messages = List.copyOf(messages);
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("messages must not be empty");
		}
		stop = List.copyOf(stop);
		tools = List.copyOf(tools);
		metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		providerOptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providerOptions));
		if (maxTokens != null && maxTokens < 1) {
			throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
		}
		if (n != null && n < 1) {
			throw new IllegalArgumentException("n must be at least 1, was " + n);
		}
	}

	/**
	 * A single user prompt to a model.
	 * @param prompt the prompt
	 * @param model the model, or {@code null} for the default
	 * @return the request
	 */
	public static ChatRequest of(String prompt, @Nullable String model) {
		return builder().prompt(prompt).model(model).build();
	}

	/**
	 * A builder of an empty request: no messages (which {@link Builder#build()} rejects),
	 * no model, provider defaults for the rest.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from this request.
	 * @return the builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.messages.addAll(this.messages);
		builder.model = this.model;
		builder.temperature = this.temperature;
		builder.maxTokens = this.maxTokens;
		builder.n = this.n;
		builder.stop.addAll(this.stop);
		builder.responseFormat = this.responseFormat;
		builder.tools.addAll(this.tools);
		builder.metadata.putAll(this.metadata);
		builder.providerOptions.putAll(this.providerOptions);
		builder.api = this.api;
		return builder;
	}

	/**
	 * A copy of this request for another model.
	 * @param model the model
	 * @return the copy
	 */
	public ChatRequest withModel(String model) {
		return toBuilder().model(model).build();
	}

	/**
	 * Whether the model is asked for JSON output.
	 * @return {@code true} for a JSON object or JSON schema response format
	 */
	public boolean wantsJson() {
		return this.responseFormat != null && this.responseFormat.isJson();
	}

	/**
	 * Builder of {@link ChatRequest}.
	 */
	public static final class Builder {

		private final List<Message> messages = new ArrayList<>();

		private @Nullable String model;

		private @Nullable Double temperature;

		private @Nullable Integer maxTokens;

		private @Nullable Integer n;

		private final List<String> stop = new ArrayList<>();

		private @Nullable ResponseFormat responseFormat;

		private final List<ToolDefinition> tools = new ArrayList<>();

		private final Map<String, Object> metadata = new LinkedHashMap<>();

		private final Map<String, Object> providerOptions = new LinkedHashMap<>();

		private @Nullable ProviderApi api;

		private Builder() {
		}

		/**
		 * Replaces the conversation with a single user message.
		 * @param prompt the prompt
		 * @return this builder
		 */
		public Builder prompt(String prompt) {
			Objects.requireNonNull(prompt, "prompt must not be null");
			this.messages.clear();
			this.messages.add(Message.user(prompt));
			return this;
		}

		/**
		 * Replaces the conversation.
		 * @param messages the messages, in order
		 * @return this builder
		 */
		public Builder messages(List<Message> messages) {
			this.messages.clear();
			this.messages.addAll(messages);
			return this;
		}

		/**
		 * Appends a message to the conversation.
		 * @param message the message
		 * @return this builder
		 */
		public Builder message(Message message) {
			this.messages.add(message);
			return this;
		}

		/**
		 * Sets the model, as a model name ({@code gpt-4o-mini}) or {@code provider:model}
		 * ({@code xai:grok-3-mini}).
		 * @param model the model, or {@code null} for the provider's default model
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * Sets the sampling temperature, sent as is.
		 * @param temperature the temperature, or {@code null} for the provider's default
		 * @return this builder
		 */
		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		/**
		 * Sets the most output tokens; {@link #build()} rejects a value below 1.
		 * @param maxTokens the limit in tokens, or {@code null} for the provider's
		 * default
		 * @return this builder
		 */
		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		/**
		 * Sets the number of alternative choices; {@link #build()} rejects a value below
		 * 1.
		 * @param n the number of choices, or {@code null} for one
		 * @return this builder
		 */
		public Builder n(@Nullable Integer n) {
			this.n = n;
			return this;
		}

		/**
		 * Replaces the stop sequences.
		 * @param stop the sequences, empty for none
		 * @return this builder
		 */
		public Builder stop(List<String> stop) {
			this.stop.clear();
			this.stop.addAll(stop);
			return this;
		}

		/**
		 * Sets the output format, e.g. {@link ResponseFormat#jsonObject()}.
		 * @param responseFormat the format, or {@code null} for text
		 * @return this builder
		 */
		public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		/**
		 * Replaces the functions the model may call.
		 * @param tools the tools, empty for none
		 * @return this builder
		 */
		public Builder tools(List<ToolDefinition> tools) {
			this.tools.clear();
			this.tools.addAll(tools);
			return this;
		}

		/**
		 * Adds a function the model may call.
		 * @param tool the tool
		 * @return this builder
		 */
		public Builder tool(ToolDefinition tool) {
			this.tools.add(tool);
			return this;
		}

		/**
		 * Adds, or replaces, an entry of the caller's metadata, which is copied to the
		 * start event and never sent to the provider.
		 * @param key the key
		 * @param value the value
		 * @return this builder
		 */
		public Builder metadata(String key, Object value) {
			this.metadata.put(key, value);
			return this;
		}

		/**
		 * Adds, or replaces, a top-level field merged into the provider's request body as
		 * is (e.g. {@code seed}); it wins over the mapped fields.
		 * @param key the JSON field name
		 * @param value the value, serialized as JSON
		 * @return this builder
		 */
		public Builder providerOption(String key, Object value) {
			this.providerOptions.put(key, value);
			return this;
		}

		/**
		 * Chooses the provider API for this request (e.g. OpenAI's Responses API).
		 * @param api the API, or {@code null} for the provider's configured one
		 * @return this builder
		 */
		public Builder api(@Nullable ProviderApi api) {
			this.api = api;
			return this;
		}

		/**
		 * Builds the request.
		 * @return the request
		 * @throws IllegalArgumentException if there are no messages, or {@code maxTokens}
		 * or {@code n} is less than 1
		 */
		public ChatRequest build() {
			return new ChatRequest(this.messages, this.model, this.temperature, this.maxTokens, this.n, this.stop,
					this.responseFormat, this.tools, this.metadata, this.providerOptions, this.api);
		}

	}

}
