package io.steer.llm.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of a stream and its keys, named after the OpenTelemetry GenAI semantic
 * conventions (v1.41, client side) where one exists.
 */
public enum StreamObservationDocumentation implements ObservationDocumentation {

	/**
	 * One stream, from the request to its terminal event or its cancellation.
	 */
	STREAM {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultStreamObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeys.values();
		}
	};

	/**
	 * The low-cardinality keys: the tags of the observation and of the meters.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/** Always {@code chat}. */
		OPERATION_NAME {
			@Override
			public String asString() {
				return "gen_ai.operation.name";
			}
		},

		/** {@code openai}, {@code anthropic}, {@code x_ai}, else the adapter's name. */
		PROVIDER_NAME {
			@Override
			public String asString() {
				return "gen_ai.provider.name";
			}
		},

		/** The model asked for; capped, past the limit {@code other}. */
		REQUEST_MODEL {
			@Override
			public String asString() {
				return "gen_ai.request.model";
			}
		},

		/** The model that answered; capped, past the limit {@code other}. */
		RESPONSE_MODEL {
			@Override
			public String asString() {
				return "gen_ai.response.model";
			}
		},

		/**
		 * The {@link io.steer.llm.error.StreamErrorType} of a failure, else {@code none}.
		 */
		ERROR_TYPE {
			@Override
			public String asString() {
				return "error.type";
			}
		},

		/** The host of the provider's URL. */
		SERVER_ADDRESS {
			@Override
			public String asString() {
				return "server.address";
			}
		},

		/** The port of the provider's URL. */
		SERVER_PORT {
			@Override
			public String asString() {
				return "server.port";
			}
		},

		/** {@code success}, {@code error} or {@code cancelled}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/**
	 * The high-cardinality keys: span attributes, never meter tags.
	 */
	public enum HighCardinalityKeys implements KeyName {

		/** Always {@code true}. */
		REQUEST_STREAM {
			@Override
			public String asString() {
				return "gen_ai.request.stream";
			}
		},

		/** The provider's response id. */
		RESPONSE_ID {
			@Override
			public String asString() {
				return "gen_ai.response.id";
			}
		},

		/** The finish reason of choice 0. */
		RESPONSE_FINISH_REASONS {
			@Override
			public String asString() {
				return "gen_ai.response.finish_reasons";
			}
		},

		/** Input tokens, cached ones included. */
		USAGE_INPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.input_tokens";
			}
		},

		/** Output tokens. */
		USAGE_OUTPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.output_tokens";
			}
		},

		/** Input tokens read from the prompt cache. */
		USAGE_CACHE_READ_INPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.cache_read.input_tokens";
			}
		},

		/** Input tokens written to the prompt cache. */
		USAGE_CACHE_CREATION_INPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.cache_creation.input_tokens";
			}
		},

		/** Reasoning tokens. */
		USAGE_REASONING_OUTPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.reasoning.output_tokens";
			}
		},

		/** Time to the first chunk, in seconds. */
		TIME_TO_FIRST_CHUNK {
			@Override
			public String asString() {
				return "gen_ai.response.time_to_first_chunk";
			}
		},

		/** The HTTP attempts the stream took. */
		ATTEMPTS {
			@Override
			public String asString() {
				return "steer.attempts";
			}
		},

		/**
		 * The request's messages as JSON text; only when the client records content.
		 */
		INPUT_MESSAGES {
			@Override
			public String asString() {
				return "gen_ai.input.messages";
			}
		},

		/** The response as JSON text; only when the client records content. */
		OUTPUT_MESSAGES {
			@Override
			public String asString() {
				return "gen_ai.output.messages";
			}
		}

	}

}
