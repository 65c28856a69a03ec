package io.steer.llm.usage;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.ModelType;
import io.steer.llm.model.Message;
import io.steer.llm.model.Usage;

/**
 * Counts tokens with the model's tiktoken encoding (jtokkit).
 * <p>
 * The encoding follows jtokkit's model table where it names the model, else OpenAI's
 * model families: {@code o200k_base} for {@code gpt-4o}, {@code gpt-4.1},
 * {@code gpt-4.5}, {@code gpt-5}, {@code chatgpt-4o} and the o-series;
 * {@code cl100k_base} for {@code gpt-4}, {@code gpt-3.5} and any other model (an
 * approximation for non-OpenAI models, with a lower confidence).
 * <p>
 * Streamed text is counted incrementally, in batches of about 512 characters: the text is
 * cut just before its last run of white space where tiktoken's pre-tokenizer always
 * starts a new token, the part before is counted once and only the tail is kept for the
 * next fragments. No text is tokenized twice.
 * <p>
 * Prompt tokens follow OpenAI's chat format: 3 tokens per message, 1 per name, 3 to prime
 * the reply.
 *
 * @see <a href=
 * "https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb">OpenAI
 * Cookbook, How to count tokens with tiktoken</a>
 */
public final class TiktokenUsageAggregator extends AbstractUsageAggregator {

	/** Confidence of a count with the model's own encoding. */
	public static final double CONFIDENCE = 0.95;

	/** Confidence of a count with an encoding that is not the model's own. */
	public static final double APPROXIMATE_CONFIDENCE = 0.75;

	static final int TOKENS_PER_MESSAGE = 3;

	static final int TOKENS_PER_NAME = 1;

	static final int REPLY_PRIMING_TOKENS = 3;

	/**
	 * Tokens an OpenAI tool call costs besides its name and arguments. Measured on the
	 * recorded single-call streams {@code chat-tool-call-strict} and
	 * {@code chat-tool-call-nonstrict} (both 7); OpenAI does not document it.
	 */
	static final int TOKENS_PER_TOOL_CALL = 7;

	/**
	 * Characters gathered before they are counted: counting in batches keeps jtokkit's
	 * per-call cost off most deltas.
	 */
	private static final int BATCH = 512;

	/**
	 * Longest text kept without a safe cut point before it is counted anyway
	 * (characters).
	 */
	private static final int MAX_PENDING = 4 * BATCH;

	private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

	private final Encoding encoding;

	private final boolean ownEncoding;

	/**
	 * Answer and reasoning counters of each choice: [2 * choice] and [2 * choice + 1].
	 */
	private final java.util.ArrayList<Counter> counters = new java.util.ArrayList<>(2);

	private int framingTokens;

	/** The prompt, counted on first use. */
	private final List<Message> messages;

	/** Tokens of the prompt, -1 until counted. */
	private int promptTokens = -1;

	/**
	 * Creates an aggregator.
	 * @param provider the provider name, for how it counts reasoning tokens
	 * @param model the model name
	 * @param messages the prompt
	 */
	public TiktokenUsageAggregator(String provider, String model, List<Message> messages) {
		super(provider);
		this.encoding = REGISTRY.getEncoding(encodingType(model));
		this.ownEncoding = isOpenAiModel(model);
		this.messages = messages;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Counted when first asked for, not when the stream starts: a provider that reports
	 * usage (the common case) never needs it, and a long prompt takes milliseconds to
	 * tokenize.
	 */
	@Override
	protected int promptTokens() {
		if (this.promptTokens < 0) {
			int prompt = REPLY_PRIMING_TOKENS;
			for (Message message : this.messages) {
				prompt += TOKENS_PER_MESSAGE;
				if (message.content() != null) {
					prompt += this.encoding.countTokensOrdinary(message.content());
				}
				if (message.name() != null) {
					prompt += TOKENS_PER_NAME + this.encoding.countTokensOrdinary(message.name());
				}
			}
			this.promptTokens = prompt;
		}
		return this.promptTokens;
	}

	/**
	 * An encoding from the one registry this library keeps (loaded on first use), for
	 * every part of it that counts tokens.
	 * @param type the encoding type
	 * @return the encoding, thread-safe
	 */
	public static Encoding encoding(EncodingType type) {
		return REGISTRY.getEncoding(type);
	}

	/**
	 * The encoding used for a model.
	 * @param model the model name
	 * @return the encoding type
	 */
	public static EncodingType encodingType(String model) {
		String m = model.toLowerCase(Locale.ROOT);
		Optional<ModelType> known = ModelType.fromName(m);
		if (known.isPresent()) {
			return known.get().getEncodingType();
		}
		if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
				|| m.startsWith("chatgpt-4o") || m.matches("o[1-9].*")) {
			return EncodingType.O200K_BASE;
		}
		return EncodingType.CL100K_BASE;
	}

