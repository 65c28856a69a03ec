package io.steer.llm.model;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A {@code reasoning} output item of the OpenAI or xAI Responses API, to pass back as an
 * input item before the function calls it led to. With {@code store: false} (stateless
 * use, zero data retention) the API can only use it with its {@code encrypted_content},
 * which it sends when the request asks for
 * {@code include: ["reasoning.encrypted_content"]}.
 *
 * @param id the item id ({@code rs_…})
 * @param summary the texts of the item's {@code summary_text} parts, in order; empty when
 * no summary was asked for
 * @param encryptedContent the item's {@code encrypted_content}, {@code null} when the
 * provider sent none
 * @see <a href=
 * "https://platform.openai.com/docs/guides/reasoning#keeping-reasoning-items-in-context">OpenAI,
 * Reasoning models: keeping reasoning items in context</a>
 * @see <a href=
 * "https://cookbook.openai.com/examples/responses_api/reasoning_items">OpenAI Cookbook,
 * Better performance from reasoning models using the Responses API</a>
 */
public record ResponsesReasoningItem(String id, List<String> summary,
		@Nullable String encryptedContent) implements ReasoningItem {

	/**
	 * Creates an item, copying the summary.
	 * @param id the item id
	 * @param summary the summary texts, empty for none
	 * @param encryptedContent the encrypted content, or {@code null}
	 * @throws NullPointerException if {@code id} or {@code summary} is {@code null}, or
	 * the summary holds {@code null}
	 */
	public ResponsesReasoningItem {
		Objects.requireNonNull(id, "id must not be null");
		summary = List.copyOf(summary);
	}

}
