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
 * {@code provider:model} ({@code xai:grok-3-mini}); {@code null} to use the provider's default
 * model
 * @param temperature sampling temperature, {@code null} for the provider's default
 * @param maxTokens most output tokens, {@code null} for the provider's default
 * @param n number of alternative choices, {@code null} for one
 * @param stop stop sequences, empty for none
 * @param responseFormat output format, {@code null} for text
 * @param tools functions the model may call, empty for none
 * @param metadata caller's data, copied to the start event; never sent to the provider
 * @param providerOptions extra top-level fields merged into the provider's request body as is
 * (e.g. {@code logprobs}, {@code seed}); they win over the mapped fields
 * @param api which of the provider's APIs to use, {@code null} for the provider's configured
 * one; a request naming an API its provider does not serve (any API, to Anthropic) is rejected
 * with an {@link io.steer.llm.error.InvalidRequestException} before anything is sent
 */
public record ChatRequest(List<Message> messages, @Nullable String model, @Nullable Double temperature,
		@Nullable Integer maxTokens, @Nullable Integer n, List<String> stop, @Nullable ResponseFormat responseFormat,
		List<ToolDefinition> tools, Map<String, Object> metadata, Map<String, Object> providerOptions,
		@Nullable ProviderApi api) {

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

		public Builder messages(List<Message> messages) {
			this.messages.clear();
			this.messages.addAll(messages);
			return this;
		}

		public Builder message(Message message) {
			this.messages.add(message);
			return this;
		}

		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		public Builder n(@Nullable Integer n) {
			this.n = n;
			return this;
		}

		public Builder stop(List<String> stop) {
			this.stop.clear();
			this.stop.addAll(stop);
			return this;
		}

		public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		public Builder tools(List<ToolDefinition> tools) {
			this.tools.clear();
			this.tools.addAll(tools);
			return this;
		}

		public Builder tool(ToolDefinition tool) {
			this.tools.add(tool);
			return this;
		}

		public Builder metadata(String key, Object value) {
			this.metadata.put(key, value);
			return this;
		}

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

		public ChatRequest build() {
			return new ChatRequest(this.messages, this.model, this.temperature, this.maxTokens, this.n, this.stop,
					this.responseFormat, this.tools, this.metadata, this.providerOptions, this.api);
		}

	}

}