	/**
	 * Whether a model is one of OpenAI's, whose encoding is known.
	 * @param model the model name
	 * @return {@code true} for {@code gpt-*}, {@code chatgpt-*} and the o-series
	 */
	public static boolean isOpenAiModel(String model) {
		String m = model.toLowerCase(Locale.ROOT);
		return m.startsWith("gpt-") || m.startsWith("chatgpt-") || m.startsWith("ft:gpt-") || m.matches("o[1-9].*");
	}

	@Override
	public void addCompletion(int choice, String fragment) {
		counter(2 * choice).add(fragment);
	}

	@Override
	public void addReasoning(int choice, String fragment) {
		counter(2 * choice + 1).add(fragment);
	}

	private Counter counter(int slot) {
		while (this.counters.size() <= slot) {
			this.counters.add(new Counter());
		}
		return this.counters.get(slot);
	}

	private int total(int parity) {
		int total = 0;
		for (int slot = parity; slot < this.counters.size(); slot += 2) {
			total += this.counters.get(slot).total();
		}
		return total;
	}

	@Override
	public void addToolCall(String name) {
		this.framingTokens += this.encoding.countTokensOrdinary(name) + (this.ownEncoding ? TOKENS_PER_TOOL_CALL : 0);
	}

	@Override
	protected int outputTokens() {
		return total(0) + this.framingTokens;
	}

	@Override
	protected int reasoningTokens() {
		return total(1);
	}

	@Override
	public double confidence() {
		return this.ownEncoding ? CONFIDENCE : APPROXIMATE_CONFIDENCE;
	}

	/**
	 * The last position where tiktoken's pre-tokenizer is sure to start a new token: the
	 * start of a run of white space that follows some text, unless the run starts with a
	 * line break right after punctuation (the pattern {@code ?[^\s\p{L}\p{N}]+[\r\n/]*}
	 * keeps such line breaks with the punctuation). 0 when there is none.
	 */
	static int cutPoint(CharSequence text) {
		for (int i = text.length() - 1; i > 0; i--) {
			char c = text.charAt(i);
			char before = text.charAt(i - 1);
			if (Character.isWhitespace(c) && !Character.isWhitespace(before)
					&& (c == ' ' || c == '\t' || Character.isLetterOrDigit(before))) {
				return i;
			}
		}
		return 0;
	}

	/** Tokens of one stream of text, counted in batches. */
	private final class Counter {

		private final StringBuilder pending = new StringBuilder(BATCH + 64);

		private int counted;

		void add(String fragment) {
			StringBuilder pending = this.pending;
			pending.append(fragment);
			if (pending.length() < BATCH) {
				return;
			}
			int cut = cutPoint(pending);
			if (cut > 0) {
				this.counted += TiktokenUsageAggregator.this.encoding.countTokensOrdinary(pending.substring(0, cut));
				pending.delete(0, cut);
			}
			else if (pending.length() > MAX_PENDING) {
				this.counted += TiktokenUsageAggregator.this.encoding.countTokensOrdinary(pending.toString());
				pending.setLength(0);
			}
		}

		int total() {
			return this.counted + ((this.pending.length() > 0)
					? TiktokenUsageAggregator.this.encoding.countTokensOrdinary(this.pending.toString()) : 0);
		}

	}

}
